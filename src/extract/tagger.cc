#include "extract/internal/tagger.h"

// Inlined: tagging hashes some twenty features a word, most of them 16 bytes long.
#define XXH_INLINE_ALL
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
  kRememberedWord,  // not a feature: the key of a word's remembered weights
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

// Scores beyond this are certainties. A word's score and a join's are clamped apart, so that
// the product of their exponentials, at most e^88, stays finite in a float.
constexpr float kMaxScore = 44.0F;
constexpr float kLargestWeight = 1e4F;

}  // namespace

// The words of one sentence, with a marker beyond its edges.
struct SentenceWindow {
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

namespace {

void add_categories(Template t, uint32_t bits, std::vector<uint64_t>& out) {
  while (bits != 0) {
    const int bit = std::countr_zero(bits);
    out.push_back(hashed(t, static_cast<uint64_t>(bit)));
    bits &= bits - 1;
  }
}

std::string_view printed_word(const Context& context, size_t token) {
  return context.text.original_of(context.text.span(token, token + 1));
}

// Whether Hunspell knows the word as printed: 0 for a token that is no word.
uint64_t knowledge_of(const Context& context, size_t token) {
  if (!context.text.token(token).is_word()) return 0;
  // Without Hunspell (hunspell-ar missing, or use_dictionary off) no word is said known or
  // unknown: every word unknown would look like a name to a model trained with it.
  if (!context.dictionary.loaded()) return 0;
  return context.dictionary.knows(printed_word(context, token)) ? 2 : 1;
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

// What a word tells the word two after it (`before`) or two before it.
void far_neighbour_features(bool before, std::string_view word, std::vector<uint64_t>& out) {
  out.push_back(hashed(before ? kWordTwoBefore : kWordTwoAfter, word));
}

// The shapes of the word and of the words around it. (Pairs of words, tried, added nothing.)
void shape_features(const SentenceWindow& window, size_t token, std::vector<uint64_t>& out) {
  const auto i = static_cast<ptrdiff_t>(token);
  out.push_back(hashed(kShape, window.shape(i)));
  out.push_back(hashed(kShapes, window.shape(i - 1) * 1000003 + window.shape(i + 1)));
}

// The templates whose values are category bits: the lexicon's categories at and around the
// word, inside a phrase, and the clues of the whole text. Their weights are looked up once, when
// the model is read.
constexpr std::array<Template, 7> kBitTemplates = {
    kCategoryTwoBefore, kCategoryBefore, kCategoryAt, kCategoryAfter,
    kCategoryTwoAfter,  kCategoryInside, kClue};
constexpr size_t kBits = 32;

// The lexicon's categories of a sentence's tokens: of the phrases that start at each token, and
// of those that cover it without starting there (the second word of «الأمم المتحدة»).
struct SentenceCategories {
  std::vector<uint32_t> at;
  std::vector<uint32_t> inside;
};

void sentence_categories(const Context& context, const Sentence& sentence,
                         SentenceCategories& categories) {
  categories.at.assign(sentence.end - sentence.begin, 0);
  categories.inside.assign(sentence.end - sentence.begin, 0);
  for (size_t at = sentence.begin; at < sentence.end; ++at) {
    for (const LexMatch& match : context.matches.at(at)) {
      const uint32_t bit = MatchTable::category_bit(match.category);
      categories.at[at - sentence.begin] |= bit;
      const size_t end = std::min(sentence.end, at + match.tokens);
      for (size_t k = at + 1; k < end; ++k)
        categories.inside[k - sentence.begin] |= bit;
    }
  }
}

// The category bits of each bit template for the sentence's k-th token, in kBitTemplates' order.
std::array<uint32_t, kBitTemplates.size()> token_bits(const SentenceCategories& categories,
                                                      size_t k, uint32_t clue) {
  std::array<uint32_t, kBitTemplates.size()> bits{};
  const size_t n = categories.at.size();
  for (size_t offset = 0; offset < 5; ++offset) {
    if (k + offset >= 2 && k + offset - 2 < n) bits[offset] = categories.at[k + offset - 2];
  }
  bits[5] = categories.inside[k];
  bits[6] = clue;
  return bits;
}

// Everything but the word's own features and its neighbours': the bias, the words two away,
// shapes around the word, and the lexicon's categories at and around it.
void context_features(const SentenceWindow& window, const WordClues& clues,
                      const SentenceCategories& categories, size_t token,
                      std::vector<uint64_t>& out) {
  const auto i = static_cast<ptrdiff_t>(token);
  out.push_back(hashed(kBias, 0));
  far_neighbour_features(true, window.word(i - 2), out);
  far_neighbour_features(false, window.word(i + 2), out);
  shape_features(window, token, out);
  const size_t k = token - window.sentence.begin;
  const auto bits = token_bits(categories, k, clues.of(window.word(static_cast<ptrdiff_t>(token))));
  for (size_t t = 0; t < kBitTemplates.size(); ++t)
    add_categories(kBitTemplates[t], bits[t], out);
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
  return of_stem(stem_key(word));
}

uint32_t WordClues::of_stem(uint64_t stem) const {
  if (clues_.empty()) return 0;
  const auto it = clues_.find(stem);
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
  SentenceCategories categories;
  sentence_categories(context, sentence, categories);
  features.resize(n);
  keys.resize(n);
  const SentenceWindow window{context, sentence};
  for (size_t k = 0; k < n; ++k) {
    const size_t token = sentence.begin + k;
    const auto i = static_cast<ptrdiff_t>(token);
    features[k].clear();
    own_features(window.word(i), knowledge_of(context, token), features[k]);
    neighbour_features(true, window.word(i - 1), features[k]);
    neighbour_features(false, window.word(i + 1), features[k]);
    context_features(window, clues, categories, token, features[k]);
    keys[k] = previous_tag_keys(window.word(i));
  }
}

// A feature hash of 0 marks an empty slot: the one feature that hashes to it is read as 1.
uint64_t slot_key(uint64_t feature) {
  return feature == 0 ? 1 : feature;
}

void NameTagger::add_row(uint64_t feature, const Scores& weights) {
  if (keys_.empty()) return;
  const uint64_t key = slot_key(feature);
  size_t slot = key & (keys_.size() - 1);
  while (keys_[slot] != 0) {
    if (keys_[slot] == key) throw std::runtime_error("feature listed twice");
    slot = (slot + 1) & (keys_.size() - 1);
  }
  keys_[slot] = key;
  std::copy(weights.begin(), weights.end(), weights_.begin() + slot * kNameTags);
  ++rows_;
}

// The weights sit at the slot's own index: the processor can fetch them while it checks the key,
// instead of after reading where they are.
const float* NameTagger::row(uint64_t feature) const {
  if (keys_.empty()) return nullptr;
  const uint64_t key = slot_key(feature);
  size_t slot = key & (keys_.size() - 1);
  while (keys_[slot] != 0) {
    if (keys_[slot] == key) return &weights_[slot * kNameTags];
    slot = (slot + 1) & (keys_.size() - 1);
  }
  return nullptr;
}

// The shapes around a word take a few hundred values: a small cache that stays near the
// processor, one feature a line (the model's or its absence), in front of the model's table.
const float* NameTagger::cached_row(uint64_t feature) const {
  constexpr size_t kLines = size_t{1} << 10;
  struct Line {
    uint64_t key = 0;  // the feature's slot key; 0: empty
    bool found = false;
    Scores weights{};
  };
  thread_local struct {
    uint64_t owner = std::numeric_limits<uint64_t>::max();  // none yet
    std::vector<Line> lines;
  } cache;
  if (cache.owner != id_) {
    cache.lines.assign(kLines, Line{});
    cache.owner = id_;
  }
  const uint64_t key = slot_key(feature);
  Line& line = cache.lines[(key >> 20) & (kLines - 1)];
  if (line.key != key) {
    line.key = key;
    const float* w = row(feature);
    line.found = w != nullptr;
    if (w != nullptr) std::copy(w, w + kNameTags, line.weights.begin());
  }
  return line.found ? line.weights.data() : nullptr;
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
  tagger.keys_.assign(capacity, 0);
  tagger.weights_.assign(capacity * kNameTags, 0.0F);
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
      // liblinear's weights are a few units; a huge one would overflow the sums to infinity.
      if (w.empty() || error != std::errc{} || end != w.data() + w.size() ||
          !std::isfinite(weights[c]) || std::fabs(weights[c]) > kLargestWeight) {
        fail(line.number, "a weight is not a finite number of at most 10,000");
      }
    }
    try {
      tagger.add_row(feature, weights);
    } catch (const std::runtime_error& e) {
      fail(line.number, e.what());
    }
  }
  if (tagger.rows_ == 0) fail(1, "the model has no features");
  tagger.look_up_fixed_rows();
  return tagger;
}

// Features with few values (the bias, category bits, the tag before) are looked up once here:
// tagging then reads their weights by index instead of hashing and probing for each word.
void NameTagger::look_up_fixed_rows() {
  auto weights_of = [&](uint64_t feature) {
    Scores scores{};
    if (const float* w = row(feature)) std::copy(w, w + kNameTags, scores.begin());
    return scores;
  };
  bias_ = weights_of(hashed(kBias, 0));
  bit_rows_.resize(kBitTemplates.size() * kBits);
  for (size_t t = 0; t < kBitTemplates.size(); ++t) {
    for (size_t bit = 0; bit < kBits; ++bit)
      bit_rows_[t * kBits + bit] = weights_of(hashed(kBitTemplates[t], bit));
  }
  for (size_t p = 0; p <= kNameTags; ++p)
    previous_tag_rows_[p] = weights_of(hashed(kPreviousTag, p == kNameTags ? kEdge : p));
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

// The weights of a word's own features and of what it tells the words around it, remembered
// for each word a thread meets: most of a text's words are a few hundred common ones. A word is
// known by its form and the form it was printed in (which decides whether Hunspell knows it), so
// that a remembered word costs one lookup and no dictionary call. The memory is cleared when
// another tagger uses the thread, and before a sentence that would fill it past kRemembered.
struct NameTagger::WordMemory {
  static constexpr size_t kSlots = size_t{1} << 16;  // a quarter full at most
  static constexpr size_t kRemembered = kSlots / 4;
  static_assert(kRemembered > 2 * kLongestSentence);
  struct Slot {
    uint64_t key = 0;  // 0: empty
    uint32_t entry = 0;
  };
  // The tagger and the dictionary it was filled for (a word's weights depend on both); none at
  // first, not even a tagger whose id is 0.
  uint64_t owner = std::numeric_limits<uint64_t>::max();
  uint64_t dictionary = 0;
  std::vector<Slot> slots;
  std::vector<WordWeights> entries;  // never reallocated: a sentence's entries stay put
  std::vector<uint64_t> features;
};

NameTagger::WordMemory& NameTagger::word_memory(const Context& context,
                                                size_t words_to_come) const {
  thread_local WordMemory memory;
  if (memory.owner != id_ || memory.dictionary != context.dictionary.id() ||
      memory.entries.size() + words_to_come > WordMemory::kRemembered) {
    memory.slots.assign(WordMemory::kSlots, WordMemory::Slot{});
    memory.entries.clear();
    memory.entries.reserve(WordMemory::kRemembered + 1);
    memory.owner = id_;
    memory.dictionary = context.dictionary.id();
  }
  return memory;
}

const NameTagger::WordWeights& NameTagger::remembered(WordMemory& memory, const Context& context,
                                                      const SentenceWindow& window,
                                                      ptrdiff_t token) const {
  const std::string_view word = window.word(token);
  const bool inside = window.inside(token);
  const std::string_view printed =
      inside ? printed_word(context, static_cast<size_t>(token)) : std::string_view();
  const uint64_t key = hashed(kRememberedWord, XXH3_64bits(word.data(), word.size()),
                              XXH3_64bits(printed.data(), printed.size())) |
                       1;
  size_t slot = key & (WordMemory::kSlots - 1);
  while (memory.slots[slot].key != 0 && memory.slots[slot].key != key)
    slot = (slot + 1) & (WordMemory::kSlots - 1);
  if (memory.slots[slot].key == key) return memory.entries[memory.slots[slot].entry];
  // word_memory made room for the sentence, which is never longer than kLongestSentence; past
  // kRemembered entries, one more would move them all and leave the sentence's pointers behind.
  if (memory.entries.size() > WordMemory::kRemembered)
    throw std::logic_error("name tagger: a sentence outgrew the word memory");
  memory.slots[slot] = {key, static_cast<uint32_t>(memory.entries.size())};
  WordWeights& weights = memory.entries.emplace_back();
  const uint64_t knowledge = inside ? knowledge_of(context, static_cast<size_t>(token)) : 0;
  auto sum = [&](auto&& features_of, Scores& into) {
    memory.features.clear();
    features_of(memory.features);
    add_weights(memory.features, into);
  };
  sum([&](auto& out) { own_features(word, knowledge, out); }, weights.own);
  sum([&](auto& out) { neighbour_features(true, word, out); }, weights.as_before);
  sum([&](auto& out) { neighbour_features(false, word, out); }, weights.as_after);
  sum([&](auto& out) { far_neighbour_features(true, word, out); }, weights.as_two_before);
  sum([&](auto& out) { far_neighbour_features(false, word, out); }, weights.as_two_after);
  weights.stem = stem_key(word);
  const PreviousTagKeys keys = previous_tag_keys(word);
  for (size_t p = 0; p <= kNameTags; ++p) {
    Scores transition = previous_tag_rows_[p];
    const uint64_t previous = p == kNameTags ? kEdge : p;
    memory.features = {hashed(kPreviousTagWord, previous, keys.word),
                       hashed(kPreviousTagFirstLetter, previous, keys.first_letter)};
    add_weights(memory.features, transition);
    for (size_t c = 0; c < kNameTags; ++c)
      weights.odds_after[p][c] = std::exp(-std::clamp(transition[c], -kMaxScore, kMaxScore));
  }
  return weights;
}

const std::vector<NameTagger::Scores>& NameTagger::word_scores(
    const Context& context, const WordClues& clues, const Sentence& sentence,
    std::vector<const WordWeights*>& own) const {
  const size_t n = sentence.end - sentence.begin;
  // Buffers kept from sentence to sentence: tagging allocates nothing once warm.
  thread_local SentenceCategories categories;
  sentence_categories(context, sentence, categories);
  const SentenceWindow window{context, sentence};
  thread_local std::vector<Scores> scores;
  scores.assign(n, Scores{});
  auto add = [](Scores& sum, const Scores& more) {
    for (size_t c = 0; c < kNameTags; ++c)
      sum[c] += more[c];
  };
  // Each word's remembered weights, two words beyond each edge of the sentence.
  constexpr size_t kMargin = 2;
  WordMemory& memory = word_memory(context, n + 2 * kMargin);
  thread_local std::vector<const WordWeights*> words;
  words.resize(n + 2 * kMargin);
  for (size_t k = 0; k < words.size(); ++k) {
    const auto token = static_cast<ptrdiff_t>(sentence.begin + k) - static_cast<ptrdiff_t>(kMargin);
    words[k] = &remembered(memory, context, window, token);
  }
  thread_local std::vector<uint64_t> shapes;
  for (size_t k = 0; k < n; ++k) {
    const WordWeights& word = *words[k + kMargin];
    add(scores[k], word.own);
    add(scores[k], words[k + kMargin - 1]->as_before);
    add(scores[k], words[k + kMargin + 1]->as_after);
    add(scores[k], bias_);
    add(scores[k], words[k + kMargin - 2]->as_two_before);
    add(scores[k], words[k + kMargin + 2]->as_two_after);
    shapes.clear();
    shape_features(window, sentence.begin + k, shapes);
    for (const uint64_t f : shapes) {
      if (const float* w = cached_row(f)) {
        for (size_t c = 0; c < kNameTags; ++c)
          scores[k][c] += w[c];
      }
    }
    const auto bits = token_bits(categories, k, clues.of_stem(word.stem));
    for (size_t t = 0; t < kBitTemplates.size(); ++t) {
      for (uint32_t b = bits[t]; b != 0; b &= b - 1)
        add(scores[k], bit_rows_[t * kBits + static_cast<size_t>(std::countr_zero(b))]);
    }
    own[k] = &word;
  }
  return scores;
}

std::vector<NameTag> NameTagger::tag_sentence(const Context& context, const WordClues& clues,
                                              const Sentence& sentence) const {
  const size_t n = sentence.end - sentence.begin;
  // A "sentence" of thousands of words is a list or a text without punctuation: tagged in
  // pieces, so that one sentence always fits in the word memory.
  if (n > kLongestSentence) {
    std::vector<NameTag> tags;
    for (size_t begin = sentence.begin; begin < sentence.end; begin += kLongestSentence) {
      const Sentence piece{begin, std::min(sentence.end, begin + kLongestSentence)};
      const std::vector<NameTag> more = tag_sentence(context, clues, piece);
      tags.insert(tags.end(), more.begin(), more.end());
    }
    return tags;
  }
  std::vector<NameTag> tags(n, NameTag::kO);
  if (n == 0) return tags;
  thread_local std::vector<const WordWeights*> words;
  words.resize(n);
  const std::vector<Scores>& base_scores = word_scores(context, clues, sentence, words);

  // Paths are scored by their probability, scaled at each word so that the best is 1: no
  // logarithm, and no underflow. A path ten times less likely than the best is dropped.
  constexpr float kImpossible = 0.0F;
  constexpr float kBeam = 1e-1F;
  thread_local std::vector<Scores> best;
  thread_local std::vector<std::array<uint8_t, kNameTags>> from;
  best.resize(n);
  from.resize(n);
  for (size_t k = 0; k < n; ++k) {
    // One-vs-rest logistic regression: a tag's probability is 1 / (1 + e^-(word + transition))
    // = 1 / (1 + e^-word × e^-transition), and a word's e^-transition is remembered with it.
    Scores odds{};
    for (size_t c = 0; c < kNameTags; ++c)
      odds[c] = std::exp(-std::clamp(base_scores[k][c], -kMaxScore, kMaxScore));
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
      const Scores& odds_after = words[k]->odds_after[p];
      // Each tag's probability, normalised over the tags.
      Scores probability{};
      float total = 0;
      for (size_t c = 0; c < kNameTags; ++c) {
        probability[c] = 1.0F / (1.0F + odds[c] * odds_after[c]);
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
