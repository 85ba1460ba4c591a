// khabar/analyzer.h — the terms that story clustering (and search) compare.
//
//   khabar::Analyzer analyzer;
//   analyzer.terms(normalizer.normalize("وقال الرئيس الكازاخستاني إن المتظاهرين..."));
//   // → {"رييس", "كازاخستان", "متظاهر", ...}
//
// Input is khabar's normalised text (khabar/normalize.h). Each word is stripped of edge
// punctuation; a word written in Arabic letters loses a conjunction و or ف stuck to its article
// (والرئيس → الرئيس), which Snowball leaves, and is stemmed with Snowball's Arabic stemmer
// (libstemmer), which takes off the other clitics (ال، ب، ك، ل) and suffixes; a Latin word is
// stemmed with Snowball's English stemmer; a number of two or more digits is kept whole, since
// counts tie reports of one event together. Stop words (data/cluster/) are dropped before
// stemming.
//
// An Analyzer holds Snowball stemmers, which keep state between calls: use one per thread.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace khabar {

class Analyzer {
 public:
  Analyzer();
  ~Analyzer();
  Analyzer(Analyzer&&) noexcept;
  Analyzer& operator=(Analyzer&&) noexcept;

  // Remembers each word's term (a bounded cache), which changes no result.
  std::vector<std::string> terms(std::string_view normalized) const;
  // One word's term, as terms() gives it; empty for a stop word, a number of one digit or a
  // stem too short to keep. `word` is one of match_words()'s words of normalised text.
  std::string term(std::string_view word) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace khabar
