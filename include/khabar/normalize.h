// khabar/normalize.h — the matching form of a text.
//
// khabar compares, hashes and indexes texts in a normalised form and shows them in their
// original form. Normalisation is, in order:
//   1. ICU NFKC_Casefold: compatibility forms (Arabic presentation forms, ligatures, full-width
//      Latin) to their plain letters, default-ignorable characters (ZWJ, ZWNJ, LRM, RLM, soft
//      hyphen, BOM) removed, Latin case folded;
//   2. Arabic folding, from data/normalize/arabic_folding.tsv: tashkeel and tatweel removed;
//      أ إ آ ٱ → ا; ى → ي; ة → ه; ؤ → و and ئ → ي (optional); Arabic-Indic and Persian digits
//      → 0-9; Arabic punctuation, curly quotes and dashes → ASCII;
//   3. whitespace: every run becomes one space, or one newline when the run held a line break;
//      leading and trailing whitespace removed.
// Steps 1 and 2 are repeated until stable, so the result is a fixpoint: normalising it again
// changes nothing (deleting a tatweel can put a Latin letter next to a combining mark that
// NFKC then composes).
//
//   khabar::Normalizer normalizer;
//   normalizer.normalize("قالَ الرئيسُ «توكاييف» ١٠ يناير");   // → قال الرييس "توكاييف" 10 يناير
//
//   khabar::NormalizedText n = normalizer.normalize_with_offsets(original);
//   // n.text[i] came from original byte n.to_original[i]: match on n.text, highlight original.
//
// Input that is not valid UTF-8 has each ill-formed sequence replaced by U+FFFD first; the
// output is always valid UTF-8. A Normalizer is immutable and safe to share between threads.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace khabar {

struct NormalizeOptions {
  // ؤ → و and ئ → ي. On by default: outlets disagree on hamza seats far more often than two
  // distinct words collide.
  bool fold_hamza_carriers = true;
  // A single pass over the text where it can vouch for the result, the general rounds of
  // NFKC_Casefold and folding elsewhere; both give the same text and offsets. False always
  // runs the rounds: the tests compare the two.
  bool single_pass = true;
};

struct NormalizedText {
  std::string text;
  // to_original[i] is the offset in the original text of the character that produced byte i of
  // text; to_original[text.size()] is the original's length. So the normalised span [b, e)
  // came from the original span [to_original[b], to_original[e]).
  std::vector<uint32_t> to_original;
};

// How much longer than its input a normalised text can be, in bytes. NFKC expands a few
// compatibility characters: U+FDFA (ﷺ, 3 bytes) becomes صلى الله عليه وسلم (33 bytes).
// normalize_test checks this bound over every code point.
inline constexpr size_t kMaxNormalizedGrowth = 11;

// Words in a normalised text: it has no leading or trailing whitespace and one space or newline
// between words, so counting separators is enough.
size_t count_normalized_words(std::string_view normalized);

class Normalizer {
 public:
  explicit Normalizer(NormalizeOptions options = {});

  std::string normalize(std::string_view text) const;
  NormalizedText normalize_with_offsets(std::string_view text) const;

  const NormalizeOptions& options() const { return options_; }

 private:
  std::string normalize_in_rounds(std::string_view text) const;

  NormalizeOptions options_;
  uint32_t enabled_classes_ = 0;
  bool single_pass_ = false;  // normalize_internal::single_pass_supports
};

}  // namespace khabar
