#include <fmt/format.h>

#include <iostream>
#include <nlohmann/json.hpp>

#include "commands.h"
#include "khabar/article_json.h"
#include "khabar/store.h"

namespace khabar::cli {
namespace {

// CLI11 writes into these while parsing, so they live as long as the callback that reads them.
struct DupsArgs {
  int64_t limit = 20;
  bool json = false;
};

std::string id_of(const DuplicateFamily& family, int64_t sequence) {
  for (const FamilyMember& m : family.members) {
    if (m.article.sequence == sequence) return m.article.id;
  }
  return fmt::format("#{}", sequence);
}

nlohmann::json family_json(const DuplicateFamily& family) {
  nlohmann::json members = nlohmann::json::array();
  for (const FamilyMember& m : family.members) {
    nlohmann::json member = article_summary_to_json(m.article);
    if (!m.kind.empty()) {
      member["link"] = {{"kind", m.kind}, {"score", m.score}, {"to", id_of(family, m.linked_to)}};
    }
    members.push_back(std::move(member));
  }
  return {{"earliest", family.members.empty() ? nlohmann::json(nullptr)
                                              : nlohmann::json(family.members.front().article.id)},
          {"articles", members},
          {"outlets", family.outlets},
          {"exact_copies_seen_again", family.sightings}};
}

void print_family(const DuplicateFamily& family) {
  std::cout << fmt::format(
      "{} articles, {} outlet{}: {}{}\n", family.members.size(), family.outlets.size(),
      family.outlets.size() == 1 ? "" : "s", fmt::join(family.outlets, ", "),
      family.sightings > 0 ? fmt::format("; exact copies seen {} more time{}", family.sightings,
                                         family.sightings == 1 ? "" : "s")
                           : "");
  for (size_t i = 0; i < family.members.size(); ++i) {
    const FamilyMember& m = family.members[i];
    std::string link = m.kind.empty() ? ""
                                      : fmt::format("{} {:.2f} of {}", m.kind, m.score,
                                                    id_of(family, m.linked_to));
    if (i == 0) link = link.empty() ? "earliest" : "earliest; " + link;
    std::cout << fmt::format("  {}  {:<10}  {}  {:<32}  {}\n", m.article.id,
                             day_or_dash(m.article.published), or_dash(m.article.source, 12), link,
                             title_or_placeholder(m.article.title));
  }
}

}  // namespace

void add_dups_command(CLI::App& app, const GlobalOptions& global, int& exit_code) {
  auto args = std::make_shared<DupsArgs>();
  CLI::App* cmd = app.add_subcommand(
      "dups", "List duplicate families: near-duplicates, contained copies, exact copies");
  cmd->add_option("--limit", args->limit, "How many families, largest first")
      ->capture_default_str()
      ->check(at_least(1));
  cmd->add_flag("--json", args->json, "One JSON object a line");
  cmd->callback([args, &global, &exit_code] {
    exit_code = with_store(global, [&](Store& store) {
      Result<std::vector<DuplicateFamily>> families = store.duplicate_families(args->limit);
      if (!families.ok()) return fail(families.error());
      for (const DuplicateFamily& family : *families) {
        if (args->json) {
          std::cout << family_json(family).dump() << "\n";
        } else {
          print_family(family);
        }
      }
      if (!args->json) {
        std::cout << fmt::format("{} famil{} with copies\n", families->size(),
                                 families->size() == 1 ? "y" : "ies");
      }
      return kExitOk;
    });
  });
}

}  // namespace khabar::cli
