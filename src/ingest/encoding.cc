#include "ingest/internal/encoding.h"

#include <fmt/format.h>
#include <unicode/ucnv.h>
#include <unicode/ucsdet.h>

#include <algorithm>
#include <array>
#include <memory>

#include "text/utf8.h"

namespace khabar::ingest_internal {
namespace {

struct ConverterCloser {
  void operator()(UConverter* c) const { ucnv_close(c); }
};
struct DetectorCloser {
  void operator()(UCharsetDetector* d) const { ucsdet_close(d); }
};

bool validate_utf8(std::string_view bytes, std::string& out, InputError& error) {
  const size_t bad = text::find_invalid_utf8(bytes);
  if (bad != text::kNoInvalidByte) {
    error = {static_cast<int64_t>(bad), fmt::format("not valid UTF-8 (ill-formed byte 0x{:02X})",
                                                    static_cast<unsigned char>(bytes[bad]))};
    return false;
  }
  out.assign(bytes);
  return true;
}

// The share of non-ASCII characters that are Arabic letters, marks, digits or punctuation:
// decoding Arabic text with the wrong Arabic code page yields accented Latin letters instead.
double arabic_share(std::string_view utf8) {
  size_t arabic = 0, non_ascii = 0, i = 0;
  while (i < utf8.size()) {
    const int32_t c = text::next_code_point(utf8, i);
    if (c < 0x80) continue;
    ++non_ascii;
    if ((c >= 0x0600 && c <= 0x06FF) || c == 0x00A0) ++arabic;
  }
  return non_ascii == 0 ? 0.0 : static_cast<double>(arabic) / static_cast<double>(non_ascii);
}

int icu_confidence(std::string_view bytes, std::string_view charset) {
  UErrorCode status = U_ZERO_ERROR;
  std::unique_ptr<UCharsetDetector, DetectorCloser> detector(ucsdet_open(&status));
  if (U_FAILURE(status)) return 0;
  ucsdet_setText(detector.get(), bytes.data(), static_cast<int32_t>(bytes.size()), &status);
  int32_t count = 0;
  const UCharsetMatch** matches = ucsdet_detectAll(detector.get(), &count, &status);
  if (U_FAILURE(status)) return 0;
  for (int32_t i = 0; i < count; ++i) {
    const char* name = ucsdet_getName(matches[i], &status);
    if (U_SUCCESS(status) && ucnv_compareNames(name, std::string(charset).c_str()) == 0) {
      return ucsdet_getConfidence(matches[i], &status);
    }
  }
  return 0;
}

// Legacy Arabic code pages: ICU's detector ranks them, but on short texts it confuses the two,
// so each candidate is also decoded and scored by how Arabic the result looks.
bool decode_legacy_arabic(std::string_view bytes, DecodedText& out) {
  static constexpr std::array<std::string_view, 2> kCandidates = {"windows-1256", "ISO-8859-6"};
  struct Scored {
    double share;
    int confidence;
    std::string_view charset;
    std::string utf8;
  };
  std::vector<Scored> viable;
  for (std::string_view charset : kCandidates) {
    std::string utf8;
    InputError ignored;
    if (!convert_from(bytes, charset, utf8, ignored)) continue;
    const double share = arabic_share(utf8);
    if (share >= 0.6) viable.push_back({share, icu_confidence(bytes, charset), charset, utf8});
  }
  if (viable.empty()) return false;
  std::sort(viable.begin(), viable.end(), [](const Scored& a, const Scored& b) {
    if (std::abs(a.share - b.share) > 0.02) return a.share > b.share;
    return a.confidence > b.confidence;
  });
  out.utf8 = std::move(viable.front().utf8);
  out.encoding = std::string(viable.front().charset);
  return true;
}

// Mostly-valid UTF-8 with a few bad bytes is damaged UTF-8, not a legacy code page.
bool looks_like_damaged_utf8(std::string_view bytes) {
  size_t valid_multibyte = 0, invalid = 0, i = 0;
  while (i < bytes.size()) {
    if (static_cast<unsigned char>(bytes[i]) < 0x80) {
      ++i;
      continue;
    }
    if (text::next_code_point(bytes, i) < 0) {
      ++invalid;
    } else {
      ++valid_multibyte;
    }
  }
  return valid_multibyte > invalid;
}

}  // namespace

std::string utf8_with_replacement(std::string_view bytes, size_t& replaced, size_t& multibyte) {
  if (bytes.substr(0, 3) == "\xEF\xBB\xBF") bytes.remove_prefix(3);
  std::string out;
  out.reserve(bytes.size());
  replaced = 0;
  multibyte = 0;
  size_t i = 0;
  while (i < bytes.size()) {
    const size_t start = i;
    if (text::next_code_point(bytes, i) < 0) {
      out += "\xEF\xBF\xBD";
      ++replaced;
    } else {
      out.append(bytes.substr(start, i - start));
      if (i - start > 1) ++multibyte;
    }
  }
  return out;
}

bool names_utf8(std::string_view charset) {
  const std::string lower = text::ascii_lower(charset);
  return lower == "utf-8" || lower == "utf8";
}

bool is_wide_encoding(std::string_view charset, std::string_view bytes) {
  const std::string name = text::ascii_lower(charset);
  for (const std::string_view wide : {"utf-16", "utf-32", "ucs-2", "utf16", "utf32"}) {
    if (name.starts_with(wide)) return true;
  }
  return bytes.starts_with("\xFF\xFE") || bytes.starts_with("\xFE\xFF");
}

int64_t find_nul_byte(std::string_view bytes, size_t window) {
  const size_t n = std::min(bytes.size(), window);
  const void* nul = std::memchr(bytes.data(), 0, n);
  return nul == nullptr ? -1 : static_cast<const char*>(nul) - bytes.data();
}

bool convert_from(std::string_view bytes, std::string_view charset, std::string& utf8,
                  InputError& error) {
  UErrorCode status = U_ZERO_ERROR;
  std::unique_ptr<UConverter, ConverterCloser> converter(
      ucnv_open(std::string(charset).c_str(), &status));
  if (U_FAILURE(status)) {
    error = {-1, fmt::format("unknown encoding «{}»", charset)};
    return false;
  }
  ucnv_setToUCallBack(converter.get(), UCNV_TO_U_CALLBACK_STOP, nullptr, nullptr, nullptr, &status);
  std::u16string units(bytes.size() + 2, u'\0');
  UChar* target = units.data();
  const char* source = bytes.data();
  ucnv_toUnicode(converter.get(), &target, units.data() + units.size(), &source,
                 bytes.data() + bytes.size(), nullptr, /*flush=*/true, &status);
  if (U_FAILURE(status)) {
    char invalid[32];
    int8_t invalid_length = sizeof(invalid);
    UErrorCode ignored = U_ZERO_ERROR;
    ucnv_getInvalidChars(converter.get(), invalid, &invalid_length, &ignored);
    error = {source - bytes.data() - invalid_length, fmt::format("byte not valid in {}", charset)};
    return false;
  }
  units.resize(static_cast<size_t>(target - units.data()));
  utf8.clear();
  utf8.reserve(units.size() * 2);
  size_t i = 0;
  while (i < units.size()) {
    char32_t c = units[i++];
    if (c >= 0xD800 && c <= 0xDBFF && i < units.size() && units[i] >= 0xDC00 &&
        units[i] <= 0xDFFF) {
      c = 0x10000 + ((c - 0xD800) << 10) + (units[i++] - 0xDC00);
    }
    text::append_code_point(utf8, c);
  }
  return true;
}

bool decode_to_utf8(std::string_view bytes, std::string_view requested, std::string_view declared,
                    DecodedText& out, InputError& error) {
  if (bytes.size() >= 2 && (bytes.substr(0, 2) == "\xFF\xFE" || bytes.substr(0, 2) == "\xFE\xFF")) {
    out.encoding = bytes[0] == '\xFF' ? "UTF-16LE" : "UTF-16BE";
    return convert_from(bytes.substr(2), out.encoding, out.utf8, error);
  }
  if (bytes.substr(0, 3) == "\xEF\xBB\xBF") bytes.remove_prefix(3);
  if (requested != "auto" && !requested.empty()) {
    out.encoding = std::string(requested);
    if (names_utf8(requested)) return validate_utf8(bytes, out.utf8, error);
    return convert_from(bytes, requested, out.utf8, error);
  }
  out.encoding = "utf-8";
  if (text::find_invalid_utf8(bytes) == text::kNoInvalidByte) {
    out.utf8.assign(bytes);
    return true;
  }
  if (!declared.empty() && !names_utf8(declared)) {
    out.encoding = std::string(declared);
    if (convert_from(bytes, declared, out.utf8, error)) return true;
  }
  if (!looks_like_damaged_utf8(bytes) && decode_legacy_arabic(bytes, out)) return true;
  validate_utf8(bytes, out.utf8, error);
  if (!looks_like_damaged_utf8(bytes)) {
    error.reason +=
        " and not recognisable as windows-1256 or ISO-8859-6; name the encoding "
        "with --encoding";
  }
  return false;
}

}  // namespace khabar::ingest_internal
