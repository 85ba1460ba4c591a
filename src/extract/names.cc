#include "extract/internal/names.h"

#include <algorithm>
#include <vector>

#include "text/utf8.h"

namespace khabar::extract_internal {

std::u32string letters_of(std::string_view word) {
  std::u32string out;
  size_t i = 0;
  while (i < word.size()) {
    const int32_t c = text::next_code_point(word, i);
    out.push_back(c < 0 ? text::kReplacementCharacter : static_cast<char32_t>(c));
  }
  return out;
}

std::u32string skeleton(const std::u32string& letters) {
  std::u32string out;
  for (size_t i = 0; i < letters.size(); ++i) {
    // A foreign g is written غ in the Levant and ج in Egypt: سيرغي، سيرجي.
    const char32_t c = letters[i] == U'\u063A' ? U'\u062C' : letters[i];
    const bool vowel = c == U'\u0627' || c == U'\u0648' || c == U'\u064A' || c == U'\u0621';
    if (i > 0 && vowel) continue;
    if (!out.empty() && out.back() == c) continue;
    out.push_back(c);
  }
  return out;
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

}  // namespace khabar::extract_internal
