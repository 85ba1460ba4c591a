#include "ingest/internal/encoding.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unicode/unistr.h>

#include "ingest/ingest_testing.h"
#include "khabar/ingest.h"

namespace khabar {
namespace {

using ::testing::HasSubstr;

// Encodes with ICU so that the test data is produced independently of the decoder.
std::string encode(const std::string& utf8, const char* charset) {
  const icu::UnicodeString u = icu::UnicodeString::fromUTF8(utf8);
  const int32_t length = u.extract(0, u.length(), nullptr, 0, charset);
  std::string out(static_cast<size_t>(length), '\0');
  u.extract(0, u.length(), out.data(), length, charset);
  return out;
}

const std::string kParagraph =
    "أعلنت كازاخستان أن قوات الأمن ألقت القبض على 7939 شخصا، حتى العاشر من يناير على خلفية "
    "الاضطرابات التي اندلعت خلال الأسبوع الماضي.";
const std::string kShort = "انقلاب فاشل في كازاخستان";

class LegacyArabic : public ::testing::TestWithParam<const char*> {};

TEST_P(LegacyArabic, IsDetectedAndConverted) {
  for (const std::string& original : {kParagraph, kShort}) {
    testing::CollectingSink sink;
    read_buffer(encode(original, GetParam()), "legacy.txt", {}, sink);
    ASSERT_EQ(sink.documents.size(), 1u)
        << GetParam() << ": " << (sink.problems.empty() ? "" : sink.problems[0].reason);
    EXPECT_EQ(sink.documents[0].text, original);
    EXPECT_EQ(sink.documents[0].encoding, GetParam());
  }
}

INSTANTIATE_TEST_SUITE_P(CodePages, LegacyArabic, ::testing::Values("windows-1256", "ISO-8859-6"),
                         [](const auto& test_case) {
                           return std::string(test_case.param[0] == 'w' ? "windows1256"
                                                                        : "iso88596");
                         });

TEST(Encoding, NamedEncodingIsUsedAsIs) {
  ReadOptions options;
  options.encoding = "windows-1256";
  testing::CollectingSink sink;
  read_buffer(encode(kShort, "windows-1256"), "x.txt", options, sink);
  ASSERT_EQ(sink.documents.size(), 1u);
  EXPECT_EQ(sink.documents[0].text, kShort);

  options.encoding = "no-such-charset";
  testing::CollectingSink unknown;
  read_buffer("abc", "x.txt", options, unknown);
  ASSERT_EQ(unknown.rejections().size(), 1u);
  EXPECT_THAT(unknown.rejections()[0].reason, HasSubstr("unknown encoding «no-such-charset»"));
}

TEST(Encoding, Utf16WithByteOrderMark) {
  testing::CollectingSink sink;
  read_buffer(encode("\uFEFF" + kShort, "UTF-16LE"), "x.txt", {}, sink);
  ASSERT_EQ(sink.documents.size(), 1u);
  EXPECT_EQ(sink.documents[0].text, kShort);
}

TEST(Encoding, HtmlMetaCharsetIsHonoured) {
  const std::string page = "<html><head><meta charset=\"windows-1256\"></head><body><p>" +
                           encode(kParagraph, "windows-1256") + "</p></body></html>";
  testing::CollectingSink sink;
  read_buffer(page, "page.html", {}, sink);
  ASSERT_EQ(sink.documents.size(), 1u);
  EXPECT_EQ(sink.documents[0].text, kParagraph);
  EXPECT_EQ(sink.documents[0].encoding, "windows-1256");
}

TEST(Encoding, DamagedUtf8IsNotMistakenForALegacyCodePage) {
  std::string damaged = kParagraph;
  damaged[10] = '\xFF';
  ingest_internal::DecodedText out;
  ingest_internal::InputError error;
  EXPECT_FALSE(ingest_internal::decode_to_utf8(damaged, "auto", "", out, error));
  EXPECT_EQ(error.byte_offset, 10);
  EXPECT_THAT(error.reason, HasSubstr("not valid UTF-8"));
}

TEST(Encoding, LatinOneIsNotGuessedAsArabic) {
  ingest_internal::DecodedText out;
  ingest_internal::InputError error;
  EXPECT_FALSE(ingest_internal::decode_to_utf8(encode("café crème brûlée", "ISO-8859-1"), "auto",
                                               "", out, error));
  EXPECT_THAT(error.reason, HasSubstr("--encoding"));
}

}  // namespace
}  // namespace khabar
