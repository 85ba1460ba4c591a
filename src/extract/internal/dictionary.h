// Is a word a common Arabic word? Debian's hunspell-ar answers; its answers are remembered,
// since news repeats its words and Hunspell takes tens of microseconds a word.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

class Hunspell;

namespace khabar::extract_internal {

class Dictionary {
 public:
  // Without the files (hunspell-ar not installed) every word is unknown, so names run to the
  // next stop word or punctuation.
  Dictionary(const std::string& affix_path, const std::string& dictionary_path);
  ~Dictionary();

  bool loaded() const { return hunspell_ != nullptr; }
  // Tells dictionaries apart for as long as the process runs (an address may be reused): what
  // the name tagger remembers of a word depends on whether the dictionary knows it.
  uint64_t id() const { return id_; }
  // `word` as printed, tashkeel and tatweel allowed: Hunspell's Arabic dictionary spells hamza
  // and taa marbuta, so it must see the word before khabar's folding. A word starting with an
  // ASCII character is not Arabic, and not known.
  bool knows(std::string_view word) const;

 private:
  uint64_t id_ = 0;
  std::unique_ptr<Hunspell> hunspell_;
  mutable std::mutex mutex_;  // Hunspell keeps state between calls
  struct StringHash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  mutable std::unordered_map<std::string, bool, StringHash, std::equal_to<>> known_;
};

}  // namespace khabar::extract_internal
