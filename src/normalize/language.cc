#include "khabar/language.h"

#include <cld2/public/compact_lang_det.h>
#include <malloc.h>

#include <algorithm>
#include <cstdio>  // compact_lang_det.h uses FILE without including it

#include "text/utf8.h"

namespace khabar {

namespace {

LanguageGuess identify_prefix(std::string_view utf8_text, size_t max_bytes) {
  std::string_view sample = utf8_text.substr(0, text::utf8_prefix_length(utf8_text, max_bytes));
  std::string repaired;
  if (text::find_invalid_utf8(sample) != text::kNoInvalidByte) {
    repaired = text::to_valid_utf8(sample);
    sample = repaired;
  }
  LanguageGuess guess;
  if (text::trim(sample).empty()) return guess;
  CLD2::Language top3[3];
  int percent3[3] = {0, 0, 0};
  int text_bytes = 0;
  bool reliable = false;
  const CLD2::Language language =
      CLD2::DetectLanguageSummary(sample.data(), static_cast<int>(sample.size()),
                                  /*is_plain_text=*/true, top3, percent3, &text_bytes, &reliable);
  if (language == CLD2::UNKNOWN_LANGUAGE || language == CLD2::TG_UNKNOWN_LANGUAGE) return guess;
  guess.code = CLD2::LanguageCode(language);
  guess.confidence = std::clamp(percent3[0], 0, 100) / 100.0;
  guess.reliable = reliable;
  return guess;
}

}  // namespace

LanguageGuess identify_language(std::string_view utf8_text) {
  LanguageGuess guess = identify_prefix(utf8_text, kLanguageSampleBytes);
  if (guess.reliable || utf8_text.size() <= kLanguageSampleBytes) return guess;
  return identify_prefix(utf8_text, kLanguageLongSampleBytes);
}

void tune_allocator_for_batch_work() {
  mallopt(M_TRIM_THRESHOLD, 64 << 20);
  mallopt(M_MMAP_THRESHOLD, 32 << 20);
}

}  // namespace khabar
