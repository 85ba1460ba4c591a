#include "normalize/internal/quick_casefold.h"

#include <unicode/bytestream.h>
#include <unicode/unistr.h>

#include <cstdlib>
#include <iostream>

#include "text/utf8.h"

namespace khabar::normalize_internal {
namespace {

// Slow segments closer than this are sent to ICU as one call: a capitalised English word
// every few bytes would otherwise cost a call each.
constexpr size_t kMergeGapBytes = 48;

const icu::Normalizer2& nfkc_casefold_data() {
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* n = icu::Normalizer2::getNFKCCasefoldInstance(status);
  if (U_FAILURE(status)) {
    // Only a broken ICU installation gets here; nothing sensible can run without it.
    std::cerr << "khabar: ICU NFKC_Casefold data unavailable: " << u_errorName(status) << "\n";
    std::abort();
  }
  return *n;
}

}  // namespace

const QuickCasefold& QuickCasefold::instance() {
  static const QuickCasefold quick(nfkc_casefold_data());
  return quick;
}

QuickCasefold::QuickCasefold(const icu::Normalizer2& icu) : icu_(icu), flags_(kBmpSize, 0) {
  icu::UnicodeString mapping;
  for (char32_t c = 0; c < kBmpSize; ++c) {
    if (c >= 0xD800 && c <= 0xDFFF) continue;
    const auto code_point = static_cast<UChar32>(c);
    uint8_t flags = 0;
    // getDecomposition gives the instance's own mapping: for NFKC_Casefold that includes case
    // folding and the removal of default ignorables.
    if (!icu_.getDecomposition(code_point, mapping)) flags |= kUnchanged;
    if (icu_.hasBoundaryBefore(code_point)) flags |= kBoundaryBefore;
    flags_[c] = flags;
  }
}

void QuickCasefold::append_with_icu(std::string_view segment, std::string& out) const {
  icu::StringByteSink<std::string> sink(&out);
  UErrorCode status = U_ZERO_ERROR;
  icu_.normalizeUTF8(0, icu::StringPiece(segment.data(), static_cast<int32_t>(segment.size())),
                     sink, nullptr, status);
  if (U_FAILURE(status)) out.append(segment);  // only on allocation failure
}

bool QuickCasefold::append(std::string_view in, std::string& out) const {
  out.reserve(out.size() + in.size());
  size_t copied = 0;                          // in[0, copied) is in `out` already
  size_t segment_begin = 0;                   // the current segment starts at a boundary
  bool segment_slow = false;                  // it holds a character ICU might change
  size_t pending_begin = 0, pending_end = 0;  // slow text waiting for one ICU call
  bool pending = false;

  auto flush_pending = [&] {
    if (!pending) return;
    out.append(in.substr(copied, pending_begin - copied));
    append_with_icu(in.substr(pending_begin, pending_end - pending_begin), out);
    copied = pending_end;
    pending = false;
  };
  auto close_segment = [&](size_t end) {
    if (!segment_slow) return;
    if (pending && segment_begin - pending_end <= kMergeGapBytes) {
      pending_end = end;
      return;
    }
    flush_pending();
    pending = true;
    pending_begin = segment_begin;
    pending_end = end;
  };

  size_t i = 0;
  while (i < in.size()) {
    const size_t start = i;
    const int32_t decoded = text::next_code_point(in, i);
    if (decoded < 0) return false;
    const uint8_t flags =
        static_cast<char32_t>(decoded) < kBmpSize ? flags_[static_cast<size_t>(decoded)] : 0;
    if ((flags & kBoundaryBefore) != 0 && start > segment_begin) {
      close_segment(start);
      segment_begin = start;
      segment_slow = false;
    }
    // A character without a boundary before it may compose with the one before (alef + U+0654
    // is أ), so its segment goes to ICU even when neither character has a mapping.
    if (flags != (kUnchanged | kBoundaryBefore)) segment_slow = true;
  }
  close_segment(in.size());
  flush_pending();
  out.append(in.substr(copied));
  return true;
}

bool QuickCasefold::is_normalized(std::string_view in) const {
  size_t i = 0;
  bool any_slow = false;
  while (i < in.size() && !any_slow) {
    const int32_t decoded = text::next_code_point(in, i);
    any_slow = decoded < 0 || static_cast<char32_t>(decoded) >= kBmpSize ||
               flags_[static_cast<size_t>(decoded)] != (kUnchanged | kBoundaryBefore);
  }
  if (!any_slow) return true;
  UErrorCode status = U_ZERO_ERROR;
  const bool normalized =
      icu_.isNormalizedUTF8(icu::StringPiece(in.data(), static_cast<int32_t>(in.size())), status);
  return U_SUCCESS(status) && normalized;
}

}  // namespace khabar::normalize_internal
