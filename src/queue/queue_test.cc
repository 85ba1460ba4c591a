#include "khabar/queue.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace khabar {
namespace {

using ::testing::HasSubstr;

Document html_document() {
  Document d;
  d.text = "عنوان الخبر\nقال الرئيس توكايف إن الوضع مستقر.\nاقرأ أيضا";
  d.blocks = {{0, 21, SourceBlock::Kind::kHeading, 0, false},
              {22, 82, SourceBlock::Kind::kParagraph, 0, false},
              {83, d.text.size(), SourceBlock::Kind::kListItem, 15, true}};
  d.title = "عنوان";
  d.url = "https://example.com/a";
  d.source = "الثورة";
  d.published = "2022-01-10T14:05:00+03:00";
  d.declared_lang = "ar";
  d.external_id = "a-1";
  d.metadata_json = R"({"section":"world"})";
  d.origin = "crawl.warc.gz:1024";
  d.format = InputFormat::kWarc;
  d.encoding = "windows-1256";
  return d;
}

TEST(DocumentMessage, RoundTripsEveryField) {
  const Document d = html_document();
  Result<Document> back = parse_document_message(document_message(d));
  ASSERT_TRUE(back.ok()) << back.error().message;
  EXPECT_EQ(back->text, d.text);
  ASSERT_EQ(back->blocks.size(), 3u);
  EXPECT_EQ(back->blocks[0].kind, SourceBlock::Kind::kHeading);
  EXPECT_EQ(back->blocks[2].end, d.text.size());
  EXPECT_EQ(back->blocks[2].link_bytes, 15u);
  EXPECT_TRUE(back->blocks[2].in_page_chrome);
  EXPECT_EQ(back->title, d.title);
  EXPECT_EQ(back->url, d.url);
  EXPECT_EQ(back->source, d.source);
  EXPECT_EQ(back->published, d.published);
  EXPECT_EQ(back->declared_lang, "ar");
  EXPECT_EQ(back->external_id, "a-1");
  EXPECT_EQ(back->metadata_json, d.metadata_json);
  EXPECT_EQ(back->origin, d.origin);
  EXPECT_EQ(back->format, InputFormat::kWarc);
  EXPECT_EQ(back->encoding, "windows-1256");
}

TEST(DocumentMessage, EveryBlockKindRoundTrips) {
  Document d = html_document();
  for (const SourceBlock::Kind kind :
       {SourceBlock::Kind::kParagraph, SourceBlock::Kind::kHeading, SourceBlock::Kind::kListItem,
        SourceBlock::Kind::kQuote, SourceBlock::Kind::kCell, SourceBlock::Kind::kCaption,
        SourceBlock::Kind::kAuthor}) {
    d.blocks[1].kind = kind;
    Result<Document> back = parse_document_message(document_message(d));
    ASSERT_TRUE(back.ok()) << back.error().message;
    EXPECT_EQ(back->blocks[1].kind, kind);
  }
}

// A message comes over the network: whatever a reader guarantees of a Document is checked.
TEST(DocumentMessage, RefusesWhatNoReaderWouldHaveMade) {
  const nlohmann::json good = nlohmann::json::parse(document_message(html_document()));
  auto with = [&](const char* field, nlohmann::json value) {
    nlohmann::json m = good;
    m[field] = std::move(value);
    return parse_document_message(m.dump());
  };
  EXPECT_FALSE(parse_document_message("").ok());
  EXPECT_FALSE(parse_document_message("[1, 2]").ok());
  EXPECT_THAT(with("v", 3).error().message, HasSubstr("version"));
  EXPECT_THAT(with("v", 0).error().message, HasSubstr("version"));
  EXPECT_TRUE(with("v", 1).ok());  // version 1 had fewer block kinds, read the same way
  EXPECT_THAT(with("text", "").error().message, HasSubstr("text"));
  EXPECT_THAT(with("text", 5).error().message, HasSubstr("not a string"));
  EXPECT_THAT(with("published", "yesterday").error().message, HasSubstr("ISO 8601"));
  EXPECT_THAT(with("metadata", "[1]").error().message, HasSubstr("metadata"));
  // Stored, such metadata crashed `show --json`, `export` and GET /api/articles/ID.
  EXPECT_THAT(with("metadata", "{\"m\":" + std::string(60000, '[') + std::string(60000, ']') + "}")
                  .error()
                  .message,
              HasSubstr("`metadata` nests more than 128"));
  EXPECT_THAT(
      parse_document_message(std::string(60000, '[') + std::string(60000, ']')).error().message,
      HasSubstr("nested more than 128"));
  EXPECT_THAT(with("format", "pdf").error().message, HasSubstr("format"));
  EXPECT_THAT(with("blocks", nlohmann::json::array({{0, 9999, "p", 0, false}})).error().message,
              HasSubstr("span"));
  // Byte 1 is inside the first letter (two bytes in UTF-8).
  EXPECT_THAT(with("blocks", nlohmann::json::array({{1, 4, "p", 0, false}})).error().message,
              HasSubstr("span"));
  EXPECT_THAT(with("blocks", nlohmann::json::array({{0, 4, "p", 9, false}})).error().message,
              HasSubstr("link bytes"));
  EXPECT_THAT(with("blocks", nlohmann::json::array({{0, 4, "marquee", 0, false}})).error().message,
              HasSubstr("kind"));
  EXPECT_THAT(with("blocks", nlohmann::json::array({{0, 4}})).error().message, HasSubstr("block"));
  std::string bad_utf8 = good.dump();
  bad_utf8.replace(bad_utf8.find("الثورة"), 2, "\xC3\x28");
  EXPECT_FALSE(parse_document_message(bad_utf8).ok());
}

TEST(DocumentMessage, AbsentOptionalFieldsAreEmpty) {
  Result<Document> d = parse_document_message(R"({"v": 1, "text": "نص"})");
  ASSERT_TRUE(d.ok()) << d.error().message;
  EXPECT_EQ(d->text, "نص");
  EXPECT_EQ(d->format, InputFormat::kText);
  EXPECT_EQ(d->encoding, "utf-8");
  EXPECT_TRUE(d->blocks.empty());
}

}  // namespace
}  // namespace khabar
