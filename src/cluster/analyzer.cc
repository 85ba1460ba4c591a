#include "khabar/analyzer.h"

#include <libstemmer.h>
#include <xxhash.h>

#include <cstdlib>
#include <iostream>
#include <unordered_map>
#include <unordered_set>

#include "khabar/dedup.h"
#include "khabar/normalize.h"
#include "khabar_data/stopwords_ar_txt.h"
#include "khabar_data/stopwords_en_txt.h"
#include "text/utf8.h"

namespace khabar {
namespace {

// Words shorter than this (in bytes) carry no topic once stemmed: one Arabic letter is 2 bytes.
constexpr size_t kMinTermBytes = 3;
// Words whose term is remembered. News vocabulary is Zipfian, so most words of an article were
// seen before; past this many (about 25 MB) the memory starts again, bounded whatever the
// corpus.
constexpr size_t kMaxCachedWords = 1 << 18;

struct StemmerDeleter {
  void operator()(sb_stemmer* s) const { sb_stemmer_delete(s); }
};
using Stemmer = std::unique_ptr<sb_stemmer, StemmerDeleter>;

Stemmer make_stemmer(const char* language) {
  Stemmer stemmer(sb_stemmer_new(language, "UTF_8"));
  if (!stemmer) {
    // libstemmer ships both; only a broken installation gets here.
    std::cerr << "khabar: libstemmer has no " << language << " stemmer\n";
    std::abort();
  }
  return stemmer;
}

std::unordered_set<std::string> load_stop_words(std::string_view data) {
  const Normalizer normalizer;
  std::unordered_set<std::string> words;
  for (const text::DataLine& line : text::data_lines(data)) {
    words.insert(normalizer.normalize(line.text));
  }
  return words;
}

bool is_number(std::string_view word) {
  for (const char c : word) {
    if (c < '0' || c > '9') return false;
  }
  return !word.empty();
}

// و or ف glued to an article-prefixed word: والرئيس, فالحكومة. Snowball strips either alone
// but not the pair.
std::string_view without_conjunction(std::string_view word) {
  static constexpr std::string_view kWaw = "و", kFa = "ف", kAl = "ال";
  for (const std::string_view conjunction : {kWaw, kFa}) {
    if (word.size() > conjunction.size() + kAl.size() + 4 && word.starts_with(conjunction) &&
        word.substr(conjunction.size()).starts_with(kAl)) {
      return word.substr(conjunction.size());
    }
  }
  return word;
}

}  // namespace

struct Analyzer::Impl {
  Stemmer arabic = make_stemmer("arabic");
  Stemmer english = make_stemmer("english");
  std::unordered_set<std::string> arabic_stop_words = load_stop_words(data::stopwords_ar_txt);
  std::unordered_set<std::string> english_stop_words = load_stop_words(data::stopwords_en_txt);

  // A word's term ("" for a stop word or a stem too short to keep), by the word's 64-bit hash:
  // Snowball was a quarter of clustering's time, re-stemming the same words.
  std::unordered_map<uint64_t, std::string> term_of_word;

  std::string term(std::string_view word) {
    const bool in_arabic = text::starts_in_arabic_block(word);
    const auto& stop_words = in_arabic ? arabic_stop_words : english_stop_words;
    if (stop_words.contains(std::string(word))) return {};
    std::string stemmed =
        in_arabic ? stem(arabic.get(), without_conjunction(word)) : stem(english.get(), word);
    return stemmed.size() >= kMinTermBytes ? stemmed : std::string();
  }

  const std::string& cached_term(std::string_view word) {
    const uint64_t hash = XXH3_64bits(word.data(), word.size());
    if (const auto it = term_of_word.find(hash); it != term_of_word.end()) return it->second;
    if (term_of_word.size() >= kMaxCachedWords) term_of_word.clear();
    return term_of_word.emplace(hash, term(word)).first->second;
  }

  std::string stem(sb_stemmer* stemmer, std::string_view word) const {
    const sb_symbol* stemmed = sb_stemmer_stem(
        stemmer, reinterpret_cast<const sb_symbol*>(word.data()), static_cast<int>(word.size()));
    if (stemmed == nullptr) return std::string(word);  // out of memory: the word as it is
    return std::string(reinterpret_cast<const char*>(stemmed),
                       static_cast<size_t>(sb_stemmer_length(stemmer)));
  }
};

Analyzer::Analyzer() : impl_(std::make_unique<Impl>()) {}
Analyzer::~Analyzer() = default;
Analyzer::Analyzer(Analyzer&&) noexcept = default;
Analyzer& Analyzer::operator=(Analyzer&&) noexcept = default;

std::vector<std::string> Analyzer::terms(std::string_view normalized) const {
  std::vector<std::string> out;
  for (const std::string_view word : match_words(normalized)) {
    std::string one = term(word);
    if (!one.empty()) out.push_back(std::move(one));
  }
  return out;
}

std::string Analyzer::term(std::string_view word) const {
  if (word.empty()) return {};
  if (is_number(word)) return word.size() >= 2 ? std::string(word) : std::string();
  return impl_->cached_term(word);
}

}  // namespace khabar
