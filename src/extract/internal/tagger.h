// A learnt tagger of names: people, places, organisations, and other names (MISC, kept apart so
// that a nationality or an event is not taken for one of the three).
//
// Each word is described by hashed features (the word, its form without clitics, affixes, the
// words around it, its shape, what the lexicon of data/extract/ says at and around it, whether
// Hunspell knows it) and the tag before it. A linear model per tag (one-vs-rest logistic
// regression, trained by liblinear in eval/ner_tagger.cc from ANERcorp) scores them, and a
// Viterbi search takes the best BIO sequence of each sentence. Training and tagging use the same
// feature functions; tagging adds up each word's share ahead of time, and a unit test checks
// that its sums are the weights of the features training sees.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "extract/internal/passes.h"

namespace khabar::extract_internal {

enum class NameTag : uint8_t { kO, kBPers, kIPers, kBLoc, kILoc, kBOrg, kIOrg, kBMisc, kIMisc };
inline constexpr size_t kNameTags = 9;

std::string_view name_tag_label(NameTag tag);                // "O", "B-PERS", ...
std::optional<NameTag> name_tag_of(std::string_view label);  // ANERcorp's labels
inline bool begins_name(NameTag tag) {
  return tag == NameTag::kBPers || tag == NameTag::kBLoc || tag == NameTag::kBOrg ||
         tag == NameTag::kBMisc;
}
inline NameTag inside_of(NameTag begin) {
  return static_cast<NameTag>(static_cast<int>(begin) + 1);
}

// What of a token the features joined with the tag before it read: the word and its first
// letter (a name after a name with و before it is a second name, «الحسن والحسين»; «بن» after a
// name continues it).
struct PreviousTagKeys {
  uint64_t word = 0;
  uint64_t first_letter = 0;
};

// What the whole text says of each word (by its form without clitics): whether it follows a
// title, a speech verb, a given name or a name particle somewhere. «قال رمضان» names Ramadan
// for every «رمضان» of the article.
class WordClues {
 public:
  explicit WordClues(const Context& context);
  uint32_t of(std::string_view word) const;
  uint32_t of_stem(uint64_t stem) const;  // by the key of the word's form without clitics

 private:
  std::unordered_map<uint64_t, uint32_t> clues_;
};

// The features of the tokens of one sentence that do not depend on the tags before them, and
// the keys of those that do. They cover tokens [sentence.begin, sentence.end).
void sentence_features(const Context& context, const WordClues& clues, const Sentence& sentence,
                       std::vector<std::vector<uint64_t>>& features,
                       std::vector<PreviousTagKeys>& keys);
inline constexpr size_t kPreviousTagFeatures = 3;
// The features of the tag before a token (std::nullopt: the sentence's start).
std::array<uint64_t, kPreviousTagFeatures> previous_tag_features(std::optional<NameTag> previous,
                                                                 const PreviousTagKeys& keys);

// The bytes of a clitic (و، ف، ب، ل، ك) glued to a name's first word (normalised): there when the
// word without it is more common in real news than with it, so «واسراييل» loses its و and
// «وليد» and «بوتين» keep their first letter.
size_t name_clitic_bytes(std::string_view word);

// A name the tagger found: tokens [first, last) of the text.
struct TaggedName {
  size_t first = 0;
  size_t last = 0;
  NameTag tag = NameTag::kBPers;  // the B- tag of its type
};

struct SentenceWindow;

class NameTagger {
 public:
  // Reads a model written by eval/ner_tagger (its first line names the format and version).
  // Throws std::runtime_error naming what is wrong; `origin` names the file in the message.
  static NameTagger parse(std::string_view model, std::string_view origin);
  // The model built into khabar (data/extract/name_tagger.model).
  static const NameTagger& built_in();

  std::vector<TaggedName> tag(const Context& context) const;
  // The best tags of one sentence's tokens.
  std::vector<NameTag> tag_sentence(const Context& context, const WordClues& clues,
                                    const Sentence& sentence) const;
  size_t features() const { return rows_; }

  static constexpr size_t kLongestSentence = 1000;  // tokens; longer ones are tagged in pieces

  // 2: the features of version 1 without pairs of words.
  static constexpr std::string_view kFormat = "khabar-name-tagger 2";

 private:
  using Scores = std::array<float, kNameTags>;
  // A word's own features' weights, and those of what it tells the word after it and before it.
  struct WordWeights {
    Scores own{};
    Scores as_before{};
    Scores as_after{};
    Scores as_two_before{};
    Scores as_two_after{};
    uint64_t stem = 0;  // the key of its form without clitics
    // e^-(the weights of the features joining the word and the tag before it), by that tag (the
    // sentence's edge last).
    std::array<Scores, kNameTags + 1> odds_after{};
  };
  void add_row(uint64_t feature, const Scores& weights);
  const float* row(uint64_t feature) const;
  void add_weights(const std::vector<uint64_t>& features, Scores& sum) const;
  friend struct NameTaggerInternals;  // tagger_test.cc
  struct WordMemory;
  WordMemory& word_memory(const Context& context, size_t words_to_come) const;
  const WordWeights& remembered(WordMemory& memory, const Context& context,
                                const SentenceWindow& window, ptrdiff_t token) const;
  // Each token's summed weights before the tag before it is known, and its remembered weights.
  // Kept per thread: valid until the thread's next sentence.
  const std::vector<Scores>& word_scores(const Context& context, const WordClues& clues,
                                         const Sentence& sentence,
                                         std::vector<const WordWeights*>& own) const;

  uint64_t id_ = 0;  // tells taggers apart in the per-thread memory of word scores

  const float* cached_row(uint64_t feature) const;
  // Open addressing on the feature hash, half full at most: tagging looks up some forty features
  // a word.
  std::vector<uint64_t> keys_;  // 0 when the slot is empty
  std::vector<float> weights_;  // kNameTags a slot
  size_t rows_ = 0;

  void look_up_fixed_rows();
  Scores bias_{};
  std::vector<Scores> bit_rows_;                           // by bit template, then bit
  std::array<Scores, kNameTags + 1> previous_tag_rows_{};  // by tag, then the sentence's edge
};

}  // namespace khabar::extract_internal
