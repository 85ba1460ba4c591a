#include <fmt/format.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>

#include "bench/corpus.h"
#include "commands.h"
#include "khabar/analyzer.h"
#include "khabar/cluster.h"
#include "khabar/dedup.h"
#include "khabar/pipeline.h"

namespace khabar::cli {
namespace {

struct BenchArgs {
  size_t articles = 100'000;
  uint64_t seed = 1;
  bool no_store = false;
  std::string db;  // empty: a temporary file, removed afterwards
  size_t batch = 1000;
  std::string write_corpus;  // write the corpus here and measure nothing
  std::string corpus;        // measure this JSONL file instead of a generated corpus
  bool name_tagger = true;   // extraction with the trained name tagger (the default)
};

double peak_rss_mib() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_maxrss) / 1024.0;  // ru_maxrss is in KiB on Linux
}

// Reads and processes every article without storing it; keeps the normalised bodies for the
// duplicate-index phase.
class ProcessOnly : public DocumentSink {
 public:
  void document(Document doc) override {
    std::string normalized;
    Result<StoredArticle> article = processor_.process(doc, &normalized);
    if (article.ok()) {
      ++processed;
      normalized_bodies.push_back(std::move(normalized));
      published.push_back(article->published);
      normalized_titles.push_back(normalizer_.normalize(article->title));
      bodies.push_back(std::move(article->body));
    } else {
      ++rejected;
    }
  }
  void problem(Problem) override { ++rejected; }
  uint64_t processed = 0, rejected = 0;
  std::vector<std::string> normalized_bodies;
  std::vector<std::string> normalized_titles;
  std::vector<std::string> published;
  std::vector<std::string> bodies;  // as displayed: what extraction reads

 private:
  ArticleProcessor processor_;
  Normalizer normalizer_;
};

void report(std::string_view phase, uint64_t articles, size_t bytes, double seconds) {
  std::cout << fmt::format(
      "{:<44} {:>9} articles  {:>7.2f} s  {:>9.0f} articles/s  {:>7.1f} MB/s\n", phase, articles,
      seconds, static_cast<double>(articles) / seconds, static_cast<double>(bytes) / seconds / 1e6);
}

template <typename Work>
double timed(Work work) {
  const auto start = std::chrono::steady_clock::now();
  work();
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// The duplicate index alone, over bodies in memory: the cost of MinHash, LSH and verification
// without the store, and the index's own memory per article.
void bench_duplicate_index(const std::vector<std::string>& bodies) {
  DuplicateIndex index{DedupOptions{}};
  size_t linked = 0;
  const double seconds = timed([&] {
    for (const std::string& body : bodies) {
      linked += index.add(body, [&](uint32_t k) { return bodies[k]; }).empty() ? 0 : 1;
    }
  });
  report("duplicate index (MinHash + LSH + verification)", bodies.size(), 0, seconds);
  std::cout << fmt::format(
      "  {} articles linked to an earlier copy; index {:.0f} bytes an article\n", linked,
      static_cast<double>(index.memory_bytes()) /
          static_cast<double>(std::max<size_t>(1, bodies.size())));
}

// The analyzer and the story clusterer alone, over bodies in memory.
void bench_clusterer(const std::vector<std::string>& titles, const std::vector<std::string>& bodies,
                     const std::vector<std::string>& published) {
  Analyzer analyzer;
  StoryClusterer clusterer{ClusterOptions{}};
  size_t joined = 0;
  const double seconds = timed([&] {
    for (size_t i = 0; i < bodies.size(); ++i) {
      const int64_t time = iso8601_unix_seconds(published[i]).value_or(0);
      joined +=
          clusterer.add(cluster_input(analyzer, titles[i], bodies[i], time)).new_story ? 0 : 1;
    }
  });
  report("stories (analyzer + signals + join model, online)", bodies.size(), 0, seconds);
  std::cout << fmt::format(
      "  {} stories, {} articles joined one; clusterer {:.0f} bytes an article\n",
      clusterer.story_count(), joined,
      static_cast<double>(clusterer.memory_bytes()) /
          static_cast<double>(std::max<size_t>(1, bodies.size())));
}

// Extraction alone, over the displayed bodies in memory, on one core. Loading the rules and
// Hunspell's dictionary happens once a process and is reported apart.
void bench_extraction(const std::vector<std::string>& bodies,
                      const std::vector<std::string>& published, bool name_tagger) {
  std::unique_ptr<Extractor> extractor;
  ExtractOptions options;
  options.use_name_tagger = name_tagger;
  const double loading = timed([&] { extractor = std::make_unique<Extractor>(options); });
  size_t mentions = 0, counts = 0, dates = 0, quotes = 0;
  const double seconds = timed([&] {
    for (size_t i = 0; i < bodies.size(); ++i) {
      const Extraction x = extractor->extract({.text = bodies[i], .published = published[i]});
      mentions += x.mentions.size();
      counts += x.counts.size();
      dates += x.dates.size();
      quotes += x.quotes.size();
    }
  });
  report(name_tagger ? "extraction, with the name tagger"
                     : "extraction, rules alone (--no-name-tagger)",
         bodies.size(), 0, seconds);
  std::cout << fmt::format(
      "  {} mentions, {} counts, {} dates, {} quotes; rules and dictionary loaded in {:.2f} s{}\n",
      mentions, counts, dates, quotes, loading,
      extractor->has_dictionary() ? "" : " (no Hunspell dictionary)");
}

// What the SQLite phases run besides storing: each adds to the one before.
enum class StoreStages { kStoreOnly, kDuplicatesAndStories, kEverything };

int bench_store(const BenchArgs& args, const std::string& jsonl, StoreStages stages) {
  const bool duplicates = stages != StoreStages::kStoreOnly;
  const std::string path =
      !args.db.empty()
          ? args.db
          : (std::filesystem::temp_directory_path() / fmt::format("khabar-bench-{}.db", getpid()))
                .string();
  std::error_code ec;
  for (const char* suffix : {"", "-wal", "-shm"})
    std::filesystem::remove(path + suffix, ec);
  Result<Store> store = Store::open(path);
  if (!store.ok()) return fail(store.error());
  PipelineOptions options;
  options.batch_size = args.batch;
  options.find_duplicates = duplicates;
  options.cluster_stories = duplicates;
  options.extract_entities = stages == StoreStages::kEverything;
  IngestObserver silent;
  Result<IngestCounts> counts = IngestCounts{};
  const double storing =
      timed([&] { counts = ingest_buffer(jsonl, "bench.jsonl", *store, options, silent); });
  if (!counts.ok()) return fail(counts.error());
  report(stages == StoreStages::kEverything ? "  + entities (all of khabar ingest)"
         : duplicates                       ? "  + duplicates and stories"
                                            : "ingest + clean + normalise + SQLite store",
         counts->read, jsonl.size(), storing);
  std::cout << fmt::format("  {} stored, {} already present (the corpus's exact duplicates)",
                           counts->stored, counts->already_present);
  if (duplicates) std::cout << fmt::format(", {} linked to copies", counts->linked_to_copies);
  std::cout << fmt::format("\n  database {:.1f} MB{}\n",
                           static_cast<double>(std::filesystem::file_size(path, ec)) / 1e6,
                           args.db.empty() ? " (temporary, removed)" : fmt::format(" at {}", path));
  if (args.db.empty()) {
    store = make_error(ErrorCode::kInternal, "closed");  // close before removing
    for (const char* suffix : {"", "-wal", "-shm"})
      std::filesystem::remove(path + suffix, ec);
  }
  return kExitOk;
}

// The corpus measured: generated, or read whole from --corpus (real news measures what
// generated text cannot: real lengths, names, quotes and copies).
Result<std::string> corpus_jsonl(const BenchArgs& args) {
  std::string jsonl;
  if (!args.corpus.empty()) {
    std::ifstream in(args.corpus, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    if (!in) {
      return make_error(ErrorCode::kIo, fmt::format("{}: cannot read the corpus: {}", args.corpus,
                                                    std::strerror(errno)));
    }
    jsonl = std::move(text).str();
    const size_t lines = static_cast<size_t>(std::count(jsonl.begin(), jsonl.end(), '\n'));
    std::cout << fmt::format("corpus: {}, {:.1f} MB of JSONL, {} lines\n\n", args.corpus,
                             static_cast<double>(jsonl.size()) / 1e6, lines);
    return jsonl;
  }
  std::cout << fmt::format("generating {} articles (seed {})...\n", args.articles, args.seed);
  const double generation = timed([&] {
    jsonl = bench::to_jsonl(bench::generate_corpus({.articles = args.articles, .seed = args.seed}));
  });
  std::cout << fmt::format(
      "corpus: {:.1f} MB of JSONL, {:.0f} bytes an article, made in {:.1f} s\n\n",
      static_cast<double>(jsonl.size()) / 1e6,
      static_cast<double>(jsonl.size()) / static_cast<double>(args.articles), generation);
  return jsonl;
}

int run_bench(const BenchArgs& args) {
  Result<std::string> corpus = corpus_jsonl(args);
  if (!corpus.ok()) return fail(corpus.error());
  const std::string jsonl = std::move(corpus).value();
  if (!args.write_corpus.empty()) {
    std::ofstream out(args.write_corpus, std::ios::binary);
    out << jsonl;
    out.close();
    if (!out) {
      return fail(make_error(ErrorCode::kIo, fmt::format("{}: could not write the corpus: {}",
                                                         args.write_corpus, std::strerror(errno))));
    }
    std::cout << fmt::format("wrote {}\n", args.write_corpus);
    return kExitOk;
  }

  ProcessOnly sink;
  const double processing = timed([&] { read_buffer(jsonl, "bench.jsonl", {}, sink); });
  report("ingest + clean + normalise (no store)", sink.processed, jsonl.size(), processing);
  if (sink.rejected > 0) std::cout << fmt::format("  ({} rejected)\n", sink.rejected);
  bench_duplicate_index(sink.normalized_bodies);
  bench_clusterer(sink.normalized_titles, sink.normalized_bodies, sink.published);
  sink.normalized_bodies = {};
  bench_extraction(sink.bodies, sink.published, args.name_tagger);
  sink.bodies = {};

  if (!args.no_store) {
    for (const StoreStages stages :
         {StoreStages::kStoreOnly, StoreStages::kDuplicatesAndStories, StoreStages::kEverything}) {
      if (int code = bench_store(args, jsonl, stages); code != kExitOk) return code;
    }
  }
  std::cout << fmt::format("\npeak memory (RSS) {:.0f} MiB, corpus held in memory included\n",
                           peak_rss_mib());
  return kExitOk;
}

}  // namespace

void add_bench_command(CLI::App& app, int& exit_code) {
  auto args = std::make_shared<BenchArgs>();
  CLI::App* cmd = app.add_subcommand(
      "bench",
      "Measure each stage (reading and cleaning, duplicates, stories, extraction) and the "
      "whole ingest into SQLite, on a generated corpus or a real one (--corpus)");
  CLI::Option* articles = cmd->add_option("--articles,-n", args->articles, "Articles to generate")
                              ->capture_default_str()
                              ->check(at_least(1));
  CLI::Option* seed = cmd->add_option("--seed", args->seed, "Corpus seed (same seed, same corpus)")
                          ->capture_default_str();
  cmd->add_flag("--no-store", args->no_store, "Skip the SQLite phase");
  cmd->add_option("--bench-db", args->db, "Keep the benchmark database at this path");
  CLI::Option* write =
      cmd->add_option("--write-corpus", args->write_corpus,
                      "Write the generated corpus (JSONL) to this file and measure nothing");
  cmd->add_option("--corpus", args->corpus,
                  "Measure this JSONL file (khabar's input: one article a line) instead of a "
                  "generated corpus")
      ->check(CLI::ExistingFile)
      ->excludes(write)
      ->excludes(articles)
      ->excludes(seed);
  cmd->add_option("--batch", args->batch, "Articles per transaction")
      ->capture_default_str()
      ->check(at_least(1));
  cmd->add_flag("--name-tagger,!--no-name-tagger", args->name_tagger,
                "Measure extraction with the trained name tagger on (the default) or, with "
                "--no-name-tagger, the rules alone");
  cmd->callback([args, &exit_code] { exit_code = run_bench(*args); });
}

}  // namespace khabar::cli
