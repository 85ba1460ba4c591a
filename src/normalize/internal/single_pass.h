// The whole of Normalizer::normalize in one pass over the text, for the common case.
//
// The general path runs NFKC_Casefold over the text, folds the result, and repeats while a
// deletion leaves the text unnormalised. This pass decodes each character once: an inert
// character (QuickCasefold::is_inert) goes straight to the folding step, a segment that needs
// ICU goes through ICU and then the folding step. The general path's repetition matters only
// when a deleted or changed character was followed by one that can combine with what precedes
// it; this pass gives up there (returns false) and the caller takes the general path. Anything
// it returns is what the general path returns: normalize_test compares the two.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace khabar::normalize_internal {

// Fast path usable with these folding classes: every replacement the table can produce is
// inert, so writing one cannot make the text unnormalised.
bool single_pass_supports(uint32_t enabled_classes);

// Normalises `in` into `out` (cleared first), and with `origin` the offsets map of
// Normalizer::normalize_with_offsets (cleared first). Returns false when it cannot vouch for
// the result (ill-formed UTF-8, or a change next to a combining character); `out` and `origin`
// are then garbage.
bool normalize_single_pass(std::string_view in, uint32_t enabled_classes, std::string& out,
                           std::vector<uint32_t>* origin = nullptr);

}  // namespace khabar::normalize_internal
