// Document frequencies of the terms story clustering compares, over a corpus of real news: the
// prior that lets khabar weigh words sensibly before its own store has seen many articles
// (data/cluster/document_frequencies_ar.tsv, made by eval/make_document_frequencies.sh).
//
//   build/eval/term_frequencies [--min-df N] ARTICLES... > frequencies.tsv
//   build/eval/term_frequencies --sequences ARTICLES... > terms.txt
//
// Articles are cleaned and analysed exactly as `khabar ingest` analyses them for stories; an
// exact copy of an article read before is counted once. Prints `# articles<TAB>N`, then
// `term<TAB>df` for every term written in Arabic letters and every name the extractor finds
// (`p:KEY` for a place, `e:KEY` for a person or an organisation, as in story_signals) in at
// least N articles (default 3), most frequent first, then by term. With --sequences it prints
// instead each article's id (its external id, else its origin), a tab and its title and body
// terms in order, one line an article: the text to train term vectors on (docs/stories.md,
// "Tried and left out").
#include <fmt/format.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "khabar/analyzer.h"
#include "khabar/cluster.h"
#include "khabar/extract.h"
#include "khabar/ingest.h"
#include "khabar/normalize.h"
#include "khabar/pipeline.h"
#include "text/utf8.h"

namespace {

using namespace khabar;

class Count : public DocumentSink {
 public:
  void document(Document doc) override {
    std::string normalized_body;
    Result<StoredArticle> article = processor_.process(doc, &normalized_body);
    if (!article.ok() || !ids_.insert(article->id).second) return;
    ++articles;
    if (sequences) {
      print_sequence(*article, normalized_body);
      return;
    }
    std::vector<std::string> terms = analyzer_.terms(normalized_body);
    std::sort(terms.begin(), terms.end());
    terms.erase(std::unique(terms.begin(), terms.end()), terms.end());
    for (std::string& term : terms) {
      if (text::starts_in_arabic_block(term)) ++frequency[std::move(term)];
    }
    // The names stories compare, as `p:KEY` (places) and `e:KEY` (people, organisations).
    ClusterInput signals;
    add_story_signals(story_signals(extract_article(extractor_, *article)), signals);
    std::set<std::string> names;
    for (const std::string& place : signals.places)
      names.insert("p:" + place);
    for (const std::string& name : signals.entities)
      names.insert("e:" + name);
    for (const std::string& name : names)
      ++frequency[name];
  }
  void problem(Problem) override {}

  bool sequences = false;
  uint64_t articles = 0;
  std::unordered_map<std::string, uint64_t> frequency;

 private:
  void print_sequence(const StoredArticle& article, std::string_view normalized_body) {
    const ClusterInput in =
        cluster_input(analyzer_, normalizer_.normalize(article.title), normalized_body, 0);
    std::string line;
    for (const std::vector<std::string>* terms : {&in.title_terms, &in.terms}) {
      for (const std::string& term : *terms) {
        if (!line.empty()) line += ' ';
        line += term;
      }
    }
    const std::string& id = article.external_id.empty() ? article.origin : article.external_id;
    std::cout << id << '\t' << line << '\n';
  }

  ArticleProcessor processor_;
  Normalizer normalizer_;
  Analyzer analyzer_;
  Extractor extractor_;
  std::set<std::string> ids_;
};

}  // namespace

int main(int argc, char** argv) {
  uint64_t min_df = 3;
  std::vector<std::string> paths;
  Count count;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--sequences") == 0) {
      count.sequences = true;
    } else if (std::strcmp(argv[i], "--min-df") == 0 && i + 1 < argc) {
      min_df = std::strtoull(argv[++i], nullptr, 10);
    } else {
      paths.emplace_back(argv[i]);
    }
  }
  if (paths.empty()) {
    std::cerr << "usage: term_frequencies [--min-df N | --sequences] ARTICLES...\n";
    return 2;
  }
  read_paths(paths, ReadOptions{}, count);
  if (count.sequences) return 0;
  std::vector<std::pair<std::string, uint64_t>> rows;
  for (auto& [term, df] : count.frequency) {
    if (df >= min_df) rows.emplace_back(term, df);
  }
  std::sort(rows.begin(), rows.end(), [](const auto& a, const auto& b) {
    return a.second != b.second ? a.second > b.second : a.first < b.first;
  });
  std::cout << "# articles\t" << count.articles << "\n";
  for (const auto& [term, df] : rows)
    std::cout << term << '\t' << df << '\n';
  std::cerr << fmt::format("term_frequencies: {} articles, {} terms in {} or more\n",
                           count.articles, rows.size(), min_df);
  return 0;
}
