// `khabar search QUERY`: ranked articles with the matches shown in their original spelling.
#include <fmt/format.h>
#include <unistd.h>

#include <iostream>

#include "commands.h"
#include "khabar/article_json.h"
#include "khabar/ingest.h"
#include "khabar/store.h"

namespace khabar::cli {
namespace {

struct SearchArgs {
  std::vector<std::string> words;
  std::string entity;
  SearchQuery query;
  bool json = false;
};

// The snippet with its matches between marks: bold on a terminal, ⟦ ⟧ in a pipe or file.
std::string marked_snippet(const SearchHit& hit, bool terminal) {
  const std::string_view open = terminal ? "\x1b[1m" : "⟦", close = terminal ? "\x1b[0m" : "⟧";
  std::string out;
  size_t at = 0;
  // One line a hit: the snippet's own line breaks become spaces, its control characters
  // U+FFFD (only the highlighting may drive the terminal).
  const std::string_view snippet = hit.snippet;
  for (const auto& [begin, end] : hit.highlights) {
    out += text::without_controls(snippet.substr(at, begin - at));
    out.append(open);
    out += text::without_controls(snippet.substr(begin, end - begin));
    out.append(close);
    at = end;
  }
  out += text::without_controls(snippet.substr(at));
  return out;
}

int run_search(Store& store, SearchArgs& args) {
  if (Status s = check_day_bounds(args.query.since, args.query.until); !s.ok())
    return fail(s.error());
  if (!args.entity.empty()) {
    Result<int64_t> entity = entity_sequence(store, args.entity);
    if (!entity.ok()) return fail(entity.error());
    args.query.entity = *entity;
  }
  args.query.text = fmt::format("{}", fmt::join(args.words, " "));
  Result<SearchPage> page = store.search(args.query);
  if (!page.ok()) return fail(page.error());
  if (args.json) {
    std::cout << search_page_to_json(*page).dump() << "\n";
    return kExitOk;
  }
  const bool terminal = ::isatty(STDOUT_FILENO) != 0;
  bool all_words = true;
  for (const SearchHit& hit : page->hits) {
    if (all_words && !hit.all_words) {
      all_words = false;
      std::cout << "-- with some of the words:\n";
    }
    std::cout << fmt::format("{}  {:<10}  {}  {:>6.2f}  {}\n    {}\n", hit.article_id,
                             day_or_dash(hit.published), or_dash(hit.outlet, 12), hit.score,
                             title_or_placeholder(hit.title), marked_snippet(hit, terminal));
  }
  std::cout << fmt::format("{} of {} article{} ({} with all the words)\n", page->hits.size(),
                           page->total, page->total == 1 ? "" : "s", page->total_all_words);
  if (!page->next_cursor.empty())
    std::cout << fmt::format("the next page: --cursor {}\n", page->next_cursor);
  return kExitOk;
}

}  // namespace

void add_search_command(CLI::App& app, const GlobalOptions& global, int& exit_code) {
  auto args = std::make_shared<SearchArgs>();
  CLI::App* cmd = app.add_subcommand(
      "search",
      "Find articles by words, in any spelling outlets use (توكايف finds توكاييف), best first, "
      "with the matches marked in the original text");
  cmd->add_option("query", args->words,
                  "Words to find, \"a phrase\" (or «…»), -word or -\"phrase\" to leave out; "
                  "articles with all of them come first");
  cmd->add_option("--outlet", args->query.outlet, "Only this source, exactly as stored");
  cmd->add_option("--lang", args->query.lang, "Only this language (ar, en, ...)");
  cmd->add_option("--since", args->query.since, "Published on or after this date (YYYY-MM-DD)");
  cmd->add_option("--until", args->query.until, "Published on or before this date (YYYY-MM-DD)");
  cmd->add_option("--story", args->query.story, "Only this story's articles")->check(at_least(1));
  cmd->add_option("--entity", args->entity,
                  "Only articles naming this entity: its id or key (khabar entities)");
  cmd->add_option("--limit", args->query.limit, "How many")
      ->capture_default_str()
      ->check(CLI::Range(int64_t{1}, int64_t{1000}));
  cmd->add_option("--cursor", args->query.cursor,
                  "Where the page starts: the cursor the page before ended with");
  cmd->add_flag("--json", args->json,
                "One JSON object, as the API's /api/search: total, total_all_words, hits (each "
                "with its snippet and highlights as byte spans) and next_cursor");
  // A word left out (-word) looks like an option to CLI11: what it cannot read as one comes
  // back here, and a single dash starts a word; a double one is a misspelt option. Help is
  // --help only, or -hamas would print it.
  cmd->allow_extras();
  cmd->set_help_flag("--help", "Print this help message and exit");
  cmd->callback([cmd, args, &global, &exit_code] {
    for (const std::string& extra : cmd->remaining()) {
      if (extra.starts_with("--") || extra.size() < 2 || extra[0] != '-') {
        exit_code = fail(make_error(ErrorCode::kInvalidArgument,
                                    fmt::format("search: {} is not an option of search (see "
                                                "khabar search --help); to leave a word out, "
                                                "write -word",
                                                extra)));
        return;
      }
      args->words.push_back(extra);
    }
    if (args->words.empty()) {
      exit_code = fail(make_error(ErrorCode::kInvalidArgument,
                                  "search: which words? (khabar search WORDS..., see --help)"));
      return;
    }
    exit_code = with_store(global, [&](Store& store) { return run_search(store, *args); });
  });
}

}  // namespace khabar::cli
