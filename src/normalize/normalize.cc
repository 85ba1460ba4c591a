#include "khabar/normalize.h"

#include <unicode/bytestream.h>
#include <unicode/edits.h>
#include <unicode/normalizer2.h>

#include <cstdlib>
#include <cstring>
#include <iostream>

#include "normalize/internal/folding_table.h"
#include "normalize/internal/quick_casefold.h"
#include "normalize/internal/single_pass.h"
#include "text/utf8.h"

namespace khabar {
namespace {

using normalize_internal::FoldingTable;
using normalize_internal::QuickCasefold;

const icu::Normalizer2& nfkc_casefold() {
  return QuickCasefold::instance().icu();
}

// Offset bookkeeping is a template policy so that the plain path (ids, matching) pays nothing
// for the map that only highlighting needs.
struct NoOffsets {
  void emit(size_t /*source_byte*/, size_t /*count*/) {}
  void emit_unchanged(std::string_view /*source*/, size_t /*begin*/, size_t /*end*/) {}
  void finish(size_t /*source_size*/) {}
};

class Offsets {
 public:
  explicit Offsets(const std::vector<uint32_t>& previous) : previous_(previous) {}
  // `count` output bytes came from the source character that starts at `source_byte`.
  void emit(size_t source_byte, size_t count) {
    out_.insert(out_.end(), count, previous_[source_byte]);
  }
  // Source bytes [begin, end) copied as they are: each output byte maps where the first byte
  // of its character maps, as emit() does for a single character.
  void emit_unchanged(std::string_view source, size_t begin, size_t end) {
    uint32_t mapped = previous_[begin];
    for (size_t b = begin; b < end; ++b) {
      if (!U8_IS_TRAIL(static_cast<uint8_t>(source[b]))) mapped = previous_[b];
      out_.push_back(mapped);
    }
  }
  void finish(size_t source_size) { out_.push_back(previous_[source_size]); }
  std::vector<uint32_t> take() { return std::move(out_); }

 private:
  const std::vector<uint32_t>& previous_;
  std::vector<uint32_t> out_;
};

std::string apply_nfkc_casefold(std::string_view in, icu::Edits* edits) {
  std::string out;
  out.reserve(in.size() + in.size() / 8);
  icu::StringByteSink<std::string> sink(&out);
  UErrorCode status = U_ZERO_ERROR;
  nfkc_casefold().normalizeUTF8(0, icu::StringPiece(in.data(), static_cast<int32_t>(in.size())),
                                sink, edits, status);
  if (U_FAILURE(status)) return std::string(in);  // only on allocation failure
  return out;
}

std::vector<uint32_t> map_through_edits(const icu::Edits& edits,
                                        const std::vector<uint32_t>& previous) {
  std::vector<uint32_t> out;
  UErrorCode status = U_ZERO_ERROR;
  icu::Edits::Iterator it = edits.getFineIterator();
  while (it.next(status)) {
    const auto source = static_cast<size_t>(it.sourceIndex());
    if (it.hasChange()) {
      out.insert(out.end(), static_cast<size_t>(it.newLength()), previous[source]);
    } else {
      out.insert(out.end(), previous.begin() + static_cast<ptrdiff_t>(source),
                 previous.begin() + static_cast<ptrdiff_t>(source) +
                     static_cast<ptrdiff_t>(it.oldLength()));
    }
  }
  out.push_back(previous.back());
  return out;
}

// Applies the folding table and collapses whitespace. Sets `deleted` when a rule removed a
// character, the one case where the result may stop being NFKC-normalised.
template <typename OffsetPolicy>
std::string fold(std::string_view in, uint32_t enabled_classes, bool& deleted,
                 OffsetPolicy& offsets) {
  const FoldingTable& table = FoldingTable::embedded();
  std::string out;
  out.reserve(in.size());
  enum class Pending { kNone, kSpace, kNewline };
  Pending pending = Pending::kNone;
  size_t pending_source = 0;
  auto flush_space = [&] {
    if (pending != Pending::kNone && !out.empty()) {
      out.push_back(pending == Pending::kNewline ? '\n' : ' ');
      offsets.emit(pending_source, 1);
    }
    pending = Pending::kNone;
  };
  auto note_space = [&](char32_t c, size_t source) {
    if (pending == Pending::kNone) pending_source = source;
    if (text::is_line_break(c)) {
      pending = Pending::kNewline;
    } else if (pending == Pending::kNone) {
      pending = Pending::kSpace;
    }
  };

  // Characters without a rule are copied in runs: most of a text is unchanged letters.
  size_t run_begin = std::string_view::npos;
  auto extend_run = [&](size_t start) {
    if (run_begin != std::string_view::npos) return;
    flush_space();
    run_begin = start;
  };
  auto end_run = [&](size_t end) {
    if (run_begin == std::string_view::npos) return;
    out.append(in.substr(run_begin, end - run_begin));
    offsets.emit_unchanged(in, run_begin, end);
    run_begin = std::string_view::npos;
  };

  size_t i = 0;
  while (i < in.size()) {
    const size_t start = i;
    const auto byte = static_cast<unsigned char>(in[i]);
    if (byte < 0x80) {
      ++i;
      if (text::is_space(byte)) {
        end_run(start);
        note_space(byte, start);
      } else {
        extend_run(start);
      }
      continue;
    }
    const int32_t decoded = text::next_code_point(in, i);
    const char32_t c = decoded < 0 ? text::kReplacementCharacter : static_cast<char32_t>(decoded);
    const normalize_internal::FoldingRule* rule = table.find(c);
    if (rule != nullptr && (enabled_classes & (1u << rule->rule_class)) != 0) {
      end_run(start);
      if (rule->replacement.empty()) {
        deleted = true;
        continue;
      }
      flush_space();
      out.append(rule->replacement);
      offsets.emit(start, rule->replacement.size());
    } else if (text::is_space(c)) {
      end_run(start);
      note_space(c, start);
    } else {
      extend_run(start);
    }
  }
  end_run(in.size());
  offsets.finish(in.size());
  return out;
}

bool is_nfkc_casefolded(std::string_view s) {
  return QuickCasefold::instance().is_normalized(s);
}

// NFKC_Casefold of text that is known to be valid UTF-8.
std::string quick_nfkc_casefold(std::string_view valid) {
  std::string out;
  if (!QuickCasefold::instance().append(valid, out)) std::abort();  // a bug in this file
  return out;
}

// A deletion can only expose a combining sequence once per layer of deleted characters, so
// the fixpoint is reached in a couple of rounds; the bound guards against a table mistake.
constexpr int kMaxRounds = 4;

}  // namespace

namespace {
// Bytes of `word` equal to `target`, all eight at once: a byte is zero after the XOR exactly
// when adding 0x7F to its low seven bits leaves its high bit clear and it had none.
int count_in_word(uint64_t word, uint64_t target_in_every_byte) {
  constexpr uint64_t kLow7 = 0x7F7F7F7F7F7F7F7Full;
  constexpr uint64_t kHigh = 0x8080808080808080ull;
  const uint64_t x = word ^ target_in_every_byte;
  const uint64_t nonzero = ((x & kLow7) + kLow7) | x;
  // One bit per matching byte, at the bottom of its byte; the multiply sums the bytes into the
  // top one (portable: no popcount instruction on baseline x86-64).
  const uint64_t ones = (~nonzero & kHigh) >> 7;
  return static_cast<int>((ones * 0x0101010101010101ull) >> 56);
}
}  // namespace

size_t count_normalized_words(std::string_view normalized) {
  if (normalized.empty()) return 0;
  constexpr uint64_t kSpaces = 0x2020202020202020ull;
  constexpr uint64_t kNewlines = 0x0A0A0A0A0A0A0A0Aull;
  size_t separators = 0;
  size_t i = 0;
  for (; i + 8 <= normalized.size(); i += 8) {
    uint64_t word;
    std::memcpy(&word, normalized.data() + i, sizeof word);
    separators +=
        static_cast<size_t>(count_in_word(word, kSpaces) + count_in_word(word, kNewlines));
  }
  for (; i < normalized.size(); ++i) {
    separators += normalized[i] == ' ' || normalized[i] == '\n' ? 1 : 0;
  }
  return separators + 1;
}

Normalizer::Normalizer(NormalizeOptions options) : options_(options) {
  const FoldingTable& table = FoldingTable::embedded();
  enabled_classes_ = ~0u;
  if (!options_.fold_hamza_carriers) enabled_classes_ &= ~table.class_bit("hamza_carrier");
  single_pass_ = options_.single_pass && normalize_internal::single_pass_supports(enabled_classes_);
}

std::string Normalizer::normalize(std::string_view input) const {
  std::string out;
  if (single_pass_ && normalize_internal::normalize_single_pass(input, enabled_classes_, out)) {
    return out;
  }
  return normalize_in_rounds(input);
}

std::string Normalizer::normalize_in_rounds(std::string_view input) const {
  std::string current;
  if (!QuickCasefold::instance().append(input, current)) {
    current.clear();
    current = quick_nfkc_casefold(text::to_valid_utf8(input));
  }
  NoOffsets no_offsets;
  for (int round = 0;; ++round) {
    bool deleted = false;
    std::string folded = fold(current, enabled_classes_, deleted, no_offsets);
    if (!deleted || round + 1 == kMaxRounds || is_nfkc_casefolded(folded)) return folded;
    current = quick_nfkc_casefold(folded);
  }
}

NormalizedText Normalizer::normalize_with_offsets(std::string_view original) const {
  NormalizedText fast;
  if (single_pass_ && normalize_internal::normalize_single_pass(original, enabled_classes_,
                                                                fast.text, &fast.to_original)) {
    return fast;
  }
  // Invalid bytes become U+FFFD (3 bytes) in the working copy; the map below points each
  // working byte back to its byte in the caller's text.
  std::string working;
  std::vector<uint32_t> origin;
  origin.reserve(original.size() + 1);
  size_t i = 0;
  while (i < original.size()) {
    const size_t start = i;
    if (text::next_code_point(original, i) < 0) {
      text::append_code_point(working, text::kReplacementCharacter);
      origin.insert(origin.end(), 3, static_cast<uint32_t>(start));
    } else {
      working.append(original.substr(start, i - start));
      for (size_t b = start; b < i; ++b)
        origin.push_back(static_cast<uint32_t>(b));
    }
  }
  origin.push_back(static_cast<uint32_t>(original.size()));

  for (int round = 0;; ++round) {
    icu::Edits edits;
    std::string casefolded = apply_nfkc_casefold(working, &edits);
    origin = map_through_edits(edits, origin);
    Offsets offsets(origin);
    bool deleted = false;
    std::string folded = fold(casefolded, enabled_classes_, deleted, offsets);
    origin = offsets.take();
    if (!deleted || round + 1 == kMaxRounds || is_nfkc_casefolded(folded)) {
      return NormalizedText{std::move(folded), std::move(origin)};
    }
    working = std::move(folded);
  }
}

}  // namespace khabar
