// khabar/language.h — which language an article is written in, with CLD2.
//
//   khabar::LanguageGuess g = khabar::identify_language(body);
//   g.code        // "ar", "en", ... (ISO 639-1 where one exists), "und" when CLD2 cannot tell
//   g.confidence  // 0..1: the share of the sampled text CLD2 gave to that language
//   g.reliable    // CLD2's own verdict; short or mixed texts are often unreliable
//
// CLD2 reads the first kLanguageSampleBytes of the text (some 45 English or 25 Arabic words)
// and, only when it calls that unreliable, the first kLanguageLongSampleBytes. CLD2's cost grows
// with the text, mostly in cache misses on its scoring tables: with a whole kilobyte every time
// it was a third of the ingest time.
//
// CLD2 allocates a large scratch buffer on every call; with glibc's default heap trimming that
// costs a brk() pair per call (~70 µs). Programs that identify many texts should call
// khabar::tune_allocator_for_batch_work() once at start-up (the CLI does).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace khabar {

inline constexpr size_t kLanguageSampleBytes = 256;
inline constexpr size_t kLanguageLongSampleBytes = 1024;

struct LanguageGuess {
  std::string code = "und";
  double confidence = 0.0;
  bool reliable = false;
};

LanguageGuess identify_language(std::string_view utf8_text);

// Raises glibc's heap trim and mmap thresholds so that large short-lived buffers are reused
// instead of returned to the kernel after every call. Process-wide: call it from main().
void tune_allocator_for_batch_work();

}  // namespace khabar
