#include "extract/internal/dictionary.h"

#include <atomic>
#include <filesystem>
#include <hunspell/hunspell.hxx>

#include "text/utf8.h"

namespace khabar::extract_internal {
namespace {

// Remembered words; past this the memory starts again.
constexpr size_t kMaxRemembered = 1 << 17;

bool is_tashkeel_or_tatweel(char32_t c) {
  return (c >= 0x064B && c <= 0x065F) || c == 0x0640 || c == 0x0670;
}

std::string without_tashkeel(std::string_view word) {
  std::string out;
  size_t i = 0;
  while (i < word.size()) {
    const size_t start = i;
    const int32_t c = text::next_code_point(word, i);
    if (c >= 0 && is_tashkeel_or_tatweel(static_cast<char32_t>(c))) continue;
    out.append(word.substr(start, i - start));
  }
  return out;
}

}  // namespace

Dictionary::Dictionary(const std::string& affix_path, const std::string& dictionary_path) {
  static std::atomic<uint64_t> dictionaries{0};
  id_ = ++dictionaries;
  std::error_code error;
  if (std::filesystem::is_regular_file(affix_path, error) &&
      std::filesystem::is_regular_file(dictionary_path, error)) {
    hunspell_ = std::make_unique<Hunspell>(affix_path.c_str(), dictionary_path.c_str());
  }
}

Dictionary::~Dictionary() = default;

bool Dictionary::knows(std::string_view word) const {
  if (!hunspell_ || word.empty()) return false;
  // An Arabic word list knows no word in Latin letters; asking would cost a slow miss for
  // every new English name.
  if (static_cast<unsigned char>(word.front()) < 0x80) return false;
  std::lock_guard lock(mutex_);
  // Most words carry no tashkeel and were seen before: found without making a string.
  if (const auto it = known_.find(word); it != known_.end()) return it->second;
  std::string plain = without_tashkeel(word);
  if (const auto it = known_.find(plain); it != known_.end()) return it->second;
  if (known_.size() >= kMaxRemembered) known_.clear();
  const bool known = hunspell_->spell(plain);
  known_.emplace(std::move(plain), known);
  return known;
}

}  // namespace khabar::extract_internal
