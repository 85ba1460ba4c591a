#include <fmt/format.h>
#include <sys/resource.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <iostream>

#include "bench/corpus.h"
#include "commands.h"
#include "khabar/pipeline.h"

namespace khabar::cli {
namespace {

struct BenchArgs {
  size_t articles = 100'000;
  uint64_t seed = 1;
  bool no_store = false;
  std::string db;  // empty: a temporary file, removed afterwards
  size_t batch = 1000;
};

double peak_rss_mib() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_maxrss) / 1024.0;  // ru_maxrss is in KiB on Linux
}

// Reads and processes every article without storing it.
class ProcessOnly : public DocumentSink {
 public:
  void document(Document doc) override {
    Result<StoredArticle> article = processor_.process(doc);
    if (article.ok()) {
      ++processed;
    } else {
      ++rejected;
    }
  }
  void problem(Problem) override { ++rejected; }
  uint64_t processed = 0, rejected = 0;

 private:
  ArticleProcessor processor_;
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

int run_bench(const BenchArgs& args) {
  std::cout << fmt::format("generating {} articles (seed {})...\n", args.articles, args.seed);
  std::string jsonl;
  const double generation = timed([&] {
    jsonl = bench::to_jsonl(bench::generate_corpus({.articles = args.articles, .seed = args.seed}));
  });
  std::cout << fmt::format(
      "corpus: {:.1f} MB of JSONL, {:.0f} bytes an article, made in {:.1f} s\n\n",
      static_cast<double>(jsonl.size()) / 1e6,
      static_cast<double>(jsonl.size()) / static_cast<double>(args.articles), generation);

  ProcessOnly sink;
  const double processing = timed([&] { read_buffer(jsonl, "bench.jsonl", {}, sink); });
  report("ingest + clean + normalise (no store)", sink.processed, jsonl.size(), processing);
  if (sink.rejected > 0) std::cout << fmt::format("  ({} rejected)\n", sink.rejected);

  if (!args.no_store) {
    const std::string path =
        !args.db.empty()
            ? args.db
            : (std::filesystem::temp_directory_path() / fmt::format("khabar-bench-{}.db", getpid()))
                  .string();
    if (args.db.empty()) std::filesystem::remove(path);
    Result<Store> store = Store::open(path);
    if (!store.ok()) return fail(store.error());
    PipelineOptions options;
    options.batch_size = args.batch;
    IngestObserver silent;
    Result<IngestCounts> counts = IngestCounts{};
    const double storing =
        timed([&] { counts = ingest_buffer(jsonl, "bench.jsonl", *store, options, silent); });
    if (!counts.ok()) return fail(counts.error());
    report("ingest + clean + normalise + SQLite store", counts->read, jsonl.size(), storing);
    std::cout << fmt::format("  {} stored, {} already present (the corpus's exact duplicates)\n",
                             counts->stored, counts->already_present);
    std::error_code ec;
    std::cout << fmt::format(
        "  database {:.1f} MB{}\n", static_cast<double>(std::filesystem::file_size(path, ec)) / 1e6,
        args.db.empty() ? " (temporary, removed)" : fmt::format(" at {}", path));
    if (args.db.empty()) {
      store = make_error(ErrorCode::kInternal, "closed");  // close before removing
      for (const char* suffix : {"", "-wal", "-shm"})
        std::filesystem::remove(path + suffix, ec);
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
      "bench", "Generate a synthetic corpus and measure ingest, cleaning, normalisation, storage");
  cmd->add_option("--articles,-n", args->articles, "Articles to generate")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  cmd->add_option("--seed", args->seed, "Corpus seed (same seed, same corpus)")
      ->capture_default_str();
  cmd->add_flag("--no-store", args->no_store, "Skip the SQLite phase");
  cmd->add_option("--bench-db", args->db, "Keep the benchmark database at this path");
  cmd->add_option("--batch", args->batch, "Articles per transaction")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  cmd->callback([args, &exit_code] { exit_code = run_bench(*args); });
}

}  // namespace khabar::cli
