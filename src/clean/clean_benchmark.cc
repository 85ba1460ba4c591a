#include <benchmark/benchmark.h>

#include "bench/corpus.h"
#include "khabar/clean.h"

namespace khabar {
namespace {

void BM_Clean(benchmark::State& state) {
  std::vector<Document> documents;
  for (const auto& article : bench::generate_corpus({.articles = 2000, .seed = 2})) {
    Document doc;
    doc.text = article.text;
    documents.push_back(std::move(doc));
  }
  const Cleaner cleaner;
  size_t i = 0, bytes = 0;
  for (auto _ : state) {
    const Document& doc = documents[i++ % documents.size()];
    benchmark::DoNotOptimize(cleaner.clean(doc));
    bytes += doc.text.size();
  }
  state.SetBytesProcessed(static_cast<int64_t>(bytes));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_Clean);

}  // namespace
}  // namespace khabar
