// Trains and cross-validates khabar's name tagger (src/extract/tagger.cc) on a CoNLL file of
// Arabic news tagged with PERS, LOC, ORG and MISC in BIO, such as ANERcorp's training part.
//
//   build/eval/ner_tagger train CONLL MODEL           the model khabar builds in
//   build/eval/ner_tagger cv CONLL OUT_DIR [--folds 5]
//   build/eval/ner_tagger tokens < TEXT > WORDS       (eval/make_word_clusters.py)
//   build/eval/ner_tagger tag [MODEL] < TEXT          the names found in each line, tagger on
//
// `cv` splits the sentences into contiguous blocks (folds), trains on all blocks but one and
// tags that one, twice: with the tagger alone (OUT_DIR/tagger.conll) and with khabar's whole
// extractor, rules and tagger together, as ingest runs it (OUT_DIR/extractor.conll; people,
// places and organisations, no MISC; a title standing for a person named before it is left
// out, as ANERcorp does not mark it). Each output line is `token<TAB>gold<TAB>predicted`, a
// blank line between sentences, for eval/score_ner.py.
//
// Sentences are read 20 to a record, joined by line breaks, as an article's paragraphs are.
// Training is deterministic: liblinear's primal trust-region solver for L2-regularised logistic
// regression has no random step.
#include <fmt/format.h>
#include <linear.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <string>
#include <unordered_map>
#include <vector>

#include "extract/internal/dictionary.h"
#include "extract/internal/lexicon.h"
#include "extract/internal/passes.h"
#include "extract/internal/tagger.h"
#include "khabar/extract.h"
#include "khabar/normalize.h"

namespace {

using khabar::extract_internal::kNameTags;
using khabar::extract_internal::NameTag;
namespace ex = khabar::extract_internal;

constexpr size_t kSentencesPerRecord = 20;
double regularisation_c = 2;  // liblinear's C; --c (0.5 to 8 score within half a point)
constexpr int kMinFeatureCount = 2;

struct Sentence {
  std::vector<std::string> tokens;
  std::vector<NameTag> tags;
};

std::vector<Sentence> read_conll(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error(path + ": cannot be read");
  std::vector<Sentence> sentences(1);
  std::string line;
  size_t number = 0;
  while (std::getline(in, line)) {
    ++number;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty()) {
      if (!sentences.back().tokens.empty()) sentences.emplace_back();
      continue;
    }
    const size_t tab = line.rfind('\t');
    const auto tag = tab == std::string::npos
                         ? std::nullopt
                         : ex::name_tag_of(std::string_view(line).substr(tab + 1));
    if (!tag) throw std::runtime_error(fmt::format("{}:{}: not `token<TAB>tag`", path, number));
    sentences.back().tokens.push_back(line.substr(0, tab));
    sentences.back().tags.push_back(*tag);
  }
  if (sentences.back().tokens.empty()) sentences.pop_back();
  return sentences;
}

// Sentences joined as one text, with each token's byte range in it.
struct Record {
  std::string text;
  std::vector<std::pair<size_t, size_t>> token_bytes;  // over all its sentences' tokens
  std::vector<NameTag> gold;
  std::vector<size_t> sentence_starts;  // index of each sentence's first token
};

Record make_record(const std::vector<Sentence>& sentences, size_t first, size_t last) {
  Record record;
  for (size_t s = first; s < last; ++s) {
    if (s > first) record.text += '\n';
    record.sentence_starts.push_back(record.gold.size());
    for (size_t t = 0; t < sentences[s].tokens.size(); ++t) {
      if (t > 0) record.text += ' ';
      record.token_bytes.emplace_back(record.text.size(),
                                      record.text.size() + sentences[s].tokens[t].size());
      record.text += sentences[s].tokens[t];
      record.gold.push_back(sentences[s].tags[t]);
    }
  }
  return record;
}

// The CoNLL token holding each byte of the record's text, or -1 between tokens.
std::vector<int> token_at_byte(const Record& record) {
  std::vector<int> at(record.text.size(), -1);
  for (size_t t = 0; t < record.token_bytes.size(); ++t) {
    for (size_t b = record.token_bytes[t].first; b < record.token_bytes[t].second; ++b)
      at[b] = static_cast<int>(t);
  }
  return at;
}

// Names as byte spans, written as BIO over the CoNLL tokens they touch.
struct NameSpan {
  size_t begin = 0;
  size_t end = 0;
  NameTag tag = NameTag::kBPers;
  std::string evidence;  // the extractor's rule, for OUT_DIR/evidence.tsv
};

std::vector<NameTag> tags_of(const Record& record, const std::vector<NameSpan>& names) {
  const std::vector<int> at = token_at_byte(record);
  std::vector<NameTag> tags(record.gold.size(), NameTag::kO);
  for (const NameSpan& name : names) {
    int first = -1;
    int last = -1;
    for (size_t b = name.begin; b < name.end && b < at.size(); ++b) {
      if (at[b] < 0) continue;
      if (first < 0) first = at[b];
      last = at[b];
    }
    if (first < 0) continue;
    for (int t = first; t <= last; ++t)
      tags[static_cast<size_t>(t)] = t == first ? name.tag : ex::inside_of(name.tag);
  }
  return tags;
}

struct Resources {
  khabar::Normalizer normalizer;
  ex::Lexicon lexicon{normalizer};
  khabar::ExtractOptions options;
  ex::Dictionary dictionary{options.hunspell_affix, options.hunspell_dictionary};
};

// Each record read as the extractor reads it, with the gold tag of each of its tokens: the
// CoNLL token's tag on its first piece, I- on the rest of it.
struct ReadRecord {
  explicit ReadRecord(const Resources& r, const Record& rec)
      : text(rec.text, r.normalizer),
        matches(text, r.lexicon),
        context{text, r.lexicon, r.dictionary, matches, std::nullopt} {}
  ex::TextView text;
  ex::MatchTable matches;
  ex::Context context;
};

std::vector<NameTag> gold_of_tokens(const ReadRecord& read, const Record& record) {
  const std::vector<int> at = token_at_byte(record);
  std::vector<NameTag> gold(read.text.size(), NameTag::kO);
  int previous = -1;
  for (size_t i = 0; i < read.text.size(); ++i) {
    const khabar::ByteSpan span = read.text.span(i, i + 1);
    const int t = span.begin < at.size() ? at[span.begin] : -1;
    if (t < 0) continue;
    const NameTag tag = record.gold[static_cast<size_t>(t)];
    gold[i] = (t == previous && ex::begins_name(tag)) ? ex::inside_of(tag) : tag;
    previous = t;
  }
  return gold;
}

struct Example {
  std::vector<uint64_t> features;
  NameTag tag;
};

std::vector<Example> examples_of(const Resources& resources, const std::vector<Record>& records) {
  std::vector<Example> examples;
  std::vector<std::vector<uint64_t>> features;
  std::vector<ex::PreviousTagKeys> keys;
  for (const Record& record : records) {
    const ReadRecord read(resources, record);
    const std::vector<NameTag> gold = gold_of_tokens(read, record);
    const ex::WordClues clues(read.context);
    for (const ex::Sentence& sentence : read.text.sentences()) {
      ex::sentence_features(read.context, clues, sentence, features, keys);
      for (size_t k = 0; k < features.size(); ++k) {
        const size_t i = sentence.begin + k;
        Example example{std::move(features[k]), gold[i]};
        for (const uint64_t f : ex::previous_tag_features(
                 k == 0 ? std::nullopt : std::optional<NameTag>(gold[i - 1]), keys[k])) {
          example.features.push_back(f);
        }
        examples.push_back(std::move(example));
      }
    }
  }
  return examples;
}

void quiet(const char*) {}

// Fits one-vs-rest logistic regression and writes the weights of every kept feature.
std::string train_model(const std::vector<Example>& examples, const std::string& note) {
  std::unordered_map<uint64_t, int> counts;
  for (const Example& e : examples)
    for (const uint64_t f : e.features)
      ++counts[f];
  std::vector<uint64_t> kept;
  for (const auto& [f, n] : counts)
    if (n >= kMinFeatureCount) kept.push_back(f);
  std::sort(kept.begin(), kept.end());
  std::unordered_map<uint64_t, int> index;
  for (size_t i = 0; i < kept.size(); ++i)
    index[kept[i]] = static_cast<int>(i) + 1;

  std::vector<std::vector<feature_node>> rows(examples.size());
  std::vector<feature_node*> x(examples.size());
  std::vector<double> y(examples.size());
  for (size_t e = 0; e < examples.size(); ++e) {
    std::vector<int> ids;
    for (const uint64_t f : examples[e].features)
      if (const auto it = index.find(f); it != index.end()) ids.push_back(it->second);
    std::sort(ids.begin(), ids.end());
    ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
    for (const int id : ids)
      rows[e].push_back({id, 1.0});
    rows[e].push_back({-1, 0.0});
    x[e] = rows[e].data();
    y[e] = static_cast<double>(examples[e].tag);
  }
  problem prob{};
  prob.l = static_cast<int>(examples.size());
  prob.n = static_cast<int>(kept.size());
  prob.y = y.data();
  prob.x = x.data();
  prob.bias = -1;
  parameter param{};
  param.solver_type = L2R_LR;
  param.C = regularisation_c;
  param.eps = 0.01;
  if (const char* error = check_parameter(&prob, &param)) throw std::runtime_error(error);
  set_print_string_function(quiet);
  model* m = train(&prob, &param);
  if (m->nr_class != static_cast<int>(kNameTags)) {
    free_and_destroy_model(&m);
    throw std::runtime_error("the training data must hold all nine tags");
  }
  std::array<int, kNameTags> column{};  // tag → liblinear's class position
  for (int j = 0; j < m->nr_class; ++j)
    column[static_cast<size_t>(m->label[j])] = j;

  std::string weights;
  size_t written = 0;
  for (size_t i = 0; i < kept.size(); ++i) {
    const double* w = m->w + i * kNameTags;
    bool any = false;
    for (size_t c = 0; c < kNameTags; ++c)
      any = any || std::abs(w[c]) >= 0.0005;
    if (!any) continue;
    ++written;
    weights += fmt::format("{:016x}", kept[i]);
    for (size_t c = 0; c < kNameTags; ++c)
      weights += fmt::format("\t{:.4g}", w[static_cast<size_t>(column[c])]);
    weights += '\n';
  }
  free_and_destroy_model(&m);
  return fmt::format(
             "{}\n# {}\n# {} features with a weight of 0.0005 or more, of {} seen at least "
             "{} times; C = {}\n",
             ex::NameTagger::kFormat, note, written, kept.size(), kMinFeatureCount,
             regularisation_c) +
         weights;
}

std::vector<Record> records_of(const std::vector<Sentence>& sentences, size_t first, size_t last) {
  std::vector<Record> records;
  for (size_t s = first; s < last; s += kSentencesPerRecord)
    records.push_back(make_record(sentences, s, std::min(last, s + kSentencesPerRecord)));
  return records;
}

// Each name the extractor found, by the rule that found it, and whether it is a gold name with
// both edges and the type: which rules help and which hurt on this data.
void write_evidence(std::ostream& out, const Record& record, const std::vector<NameSpan>& names) {
  const std::vector<NameTag> gold = record.gold;
  for (const NameSpan& name : names) {
    const std::vector<NameTag> alone = tags_of(record, {name});
    size_t first = alone.size();
    size_t last = 0;
    for (size_t t = 0; t < alone.size(); ++t) {
      if (alone[t] == NameTag::kO) continue;
      first = std::min(first, t);
      last = t + 1;
    }
    if (first >= last) continue;
    bool exact =
        gold[first] == name.tag && (last == gold.size() || gold[last] != ex::inside_of(name.tag));
    for (size_t t = first + 1; t < last; ++t)
      exact = exact && gold[t] == ex::inside_of(name.tag);
    out << name.evidence << '\t' << ex::name_tag_label(name.tag).substr(2) << '\t'
        << record.text.substr(name.begin, name.end - name.begin) << '\t' << (exact ? 1 : 0) << '\t'
        << ex::name_tag_label(gold[first]) << '\n';
  }
}

void write_tags(std::ostream& out, const Record& record, const std::vector<NameTag>& predicted) {
  for (size_t t = 0; t < record.gold.size(); ++t) {
    if (t > 0 && std::find(record.sentence_starts.begin(), record.sentence_starts.end(), t) !=
                     record.sentence_starts.end()) {
      out << '\n';
    }
    const auto [begin, end] = record.token_bytes[t];
    out << record.text.substr(begin, end - begin) << '\t' << ex::name_tag_label(record.gold[t])
        << '\t' << ex::name_tag_label(predicted[t]) << '\n';
  }
  out << '\n';
}

std::vector<NameSpan> tagger_names(const Resources& resources, const ex::NameTagger& tagger,
                                   const Record& record) {
  const ReadRecord read(resources, record);
  std::vector<NameSpan> names;
  for (const ex::TaggedName& name : tagger.tag(read.context)) {
    const khabar::ByteSpan span = read.text.span(name.first, name.last);
    names.push_back({span.begin, span.end, name.tag, "name tagger"});
  }
  return names;
}

std::vector<NameSpan> extractor_names(const khabar::Extractor& extractor, const Record& record) {
  std::vector<NameSpan> names;
  for (const khabar::Mention& m : extractor.extract({.text = record.text}).mentions) {
    // A title standing for a person named before it («الرئيس») is a reference, not a name.
    // Nor is a body called by what it is («الحكومة اللبنانية»): ANERcorp does not tag it.
    if (m.role_reference || m.description) continue;
    const NameTag tag = m.type == khabar::EntityType::kPerson  ? NameTag::kBPers
                        : m.type == khabar::EntityType::kPlace ? NameTag::kBLoc
                                                               : NameTag::kBOrg;
    std::string evidence = m.evidence.substr(0, m.evidence.find(" «"));
    names.push_back({m.span.begin, m.span.end, tag, std::move(evidence)});
  }
  return names;
}

void write_file(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
  out.close();
  if (!out) throw std::runtime_error(path + ": cannot be written");
}

int train_command(const std::string& conll, const std::string& model_path) {
  const std::vector<Sentence> sentences = read_conll(conll);
  Resources resources;
  const std::vector<Example> examples =
      examples_of(resources, records_of(sentences, 0, sentences.size()));
  std::cerr << fmt::format("{} sentences, {} tokens\n", sentences.size(), examples.size());
  const std::string model = train_model(
      examples, fmt::format("trained by `build/eval/ner_tagger train {} {}` ({} sentences of "
                            "ANERcorp's training part, CAMeL Lab split)",
                            conll, model_path, sentences.size()));
  write_file(model_path, model);
  return 0;
}

// Text lines in, the words of each sentence out, one sentence a line, normalised and tokenised
// as the tagger sees them: the corpus eval/make_word_clusters.py learns word vectors from.
int tokens_command() {
  const khabar::Normalizer normalizer;
  std::string line;
  std::string out;
  while (std::getline(std::cin, line)) {
    const ex::TextView text(line, normalizer);
    for (const ex::Sentence& sentence : text.sentences()) {
      out.clear();
      for (size_t i = sentence.begin; i < sentence.end; ++i) {
        const ex::Token& token = text.token(i);
        if (!token.is_word() && token.kind != ex::Token::Kind::kNumber) continue;
        if (!out.empty()) out += ' ';
        out += token.is_word() ? token.text : std::string_view("0");
      }
      if (!out.empty()) std::cout << out << '\n';
    }
  }
  return 0;
}

// Text lines in; each line's names out, as khabar's extractor with the tagger on finds them:
// `type<TAB>name<TAB>evidence`, a blank line after each input line.
int tag_command(const std::string& model_path) {
  khabar::ExtractOptions options;
  options.use_name_tagger = true;
  options.name_model = model_path;
  const khabar::Extractor extractor(options);
  std::string line;
  while (std::getline(std::cin, line)) {
    for (const khabar::Mention& m : extractor.extract({.text = line}).mentions) {
      std::cout << khabar::entity_type_name(m.type) << '\t' << m.surface << '\t' << m.evidence
                << '\n';
    }
    std::cout << '\n';
  }
  return 0;
}

int cv_command(const std::string& conll, const std::string& out_dir, size_t folds) {
  const std::vector<Sentence> sentences = read_conll(conll);
  std::filesystem::create_directories(out_dir);
  Resources resources;
  std::ofstream tagger_out(out_dir + "/tagger.conll");
  std::ofstream extractor_out(out_dir + "/extractor.conll");
  std::ofstream evidence_out(out_dir + "/evidence.tsv");
  for (size_t fold = 0; fold < folds; ++fold) {
    const size_t first = sentences.size() * fold / folds;
    const size_t last = sentences.size() * (fold + 1) / folds;
    std::vector<Record> training = records_of(sentences, 0, first);
    for (Record& r : records_of(sentences, last, sentences.size()))
      training.push_back(std::move(r));
    const std::string model = train_model(examples_of(resources, training),
                                          fmt::format("fold {} of {}", fold + 1, folds));
    const std::string model_path = fmt::format("{}/fold-{}.model", out_dir, fold + 1);
    write_file(model_path, model);
    const ex::NameTagger tagger = ex::NameTagger::parse(model, model_path);
    khabar::ExtractOptions options;
    options.name_model = model_path;
    const khabar::Extractor extractor(options);
    for (const Record& record : records_of(sentences, first, last)) {
      write_tags(tagger_out, record, tags_of(record, tagger_names(resources, tagger, record)));
      const std::vector<NameSpan> names = extractor_names(extractor, record);
      write_tags(extractor_out, record, tags_of(record, names));
      write_evidence(evidence_out, record, names);
    }
    std::cerr << fmt::format("fold {} of {}: trained on {} sentences, tagged {}\n", fold + 1, folds,
                             sentences.size() - (last - first), last - first);
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  try {
    size_t folds = 5;
    for (size_t i = 0; i + 1 < args.size();) {
      if (args[i] == "--folds" || args[i] == "--c") {
        if (args[i] == "--folds")
          folds = std::stoul(args[i + 1]);
        else
          regularisation_c = std::stod(args[i + 1]);
        args.erase(args.begin() + static_cast<ptrdiff_t>(i),
                   args.begin() + static_cast<ptrdiff_t>(i) + 2);
      } else {
        ++i;
      }
    }
    if (folds < 2) throw std::runtime_error("--folds must be at least 2");
    if (args.size() == 1 && args[0] == "tokens") return tokens_command();
    if ((args.size() == 1 || args.size() == 2) && args[0] == "tag")
      return tag_command(args.size() == 2 ? args[1] : "");
    if (args.size() == 3 && args[0] == "train") return train_command(args[1], args[2]);
    if (args.size() == 3 && args[0] == "cv") return cv_command(args[1], args[2], folds);
  } catch (const std::exception& e) {
    std::cerr << "ner_tagger: " << e.what() << "\n";
    return 1;
  }
  std::cerr << "usage: ner_tagger train CONLL MODEL [--c C]\n"
               "       ner_tagger cv CONLL OUT_DIR [--folds N] [--c C]\n"
               "       ner_tagger tokens < TEXT > WORDS\n"
               "       ner_tagger tag [MODEL] < TEXT > NAMES\n";
  return 2;
}
