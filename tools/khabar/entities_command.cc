// `khabar entities`: the people, places and organisations the stored articles name, one
// entity's profile, and extraction for articles stored without it.
#include <fmt/format.h>
#include <unistd.h>

#include <iostream>

#include "commands.h"
#include "khabar/article_json.h"
#include "khabar/pipeline.h"

namespace khabar::cli {
namespace {

struct EntitiesArgs {
  std::string id;
  std::string type;
  int64_t limit = 20;
  bool json = false;
  bool refresh = false;
  bool all = false;
  size_t batch = 500;
};

int list_entities(Store& store, const EntitiesArgs& args) {
  if (!args.type.empty() && args.type != "person" && args.type != "place" &&
      args.type != "organisation") {
    return fail(
        make_error(ErrorCode::kInvalidArgument,
                   fmt::format("--type «{}»: want person, place or organisation", args.type)));
  }
  Result<std::vector<EntitySummary>> top = store.top_entities(args.type, args.limit);
  if (!top.ok()) return fail(top.error());
  for (const EntitySummary& s : *top) {
    if (args.json) {
      nlohmann::json j = entity_to_json(s.entity);
      j["articles"] = s.articles;
      std::cout << j.dump() << "\n";
      continue;
    }
    std::cout << fmt::format("{:>6}  {:<12}  {:>5}  {}  ({})\n", s.entity.sequence, s.entity.type,
                             s.articles, s.entity.canonical, s.entity.key);
  }
  Result<int64_t> waiting = store.count_awaiting_entities();
  if (!waiting.ok()) return fail(waiting.error());
  if (*waiting > 0) {
    std::cerr << fmt::format(
        "khabar: {} article{} stored without entities; khabar entities --refresh extracts them\n",
        *waiting, *waiting == 1 ? "" : "s");
  }
  Result<int64_t> older = store.count_without_extraction();
  if (!older.ok()) return fail(older.error());
  if (*older > 0) {
    std::cerr << fmt::format(
        "khabar: {} article{} stored before khabar kept what extraction found (schema 15): their "
        "stories' facts extract them again each time; khabar entities --refresh stores it (and "
        "links their entities again)\n",
        *older, *older == 1 ? "" : "s");
  }
  return kExitOk;
}

int show_entity(Store& store, const EntitiesArgs& args) {
  Result<int64_t> sequence = entity_sequence(store, args.id);
  if (!sequence.ok()) return fail(sequence.error());
  Result<EntityProfile> profile = store.entity_profile(*sequence, args.limit);
  if (!profile.ok()) return fail(profile.error());
  const EntityProfile& p = *profile;
  if (args.json) {
    std::cout << entity_profile_to_json(p).dump(2) << "\n";
    return kExitOk;
  }
  std::cout << fmt::format("{}  {} {}  ({})\n", p.entity.canonical, p.entity.type,
                           p.entity.sequence, p.entity.key);
  if (!p.entity.role.empty()) std::cout << fmt::format("role     {}\n", p.entity.role);
  if (!p.entity.country.empty()) std::cout << fmt::format("country  {}\n", p.entity.country);
  std::cout << fmt::format("articles {}\n", p.articles);
  std::cout << "spellings\n";
  for (const EntityCount& a : p.aliases)
    std::cout << fmt::format("  {:>5}  {}\n", a.count, a.value);
  std::cout << "outlets\n";
  for (const EntityCount& o : p.outlets)
    std::cout << fmt::format("  {:>5}  {}\n", o.count, or_dash(o.value));
  std::cout << "stories\n";
  for (const StorySummary& s : p.stories) {
    std::cout << fmt::format("  {:>5}  {:<10}  {}\n", s.story, day_or_dash(s.last_time),
                             title_or_placeholder(s.title));
  }
  std::cout << "recent articles\n";
  for (const ArticleSummary& a : p.recent) {
    std::cout << fmt::format("  {}  {:<10}  {}  {}\n", a.id, day_or_dash(a.published),
                             or_dash(a.source, 12), title_or_placeholder(a.title));
  }
  return kExitOk;
}

int refresh(Store& store, const EntitiesArgs& args) {
  const Extractor extractor;
  const bool terminal = ::isatty(STDERR_FILENO) != 0;
  Result<int64_t> total = args.all ? store.count_articles() : store.count_awaiting_entities();
  if (!total.ok()) return fail(total.error());
  Result<int64_t> older = args.all ? Result<int64_t>(0) : store.count_without_extraction();
  if (!older.ok()) return fail(older.error());
  *total += *older;
  Result<uint64_t> done =
      refresh_entities(store, extractor, args.all, args.batch, [&](uint64_t so_far) {
        std::cerr << fmt::format("{}entities: {} of {} articles{}", terminal ? "\r" : "", so_far,
                                 *total, terminal ? "" : "\n");
      });
  if (terminal && *total > 0) std::cerr << "\n";
  if (!done.ok()) return fail(done.error());
  std::cout << fmt::format("entities extracted from {} article{} (database {})\n", *done,
                           *done == 1 ? "" : "s", store.path());
  return kExitOk;
}

}  // namespace

void add_entities_command(CLI::App& app, const GlobalOptions& global, int& exit_code) {
  auto args = std::make_shared<EntitiesArgs>();
  CLI::App* cmd = app.add_subcommand(
      "entities",
      "People, places and organisations named in the stored articles, linked across outlets "
      "and spellings: the most named, or one with its spellings, outlets and stories");
  cmd->add_option("id", args->id, "An entity's id or key (place:KZ) to show");
  cmd->add_option("--type", args->type, "Only person, place or organisation");
  cmd->add_option("--limit", args->limit, "How many entities, or stories and articles of one")
      ->capture_default_str()
      ->check(CLI::Range(int64_t{1}, int64_t{10000}));
  cmd->add_flag("--json", args->json, "JSON: one object a line, or the entity's profile");
  cmd->add_flag("--refresh", args->refresh,
                "Extract the entities of articles stored without them (ingest --no-entities, or "
                "a database from an earlier khabar)");
  cmd->add_flag("--all", args->all, "With --refresh: every article again, after rules changed");
  cmd->add_option("--batch", args->batch, "Articles per transaction with --refresh")
      ->capture_default_str()
      ->check(at_least(1));
  cmd->callback([args, &global, &exit_code] {
    exit_code = with_store(global, [&](Store& store) {
      if (args->refresh) return refresh(store, *args);
      if (!args->id.empty()) return show_entity(store, *args);
      return list_entities(store, *args);
    });
  });
}

}  // namespace khabar::cli
