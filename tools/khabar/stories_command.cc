#include <fmt/format.h>

#include <charconv>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>

#include "commands.h"
#include "facts_view.h"
#include "khabar/article_json.h"
#include "khabar/facts_json.h"
#include "khabar/pipeline.h"
#include "khabar/store.h"

namespace khabar::cli {
namespace {

// CLI11 writes into these while parsing, so they live as long as the callback that reads them.
struct StoriesArgs {
  int64_t limit = 30;
  int64_t offset = 0;
  bool json = false;
  bool assignments = false;
};

struct StoryArgs {
  std::string id;
  bool json = false;
  bool facts = false;
};

std::string time_span(const StorySummary& s) {
  if (s.first_time.empty()) return "undated";
  const std::string first = s.first_time.substr(0, 10), last = s.last_time.substr(0, 10);
  return first == last ? first : first + " → " + last;
}

int print_assignments(Store& store) {
  Status s = store.for_each_assignment([](const StoryAssignmentRow& row) {
    nlohmann::json line{{"id", row.id}};
    if (!row.external_id.empty()) line["external_id"] = row.external_id;
    line["story"] = row.story > 0 ? nlohmann::json(row.story) : nlohmann::json(nullptr);
    if (row.sighting) line["sighting"] = true;
    std::cout << line.dump() << "\n";
  });
  return s.ok() ? kExitOk : fail(s.error());
}

int list_stories(Store& store, const StoriesArgs& args) {
  if (args.assignments) return print_assignments(store);
  Result<std::vector<StorySummary>> stories = store.stories(args.limit, args.offset);
  if (!stories.ok()) return fail(stories.error());
  for (const StorySummary& s : *stories) {
    if (args.json) {
      std::cout << story_summary_to_json(s).dump() << "\n";
      continue;
    }
    std::cout << fmt::format("{:>6}  {:>3} article{}  {:<25}  {}\n        {}\n", s.story,
                             s.article_count, s.article_count == 1 ? " " : "s", time_span(s),
                             title_or_placeholder(s.title), isolated_list(s.outlets));
  }
  if (!args.json)
    std::cout << fmt::format("{} stor{}\n", stories->size(), stories->size() == 1 ? "y" : "ies");
  return kExitOk;
}

int show_story(Store& store, const StoryArgs& args, const std::string& db) {
  int64_t id = 0;
  const auto [end, ec] = std::from_chars(args.id.data(), args.id.data() + args.id.size(), id);
  if (ec != std::errc() || end != args.id.data() + args.id.size() || id <= 0) {
    return fail(make_error(ErrorCode::kInvalidArgument,
                           fmt::format("«{}» is not a story id (a positive number, as `khabar "
                                       "stories` shows)",
                                       args.id)));
  }
  if (args.facts) {
    const Extractor extractor;
    std::vector<StoredEntity> stored_entities;
    Result<StoryFacts> facts = read_story_facts(store, id, extractor, &stored_entities);
    if (!facts.ok()) return fail(facts.error());
    if (args.json) {
      std::cout << story_facts_to_json(*facts, stored_entities).dump() << "\n";
    } else {
      print_story_facts(*facts, std::cout);
    }
    return kExitOk;
  }
  Result<std::optional<StorySummary>> story = store.story(id);
  if (!story.ok()) return fail(story.error());
  if (!story->has_value()) {
    return fail(make_error(ErrorCode::kNotFound, fmt::format("no story {} in {}", id, db)));
  }
  Result<std::vector<StoryMember>> members = store.story_members(id);
  if (!members.ok()) return fail(members.error());
  // Members that share a duplicate family with another member are copies of one text.
  std::map<int64_t, int> family_size;
  for (const StoryMember& m : *members)
    ++family_size[m.family];

  const StorySummary& s = **story;
  if (args.json) {
    nlohmann::json out = story_summary_to_json(s);
    out["members"] = nlohmann::json::array();
    for (const StoryMember& m : *members)
      out["members"].push_back(story_member_to_json(m));
    std::cout << out.dump() << "\n";
    return kExitOk;
  }
  std::cout << fmt::format("story {}: {}\n{} article{}, {}; outlets: {}\n\n", s.story,
                           title_or_placeholder(s.title), s.article_count,
                           s.article_count == 1 ? "" : "s", time_span(s), isolated_list(s.outlets));
  for (const StoryMember& m : *members) {
    const std::string family =
        family_size[m.family] > 1 ? fmt::format("  [copies: family {}]", m.family) : "";
    std::cout << fmt::format("  {}  {:<10}  {}  {:>4}  {}{}\n", m.article.id,
                             day_or_dash(m.article.published), or_dash(m.article.source, 12),
                             m.similarity > 0 ? fmt::format("{:.2f}", m.similarity) : "first",
                             title_or_placeholder(m.article.title), family);
  }
  return kExitOk;
}

}  // namespace

void add_stories_commands(CLI::App& app, const GlobalOptions& global, int& exit_code) {
  auto list = std::make_shared<StoriesArgs>();
  CLI::App* stories = app.add_subcommand("stories", "List stories, the most recently active first");
  stories->add_option("--limit", list->limit, "How many")
      ->capture_default_str()
      ->check(at_least(1));
  stories->add_option("--offset", list->offset, "How many to skip")
      ->capture_default_str()
      ->check(at_least(0));
  stories->add_flag("--json", list->json, "One JSON object a line");
  stories->add_flag("--assignments", list->assignments,
                    "One JSON line per arrival (stored article or exact copy): its id, the "
                    "input's own id as external_id, its story (null: too short), for "
                    "eval/score_clusters.py");
  stories->callback([list, &global, &exit_code] {
    exit_code = with_store(global, [&](Store& store) { return list_stories(store, *list); });
  });

  auto one = std::make_shared<StoryArgs>();
  CLI::App* story = app.add_subcommand(
      "story", "One story: its articles with outlet, date and similarity, and the copies in it");
  story->add_option("id", one->id, "Story id, as `khabar stories` shows it")->required();
  story->add_flag("--json", one->json, "Print JSON instead of text");
  story->add_flag("--facts", one->facts,
                  "What each outlet reports: merged entities, counts with conflicts, framings, "
                  "quotes and a timeline");
  story->callback([one, &global, &exit_code] {
    exit_code =
        with_store(global, [&](Store& store) { return show_story(store, *one, global.db); });
  });
}

}  // namespace khabar::cli
