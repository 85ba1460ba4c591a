#pragma once
// How deep untrusted JSON and HTML nest, found by a scan before anything recursive reads them.
//
// nlohmann::json writes and destroys documents by recursion, and gumbo's tree builder takes time
// growing with the square of the depth: one line nested 60,000 levels, or a page of 100,000
// nested <b>, would crash or stall a whole batch. Real articles nest a few dozen levels; input
// past these limits is refused whole, with the byte where the limit was passed.
#include <cstddef>
#include <optional>
#include <string_view>

namespace khabar::text {

// JSON-LD, news-please and trafilatura records nest under ten levels.
inline constexpr size_t kMaxJsonDepth = 128;
// Blink stops nesting elements at 512 levels; this counts a little more loosely (see below).
inline constexpr size_t kMaxHtmlDepth = 1024;

// The byte offset at which `json` opens its (max_depth + 1)th nested array or object, or
// nothing when it stays within max_depth. Brackets inside strings do not count; the JSON need
// not be valid.
std::optional<size_t> json_too_deep(std::string_view json, size_t max_depth = kMaxJsonDepth);

// Past the closing quote of the JSON string whose opening quote is at `quote`, escapes
// respected; the end of `json` when it does not close.
size_t json_string_end(std::string_view json, size_t quote);

// The byte offset of the start tag at which `html` nests more than max_depth elements, counted
// as start tags minus end tags, leaving out void elements, elements the parser usually closes by
// itself (p, li, td, option, ...) and everything inside comments, scripts and styles; or
// nothing. An estimate, cheap enough to run before the parser, whose time and memory grow with
// the square of the depth: the parser's repairs can build deeper trees than the tags say, so the
// HTML reader checks the parsed tree's depth too, and bounds the parser's memory.
std::optional<size_t> html_too_deep(std::string_view html, size_t max_depth = kMaxHtmlDepth);

}  // namespace khabar::text
