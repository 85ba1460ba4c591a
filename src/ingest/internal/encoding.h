// Getting UTF-8 out of whatever bytes a file holds.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace khabar::ingest_internal {

struct InputError {
  int64_t byte_offset = -1;
  std::string reason;
};

struct DecodedText {
  std::string utf8;
  std::string encoding;  // what it was converted from: "utf-8", "windows-1256", ...
};

// "utf-8", "UTF8", ...: the charset names that mean no conversion.
bool names_utf8(std::string_view charset);

// UTF-16 and UTF-32 (named, or by a byte order mark): NUL bytes in every ASCII character.
bool is_wide_encoding(std::string_view charset, std::string_view bytes);

// A web page may hold this many stray NUL bytes (dropped) before it counts as binary.
inline constexpr size_t kMaxNulBytesInPage = 64;

// Offset of the first NUL byte in the first `window` bytes, or -1. Text never holds NUL.
int64_t find_nul_byte(std::string_view bytes, size_t window = 64 * 1024);

// `requested` is "auto" or a charset name; `declared` is what the document says of itself
// (an HTML <meta charset>), used when the bytes are not UTF-8. Returns false and fills `error`
// when the bytes cannot be decoded.
bool decode_to_utf8(std::string_view bytes, std::string_view requested, std::string_view declared,
                    DecodedText& out, InputError& error);

// UTF-8 with each invalid sequence replaced by U+FFFD; `replaced` counts them and `multibyte`
// the valid sequences of two bytes or more (a BOM is dropped).
std::string utf8_with_replacement(std::string_view bytes, size_t& replaced, size_t& multibyte);

// Converts from a named charset; stops at the first byte the charset cannot map.
bool convert_from(std::string_view bytes, std::string_view charset, std::string& utf8,
                  InputError& error);

}  // namespace khabar::ingest_internal
