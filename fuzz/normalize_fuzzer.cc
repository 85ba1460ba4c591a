#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "khabar/normalize.h"
#include "text/utf8.h"

// Normalisation must be idempotent, produce valid UTF-8, stay within its growth bound and
// agree with its offset-keeping variant, and the single pass with the general rounds (text and
// offsets), for any bytes at all.
extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const khabar::Normalizer normalizer;
  static const khabar::Normalizer rounds(khabar::NormalizeOptions{.single_pass = false});
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const std::string once = normalizer.normalize(input);
  if (khabar::text::find_invalid_utf8(once) != khabar::text::kNoInvalidByte) std::abort();
  if (normalizer.normalize(once) != once) std::abort();
  if (once.size() > khabar::kMaxNormalizedGrowth * 3 * size) std::abort();
  const khabar::NormalizedText with_offsets = normalizer.normalize_with_offsets(input);
  if (with_offsets.text != once) std::abort();
  if (with_offsets.to_original.size() != once.size() + 1) std::abort();
  for (size_t i = 1; i < with_offsets.to_original.size(); ++i) {
    if (with_offsets.to_original[i - 1] > with_offsets.to_original[i]) std::abort();
  }
  if (with_offsets.to_original.back() != size) std::abort();
  const khabar::NormalizedText general = rounds.normalize_with_offsets(input);
  if (general.text != with_offsets.text || general.to_original != with_offsets.to_original)
    std::abort();
  return 0;
}
