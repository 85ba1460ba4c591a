// A learnt tagger of names: people, places, organisations, and other names (MISC, kept apart so
// that a nationality or an event is not taken for one of the three).
//
// Each word is described by hashed features (the word, its form without clitics, affixes, the
// words around it, its shape, what the lexicon of data/extract/ says at and around it, whether
// Hunspell knows it) and the tag before it. A linear model per tag (one-vs-rest logistic
// regression, trained by liblinear in eval/ner_tagger.cc from ANERcorp) scores them, and a
// Viterbi search takes the best BIO sequence of each sentence. The same feature code serves
// training and tagging, so the two cannot drift apart.
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

  static constexpr std::string_view kFormat = "khabar-name-tagger 1";

 private:
  using Scores = std::array<float, kNameTags>;
  enum class WordPart : uint8_t { kOwn, kBefore, kAfter };
  void add_row(uint64_t feature, const Scores& weights);
  const float* row(uint64_t feature) const;
  void add_weights(const std::vector<uint64_t>& features, Scores& sum) const;
  const Scores& remembered(uint64_t key, WordPart part, std::string_view word,
                           uint64_t knowledge) const;
  // Each token's summed weights, before the tag before it is known.
  std::vector<Scores> word_scores(const Context& context, const WordClues& clues,
                                  const Sentence& sentence) const;

  uint64_t id_ = 0;  // tells taggers apart in the per-thread memory of word scores

  // Open addressing on the feature hash: tagging looks up some forty features a word.
  struct Slot {
    uint64_t key = 0;
    uint32_t row = 0;  // row + 1, or 0 when empty
  };
  std::vector<Slot> slots_;
  std::vector<float> weights_;  // kNameTags a row
  size_t rows_ = 0;
};

}  // namespace khabar::extract_internal
