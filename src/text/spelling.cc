#include "text/spelling.h"

#include <algorithm>
#include <vector>

#include "text/utf8.h"

namespace khabar::text {

std::u32string letters_of(std::string_view word) {
  std::u32string out;
  size_t i = 0;
  while (i < word.size()) {
    const int32_t c = text::next_code_point(word, i);
    out.push_back(c < 0 ? text::kReplacementCharacter : static_cast<char32_t>(c));
  }
  return out;
}

namespace {

// The skeleton's rule for one letter: what it adds after `previous` (the skeleton's last
// letter, or 0), or 0 when it adds nothing.
char32_t skeleton_letter(char32_t letter, bool first, char32_t previous) {
  // A foreign g is written غ in the Levant and ج in Egypt: سيرغي، سيرجي.
  const char32_t c = letter == U'\u063A' ? U'\u062C' : letter;
  const bool vowel = c == U'\u0627' || c == U'\u0648' || c == U'\u064A' || c == U'\u0621';
  if ((!first && vowel) || c == previous) return 0;
  return c;
}

}  // namespace

std::u32string skeleton(const std::u32string& letters) {
  std::u32string out;
  for (size_t i = 0; i < letters.size(); ++i) {
    if (const char32_t c = skeleton_letter(letters[i], i == 0, out.empty() ? 0 : out.back()))
      out.push_back(c);
  }
  return out;
}

SkeletonDigest skeleton_digest(std::string_view word) {
  SkeletonDigest digest;
  uint64_t hash = 14695981039346656037ull;  // FNV-1a
  char32_t previous = 0;
  size_t i = 0;
  while (i < word.size()) {
    const int32_t code = text::next_code_point(word, i);
    const char32_t letter = code < 0 ? text::kReplacementCharacter : static_cast<char32_t>(code);
    if (const char32_t c = skeleton_letter(letter, digest.letters == 0, previous)) {
      hash = (hash ^ c) * 1099511628211ull;
      previous = c;
    }
    ++digest.letters;
  }
  digest.hash = hash;
  return digest;
}

uint64_t skeleton_digest_of(const std::u32string& skeleton_letters) {
  uint64_t hash = 14695981039346656037ull;
  for (const char32_t c : skeleton_letters)
    hash = (hash ^ c) * 1099511628211ull;
  return hash;
}

size_t edit_distance(const std::u32string& a, const std::u32string& b) {
  const size_t n = a.size(), m = b.size();
  std::vector<std::vector<size_t>> d(n + 1, std::vector<size_t>(m + 1));
  for (size_t i = 0; i <= n; ++i)
    d[i][0] = i;
  for (size_t j = 0; j <= m; ++j)
    d[0][j] = j;
  for (size_t i = 1; i <= n; ++i) {
    for (size_t j = 1; j <= m; ++j) {
      const size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
      }
    }
  }
  return d[n][m];
}

}  // namespace khabar::text
