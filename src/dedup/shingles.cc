#include "dedup/internal/shingles.h"

#include <xxhash.h>

#include <algorithm>
#include <limits>

#include "khabar/dedup.h"

namespace khabar::dedup_internal {
namespace {

constexpr uint64_t kShingleSeed = 0x6b686162'61720001ull;  // "khabar", 1
constexpr uint64_t kProbeSeed = 0x6b686162'61720002ull;
constexpr uint64_t kSentenceSeed = 0x6b686162'61720003ull;
constexpr uint32_t kEmpty = std::numeric_limits<uint32_t>::max();

uint64_t word_hash(std::string_view word) {
  return XXH3_64bits_withSeed(word.data(), word.size(), kShingleSeed);
}

bool ends_sentence(char c) {
  return c == '.' || c == '!' || c == '?' || c == ';' || c == '\n';
}

}  // namespace

std::vector<uint64_t> shingle_hashes(const std::vector<std::string_view>& words, size_t size) {
  std::vector<uint64_t> word_hashes(words.size());
  std::transform(words.begin(), words.end(), word_hashes.begin(), word_hash);
  std::vector<uint64_t> out;
  if (word_hashes.empty()) return out;
  const size_t window = std::min(size, word_hashes.size());
  out.reserve(word_hashes.size() - window + 1);
  for (size_t i = 0; i + window <= word_hashes.size(); ++i) {
    // The window's word hashes, hashed again: order matters, and it is one short call.
    out.push_back(XXH3_64bits(word_hashes.data() + i, window * sizeof(uint64_t)));
  }
  return out;
}

std::vector<uint64_t> shingle_set(const std::vector<std::string_view>& words, size_t size) {
  std::vector<uint64_t> out = shingle_hashes(words, size);
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

size_t intersection_size(const std::vector<uint64_t>& a, const std::vector<uint64_t>& b) {
  size_t shared = 0;
  auto i = a.begin();
  auto j = b.begin();
  while (i != a.end() && j != b.end()) {
    if (*i < *j) {
      ++i;
    } else if (*j < *i) {
      ++j;
    } else {
      ++shared;
      ++i;
      ++j;
    }
  }
  return shared;
}

std::vector<uint32_t> minhash_signature(const std::vector<uint64_t>& shingles, size_t slots) {
  std::vector<uint32_t> signature(slots, kEmpty);
  std::vector<uint8_t> filled(slots, 0);
  for (const uint64_t h : shingles) {
    const auto slot = static_cast<size_t>(((h >> 32) * slots) >> 32);
    const auto value = static_cast<uint32_t>(h);
    if (!filled[slot] || value < signature[slot]) signature[slot] = value;
    filled[slot] = 1;
  }
  if (shingles.empty()) return signature;
  for (size_t slot = 0; slot < slots; ++slot) {
    if (filled[slot]) continue;
    // Optimal densification: the bin to borrow from depends only on (slot, attempt), so two
    // texts with the same filled bins borrow the same way.
    for (uint64_t attempt = 1;; ++attempt) {
      const uint64_t probe[2] = {slot, attempt};
      const size_t from = XXH3_64bits_withSeed(probe, sizeof probe, kProbeSeed) % slots;
      if (filled[from]) {
        signature[slot] = signature[from];
        break;
      }
    }
  }
  return signature;
}

std::vector<uint64_t> sentence_hashes(std::string_view normalized, size_t min_words) {
  std::vector<uint64_t> out;
  std::string joined;
  size_t begin = 0;
  while (begin < normalized.size()) {
    size_t end = begin;
    while (end < normalized.size() && !ends_sentence(normalized[end]))
      ++end;
    const std::vector<std::string_view> words = match_words(normalized.substr(begin, end - begin));
    if (words.size() >= min_words) {
      joined.clear();
      for (const std::string_view w : words) {
        joined.append(w);
        joined.push_back(' ');
      }
      out.push_back(XXH3_64bits_withSeed(joined.data(), joined.size(), kSentenceSeed));
    }
    begin = end + 1;
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

}  // namespace khabar::dedup_internal
