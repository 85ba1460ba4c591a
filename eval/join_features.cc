// The join model's training rows: labelled articles streamed as khabar ingests them, each
// compared with the members of its candidate stories, its gold story built from the labels.
//
//   build/eval/join_features [--pairs PAIRS.tsv] [--online [--model MODEL.tsv]] LABELS.tsv
//                            ARTICLES.jsonl... > rows.tsv
//
// LABELS.tsv maps an input's id (its JSONL `id`) to its gold story, `id<TAB>story`. Articles are
// cleaned and read exactly as `khabar ingest` reads them (the same cleaning, normalisation,
// analysis and clusterer), in the order given; an exact copy of an article stored before is
// left out, as ingest leaves it out of the stories, and so is an article with no label. Each
// article then joins its gold story, so that every comparison is made against stories as the
// labels have them (teacher forcing). Prints one line a candidate story:
//
//   article<TAB>same<TAB>feature...      (same: 1 when the candidate is the article's gold story)
//
// and, on standard error, how many articles had their gold story among the candidates. Used by
// eval/train_join_model.py. --pairs writes, line for line with those rows, which article and
// which gold story each row compares (`id<TAB>story`), for features computed outside khabar.
//
// --online compares each article with the stories the clusterer itself made (with MODEL.tsv,
// or the built-in model): the fragments and mixtures that ingest meets, which teacher forcing
// never shows. A candidate is then `same` when the gold story most of its members belong to
// is the article's.
#include <fmt/format.h>

#include <fstream>
#include <iostream>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "khabar/analyzer.h"
#include "khabar/cluster.h"
#include "khabar/extract.h"
#include "khabar/fingerprint.h"
#include "khabar/ingest.h"
#include "khabar/normalize.h"
#include "khabar/pipeline.h"

namespace {

using namespace khabar;

class Collect : public DocumentSink {
 public:
  void document(Document doc) override { documents.push_back(std::move(doc)); }
  void problem(Problem p) override { std::cerr << p.to_string() << "\n"; }
  std::vector<Document> documents;
};

std::unordered_map<std::string, std::string> read_labels(const char* path) {
  std::unordered_map<std::string, std::string> labels;
  std::ifstream in(path);
  if (!in) {
    std::cerr << "join_features: cannot read " << path << "\n";
    std::exit(2);
  }
  std::string line;
  while (std::getline(in, line)) {
    const size_t tab = line.find('\t');
    if (line.empty() || line[0] == '#' || tab == std::string::npos) continue;
    labels[line.substr(0, tab)] = line.substr(tab + 1);
  }
  return labels;
}

}  // namespace

// Which gold story each of the clusterer's stories mostly holds, as articles join it.
class MajorityLabels {
 public:
  void add(uint32_t story, const std::string& label) {
    if (story >= counts_.size()) counts_.resize(story + 1);
    const size_t n = ++counts_[story][label];
    if (majority_.size() <= story) majority_.resize(story + 1);
    auto& [best, best_count] = majority_[story];
    if (n > best_count) best = label, best_count = n;
  }
  const std::string& of(uint32_t story) const { return majority_.at(story).first; }

 private:
  std::vector<std::unordered_map<std::string, size_t>> counts_;
  std::vector<std::pair<std::string, size_t>> majority_;
};

int main(int argc, char** argv) {
  std::ofstream pairs;
  bool online = false;
  ClusterOptions options;
  for (;;) {
    const std::string_view flag = argc > 1 ? argv[1] : "";
    if (flag == "--pairs" && argc > 2) {
      pairs.open(argv[2]);
      if (!pairs) {
        std::cerr << "join_features: cannot write " << argv[2] << "\n";
        return 2;
      }
    } else if (flag == "--model" && argc > 2) {
      Result<JoinModel> model = JoinModel::load(argv[2]);
      if (!model.ok()) {
        std::cerr << "join_features: " << model.error().message << "\n";
        return 2;
      }
      options.model = std::make_shared<const JoinModel>(*model);
    } else if (flag == "--online") {
      online = true;
      argc -= 1;
      argv += 1;
      continue;
    } else {
      break;
    }
    argc -= 2;
    argv += 2;
  }
  if (argc < 3) {
    std::cerr << "usage: join_features [--pairs PAIRS.tsv] [--online [--model MODEL.tsv]] "
                 "LABELS.tsv ARTICLES.jsonl...\n";
    return 2;
  }
  const Extractor extractor;
  const std::unordered_map<std::string, std::string> labels = read_labels(argv[1]);
  Collect collect;
  read_paths(std::vector<std::string>(argv + 2, argv + argc), ReadOptions{}, collect);
  std::vector<std::string> label_of_story;

  const ArticleProcessor processor;
  const Normalizer normalizer;
  const Analyzer analyzer;
  StoryClusterer clusterer{options};
  MajorityLabels majority;
  std::unordered_map<std::string, uint32_t> story_of_label;
  std::set<std::string> stored_ids;
  std::cout << "# article\tsame";
  for (size_t f = 0; f < kJoinFeatures; ++f)
    std::cout << '\t' << join_feature_name(static_cast<JoinFeature>(f));
  std::cout << '\n';
  int64_t last_time = 0;
  size_t articles = 0, with_earlier_member = 0, found = 0;
  for (const Document& doc : collect.documents) {
    // A file of its own (text, HTML) has no id but its path.
    const auto label = labels.find(doc.external_id.empty() ? doc.origin : doc.external_id);
    if (label == labels.end()) continue;
    std::string normalized_body;
    Result<StoredArticle> article = processor.process(doc, &normalized_body);
    if (!article.ok() || !stored_ids.insert(article->id).second) continue;
    if (const std::optional<int64_t> time = iso8601_unix_seconds(article->published)) {
      last_time = *time;
    }
    const auto [it, first] =
        story_of_label.emplace(label->second, static_cast<uint32_t>(clusterer.story_count()));
    if (first) label_of_story.push_back(label->second);
    ClusterInput in =
        cluster_input(analyzer, normalizer.normalize(article->title), normalized_body, last_time);
    add_story_signals(story_signals(extract_article(extractor, *article)), in);
    std::vector<CandidateStory> members;
    uint32_t placed = 0;
    if (online) {
      placed = clusterer.add(in, &members).story;
    } else {
      members = clusterer.replay_with_candidates(in, it->second);
    }
    const auto gold_of = [&](uint32_t story) -> const std::string& {
      return online ? majority.of(story) : label_of_story.at(story);
    };
    ++articles;
    with_earlier_member += first ? 0 : 1;
    bool met = false;
    for (const CandidateStory& m : members) {
      const bool same = gold_of(m.story) == label->second;
      met = met || same;
      std::cout << articles << '\t' << (same ? 1 : 0);
      for (const double f : m.features)
        std::cout << '\t' << fmt::format("{:.5f}", f);
      std::cout << '\n';
      if (pairs) pairs << label->first << '\t' << gold_of(m.story) << '\n';
    }
    found += met ? 1 : 0;
    // Only now: the candidates were labelled by the members they had before this article.
    if (online) majority.add(placed, label->second);
  }
  std::cerr << fmt::format(
      "join_features: {} articles; {} had an earlier member of their story, {} of them among "
      "the candidates\n",
      articles, with_earlier_member, found);
  return 0;
}
