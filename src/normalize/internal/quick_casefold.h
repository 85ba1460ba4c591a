// NFKC_Casefold without calling ICU on text that it would leave unchanged.
//
// ICU's normalizeUTF8 costs about 8 ns a byte, and most news text (Arabic letters, lower-case
// Latin, digits, spaces) is already normalised. A character that has no NFKC_Casefold mapping
// and a normalisation boundary before it comes out of ICU as it went in, and text may be cut at
// every such boundary (Normalizer2::hasBoundaryBefore). So the text is cut into segments at
// those boundaries; only segments holding a character with a mapping, or one that combines with
// what precedes it, are passed to ICU. The result is byte for byte what ICU gives on the whole
// text (checked for every BMP code point in normalize_test.cc).
#pragma once

#include <unicode/normalizer2.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace khabar::normalize_internal {

class QuickCasefold {
 public:
  // The process-wide instance over ICU's NFKC_Casefold data; aborts if ICU has no such data.
  static const QuickCasefold& instance();

  // Appends NFKC_Casefold(in) to out. Returns false, with `out` unspecified, if `in` is not
  // valid UTF-8: checking here saves a separate validation pass over every text.
  [[nodiscard]] bool append(std::string_view in, std::string& out) const;
  // True when NFKC_Casefold(in) == in, decided from the table when it can be.
  bool is_normalized(std::string_view in) const;

  // ICU on the whole of `segment`, appended to out.
  void append_with_icu(std::string_view segment, std::string& out) const;

  // Nothing before c combines with it, so text may be cut before c.
  bool has_boundary_before(char32_t c) const {
    return c < kBmpSize && (flags_[c] & kBoundaryBefore) != 0;
  }
  // c has no mapping and a boundary before it: alone between boundaries, ICU leaves it as is.
  bool is_inert(char32_t c) const {
    return c < kBmpSize && flags_[c] == (kUnchanged | kBoundaryBefore);
  }

  const icu::Normalizer2& icu() const { return icu_; }

 private:
  explicit QuickCasefold(const icu::Normalizer2& icu);

  // Per BMP code point: kUnchanged (no mapping) and kBoundaryBefore (nothing before it
  // combines with it). Code points outside the BMP always take the ICU path.
  static constexpr char32_t kBmpSize = 0x10000;
  static constexpr uint8_t kUnchanged = 1;
  static constexpr uint8_t kBoundaryBefore = 2;
  const icu::Normalizer2& icu_;
  std::vector<uint8_t> flags_;
};

}  // namespace khabar::normalize_internal
