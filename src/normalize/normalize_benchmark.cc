#include <benchmark/benchmark.h>

#include "bench/corpus.h"
#include "khabar/language.h"
#include "khabar/normalize.h"

namespace khabar {
namespace {

const std::vector<std::string>& bodies() {
  static const std::vector<std::string> texts = [] {
    std::vector<std::string> out;
    for (const auto& article : bench::generate_corpus({.articles = 2000, .seed = 1})) {
      out.push_back(article.text);
    }
    return out;
  }();
  return texts;
}

template <typename Work>
void run_over_corpus(benchmark::State& state, Work work) {
  const auto& texts = bodies();
  size_t i = 0, bytes = 0;
  for (auto _ : state) {
    const std::string& text = texts[i++ % texts.size()];
    work(text);
    bytes += text.size();
  }
  state.SetBytesProcessed(static_cast<int64_t>(bytes));
  state.SetItemsProcessed(state.iterations());
}

void BM_Normalize(benchmark::State& state) {
  Normalizer normalizer;
  run_over_corpus(state, [&](const std::string& text) {
    benchmark::DoNotOptimize(normalizer.normalize(text));
  });
}
BENCHMARK(BM_Normalize);

void BM_NormalizeWithOffsets(benchmark::State& state) {
  Normalizer normalizer;
  run_over_corpus(state, [&](const std::string& text) {
    benchmark::DoNotOptimize(normalizer.normalize_with_offsets(text));
  });
}
BENCHMARK(BM_NormalizeWithOffsets);

void BM_IdentifyLanguage(benchmark::State& state) {
  tune_allocator_for_batch_work();
  run_over_corpus(
      state, [&](const std::string& text) { benchmark::DoNotOptimize(identify_language(text)); });
}
BENCHMARK(BM_IdentifyLanguage);

}  // namespace
}  // namespace khabar
