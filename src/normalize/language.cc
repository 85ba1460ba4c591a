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

bool arabic_script(int32_t c) {
  return (c >= 0x0600 && c <= 0x06FF) || (c >= 0x0750 && c <= 0x077F) ||
         (c >= 0x08A0 && c <= 0x08FF) || (c >= 0xFB50 && c <= 0xFDFF) ||
         (c >= 0xFE70 && c <= 0xFEFF);
}

// The share of a sample's letters written in Arabic script, against Latin ones.
double arabic_script_share(std::string_view sample) {
  size_t arabic = 0, latin = 0;
  for (size_t i = 0; i < sample.size();) {
    const int32_t c = text::next_code_point(sample, i);
    if (arabic_script(c)) {
      ++arabic;
    } else if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= 0xC0 && c <= 0x24F)) {
      ++latin;
    }
  }
  return arabic + latin == 0 ? 0.0
                             : static_cast<double>(arabic) / static_cast<double>(arabic + latin);
}

}  // namespace

LanguageGuess identify_language(std::string_view utf8_text) {
  LanguageGuess guess = identify_prefix(utf8_text, kLanguageSampleBytes);
  if (!guess.reliable && utf8_text.size() > kLanguageSampleBytes) {
    guess = identify_prefix(utf8_text, kLanguageLongSampleBytes);
  }
  if (guess.reliable) return guess;
  // CLD2 guesses English, with no confidence, for a title or a one-line item it cannot read:
  // text mostly in Arabic script is taken for Arabic, khabar's first language (Persian and
  // Urdu, written in it too, are told apart by CLD2 once there is enough text to be sure).
  const double share = arabic_script_share(
      utf8_text.substr(0, text::utf8_prefix_length(utf8_text, kLanguageSampleBytes)));
  if (share > 0.5 && guess.code != "fa" && guess.code != "ur" && guess.code != "ps" &&
      guess.code != "ku") {
    guess.code = "ar";
    guess.confidence = std::max(guess.confidence, share / 2);
  }
  return guess;
}

void tune_allocator_for_batch_work() {
  mallopt(M_TRIM_THRESHOLD, 64 << 20);
  mallopt(M_MMAP_THRESHOLD, 32 << 20);
}

}  // namespace khabar
