#include "text/utf8.h"

#include <gtest/gtest.h>

#include <random>

namespace khabar::text {
namespace {

TEST(Utf8, FindsFirstInvalidByte) {
  EXPECT_EQ(find_invalid_utf8("كازاخستان abc"), kNoInvalidByte);
  EXPECT_EQ(find_invalid_utf8("ab\xC3"), 2u);        // truncated sequence at the end
  EXPECT_EQ(find_invalid_utf8("كا\xFFز"), 4u);       // stray byte after two letters
  EXPECT_EQ(find_invalid_utf8("\xED\xA0\x80"), 0u);  // encoded surrogate
  EXPECT_EQ(find_invalid_utf8("\xC0\xAF"), 0u);      // overlong slash
}

// The fast validator and ICU's decoder must agree on every input, or a text could pass the
// check and then decode to something else.
TEST(Utf8, FastValidatorAgreesWithIcuDecoder) {
  std::mt19937 rng(5);
  std::uniform_int_distribution<int> length(0, 24);
  // Bytes weighted towards lead and trail bytes, where the edge cases are.
  const std::vector<uint8_t> alphabet = {'a',  ' ',  0x80, 0x8F, 0x9F, 0xA0, 0xBF, 0xC0,
                                         0xC1, 0xC2, 0xD8, 0xDF, 0xE0, 0xE1, 0xED, 0xEF,
                                         0xF0, 0xF4, 0xF5, 0xFF, 0x90, 0xB0, 0x00, 0x7F};
  std::uniform_int_distribution<size_t> pick(0, alphabet.size() - 1);
  for (int n = 0; n < 200000; ++n) {
    std::string s;
    for (int k = length(rng); k > 0; --k)
      s.push_back(static_cast<char>(alphabet[pick(rng)]));
    size_t expected = kNoInvalidByte;
    for (size_t i = 0; i < s.size();) {
      const size_t start = i;
      if (next_code_point_slow(s, i) < 0) {
        expected = start;
        break;
      }
    }
    ASSERT_EQ(find_invalid_utf8(s), expected);
  }
}

TEST(Utf8, ReplacesInvalidSequences) {
  EXPECT_EQ(to_valid_utf8("a\xFF"
                          "b"),
            "a\xEF\xBF\xBD"
            "b");
  EXPECT_EQ(to_valid_utf8("سلام"), "سلام");
}

TEST(Utf8, PrefixNeverSplitsACodePoint) {
  const std::string s = "سلام";  // 8 bytes
  EXPECT_EQ(utf8_prefix_length(s, 3), 2u);
  EXPECT_EQ(utf8_prefix_length(s, 4), 4u);
  EXPECT_EQ(utf8_prefix_length(s, 100), 8u);
}

TEST(Utf8, SplitsLinesAtEveryConvention) {
  const std::string s = "a\nbb\r\nccc\rd";
  const auto lines = split_lines(s);
  ASSERT_EQ(lines.size(), 4u);
  EXPECT_EQ(lines[0].of(s), "a");
  EXPECT_EQ(lines[1].of(s), "bb");
  EXPECT_EQ(lines[2].of(s), "ccc");
  EXPECT_EQ(lines[3].of(s), "d");
  EXPECT_EQ(lines[3].begin, 10u);
}

TEST(Utf8, TrimsUnicodeSpaces) {
  EXPECT_EQ(trim("\xC2\xA0 خبر \t"), "خبر");  // no-break space counts
  EXPECT_EQ(trim("   "), "");
  const Span span = trim_span("  ab ");
  EXPECT_EQ(span.begin, 2u);
  EXPECT_EQ(span.end, 4u);
}

TEST(Utf8, CountsAndCollapsesWords) {
  EXPECT_EQ(count_words("  انقلاب   فاشل \n"), 2u);
  EXPECT_EQ(count_words(""), 0u);
  EXPECT_EQ(collapse_spaces(" a \n\t b  "), "a b");
}

}  // namespace
}  // namespace khabar::text

namespace khabar::text {
namespace {

TEST(Utf8, FastSpaceCheckAgreesWithIcuForEveryCodePoint) {
  for (char32_t c = 0; c <= 0x10FFFF; ++c) {
    if (c >= 0xD800 && c <= 0xDFFF) continue;
    const bool expected = c < 0x80 ? (c == ' ' || (c >= '\t' && c <= '\r')) : is_unicode_space(c);
    ASSERT_EQ(is_space(c), expected) << std::hex << static_cast<uint32_t>(c);
  }
}

}  // namespace
}  // namespace khabar::text

namespace khabar::text {
namespace {

TEST(Utf8, LowersAsciiOnly) {
  EXPECT_EQ(ascii_lower("UTF-8 .HTML Ä ع"), "utf-8 .html Ä ع");
}

TEST(Utf8, DataLinesSkipBlanksAndCommentsAndKeepLineNumbers) {
  const auto lines = data_lines("# header\n\n  first  \n#x\nsecond\n");
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(lines[0].number, 3u);
  EXPECT_EQ(lines[0].text, "first");
  EXPECT_EQ(lines[1].number, 5u);
  EXPECT_EQ(lines[1].text, "second");
}

}  // namespace
}  // namespace khabar::text

namespace khabar::text {
namespace {

TEST(WithoutControls, EscapeSequencesAndC1ControlsCannotReachATerminal) {
  EXPECT_EQ(without_controls("عنوان\x1b]0;pwned\x07 \xC2\x9B"
                             "31m"),
            "عنوان\uFFFD]0;pwned\uFFFD \uFFFD31m");
  EXPECT_EQ(without_controls("a\nb\tc\r"), "a b c ");
  EXPECT_EQ(without_controls("a\nb\tc\r", /*keep_line_breaks=*/true), "a\nb\tc ");
  EXPECT_EQ(without_controls("«خبر» é"), "«خبر» é");
}

}  // namespace
}  // namespace khabar::text
