#include "extract/internal/tagger.h"

#include <xxhash.h>

#include <algorithm>
#include <atomic>
#include <bit>
#include <charconv>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <system_error>
#include <unordered_map>

#include "khabar_data/name_tagger_model.h"
#include "khabar_data/word_clusters_tsv.h"
#include "text/utf8.h"

namespace khabar::extract_internal {
namespace {

constexpr std::array<std::string_view, kNameTags> kLabels = {
    "O", "B-PERS", "I-PERS", "B-LOC", "I-LOC", "B-ORG", "I-ORG", "B-MISC", "I-MISC"};

// Each feature is a template number and a value, hashed together: no string is built.
enum Template : uint64_t {
  kBias = 1,
  kWord,
  kStem,
  kPrefix1,
  kPrefix2,
  kPrefix3,
  kSuffix1,
  kSuffix2,
  kSuffix3,
  kStemPrefix2,
  kStemSuffix2,
  kWordBefore,
  kWordAfter,
  kWordTwoBefore,
  kWordTwoAfter,
  kStemBefore,
  kStemAfter,
  kBigramBefore,
  kBigramAfter,
  kShape,
  kShapes,
  kLength,
  kKnown,
  kKnownStem,
  kCategoryTwoBefore,
  kCategoryBefore,
  kCategoryAt,
  kCategoryAfter,
  kCategoryTwoAfter,
  kCategoryInside,
  kPreviousTag,
  kPreviousTagWord,
  kPreviousTagFirstLetter,
  kClue,
  kClassCoarse,
  kClassMiddle,
  kClassFine,
  kStemClassMiddle,
  kStemClassFine,
  kClassBefore,
  kClassAfter,
};

uint64_t hashed(Template t, std::string_view value) {
  return XXH3_64bits_withSeed(value.data(), value.size(), t);
}

uint64_t hashed(Template t, uint64_t a, uint64_t b = 0) {
  const std::array<uint64_t, 2> pair = {a, b};
  return XXH3_64bits_withSeed(pair.data(), sizeof pair, t);
}

// The word without the clitics news glues to names: و، ف، ب، ل، ك and the article.
std::string_view stem_of(std::string_view word) {
  constexpr size_t kMinRest = 6;  // three letters
  for (const std::string_view clitic : {"وال", "فال", "بال", "كال", "ولل", "لل", "ال"}) {
    if (word.starts_with(clitic) && word.size() >= clitic.size() + kMinRest)
      return word.substr(clitic.size());
  }
  for (const std::string_view clitic : {"و", "ف", "ب", "ل", "ك"}) {
    if (word.starts_with(clitic) && word.size() >= clitic.size() + kMinRest)
      return word.substr(clitic.size());
  }
  return word;
}

std::string_view first_letters(std::string_view word, size_t letters) {
  size_t i = 0;
  for (size_t n = 0; n < letters && i < word.size(); ++n) {
    ++i;
    while (i < word.size() && (static_cast<unsigned char>(word[i]) & 0xC0) == 0x80)
      ++i;
  }
  return word.substr(0, i);
}

std::string_view last_letters(std::string_view word, size_t letters) {
  size_t i = word.size();
  for (size_t n = 0; n < letters && i > 0; ++n) {
    --i;
    while (i > 0 && (static_cast<unsigned char>(word[i]) & 0xC0) == 0x80)
      --i;
  }
  return word.substr(i);
}

// What kind of token: a number, a Latin word, an Arabic word, or the punctuation itself.
uint64_t shape_of(const Token& token) {
  switch (token.kind) {
    case Token::Kind::kNumber:
      return 1;
    case Token::Kind::kBreak:
      return 2;
    case Token::Kind::kPunct:
      return 16 + static_cast<uint64_t>(token.punct);
    case Token::Kind::kWord:
      return text::starts_in_arabic_block(token.text) ? 3 : 4;
  }
  return 0;
}

// Word classes learnt from unlabelled real news (data/extract/word_clusters.tsv): names the
// tagger never saw share classes with names it did.
class WordClasses {
 public:
  static constexpr size_t kSizes = 3;
  using Classes = std::array<uint16_t, kSizes>;
  static constexpr uint16_t kUnknown = 0xffff;

  WordClasses() {
    for (const text::DataLine& line : text::data_lines(data::word_clusters_tsv)) {
      const std::vector<std::string_view> fields = text::split(line.text, '\t');
      if (fields.size() != kSizes + 1)
        throw std::logic_error("word_clusters.tsv:" + std::to_string(line.number) + ": columns");
      Classes classes{};
      for (size_t k = 0; k < kSizes; ++k) {
        const std::string_view f = fields[k + 1];
        std::from_chars(f.data(), f.data() + f.size(), classes[k]);
      }
      classes_.emplace(XXH3_64bits(fields[0].data(), fields[0].size()),
                       Entry{classes, static_cast<uint32_t>(classes_.size())});
    }
  }
  Classes of(std::string_view word) const {
    const auto it = classes_.find(XXH3_64bits(word.data(), word.size()));
    return it == classes_.end() ? Classes{kUnknown, kUnknown, kUnknown} : it->second.classes;
  }
  // The word's place among the words of real news, most frequent first; none when rare.
  std::optional<uint32_t> rank(std::string_view word) const {
    const auto it = classes_.find(XXH3_64bits(word.data(), word.size()));
    if (it == classes_.end()) return std::nullopt;
    return it->second.rank;
  }
  static const WordClasses& built_in() {
    static const WordClasses classes;
    return classes;
  }

 private:
  struct Entry {
    Classes classes;
    uint32_t rank;  // the file lists words most frequent first
  };
  std::unordered_map<uint64_t, Entry> classes_;
};

constexpr uint64_t kEdge = 0x5eed;  // before the sentence's first token or after its last

struct Window {
  const Context& context;
  const Sentence& sentence;

  bool inside(ptrdiff_t i) const {
    return i >= static_cast<ptrdiff_t>(sentence.begin) && i < static_cast<ptrdiff_t>(sentence.end);
  }
  std::string_view word(ptrdiff_t i) const {
    return inside(i) ? context.text.token(static_cast<size_t>(i)).text : std::string_view("<s>");
  }
  uint64_t shape(ptrdiff_t i) const {
    return inside(i) ? shape_of(context.text.token(static_cast<size_t>(i))) : kEdge;
  }
};

void add_categories(Template t, uint32_t bits, std::vector<uint64_t>& out) {
  while (bits != 0) {
    const int bit = std::countr_zero(bits);
    out.push_back(hashed(t, static_cast<uint64_t>(bit)));
    bits &= bits - 1;
  }
}

// Whether Hunspell knows the word as printed: 0 for a token that is no word.
uint64_t knowledge_of(const Context& context, size_t token) {
  if (!context.text.token(token).is_word()) return 0;
  // Without Hunspell (hunspell-ar missing, or use_dictionary off) no word is said known or
  // unknown: every word unknown would look like a name to a model trained with it.
  if (!context.dictionary.loaded()) return 0;
  const ByteSpan span = context.text.span(token, token + 1);
  return context.dictionary.knows(context.text.original_of(span)) ? 2 : 1;
}

// The features of a word itself. They depend on nothing else, so tagging adds up their weights
// once for each word it meets, not for each time it meets it.
void own_features(std::string_view word, uint64_t knowledge, std::vector<uint64_t>& out) {
  const std::string_view stem = stem_of(word);
  out.push_back(hashed(kWord, word));
  out.push_back(hashed(kStem, stem));
  out.push_back(hashed(kPrefix1, first_letters(word, 1)));
  out.push_back(hashed(kPrefix2, first_letters(word, 2)));
  out.push_back(hashed(kPrefix3, first_letters(word, 3)));
  out.push_back(hashed(kSuffix1, last_letters(word, 1)));
  out.push_back(hashed(kSuffix2, last_letters(word, 2)));
  out.push_back(hashed(kSuffix3, last_letters(word, 3)));
  out.push_back(hashed(kStemPrefix2, first_letters(stem, 2)));
  out.push_back(hashed(kStemSuffix2, last_letters(stem, 2)));
  out.push_back(hashed(kLength, std::min<uint64_t>(word.size() / 2, 8)));
  const WordClasses& classes = WordClasses::built_in();
  const WordClasses::Classes own = classes.of(word);
  out.push_back(hashed(kClassCoarse, own[0]));
  out.push_back(hashed(kClassMiddle, own[1]));
  out.push_back(hashed(kClassFine, own[2]));
  if (stem.size() != word.size()) {
    const WordClasses::Classes stem_classes = classes.of(stem);
    out.push_back(hashed(kStemClassMiddle, stem_classes[1]));
    out.push_back(hashed(kStemClassFine, stem_classes[2]));
  }
  if (knowledge != 0) out.push_back(hashed(kKnown, knowledge - 1));
}

// The features a word gives the word after it (`before`) or the one before it.
void neighbour_features(bool before, std::string_view word, std::vector<uint64_t>& out) {
  out.push_back(hashed(before ? kWordBefore : kWordAfter, word));
  out.push_back(hashed(before ? kStemBefore : kStemAfter, stem_of(word)));
  out.push_back(hashed(before ? kClassBefore : kClassAfter, WordClasses::built_in().of(word)[1]));
}

// The rest: pairs of words, shapes around the word, and the lexicon's categories at and
// around it.
void context_features(const Window& window, const WordClues& clues,
                      const std::vector<uint32_t>& inside_bits, size_t token,
                      std::vector<uint64_t>& out) {
  const Context& context = window.context;
  const auto i = static_cast<ptrdiff_t>(token);
  const std::string_view word = window.word(i);
  out.push_back(hashed(kBias, 0));
  out.push_back(hashed(kWordTwoBefore, window.word(i - 2)));
  out.push_back(hashed(kWordTwoAfter, window.word(i + 2)));
  out.push_back(hashed(kBigramBefore, hashed(kWord, window.word(i - 1)), hashed(kWord, word)));
  out.push_back(hashed(kBigramAfter, hashed(kWord, word), hashed(kWord, window.word(i + 1))));
  out.push_back(hashed(kShape, window.shape(i)));
  out.push_back(hashed(kShapes, window.shape(i - 1) * 1000003 + window.shape(i + 1)));
  const std::array<Template, 5> around = {kCategoryTwoBefore, kCategoryBefore, kCategoryAt,
                                          kCategoryAfter, kCategoryTwoAfter};
  for (ptrdiff_t offset = -2; offset <= 2; ++offset) {
    if (!window.inside(i + offset)) continue;
    const auto at = static_cast<size_t>(i + offset);
    uint32_t bits = 0;
    for (const LexMatch& match : context.matches.at(at))
      bits |= MatchTable::category_bit(match.category);
    add_categories(around[static_cast<size_t>(offset + 2)], bits, out);
  }
  add_categories(kCategoryInside, inside_bits[token - window.sentence.begin], out);
  add_categories(kClue, clues.of(word), out);
}

// Categories of the lexicon's phrases that cover each token of the sentence without starting
// there: the second word of «الأمم المتحدة».
std::vector<uint32_t> inside_categories(const Context& context, const Sentence& sentence) {
  std::vector<uint32_t> inside_bits(sentence.end - sentence.begin, 0);
  for (size_t at = sentence.begin; at < sentence.end; ++at) {
    for (const LexMatch& match : context.matches.at(at)) {
      const size_t end = std::min(sentence.end, at + match.tokens);
      for (size_t k = at + 1; k < end; ++k)
        inside_bits[k - sentence.begin] |= MatchTable::category_bit(match.category);
    }
  }
  return inside_bits;
}

uint64_t stem_key(std::string_view word) {
  const std::string_view stem = stem_of(word);
  return XXH3_64bits(stem.data(), stem.size());
}

PreviousTagKeys previous_tag_keys(std::string_view word) {
  return {hashed(kWord, word), hashed(kPrefix1, first_letters(word, 1))};
}

}  // namespace

WordClues::WordClues(const Context& context) {
  const TextView& text = context.text;
  constexpr std::array<Category, 4> kBefore = {Category::kTitle, Category::kSpeechVerb,
                                               Category::kGivenName, Category::kNameParticle};
  for (size_t at = 0; at < text.size(); ++at) {
    for (const LexMatch& match : context.matches.at(at)) {
      const auto* clue = std::find(kBefore.begin(), kBefore.end(), match.category);
      const size_t next = at + match.tokens;
      if (clue == kBefore.end() || next >= text.size() || !text.token(next).is_word()) continue;
      clues_[stem_key(text.token(next).text)] |= uint32_t{1} << (clue - kBefore.begin());
    }
  }
}

uint32_t WordClues::of(std::string_view word) const {
  if (clues_.empty()) return 0;
  const auto it = clues_.find(stem_key(word));
  return it == clues_.end() ? 0 : it->second;
}

size_t name_clitic_bytes(std::string_view word) {
  constexpr size_t kMinRest = 6;  // three letters
  const WordClasses& classes = WordClasses::built_in();
  for (const std::string_view clitic : {"و", "ف", "ب", "ل", "ك"}) {
    if (!word.starts_with(clitic) || word.size() < clitic.size() + kMinRest) continue;
    const std::optional<uint32_t> without = classes.rank(word.substr(clitic.size()));
    const std::optional<uint32_t> with = classes.rank(word);
    if (without && (!with || *without < *with)) return clitic.size();
  }
  return 0;
}

std::string_view name_tag_label(NameTag tag) {
  return kLabels[static_cast<size_t>(tag)];
}

std::optional<NameTag> name_tag_of(std::string_view label) {
  for (size_t i = 0; i < kLabels.size(); ++i) {
    if (kLabels[i] == label) return static_cast<NameTag>(i);
  }
  return std::nullopt;
}

std::array<uint64_t, kPreviousTagFeatures> previous_tag_features(std::optional<NameTag> previous,
                                                                 const PreviousTagKeys& keys) {
  const uint64_t tag = previous ? static_cast<uint64_t>(*previous) : kEdge;
  return {hashed(kPreviousTag, tag), hashed(kPreviousTagWord, tag, keys.word),
          hashed(kPreviousTagFirstLetter, tag, keys.first_letter)};
}

void sentence_features(const Context& context, const WordClues& clues, const Sentence& sentence,
                       std::vector<std::vector<uint64_t>>& features,
                       std::vector<PreviousTagKeys>& keys) {
  const size_t n = sentence.end - sentence.begin;
  const std::vector<uint32_t> inside_bits = inside_categories(context, sentence);
  features.resize(n);
  keys.resize(n);
  const Window window{context, sentence};
  for (size_t k = 0; k < n; ++k) {
    const size_t token = sentence.begin + k;
    const auto i = static_cast<ptrdiff_t>(token);
    features[k].clear();
    own_features(window.word(i), knowledge_of(context, token), features[k]);
    neighbour_features(true, window.word(i - 1), features[k]);
    neighbour_features(false, window.word(i + 1), features[k]);
    context_features(window, clues, inside_bits, token, features[k]);
    keys[k] = previous_tag_keys(window.word(i));
  }
}

void NameTagger::add_row(uint64_t feature, const Scores& weights) {
  if (slots_.empty()) return;
  size_t slot = feature & (slots_.size() - 1);
  while (slots_[slot].row != 0) {
    if (slots_[slot].key == feature) throw std::runtime_error("feature listed twice");
    slot = (slot + 1) & (slots_.size() - 1);
  }
  slots_[slot] = {feature, static_cast<uint32_t>(++rows_)};
  weights_.insert(weights_.end(), weights.begin(), weights.end());
}

const float* NameTagger::row(uint64_t feature) const {
  if (slots_.empty()) return nullptr;
  size_t slot = feature & (slots_.size() - 1);
  while (slots_[slot].row != 0) {
    if (slots_[slot].key == feature) return &weights_[(slots_[slot].row - 1) * kNameTags];
    slot = (slot + 1) & (slots_.size() - 1);
  }
  return nullptr;
}

NameTagger NameTagger::parse(std::string_view model, std::string_view origin) {
  const std::vector<text::DataLine> lines = text::data_lines(model);
  auto fail = [&](size_t line, std::string_view why) {
    throw std::runtime_error(std::string(origin) + ":" + std::to_string(line) + ": " +
                             std::string(why));
  };
  if (lines.empty() || lines.front().number != 1 || lines.front().text != kFormat) {
    fail(1, "not a name tagger model of this version: the first line must be «" +
                std::string(kFormat) + "»; retrain it with eval/ner_tagger");
  }
  static std::atomic<uint64_t> taggers{0};
  NameTagger tagger;
  tagger.id_ = ++taggers;
  size_t capacity = 1;
  while (capacity < 2 * lines.size() + 2)
    capacity *= 2;
  tagger.slots_.assign(capacity, Slot{});
  for (size_t l = 1; l < lines.size(); ++l) {
    const text::DataLine& line = lines[l];
    const std::vector<std::string_view> fields = text::split(line.text, '\t');
    if (fields.size() != kNameTags + 1)
      fail(line.number, "a feature line has a hash and " + std::to_string(kNameTags) + " weights");
    uint64_t feature = 0;
    const std::string_view hex = fields[0];
    const auto [hex_end, hex_error] =
        std::from_chars(hex.data(), hex.data() + hex.size(), feature, 16);
    if (hex.empty() || hex_error != std::errc{} || hex_end != hex.data() + hex.size())
      fail(line.number, "the feature hash is not a 64-bit hexadecimal number");
    Scores weights{};
    for (size_t c = 0; c < kNameTags; ++c) {
      const std::string_view w = fields[c + 1];
      const auto [end, error] = std::from_chars(w.data(), w.data() + w.size(), weights[c]);
      if (w.empty() || error != std::errc{} || end != w.data() + w.size() ||
          !std::isfinite(weights[c])) {
        fail(line.number, "a weight is not a finite number");
      }
    }
    try {
      tagger.add_row(feature, weights);
    } catch (const std::runtime_error& e) {
      fail(line.number, e.what());
    }
  }
  if (tagger.rows_ == 0) fail(1, "the model has no features");
  return tagger;
}

const NameTagger& NameTagger::built_in() {
  static const NameTagger tagger = parse(data::name_tagger_model, "data/extract/name_tagger.model");
  return tagger;
}

void NameTagger::add_weights(const std::vector<uint64_t>& features, Scores& sum) const {
  for (const uint64_t f : features) {
    if (const float* w = row(f)) {
      for (size_t c = 0; c < kNameTags; ++c)
        sum[c] += w[c];
    }
  }
}

// The weights of a word's own features and of what it tells its neighbours, remembered for
// each word a thread meets: most of a text's words are a few hundred common ones. The memory is
// cleared when another tagger uses the thread, and when it grows past kRemembered words.
const NameTagger::Scores& NameTagger::remembered(uint64_t key, WordPart part, std::string_view word,
                                                 uint64_t knowledge) const {
  // Open addressing on the word's key, a quarter full at most; full, it starts again empty.
  constexpr size_t kSlots = size_t{1} << 16;
  constexpr size_t kRemembered = kSlots / 4;
  struct Entry {
    uint64_t key = 0;  // 0: empty
    Scores scores{};
  };
  thread_local struct {
    uint64_t owner = 0;
    size_t used = 0;
    std::vector<Entry> entries;
    std::vector<uint64_t> features;
  } memory;
  if (memory.owner != id_ || memory.used >= kRemembered) {
    memory.entries.assign(kSlots, Entry{});
    memory.used = 0;
    memory.owner = id_;
  }
  const uint64_t slot_key =
      hashed(static_cast<Template>(kClue + 1 + static_cast<uint64_t>(part)), key, knowledge) | 1;
  size_t slot = slot_key & (kSlots - 1);
  while (memory.entries[slot].key != 0 && memory.entries[slot].key != slot_key)
    slot = (slot + 1) & (kSlots - 1);
  Entry& entry = memory.entries[slot];
  if (entry.key == 0) {
    entry.key = slot_key;
    ++memory.used;
    memory.features.clear();
    if (part == WordPart::kOwn) {
      own_features(word, knowledge, memory.features);
    } else {
      neighbour_features(part == WordPart::kBefore, word, memory.features);
    }
    add_weights(memory.features, entry.scores);
  }
  return entry.scores;
}

std::vector<NameTagger::Scores> NameTagger::word_scores(const Context& context,
                                                        const WordClues& clues,
                                                        const Sentence& sentence) const {
  const size_t n = sentence.end - sentence.begin;
  const std::vector<uint32_t> inside_bits = inside_categories(context, sentence);
  const Window window{context, sentence};
  std::vector<Scores> scores(n);
  std::vector<uint64_t> features;
  auto add = [](Scores& sum, const Scores& more) {
    for (size_t c = 0; c < kNameTags; ++c)
      sum[c] += more[c];
  };
  for (size_t k = 0; k < n; ++k) {
    const size_t token = sentence.begin + k;
    const auto i = static_cast<ptrdiff_t>(token);
    const std::string_view word = window.word(i);
    const uint64_t knowledge = knowledge_of(context, token);
    add(scores[k],
        remembered(XXH3_64bits(word.data(), word.size()), WordPart::kOwn, word, knowledge));
    const std::string_view before = window.word(i - 1);
    add(scores[k],
        remembered(XXH3_64bits(before.data(), before.size()), WordPart::kBefore, before, 0));
    const std::string_view after = window.word(i + 1);
    add(scores[k], remembered(XXH3_64bits(after.data(), after.size()), WordPart::kAfter, after, 0));
    features.clear();
    context_features(window, clues, inside_bits, token, features);
    add_weights(features, scores[k]);
  }
  return scores;
}

std::vector<NameTag> NameTagger::tag_sentence(const Context& context, const WordClues& clues,
                                              const Sentence& sentence) const {
  const size_t n = sentence.end - sentence.begin;
  std::vector<NameTag> tags(n, NameTag::kO);
  if (n == 0) return tags;
  const std::vector<Scores> base_scores = word_scores(context, clues, sentence);
  std::vector<PreviousTagKeys> keys(n);
  for (size_t k = 0; k < n; ++k)
    keys[k] = previous_tag_keys(context.text.token(sentence.begin + k).text);

  // Paths are scored by their probability, scaled at each word so that the best is 1: no
  // logarithm, and no underflow. A path 1,000 times less likely than the best is dropped.
  constexpr float kImpossible = 0.0F;
  constexpr float kBeam = 1e-3F;
  std::vector<Scores> best(n);
  std::vector<std::array<uint8_t, kNameTags>> from(n);
  for (size_t k = 0; k < n; ++k) {
    const Scores& base = base_scores[k];
    best[k].fill(kImpossible);
    if (k > 0) {
      const float leader = *std::max_element(best[k - 1].begin(), best[k - 1].end());
      for (float& path : best[k - 1])
        path /= leader;
    }
    const size_t first_previous = k == 0 ? kNameTags : 0;
    const size_t last_previous = k == 0 ? kNameTags + 1 : kNameTags;
    for (size_t p = first_previous; p < last_previous; ++p) {
      const float before = k == 0 ? 1.0F : best[k - 1][p];
      // A beam: paths far behind the best one at the word before are dropped (they seldom
      // win), and most words are plainly no name, so one or two tags before them are followed.
      if (before < kBeam) continue;
      Scores transition{};
      const std::optional<NameTag> previous =
          p == kNameTags ? std::nullopt : std::optional(static_cast<NameTag>(p));
      for (const uint64_t f : previous_tag_features(previous, keys[k])) {
        if (const float* w = row(f)) {
          for (size_t c = 0; c < kNameTags; ++c)
            transition[c] += w[c];
        }
      }
      // One-vs-rest logistic regression: each tag's probability, normalised over the tags.
      Scores probability{};
      float total = 0;
      for (size_t c = 0; c < kNameTags; ++c) {
        const float score = base[c] + transition[c];
        probability[c] = 1.0F / (1.0F + std::exp(-score));
        total += probability[c];
      }
      for (size_t c = 0; c < kNameTags; ++c) {
        const auto tag = static_cast<NameTag>(c);
        // I-X continues B-X or I-X only.
        if (!begins_name(tag) && tag != NameTag::kO) {
          if (p == kNameTags || (p != c && p != c - 1)) continue;
        }
        const float score = before * probability[c] / total;
        if (score > best[k][c]) {
          best[k][c] = score;
          from[k][c] = static_cast<uint8_t>(p);
        }
      }
    }
  }
  size_t c = static_cast<size_t>(std::max_element(best[n - 1].begin(), best[n - 1].end()) -
                                 best[n - 1].begin());
  for (size_t k = n; k-- > 0;) {
    tags[k] = static_cast<NameTag>(c);
    c = from[k][c];
  }
  return tags;
}

std::vector<TaggedName> NameTagger::tag(const Context& context) const {
  std::vector<TaggedName> names;
  const WordClues clues(context);
  for (const Sentence& sentence : context.text.sentences()) {
    const std::vector<NameTag> tags = tag_sentence(context, clues, sentence);
    for (size_t k = 0; k < tags.size(); ++k) {
      if (!begins_name(tags[k])) continue;
      size_t last = k + 1;
      while (last < tags.size() && tags[last] == inside_of(tags[k]))
        ++last;
      names.push_back({sentence.begin + k, sentence.begin + last, tags[k]});
      k = last - 1;
    }
  }
  return names;
}

}  // namespace khabar::extract_internal
