#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <initializer_list>
#include <iostream>

#include "commands.h"
#include "khabar/fetch.h"
#include "khabar/pipeline.h"
#include "live_intake_view.h"
#include "progress.h"

namespace khabar::cli {
namespace {

struct IngestArgs {
  std::vector<std::string> paths;
  std::string format = "auto";
  std::string encoding = "auto";
  std::string map;
  size_t max_article_bytes = kDefaultMaxArticleBytes;
  size_t batch = 500;
  bool progress_lines = false;
  bool quiet = false;
  bool keep_hamza = false;
  bool no_dedup = false;
  DedupOptions dedup;
  bool no_stories = false;
  ClusterOptions cluster;
  double story_window_hours = 72;
  std::string story_model;
  bool no_entities = false;
  LiveArgs live;
  // Whether a duplicates or stories option was given: else the store's are followed.
  bool dedup_chosen = false;
  bool cluster_chosen = false;
};

int run_ingest(const IngestArgs& args, const GlobalOptions& global) {
  Result<InputFormat> format = parse_input_format(args.format);
  if (!format.ok()) return fail(format.error());
  PipelineOptions options;
  options.read.format = *format;
  options.read.encoding = args.encoding;
  options.read.max_article_bytes = args.max_article_bytes;
  Result<std::vector<std::pair<std::string, std::string>>> map = parse_field_map(args.map);
  if (!map.ok()) return fail(map.error());
  options.read.field_map = std::move(*map);
  options.batch_size = args.batch;
  options.normalize.fold_hamza_carriers = !args.keep_hamza;
  options.normalize_chosen = args.keep_hamza;
  options.find_duplicates = !args.no_dedup;
  options.dedup = args.dedup;
  options.dedup_chosen = args.dedup_chosen;
  options.cluster_chosen = args.cluster_chosen;
  if (Status s = options.dedup.validate(); !s.ok()) return fail(s.error());
  options.cluster_stories = !args.no_stories;
  options.extract_entities = !args.no_entities;
  options.cluster = args.cluster;
  options.cluster.active_window_seconds = static_cast<int64_t>(args.story_window_hours * 3600);
  if (!args.story_model.empty()) {
    Result<JoinModel> model = JoinModel::load(args.story_model);
    if (!model.ok()) return fail(model.error());
    options.cluster.model = std::make_shared<const JoinModel>(*model);
  }
  if (Status s = options.cluster.validate(); !s.ok()) return fail(s.error());

  std::vector<std::string> paths;
  std::vector<LiveSource> urls;
  for (const std::string& p : args.paths) {
    if (looks_like_http_url(p)) {
      urls.push_back({p, LiveSource::Kind::kUnknown});
    } else {
      paths.push_back(p);
    }
  }

  Result<Store> store = Store::open(global.db);
  if (!store.ok()) return fail(store.error());
  // Sizing the bar walks the inputs once more, so only when there is a bar to draw.
  const bool bar = isatty(STDERR_FILENO) != 0 && urls.empty();
  IngestProgress progress(std::cerr, bar ? measure_paths(paths) : 0, bar, args.progress_lines,
                          args.quiet);
  Result<IngestCounts> counts = IngestCounts{};
  if (!paths.empty()) counts = ingest_paths(paths, *store, options, progress);
  std::optional<LiveIntakeCounts> fetched;
  if (counts.ok() && !urls.empty()) {
    LiveIntakeOptions live = live_options(args.live, options);
    live.once = true;
    live.resume_unfinished = false;  // only what was named
    Result<LiveIntakeCounts> got = fetch_live(urls, *store, live, progress, args.quiet);
    if (!got.ok()) {
      counts = got.error();
    } else {
      fetched = *got;
      counts->add_articles(got->ingest);
      counts->rejected += got->pages_lost;
    }
  }
  progress.finish();
  if (!counts.ok()) return fail(counts.error());
  if (fetched) std::cout << live_summary(*fetched) << "; ";

  std::cout << fmt::format("{} article{} read: {} stored, {} already present, {} rejected",
                           counts->read, counts->read == 1 ? "" : "s", counts->stored,
                           counts->already_present, counts->rejected);
  if (counts->too_short_to_cluster > 0) {
    std::cout << fmt::format(", {} too short to cluster", counts->too_short_to_cluster);
  }
  if (counts->linked_to_copies > 0) {
    std::cout << fmt::format(", {} linked to copies stored earlier (khabar dups)",
                             counts->linked_to_copies);
  }
  if (counts->skipped_files > 0) {
    std::cout << fmt::format(", {} file{} skipped", counts->skipped_files,
                             counts->skipped_files == 1 ? "" : "s");
  }
  if (counts->warnings > 0) std::cout << fmt::format(", {} warnings", counts->warnings);
  std::cout << fmt::format(" (database {})\n", Store::shown(global.db));
  return counts->rejected > 0 ? kExitRejected : kExitOk;
}

}  // namespace

void add_ingest_command(CLI::App& app, const GlobalOptions& global, int& exit_code) {
  auto args = std::make_shared<IngestArgs>();
  CLI::App* cmd = app.add_subcommand(
      "ingest",
      "Read articles from files, directories (recursively), - (standard input), or http(s) "
      "URLs of pages and feeds");
  cmd->add_option("paths", args->paths,
                  "Files, directories, - for standard input, or URLs (a feed's new items' pages "
                  "are fetched)")
      ->required();
  cmd->add_option("--format", args->format, "auto, text, jsonl, html, warc or feed (RSS, Atom)")
      ->capture_default_str();
  cmd->add_option("--encoding", args->encoding,
                  "auto, or a charset such as utf-8, windows-1256, iso-8859-6")
      ->capture_default_str();
  cmd->add_option("--map", args->map,
                  "JSON field names for khabar's fields, before the ones it knows: "
                  "text=content,published=date_extracted (fields: text, title, url, source, "
                  "published, lang, id)");
  cmd->add_option("--max-article-bytes", args->max_article_bytes,
                  "Reject articles longer than this (at most 1 GiB)")
      ->capture_default_str()
      ->check(CLI::Range(size_t{1}, kLargestMaxArticleBytes));
  cmd->add_option("--batch", args->batch, "Articles per transaction")
      ->capture_default_str()
      ->check(at_least(1));
  cmd->add_flag("--progress", args->progress_lines,
                "Print a line after each committed batch (for logs and scripts)");
  cmd->add_flag("--quiet,-q", args->quiet, "Print only rejections and the summary");
  cmd->add_flag(
      "--keep-hamza", args->keep_hamza,
      "Do not fold hamza carriers (ؤ→و, ئ→ي) when matching; changes ids, so a store keeps "
      "the choice of its first run");
  cmd->add_flag("--no-dedup", args->no_dedup, "Do not look for near-duplicates and copies");
  cmd->add_option("--shingle-words", args->dedup.shingle_words, "Words per shingle (1-16)")
      ->capture_default_str()
      ->group("Duplicates");
  cmd->add_option("--minhash-permutations", args->dedup.permutations,
                  "MinHash values per article (16-1024)")
      ->capture_default_str()
      ->group("Duplicates");
  cmd->add_option("--lsh-bands", args->dedup.bands, "LSH bands; 0 picks them from the threshold")
      ->capture_default_str()
      ->group("Duplicates");
  cmd->add_option("--jaccard-threshold", args->dedup.jaccard_threshold,
                  "Shingle Jaccard for near-duplicates (0-1]")
      ->capture_default_str()
      ->group("Duplicates");
  cmd->add_option("--containment-threshold", args->dedup.containment_threshold,
                  "Share of the shorter article found in the longer one (0-1]")
      ->capture_default_str()
      ->group("Duplicates");
  cmd->add_flag("--no-stories", args->no_stories, "Do not place articles in stories")
      ->group("Stories");
  cmd->add_option("--story-threshold", args->cluster.join_threshold,
                  "Probability that an article reports the same happening as a story's member "
                  "for it to join the story (0-1)")
      ->capture_default_str()
      ->group("Stories");
  cmd->add_option("--story-model", args->story_model,
                  "A join model made by eval/train_join_model.py, instead of the built-in one")
      ->check(CLI::ExistingFile)
      ->group("Stories");
  cmd->add_option("--story-window-hours", args->story_window_hours,
                  "A story takes no articles this long after its last one")
      ->capture_default_str()
      ->check(CLI::Range(0.01, 24.0 * 366 * 10))
      ->group("Stories");
  cmd->add_flag("--no-entities", args->no_entities,
                "Do not extract people, places and organisations now (khabar entities --refresh "
                "does it later)");
  add_live_options(*cmd, args->live);
  cmd->callback([args, cmd, &global, &exit_code] {
    auto given = [&](std::initializer_list<const char*> names) {
      return std::any_of(names.begin(), names.end(),
                         [&](const char* name) { return cmd->count(name) > 0; });
    };
    args->dedup_chosen = given({"--shingle-words", "--minhash-permutations", "--lsh-bands",
                                "--jaccard-threshold", "--containment-threshold"});
    args->cluster_chosen = given({"--story-threshold", "--story-model", "--story-window-hours"});
    exit_code = run_ingest(*args, global);
  });
}

}  // namespace khabar::cli
