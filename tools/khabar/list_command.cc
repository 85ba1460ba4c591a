#include <fmt/format.h>

#include <iostream>
#include <nlohmann/json.hpp>

#include "commands.h"
#include "khabar/article_json.h"
#include "khabar/store.h"

namespace khabar::cli {
namespace {

// CLI11 writes into these while parsing, so they live as long as the callback that reads them.
struct ListArgs {
  int64_t limit = 50;
  int64_t offset = 0;
  bool json = false;
};

int print_list(Store& store, const ListArgs& args) {
  Result<std::vector<ArticleSummary>> articles = store.list(args.limit, args.offset);
  if (!articles.ok()) return fail(articles.error());
  for (const ArticleSummary& a : *articles) {
    if (args.json) {
      nlohmann::json line = article_summary_to_json(a);
      line["lang"] = a.lang;
      line["body_bytes"] = a.body_bytes;
      std::cout << line.dump() << "\n";
    } else {
      std::cout << fmt::format("{}  {:<10}  {:<3}  {}  {}\n", a.id, day_or_dash(a.published),
                               a.lang, or_dash(a.source, 12), title_or_placeholder(a.title));
    }
  }
  if (!args.json) {
    Result<int64_t> total = store.count_articles();
    if (total.ok()) std::cout << fmt::format("{} of {} articles\n", articles->size(), *total);
  }
  return kExitOk;
}

}  // namespace

void add_list_command(CLI::App& app, const GlobalOptions& global, int& exit_code) {
  auto args = std::make_shared<ListArgs>();
  CLI::App* cmd = app.add_subcommand("list", "List stored articles in ingest order");
  cmd->add_option("--limit", args->limit, "How many")->capture_default_str()->check(at_least(1));
  cmd->add_option("--offset", args->offset, "How many to skip")
      ->capture_default_str()
      ->check(at_least(0));
  cmd->add_flag("--json", args->json, "One JSON object a line");
  cmd->callback([args, &global, &exit_code] {
    exit_code = with_store(global, [&](Store& store) { return print_list(store, *args); });
  });
}

}  // namespace khabar::cli
