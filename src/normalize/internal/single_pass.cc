#include "normalize/internal/single_pass.h"

#include <vector>

#include "normalize/internal/folding_table.h"
#include "normalize/internal/quick_casefold.h"
#include "text/utf8.h"

namespace khabar::normalize_internal {
namespace {

constexpr char32_t kKindTableSize = 0x10000;

// The folding and whitespace steps, fed one NFKC_Casefold character at a time.
class FoldingWriter {
 public:
  // With `origin`, each output byte gets the input position of the character it came from, as
  // Normalizer::normalize_with_offsets maps them (a collapsed space: the run's first space).
  FoldingWriter(uint32_t enabled_classes, std::string_view input, std::string& out,
                std::vector<uint32_t>* origin)
      : table_(FoldingTable::embedded()),
        quick_(QuickCasefold::instance()),
        enabled_classes_(enabled_classes),
        input_(input),
        out_(out),
        origin_(origin) {}

  // `bytes` is c's UTF-8; `input_offset` is where those bytes sit in the input, or npos when
  // they came out of ICU; `source` is where the input character (or ICU's segment) they stand
  // for starts. Returns false where the general path would have to run again.
  bool put(char32_t c, std::string_view bytes, size_t input_offset, size_t source) {
    // One ASCII space between words stays in the run, provisionally: it is what the space
    // becomes anyway unless more whitespace or a change follows, and then it is taken back.
    if (c == ' ' && !space_in_run_ && pending_ == Pending::kNone && run_active() &&
        run_end_ == input_offset) {
      ++run_end_;
      space_in_run_ = true;
      after_change_ = true;
      return true;
    }
    take_back_space();
    const FoldingRule* rule = table_.find(c);
    if (rule != nullptr && (enabled_classes_ & (1u << rule->rule_class)) != 0) {
      after_change_ = true;
      if (rule->replacement.empty()) return true;
      flush_space();
      append(rule->replacement, source);
      return true;
    }
    if (text::is_space(c)) {
      after_change_ = true;
      if (pending_ == Pending::kNone) {
        pending_ = Pending::kSpace;
        pending_source_ = source;
      }
      if (text::is_line_break(c)) pending_ = Pending::kNewline;
      return true;
    }
    if (after_change_ && !quick_.has_boundary_before(c)) return false;
    after_change_ = false;
    flush_space();
    if (input_offset == std::string_view::npos) {
      append(bytes, source);
    } else if (run_active() && run_end_ == input_offset) {
      run_end_ += bytes.size();  // unchanged input is copied in runs
    } else {
      flush_run();
      run_begin_ = input_offset;
      run_end_ = input_offset + bytes.size();
    }
    return true;
  }

  // The common case, inline: a plain character right after the previous one in the input,
  // with nothing pending, joins the run of unchanged bytes. A plain character has a boundary
  // before it, so what came before it (after_change_) does not matter.
  bool extend_run(size_t input_offset, size_t next_offset) {
    if (run_end_ != input_offset || !run_active() || pending_ != Pending::kNone) return false;
    run_end_ = next_offset;
    space_in_run_ = false;
    after_change_ = false;
    return true;
  }

  // Trailing whitespace is dropped, like leading whitespace.
  void finish() {
    take_back_space();
    flush_run();
    if (origin_ != nullptr) origin_->push_back(static_cast<uint32_t>(input_.size()));
  }

 private:
  enum class Pending { kNone, kSpace, kNewline };

  bool run_active() const { return run_begin_ != std::string_view::npos; }

  // The run ends in a provisional space that something other than a plain character follows:
  // it becomes a pending space again.
  void take_back_space() {
    if (!space_in_run_) return;
    --run_end_;
    space_in_run_ = false;
    pending_ = Pending::kSpace;
    pending_source_ = run_end_;
  }

  void flush_run() {
    if (!run_active()) return;
    out_.append(input_.substr(run_begin_, run_end_ - run_begin_));
    if (origin_ != nullptr) {
      // A character's bytes all point at its first byte.
      uint32_t lead = static_cast<uint32_t>(run_begin_);
      for (size_t b = run_begin_; b < run_end_; ++b) {
        if ((static_cast<uint8_t>(input_[b]) & 0xC0) != 0x80) lead = static_cast<uint32_t>(b);
        origin_->push_back(lead);
      }
    }
    run_begin_ = std::string_view::npos;
  }
  void append(std::string_view bytes, size_t source) {
    flush_run();
    out_.append(bytes);
    if (origin_ != nullptr) origin_->insert(origin_->end(), bytes.size(), uint32_t(source));
  }
  void flush_space() {
    if (pending_ == Pending::kNone) return;
    flush_run();
    if (!out_.empty()) {
      out_.push_back(pending_ == Pending::kNewline ? '\n' : ' ');
      if (origin_ != nullptr) origin_->push_back(static_cast<uint32_t>(pending_source_));
    }
    pending_ = Pending::kNone;
  }

  const FoldingTable& table_;
  const QuickCasefold& quick_;
  uint32_t enabled_classes_;
  std::string_view input_;
  std::string& out_;
  std::vector<uint32_t>* origin_;
  Pending pending_ = Pending::kNone;
  size_t pending_source_ = 0;  // where the pending whitespace run began
  bool after_change_ = false;  // the last character was deleted, replaced or whitespace
  size_t run_begin_ = std::string_view::npos;
  size_t run_end_ = 0;
  bool space_in_run_ = false;  // the run's last byte is a provisional space
};

// What the pass needs to know of a BMP character, in one table lookup.
enum Kind : uint8_t {
  kBoundaryBefore = 1,  // QuickCasefold::has_boundary_before
  kInert = 2,           // QuickCasefold::is_inert
  kPlain = 4,           // inert, no folding rule of any class, not whitespace: left alone
};

const std::vector<uint8_t>& character_kinds() {
  static const std::vector<uint8_t> kinds = [] {
    const FoldingTable& table = FoldingTable::embedded();
    const QuickCasefold& quick = QuickCasefold::instance();
    std::vector<uint8_t> out(kKindTableSize);
    for (char32_t c = 0; c < kKindTableSize; ++c) {
      uint8_t kind = 0;
      if (quick.has_boundary_before(c)) kind |= kBoundaryBefore;
      if (quick.is_inert(c)) kind |= kInert;
      if (quick.is_inert(c) && table.find(c) == nullptr && !text::is_space(c)) kind |= kPlain;
      out[c] = kind;
    }
    return out;
  }();
  return kinds;
}

}  // namespace

bool single_pass_supports(uint32_t enabled_classes) {
  const FoldingTable& table = FoldingTable::embedded();
  const QuickCasefold& quick = QuickCasefold::instance();
  for (const char32_t source : table.sources()) {
    const FoldingRule* rule = table.find(source);
    if ((enabled_classes & (1u << rule->rule_class)) == 0) continue;
    for (size_t i = 0; i < rule->replacement.size();) {
      const int32_t c = text::next_code_point(rule->replacement, i);
      if (c < 0 || !quick.is_inert(static_cast<char32_t>(c))) return false;
    }
  }
  return true;
}

bool normalize_single_pass(std::string_view in, uint32_t enabled_classes, std::string& out,
                           std::vector<uint32_t>* origin) {
  const QuickCasefold& quick = QuickCasefold::instance();
  const uint8_t* const kinds = character_kinds().data();
  // Characters outside the BMP have kind 0: they join the segment before them, which ICU takes.
  auto kind_of = [kinds](int32_t c) -> uint8_t {
    return static_cast<uint32_t>(c) < kKindTableSize ? kinds[c] : 0;
  };
  out.clear();
  out.reserve(in.size());
  if (origin != nullptr) {
    origin->clear();
    origin->reserve(in.size() + 1);
  }
  FoldingWriter writer(enabled_classes, in, out, origin);
  std::string from_icu;

  if (in.empty()) {
    writer.finish();
    return true;
  }
  size_t start = 0;  // the segment's first character is in[start, end)
  size_t end = 0;
  int32_t c = text::next_code_point(in, end);
  if (c < 0) return false;
  uint8_t kind = kind_of(c);
  while (true) {
    // A segment runs to the next character with a boundary before it; that character is
    // decoded once here and starts the next segment.
    size_t segment_end = end;
    bool single = true;
    int32_t next = -1;
    size_t next_end = end;
    uint8_t next_kind = 0;
    while (segment_end < in.size()) {
      next_end = segment_end;
      next = text::next_code_point(in, next_end);
      if (next < 0) return false;
      next_kind = kind_of(next);
      if ((next_kind & kBoundaryBefore) != 0) break;
      single = false;
      segment_end = next_end;
      next = -1;
    }

    const auto code_point = static_cast<char32_t>(c);
    if (single && (kind & kPlain) != 0 && writer.extend_run(start, end)) {
      // joined the run of unchanged input
    } else if (single && (kind & kInert) != 0) {
      if (!writer.put(code_point, in.substr(start, end - start), start, start)) return false;
    } else if (single && code_point >= 'A' && code_point <= 'Z') {
      // Case folding of a lone ASCII capital, without a call into ICU per English word.
      const char lower = static_cast<char>(code_point - 'A' + 'a');
      if (!writer.put(code_point - 'A' + 'a', std::string_view(&lower, 1), std::string_view::npos,
                      start)) {
        return false;
      }
    } else {
      from_icu.clear();
      const std::string_view segment = in.substr(start, segment_end - start);
      quick.append_with_icu(segment, from_icu);
      // The general path maps what ICU left alone character by character, and what it changed
      // to where the change began. A segment left alone maps the same way here; a changed one
      // of several characters would need ICU's edits, which that path has.
      const bool unchanged = from_icu == segment;
      if (origin != nullptr && !unchanged && !single) return false;
      for (size_t i = 0; i < from_icu.size();) {
        const size_t char_start = i;
        const int32_t d = text::next_code_point(from_icu, i);
        if (d < 0) return false;
        const std::string_view bytes =
            std::string_view(from_icu).substr(char_start, i - char_start);
        const size_t source = unchanged ? start + char_start : start;
        if (!writer.put(static_cast<char32_t>(d), bytes, std::string_view::npos, source)) {
          return false;
        }
      }
    }
    if (next < 0) break;
    c = next;
    kind = next_kind;
    start = segment_end;
    end = next_end;
  }
  writer.finish();
  return true;
}

}  // namespace khabar::normalize_internal
