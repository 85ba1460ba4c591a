#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "ingest/ingest_testing.h"
#include "khabar/ingest.h"

namespace khabar {
namespace {

using ::testing::HasSubstr;

testing::CollectingSink read_feed_text(const std::string& xml, const std::string& path) {
  testing::CollectingSink sink;
  read_buffer(xml, path, {}, sink);
  return sink;
}

const char* kRss = R"(<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"
     xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel>
  <title>الثورة</title>
  <link>https://thawra.test/</link>
  <item>
    <title>موسكو: عصابات إرهابية دولية شاركت في أحداث كازاخستان</title>
    <link>https://thawra.test/a/1</link>
    <guid isPermaLink="false">thawra-1</guid>
    <pubDate>Mon, 10 Jan 2022 14:05:00 +0300</pubDate>
    <dc:creator>ريم صالح</dc:creator>
    <category>دولي</category>
    <description>ملخص قصير</description>
    <content:encoded><![CDATA[<p>أكدت الخارجية الروسية أن ما تعرضت له كازاخستان هجوم إرهابي هجين.</p>
      <p>وقال نائب وزير الخارجية إن مسلحين شاركوا في الهجمات.</p>]]></content:encoded>
  </item>
  <item>
    <title>عنوان بلا نص</title>
    <link>https://thawra.test/a/2</link>
  </item>
  <item>
    <title>خبر ثالث</title>
    <pubDate>Tue, 11 Jan 2022 09:00:00 GMT</pubDate>
    <description>&lt;p&gt;عاد الهدوء إلى مدينة ألماتي بعد أيام من الاحتجاجات.&lt;/p&gt;</description>
  </item>
</channel>
</rss>)";

TEST(Feed, RssItemsBecomeArticlesWithTheirFields) {
  const testing::CollectingSink sink = read_feed_text(kRss, "thawra.rss");
  ASSERT_EQ(sink.documents.size(), 2u);
  const Document& first = sink.documents[0];
  EXPECT_EQ(first.title, "موسكو: عصابات إرهابية دولية شاركت في أحداث كازاخستان");
  EXPECT_EQ(first.url, "https://thawra.test/a/1");
  EXPECT_EQ(first.source, "الثورة");
  EXPECT_EQ(first.external_id, "thawra-1");
  EXPECT_EQ(first.published, "2022-01-10T14:05:00+03:00") << "the feed's own offset is kept";
  EXPECT_THAT(first.text, HasSubstr("هجوم إرهابي هجين")) << "content:encoded over description";
  EXPECT_EQ(first.blocks.size(), 2u);
  EXPECT_EQ(first.format, InputFormat::kFeed);
  EXPECT_EQ(first.origin, "thawra.rss:7");
  const auto metadata = nlohmann::json::parse(first.metadata_json);
  EXPECT_EQ(metadata["author"], "ريم صالح");
  EXPECT_EQ(metadata["categories"][0], "دولي");

  EXPECT_EQ(sink.documents[1].published, "2022-01-11T09:00:00+00:00");
  EXPECT_THAT(sink.documents[1].text, HasSubstr("ألماتي")) << "escaped HTML in description";

  ASSERT_EQ(sink.rejections().size(), 1u);
  EXPECT_EQ(sink.rejections()[0].line, 18u);
  EXPECT_THAT(sink.rejections()[0].to_string(), HasSubstr("no content or summary"));
}

TEST(Feed, AtomEntriesWithXhtmlAndTextContent) {
  const char* atom = R"(<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title>سبوتنيك</title>
  <entry>
    <title>توكاييف: محاولة انقلاب</title>
    <link rel="self" href="https://sputnik.test/self/1"/>
    <link rel="alternate" href="https://sputnik.test/a/1"/>
    <id>urn:sputnik:1</id>
    <published>2022-01-10T12:00:00+03:00</published>
    <updated>2022-01-11T08:00:00+03:00</updated>
    <author><name>المحرر</name></author>
    <content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><p>قال الرئيس الكازاخستاني إن البلاد تعرضت لمحاولة انقلاب.</p><p>وأضاف أن النظام عاد.</p></div></content>
  </entry>
  <entry>
    <title>نص عادي</title>
    <id>urn:sputnik:2</id>
    <updated>2022-01-12T08:00:00Z</updated>
    <summary>نص &lt;b&gt; يبقى كما هو لأنه نص لا HTML.</summary>
  </entry>
</feed>)";
  const testing::CollectingSink sink = read_feed_text(atom, "sputnik.atom");
  ASSERT_EQ(sink.documents.size(), 2u) << (sink.problems.empty() ? "" : sink.problems[0].reason);
  EXPECT_EQ(sink.documents[0].url, "https://sputnik.test/a/1");
  EXPECT_EQ(sink.documents[0].published, "2022-01-10T12:00:00+03:00") << "published over updated";
  EXPECT_EQ(sink.documents[0].source, "سبوتنيك");
  EXPECT_EQ(sink.documents[0].blocks.size(), 2u);
  EXPECT_THAT(sink.documents[0].text, HasSubstr("محاولة انقلاب"));
  EXPECT_EQ(sink.documents[1].published, "2022-01-12T08:00:00Z");
  EXPECT_THAT(sink.documents[1].text, HasSubstr("<b>")) << "type=text is not markup";
}

TEST(Feed, BrokenXmlKeepsTheItemsBeforeIt) {
  const std::string xml =
      std::string(kRss).substr(0, std::string(kRss).find("<item>\n    <title>خبر ثالث")) +
      "<item><title>x</title><description>نص</descr";
  const testing::CollectingSink sink = read_feed_text(xml, "cut.rss");
  EXPECT_EQ(sink.documents.size(), 1u);
  ASSERT_FALSE(sink.rejections().empty());
  EXPECT_THAT(sink.rejections().back().reason, HasSubstr("XML error at line"));
}

// Found by the fuzzer: an item opened inside another item's title replaced that item while the
// title's text was still being written into it (a use after free under AddressSanitizer).
TEST(Feed, AnItemOpenedInsideAnotherItemsFieldReplacesIt) {
  const std::string xml =
      "<rss version=\"2.0\"><channel><item><title>الأول <item><title>الثاني</title>"
      "<description>نص الخبر الثاني كاملا</description></item> بقية</title></item>"
      "</channel></rss>";
  const testing::CollectingSink sink = read_feed_text(xml, "nested.rss");
  ASSERT_EQ(sink.documents.size(), 1u);
  EXPECT_EQ(sink.documents[0].title, "الثاني");
}

TEST(Feed, ALegacyEncodingIsConvertedAndABadDateWarned) {
  // ISO-8859-6 bytes: «سلام».
  const std::string salam = "\xd3\xe4\xc7\xe5";
  const std::string xml = "<?xml version=\"1.0\" encoding=\"ISO-8859-6\"?><rss><channel><title>" +
                          salam + "</title><item><title>" + salam +
                          "</title><pubDate>yesterday</pubDate><description>" + salam + " " +
                          std::string(40, 'x') + "</description></item></channel></rss>";
  const testing::CollectingSink sink = read_feed_text(xml, "old.xml");
  ASSERT_EQ(sink.documents.size(), 1u) << (sink.problems.empty() ? "" : sink.problems[0].reason);
  EXPECT_EQ(sink.documents[0].title, "سلام");
  EXPECT_EQ(sink.documents[0].source, "سلام");
  EXPECT_EQ(sink.documents[0].published, "");
  ASSERT_EQ(sink.warnings().size(), 1u);
  EXPECT_THAT(sink.warnings()[0].reason, HasSubstr("«yesterday»"));
}

TEST(Feed, XmlThatIsNoFeedIsRefused) {
  const testing::CollectingSink sink = read_feed_text(
      "<?xml version=\"1.0\"?><urlset><url><loc>https://x.test/</loc></url></urlset>",
      "sitemap.xml");
  EXPECT_TRUE(sink.documents.empty());
  ASSERT_EQ(sink.rejections().size(), 1u);
  EXPECT_THAT(sink.rejections()[0].reason, HasSubstr("not an RSS or Atom feed"));
  // Found by content with no telling extension.
  EXPECT_EQ(read_feed_text(kRss, "download").documents.size(), 2u);
}

}  // namespace
}  // namespace khabar
