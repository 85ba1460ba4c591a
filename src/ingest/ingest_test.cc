#include "khabar/ingest.h"

#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "ingest/ingest_testing.h"

namespace khabar {
namespace {

using testing::CollectingSink;
using ::testing::HasSubstr;

CollectingSink read(std::string_view bytes, std::string_view path, ReadOptions options = {}) {
  CollectingSink sink;
  read_buffer(bytes, path, options, sink);
  return sink;
}

// --- Plain text -----------------------------------------------------------------------------

TEST(TextReader, WholeFileIsOneArticle) {
  auto sink = read("عنوان\n\nنص الخبر.", "a.txt");
  ASSERT_EQ(sink.documents.size(), 1u);
  EXPECT_EQ(sink.documents[0].text, "عنوان\n\nنص الخبر.");
  EXPECT_EQ(sink.documents[0].format, InputFormat::kText);
  EXPECT_EQ(sink.documents[0].origin, "a.txt");
  EXPECT_TRUE(sink.documents[0].published.empty());
  EXPECT_TRUE(sink.problems.empty());
}

TEST(TextReader, StripsUtf8ByteOrderMark) {
  auto sink = read("\xEF\xBB\xBFنص", "a.txt");
  ASSERT_EQ(sink.documents.size(), 1u);
  EXPECT_EQ(sink.documents[0].text, "نص");
}

// --- Bad input: each named with file, offset and reason ---------------------------------------

TEST(BadInput, EmptyFile) {
  auto sink = read("", "empty.txt");
  ASSERT_EQ(sink.rejections().size(), 1u);
  EXPECT_EQ(sink.rejections()[0].to_string(), "empty.txt: empty file");
  auto spaces = read(" \n\t\n", "spaces.txt");
  ASSERT_EQ(spaces.rejections().size(), 1u);
  EXPECT_THAT(spaces.rejections()[0].reason, HasSubstr("only whitespace"));
}

TEST(BadInput, BinaryFile) {
  const std::string png("\x89PNG\r\n\x1A\n\0\0\0\rIHDR", 16);
  auto sink = read(png, "photo.txt");
  ASSERT_EQ(sink.rejections().size(), 1u);
  EXPECT_EQ(sink.rejections()[0].to_string(),
            "photo.txt: byte 8: binary file (NUL byte), not text");
}

TEST(BadInput, InvalidUtf8NamesTheByte) {
  auto sink = read("خبر عاجل \xFF بقية النص العربي الطويل", "bad.txt");
  ASSERT_EQ(sink.rejections().size(), 1u);
  EXPECT_EQ(sink.rejections()[0].byte_offset, 16);
  EXPECT_THAT(sink.rejections()[0].to_string(), HasSubstr("bad.txt: byte 16: not valid UTF-8"));
}

TEST(BadInput, Utf16WithoutAByteOrderMarkIsReadWhenNamed) {
  // Its NUL bytes made it "binary", even with --encoding utf-16le.
  const std::string utf16le(
      "\x2e\x06\x28\x06\x31\x06\x20\x00"
      "a\x00",
      10);  // «خبر a»
  ReadOptions options;
  options.encoding = "UTF-16LE";
  auto sink = read(utf16le, "u16.txt", options);
  ASSERT_EQ(sink.documents.size(), 1u);
  EXPECT_EQ(sink.documents[0].text, "خبر a");
  EXPECT_EQ(read(utf16le, "u16.txt").rejections().size(), 1u);  // unnamed: binary, as before
}

TEST(BadInput, ArticleOverTheSizeLimit) {
  ReadOptions options;
  options.max_article_bytes = 100;
  auto sink = read(std::string(101, 'a'), "big.txt", options);
  ASSERT_EQ(sink.rejections().size(), 1u);
  EXPECT_THAT(sink.rejections()[0].reason, HasSubstr("over the article size limit"));
  auto fits = read(std::string(100, 'a'), "fits.txt", options);
  EXPECT_EQ(fits.documents.size(), 1u);
}

// --- JSONL ----------------------------------------------------------------------------------

TEST(JsonlReader, ReadsFieldsAndKeepsUnknownOnesAsMetadata) {
  auto sink =
      read(R"({"text":"نص","title":"عنوان","url":"https://x.test/1","source":"الثورة",)"
           R"("published":"2022-01-12T08:30:00+03:00","lang":"ar","id":"abc","section":"world"})",
           "feed.jsonl");
  ASSERT_EQ(sink.documents.size(), 1u) << sink.problems.size();
  const Document& doc = sink.documents[0];
  EXPECT_EQ(doc.text, "نص");
  EXPECT_EQ(doc.title, "عنوان");
  EXPECT_EQ(doc.url, "https://x.test/1");
  EXPECT_EQ(doc.source, "الثورة");
  EXPECT_EQ(doc.published, "2022-01-12T08:30:00+03:00");
  EXPECT_EQ(doc.declared_lang, "ar");
  EXPECT_EQ(doc.external_id, "abc");
  EXPECT_EQ(doc.metadata_json, R"({"section":"world"})");
  EXPECT_EQ(doc.origin, "feed.jsonl:1");
  EXPECT_EQ(doc.format, InputFormat::kJsonl);
}

TEST(JsonlReader, EachBadLineIsRejectedAndTheRestGoesIn) {
  const std::string jsonl =
      "{\"text\":\"one\"}\n"
      "{\"text\":\"two\"\n"             // truncated
      "{\"title\":\"no text\"}\n"       // text missing
      "{\"text\":42}\n"                 // text not a string
      "[1,2]\n"                         // not an object
      "\n"                              // blank lines are fine
      "{\"text\":\"bad \xFF utf8\"}\n"  // invalid UTF-8
      "{\"text\":\"   \"}\n"            // empty text
      "{\"text\":x}\n"                  // a bad character
      "{\"text\":\"six\",\"published\":\"12/01/2022\",\"title\":7}\n";
  auto sink = read(jsonl, "mixed.jsonl");
  ASSERT_EQ(sink.documents.size(), 2u);
  EXPECT_EQ(sink.documents[0].text, "one");
  EXPECT_EQ(sink.documents[1].text, "six");
  EXPECT_EQ(sink.documents[1].origin, "mixed.jsonl:10");
  EXPECT_TRUE(sink.documents[1].published.empty());

  const auto rejected = sink.rejections();
  ASSERT_EQ(rejected.size(), 7u);
  EXPECT_EQ(rejected[0].line, 2u);
  EXPECT_THAT(rejected[0].to_string(), HasSubstr("mixed.jsonl:2: byte 13: malformed JSON"));
  EXPECT_EQ(rejected[1].to_string(),
            "mixed.jsonl:3: no article text: none of `text`, `maintext`, `content`, `body` "
            "(name it with --map text=FIELD)");
  EXPECT_EQ(rejected[2].to_string(), "mixed.jsonl:4: `text` must be a string, got number");
  EXPECT_EQ(rejected[3].to_string(), "mixed.jsonl:5: byte 0: expected a JSON object, got array");
  EXPECT_EQ(rejected[4].to_string(),
            "mixed.jsonl:7: byte 13: not valid UTF-8 (ill-formed byte 0xFF)");
  EXPECT_EQ(rejected[5].to_string(), "mixed.jsonl:8: `text` is empty");
  EXPECT_THAT(rejected[6].to_string(), HasSubstr("mixed.jsonl:9: byte 8: malformed JSON"));

  const auto warnings = sink.warnings();
  ASSERT_EQ(warnings.size(), 2u);
  EXPECT_THAT(warnings[0].to_string(), HasSubstr("mixed.jsonl:10: `title` must be a string"));
  EXPECT_THAT(warnings[1].to_string(), HasSubstr("«12/01/2022» is not an ISO 8601 date"));
}

// --- Other tools' JSON -----------------------------------------------------------------------
// Small files in the formats the tools publish: their field names, their nulls, their layout.

const char* kArabicText =
    "أعلنت وزارة الصحة اليوم افتتاح مركز صحي جديد في المدينة يخدم آلاف السكان.";

TEST(JsonRecords, ANewsPleaseArticleFilePrettyPrinted) {
  // news-please writes one article a file, indented, with nulls for what it did not find.
  const std::string file = fmt::format(R"({{
    "authors": ["ريم صالح"],
    "date_download": "2021-03-04 10:12:00",
    "date_modify": null,
    "date_publish": "2021-03-04 09:30:00",
    "description": null,
    "filename": "https%3A%2F%2Fnews.test%2Fa.json",
    "image_url": null,
    "language": "ar",
    "localpath": null,
    "maintext": "{}",
    "source_domain": "news.test",
    "title": "افتتاح مركز صحي",
    "title_page": null,
    "title_rss": null,
    "url": "https://news.test/a"
}}
)",
                                       kArabicText);
  auto sink = read(file, "a.json");
  ASSERT_EQ(sink.documents.size(), 1u)
      << (sink.problems.empty() ? "" : sink.problems[0].to_string());
  const Document& doc = sink.documents[0];
  EXPECT_EQ(doc.text, kArabicText);
  EXPECT_EQ(doc.title, "افتتاح مركز صحي");
  EXPECT_EQ(doc.url, "https://news.test/a");
  EXPECT_EQ(doc.source, "news.test");
  EXPECT_EQ(doc.published, "2021-03-04T09:30:00");
  EXPECT_EQ(doc.declared_lang, "ar");
  EXPECT_EQ(doc.origin, "a.json:1");
  const auto metadata = nlohmann::json::parse(doc.metadata_json);
  EXPECT_EQ(metadata["date_download"], "2021-03-04 10:12:00");
  EXPECT_TRUE(metadata["description"].is_null());  // kept as the tool wrote it
  EXPECT_TRUE(sink.problems.empty());
}

TEST(JsonRecords, ASaudiNewsNetDayIsAJsonArray) {
  const std::string file = fmt::format(R"([
  {{"source": "aawsat", "url": "http://aawsat.test/1", "date_extracted": "2015-07-21 02:51:32",
    "title": "عنوان أول", "author": "الرياض: مراسل", "content": "{0}"}},
  {{"source": "okaz", "url": "http://okaz.test/2", "date_extracted": "2015-07-21 03:00:00",
    "title": "عنوان ثان", "author": null,
    "content": "{0} وقال المدير إن المركز سيفتح أبوابه غدا."}},
  {{"source": "sabq", "title": "بلا نص"}}
]
)",
                                       kArabicText);
  auto sink = read(file, "2015-07-21.json");
  ASSERT_EQ(sink.documents.size(), 2u);
  EXPECT_EQ(sink.documents[0].source, "aawsat");
  EXPECT_EQ(sink.documents[0].published, "2015-07-21T02:51:32");
  EXPECT_EQ(sink.documents[0].text, kArabicText);
  EXPECT_EQ(sink.documents[1].url, "http://okaz.test/2");
  EXPECT_EQ(sink.documents[1].origin, "2015-07-21.json:4");  // the line its record starts on
  ASSERT_EQ(sink.rejections().size(), 1u);
  EXPECT_THAT(
      sink.rejections()[0].to_string(),
      HasSubstr("2015-07-21.json:7: no article text: none of `text`, `maintext`, `content`"));
}

TEST(JsonRecords, ATrafilaturaRecordTakesItsUrlFromSource) {
  // trafilatura's JSON calls the page's URL `source` and the outlet `source-hostname`.
  const std::string line = fmt::format(
      R"({{"title": "افتتاح مركز صحي", "author": null, "hostname": "news.test", )"
      R"("date": "2021-03-04", "categories": "", "tags": "", "fingerprint": "abc", "id": null, )"
      R"("license": null, "comments": "", "raw_text": "x", "text": "{}", "language": null, )"
      R"("image": null, "pagetype": "article", "source": "https://news.test/a", )"
      R"("source-hostname": "أخبار الاختبار", "excerpt": null}})",
      kArabicText);
  auto sink = read(line + "\n", "t.jsonl");
  ASSERT_EQ(sink.documents.size(), 1u);
  const Document& doc = sink.documents[0];
  EXPECT_EQ(doc.url, "https://news.test/a");
  EXPECT_EQ(doc.source, "أخبار الاختبار");
  EXPECT_EQ(doc.published, "2021-03-04");
  EXPECT_EQ(doc.text, kArabicText);
  const auto metadata = nlohmann::json::parse(doc.metadata_json);
  EXPECT_EQ(metadata["hostname"], "news.test");  // a name for the outlet, after source-hostname
  EXPECT_FALSE(metadata.contains("language"));   // a field khabar reads, null: nothing to keep
}

TEST(JsonRecords, MapNamesAnyOtherFieldAndComesFirst) {
  ReadOptions options;
  Result<std::vector<std::pair<std::string, std::string>>> map =
      parse_field_map("text=story_body,published=when");
  ASSERT_TRUE(map.ok()) << map.error().message;
  options.field_map = *map;
  const std::string line = fmt::format(
      R"({{"story_body": "{}", "text": "a teaser, not the text", "when": "2021-03-04"}})",
      kArabicText);
  auto sink = read(line + "\n", "m.jsonl", options);
  ASSERT_EQ(sink.documents.size(), 1u);
  EXPECT_EQ(sink.documents[0].text, kArabicText);
  EXPECT_EQ(sink.documents[0].published, "2021-03-04");
  EXPECT_EQ(nlohmann::json::parse(sink.documents[0].metadata_json)["text"],
            "a teaser, not the text");
  EXPECT_THAT(parse_field_map("body=x").error().message, HasSubstr("no field «body»"));
  EXPECT_THAT(parse_field_map("text").error().message, HasSubstr("want FIELD=NAME"));
}

TEST(JsonRecords, ABrokenArrayKeepsItsGoodRecords) {
  const std::string file =
      fmt::format(R"([{{"text": "{0}"}}, {{"text": 5}}, {{"text": "{0} ثانيا"}})", kArabicText);
  auto sink = read(file, "cut.json");
  EXPECT_EQ(sink.documents.size(), 2u);
  ASSERT_EQ(sink.rejections().size(), 2u);
  EXPECT_THAT(sink.rejections()[0].reason, HasSubstr("`text` must be a string"));
  EXPECT_THAT(sink.rejections()[1].reason, HasSubstr("the JSON array is not closed"));
}

TEST(JsonlReader, NumberTooLargeIsRejectedNotThrown) {  // found by jsonl_reader_fuzzer
  auto sink = read("{\"text\":\"a\",\"n\":5555e3917}\n{\"text\":\"b\"}", "f.jsonl");
  ASSERT_EQ(sink.documents.size(), 1u);
  ASSERT_EQ(sink.rejections().size(), 1u);
  EXPECT_THAT(sink.rejections()[0].to_string(), HasSubstr("f.jsonl:1: unreadable JSON"));
}

TEST(JsonlReader, DeeplyNestedMetadataIsRejectedAndTheNextLineGoesIn) {
  // Kept as metadata, it crashed ingest when written out, at the same line on every rerun.
  const std::string deep = std::string(60000, '[') + std::string(60000, ']');
  auto sink = read("{\"text\":\"a\",\"m\":" + deep + "}\n{\"text\":\"b\",\"m\":[[1]]}", "f.jsonl");
  ASSERT_EQ(sink.documents.size(), 1u);
  EXPECT_EQ(sink.documents[0].text, "b");
  ASSERT_EQ(sink.rejections().size(), 1u);
  EXPECT_EQ(sink.rejections()[0].to_string(),
            "f.jsonl:1: byte 143: JSON nested more than 128 arrays or objects deep");
}

TEST(JsonlReader, TextOverTheLimitIsRejected) {
  ReadOptions options;
  options.max_article_bytes = 10;
  auto sink =
      read("{\"text\":\"" + std::string(11, 'x') + "\"}\n{\"text\":\"short\"}", "f.jsonl", options);
  ASSERT_EQ(sink.documents.size(), 1u);
  ASSERT_EQ(sink.rejections().size(), 1u);
  EXPECT_THAT(sink.rejections()[0].reason, HasSubstr("over the limit of 10"));
}

TEST(JsonlReader, HugeLineIsRefusedWithoutParsing) {
  ReadOptions options;
  options.max_article_bytes = 10;  // lines up to 2*10 + 64 KiB are parsed
  const std::string huge = "{\"text\":\"" + std::string(70 * 1024, 'x') + "\"}\n{\"text\":\"ok\"}";
  auto sink = read(huge, "f.jsonl", options);
  ASSERT_EQ(sink.documents.size(), 1u);
  ASSERT_EQ(sink.rejections().size(), 1u);
  EXPECT_THAT(sink.rejections()[0].to_string(), HasSubstr("f.jsonl:1: line is longer than"));
}

TEST(FormatDetection, ByExtensionThenContentThenOption) {
  EXPECT_EQ(read("{\"text\":\"x\"}", "noext").documents.at(0).format, InputFormat::kJsonl);
  EXPECT_EQ(read("<p>مرحبا</p>", "noext").documents.at(0).format, InputFormat::kHtml);
  EXPECT_EQ(read("{\"text\":\"x\"}", "a.txt").documents.at(0).format, InputFormat::kText);
  ReadOptions as_text;
  as_text.format = InputFormat::kText;
  EXPECT_EQ(read("<p>x</p>", "a.html", as_text).documents.at(0).format, InputFormat::kText);
  EXPECT_FALSE(parse_input_format("xml").ok());
  EXPECT_EQ(*parse_input_format("jsonl"), InputFormat::kJsonl);
}

// --- Paths ----------------------------------------------------------------------------------

class TempDir {
 public:
  TempDir() {
    char pattern[] = "/tmp/khabar-ingest-XXXXXX";
    path_ = mkdtemp(pattern);
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::permissions(path_ / "locked", std::filesystem::perms::owner_all, ec);
    std::filesystem::remove_all(path_, ec);
  }
  std::string write(const std::string& name, const std::string& content) const {
    const auto path = path_ / name;
    std::filesystem::create_directories(path.parent_path());
    std::ofstream(path, std::ios::binary) << content;
    return path.string();
  }
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

TEST(ReadPaths, WalksDirectoriesInOrderAndReportsWhatItSkips) {
  TempDir dir;
  dir.write("b.txt", "ثانيا");
  dir.write("a/x.jsonl", "{\"text\":\"أولا\"}\n");
  dir.write("notes.md", "# not an article");
  dir.write(".hidden.txt", "hidden");
  CollectingSink sink;
  read_paths({dir.path().string(), (dir.path() / "missing.txt").string()}, {}, sink);
  ASSERT_EQ(sink.documents.size(), 2u);
  EXPECT_EQ(sink.documents[0].text, "أولا");
  EXPECT_EQ(sink.documents[1].text, "ثانيا");
  const auto skipped = sink.of_severity(Problem::Severity::kSkipped);
  ASSERT_EQ(skipped.size(), 1u);
  EXPECT_THAT(skipped[0].path, HasSubstr("notes.md"));
  ASSERT_EQ(sink.rejections().size(), 1u);
  EXPECT_THAT(sink.rejections()[0].to_string(), HasSubstr("missing.txt: no such file"));
  EXPECT_EQ(measure_paths({dir.path().string()}),
            std::string("ثانيا").size() + std::string("{\"text\":\"أولا\"}\n").size());
}

TEST(ReadPaths, ASymlinkLoopIsReadOnceAndOddEntriesAreListed) {
  // Two self-symlinks made an endless walk: 34,499 sightings of one article in 30 s.
  TempDir dir;
  dir.write("a.txt", "نص المقال");
  std::filesystem::create_directory_symlink(".", dir.path() / "loop1");
  std::filesystem::create_directory_symlink(dir.path(), dir.path() / "loop2");
  std::filesystem::create_symlink(dir.path() / "gone.txt", dir.path() / "broken.txt");
  ASSERT_EQ(mkfifo((dir.path() / "pipe.txt").c_str(), 0600), 0);
  CollectingSink sink;
  read_paths({dir.path().string()}, {}, sink);
  ASSERT_EQ(sink.documents.size(), 1u);
  std::vector<std::string> reasons;
  for (const Problem& p : sink.of_severity(Problem::Severity::kSkipped))
    reasons.push_back(std::filesystem::path(p.path).filename().string() + ": " + p.reason);
  EXPECT_THAT(reasons, ::testing::ElementsAre(
                           "broken.txt: a broken symbolic link",
                           "loop1: a directory already read through another path (a symlink loop?)",
                           "loop2: a directory already read through another path (a symlink loop?)",
                           "pipe.txt: not a regular file (a pipe, socket or device)"));
}

TEST(ReadPaths, APathIsOneSightingHoweverItIsWritten) {
  TempDir dir;
  dir.write("a.txt", "نص المقال");
  CollectingSink sink;
  read_paths({(dir.path() / "." / "a.txt").string(), (dir.path() / "x" / ".." / "a.txt").string()},
             {}, sink);
  ASSERT_EQ(sink.documents.size(), 2u);
  EXPECT_EQ(sink.documents[0].origin, (dir.path() / "a.txt").string());
  EXPECT_EQ(sink.documents[1].origin, sink.documents[0].origin);
}

TEST(ReadPaths, UnreadableFilesAreReportedAndTheRestGoesIn) {
  if (geteuid() == 0) GTEST_SKIP() << "root reads everything; permissions cannot be tested";
  TempDir dir;
  const std::string locked = dir.write("locked/a.txt", "x");
  dir.write("open.txt", "نص");
  chmod(locked.c_str(), 0);
  CollectingSink sink;
  read_paths({dir.path().string()}, {}, sink);
  EXPECT_EQ(sink.documents.size(), 1u);
  ASSERT_EQ(sink.rejections().size(), 1u);
  EXPECT_THAT(sink.rejections()[0].reason, HasSubstr("cannot open"));
}

TEST(ReadPaths, UnlistableDirectoryIsReported) {
  if (geteuid() == 0) GTEST_SKIP() << "root lists everything; permissions cannot be tested";
  TempDir dir;
  dir.write("locked/a.txt", "x");
  dir.write("open.txt", "نص");
  std::filesystem::permissions(dir.path() / "locked", std::filesystem::perms::none);
  CollectingSink sink;
  read_paths({dir.path().string()}, {}, sink);
  EXPECT_EQ(sink.documents.size(), 1u);
  ASSERT_EQ(sink.rejections().size(), 1u);
  EXPECT_THAT(sink.rejections()[0].reason, HasSubstr("cannot list"));
}

// --- ISO 8601 -------------------------------------------------------------------------------

TEST(Iso8601, AcceptsDatesAndDateTimes) {
  EXPECT_EQ(*parse_iso8601("2022-01-12"), "2022-01-12");
  EXPECT_EQ(*parse_iso8601("2022-01-12T08:30Z"), "2022-01-12T08:30:00Z");
  EXPECT_EQ(*parse_iso8601("2022-01-12 08:30:15.123+0300"), "2022-01-12T08:30:15+03:00");
  EXPECT_EQ(*parse_iso8601("2024-02-29T00:00:00-05:00"), "2024-02-29T00:00:00-05:00");
}

// Story clustering measures time between articles from different zones: the offset counts.
TEST(Iso8601, GivesSecondsSinceTheEpochWithTheZoneApplied) {
  EXPECT_EQ(iso8601_unix_seconds("1970-01-02"), 86400);
  EXPECT_EQ(iso8601_unix_seconds("2022-01-10"), 1641772800);
  EXPECT_EQ(iso8601_unix_seconds("2022-01-10T10:00:00Z"), 1641808800);
  EXPECT_EQ(iso8601_unix_seconds("2022-01-10T10:00:00"), 1641808800);  // no zone: UTC
  EXPECT_EQ(iso8601_unix_seconds("2022-01-10T13:00:00+03:00"), 1641808800);
  EXPECT_EQ(iso8601_unix_seconds("2022-01-10T05:30:00-04:30"), 1641808800);
  EXPECT_EQ(iso8601_unix_seconds("not a date"), std::nullopt);
  EXPECT_EQ(iso8601_unix_seconds(""), std::nullopt);
}

// «اليوم الاثنين» is the day the outlet printed, wherever UTC was.
TEST(Iso8601, GivesTheDateAsPrinted) {
  using namespace std::chrono;
  EXPECT_EQ(iso8601_date("2022-01-10"), year_month_day(year(2022), month(1), day(10)));
  EXPECT_EQ(iso8601_date("2022-01-10T23:30:00-05:00"),
            year_month_day(year(2022), month(1), day(10)));
  EXPECT_EQ(iso8601_date("2022-01-10T00:30:00+03:00"),
            year_month_day(year(2022), month(1), day(10)));
  EXPECT_EQ(iso8601_date("2023-02-29"), std::nullopt);
  EXPECT_EQ(iso8601_date("2022-01-12junk"), std::nullopt);
}

TEST(Iso8601, RejectsWithAReason) {
  for (const char* bad : {"", "12/01/2022", "2022-13-01", "2023-02-29", "2022-01-12T25:00",
                          "2022-01-12T10:00+3", "2022-01-12junk", "2022-1-2"}) {
    Result<std::string> r = parse_iso8601(bad);
    EXPECT_FALSE(r.ok()) << bad;
    if (!r.ok()) {
      EXPECT_THAT(r.error().message, HasSubstr("is not an ISO 8601 date")) << bad;
    }
  }
}

}  // namespace
}  // namespace khabar
