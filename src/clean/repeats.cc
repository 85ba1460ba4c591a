#include <fmt/format.h>
#include <xxhash.h>

#include <algorithm>
#include <array>
#include <unordered_map>

#include "clean/internal/clean_internal.h"
#include "text/utf8.h"

namespace khabar::clean_internal {
namespace {

// Pull-quotes shorter than this are too likely to be a common phrase inside a real paragraph.
constexpr size_t kMinRepeatWords = 6;
// Containment is quadratic in paragraphs; beyond this many only exact repeats are looked for.
constexpr size_t kMaxContainmentParagraphs = 1000;

// ASCII punctuation and whitespace (ispunct, isspace); the key is normalised, so Arabic
// punctuation is ASCII too.
constexpr std::array<bool, 256> kSeparators = [] {
  std::array<bool, 256> table{};
  for (int c = 0; c < 0x80; ++c) {
    const bool letter_or_digit =
        (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    const bool space = c == ' ' || (c >= '\t' && c <= '\r');
    const bool punctuation = c > ' ' && c < 0x7F && !letter_or_digit;
    table[static_cast<size_t>(c)] = space || punctuation;
  }
  return table;
}();

bool is_separator(char c) {
  return kSeparators[static_cast<unsigned char>(c)];
}

// A 256-bit set of a paragraph's words. A paragraph can only lie inside another if its words
// are a subset of the other's, and with a few dozen words per paragraph the sets rule out
// nearly every pair before the substring search, which is the quadratic part.
using WordSet = std::array<uint64_t, 4>;

struct WordKey {
  // The words of the unit's normalised key, punctuation dropped, padded with spaces so that a
  // substring search finds whole words only.
  std::string text;
  WordSet words{};
};

WordKey word_key(const Unit& unit) {
  const std::string_view key = unit.key();
  WordKey out;
  out.text.reserve(key.size() + 2);
  out.text += ' ';
  size_t i = 0;
  while (i < key.size()) {
    uint32_t hash = 2166136261u;  // FNV-1a: words are short, a call per word would cost more
    size_t word_end = i;
    for (; word_end < key.size() && !is_separator(key[word_end]); ++word_end) {
      hash = (hash ^ static_cast<uint8_t>(key[word_end])) * 16777619u;
    }
    if (word_end > i) {
      out.text.append(key.substr(i, word_end - i));
      out.text += ' ';
      const uint32_t bit = hash % 256;
      out.words[bit / 64] |= uint64_t{1} << (bit % 64);
    }
    i = word_end + 1;
  }
  return out;
}

struct KeyHash {
  size_t operator()(std::string_view key) const { return XXH3_64bits(key.data(), key.size()); }
};

bool may_be_inside(const WordSet& inner, const WordSet& outer) {
  for (size_t k = 0; k < inner.size(); ++k) {
    if ((inner[k] & ~outer[k]) != 0) return false;
  }
  return true;
}

void drop(Unit& unit, std::string rule, std::string reason, std::vector<Removal>& removals) {
  unit.role = Unit::Role::kRemoved;
  removals.push_back(
      {unit.begin, unit.end, Removal::Kind::kRemoved, std::move(rule), std::move(reason)});
}

}  // namespace

void remove_repeats(std::vector<Unit>& units, std::vector<Removal>& removals) {
  struct Candidate {
    Unit* unit;
    std::string key;
    WordSet words;
  };
  std::vector<Candidate> candidates;
  for (Unit& unit : units) {
    if (unit.role == Unit::Role::kBody && unit.words >= kMinRepeatWords) {
      WordKey key = word_key(unit);
      candidates.push_back({&unit, std::move(key.text), key.words});
    }
  }
  std::unordered_map<std::string_view, const Unit*, KeyHash> first_seen;
  for (Candidate& c : candidates) {
    const auto [it, inserted] = first_seen.emplace(c.key, c.unit);
    if (!inserted) {
      drop(*c.unit, "repeated-paragraph",
           fmt::format("the same paragraph as at byte {}, printed twice", it->second->begin),
           removals);
    }
  }
  if (candidates.size() > kMaxContainmentParagraphs) return;
  for (size_t i = 0; i < candidates.size(); ++i) {
    for (size_t j = 0; j < candidates.size(); ++j) {
      Unit& inner = *candidates[i].unit;
      const Unit& outer = *candidates[j].unit;
      if (i == j || !inner.active() || !outer.active()) continue;
      if (candidates[i].key.size() >= candidates[j].key.size()) continue;
      if (!may_be_inside(candidates[i].words, candidates[j].words)) continue;
      if (candidates[j].key.find(candidates[i].key) == std::string::npos) continue;
      drop(inner, "pull-quote",
           fmt::format("repeated word for word inside the {} paragraph at byte {}",
                       j > i ? "later" : "earlier", outer.begin),
           removals);
    }
  }
}

}  // namespace khabar::clean_internal
