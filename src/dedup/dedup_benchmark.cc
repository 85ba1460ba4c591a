#include <benchmark/benchmark.h>

#include "bench/corpus.h"
#include "dedup/internal/shingles.h"
#include "khabar/dedup.h"
#include "khabar/normalize.h"

namespace khabar {
namespace {

// Normalised bodies of the generated corpus (its injected exact and near duplicates included).
const std::vector<std::string>& normalized_bodies() {
  static const std::vector<std::string> bodies = [] {
    Normalizer normalizer;
    std::vector<std::string> out;
    for (const auto& article : bench::generate_corpus({.articles = 20000, .seed = 1})) {
      out.push_back(normalizer.normalize(article.text));
    }
    return out;
  }();
  return bodies;
}

void BM_MinHashSignature(benchmark::State& state) {
  const auto& bodies = normalized_bodies();
  size_t i = 0;
  for (auto _ : state) {
    const std::string& body = bodies[i++ % bodies.size()];
    const auto shingles = dedup_internal::shingle_hashes(match_words(body), 5);
    benchmark::DoNotOptimize(dedup_internal::minhash_signature(shingles, 128));
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_MinHashSignature);

// Adding to an index that grows through the whole corpus, verification included.
void BM_DuplicateIndexAdd(benchmark::State& state) {
  const auto& bodies = normalized_bodies();
  DuplicateIndex index{DedupOptions{}};
  size_t i = 0;
  for (auto _ : state) {
    if (i == bodies.size()) {
      state.PauseTiming();
      index = DuplicateIndex{DedupOptions{}};
      i = 0;
      state.ResumeTiming();
    }
    benchmark::DoNotOptimize(index.add(bodies[i++], [&](uint32_t k) { return bodies[k]; }));
  }
  state.SetItemsProcessed(state.iterations());
  state.counters["index_bytes_per_article"] =
      static_cast<double>(index.memory_bytes()) / static_cast<double>(std::max<size_t>(1, i));
}
BENCHMARK(BM_DuplicateIndexAdd);

}  // namespace
}  // namespace khabar
