#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/resource.h>
#include <unistd.h>
#include <zlib.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "ingest/ingest_testing.h"
#include "khabar/ingest.h"

namespace khabar {
namespace {

using ::testing::HasSubstr;

const std::string kPage =
    "<!doctype html><html lang=\"ar\"><head><title>اشتباكات في ألماتي</title></head><body>"
    "<article><p>قالت السلطات في كازاخستان إن الهدوء عاد إلى مدينة ألماتي بعد أيام من "
    "الاحتجاجات، وإن قوات الأمن أوقفت مئات الأشخاص.</p></article></body></html>";

std::string http_response(const std::string& content_type, const std::string& body,
                          const std::string& extra_headers = "", int status = 200) {
  return fmt::format("HTTP/1.1 {} OK\r\nContent-Type: {}\r\n{}Content-Length: {}\r\n\r\n{}", status,
                     content_type, extra_headers, body.size(), body);
}

std::string record(const std::string& type, const std::string& uri, const std::string& block,
                   const std::string& content_type = "application/http; msgtype=response",
                   long length_error = 0) {
  return fmt::format(
      "WARC/1.0\r\nWARC-Type: {}\r\nWARC-Target-URI: {}\r\nWARC-Date: 2022-01-12T08:00:00Z\r\n"
      "WARC-Record-ID: <urn:uuid:{}>\r\nContent-Type: {}\r\nContent-Length: {}\r\n\r\n{}\r\n\r\n",
      type, uri, uri.size(), content_type, static_cast<long>(block.size()) + length_error, block);
}

std::string gzip(const std::string& data) {
  z_stream z{};
  EXPECT_EQ(
      deflateInit2(&z, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY),
      Z_OK);
  std::string out(deflateBound(&z, data.size()) + 32, '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  z.avail_in = static_cast<uInt>(data.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  EXPECT_EQ(deflate(&z, Z_FINISH), Z_STREAM_END);
  out.resize(z.total_out);
  deflateEnd(&z);
  return out;
}

testing::CollectingSink read_warc_bytes(const std::string& bytes, const std::string& path) {
  testing::CollectingSink sink;
  read_buffer(bytes, path, {}, sink);
  return sink;
}

TEST(Warc, AResponseWithAPageIsReadAndTheRestSkippedWithTheirOffsets) {
  const std::string info = record("warcinfo", "", "software: test", "application/warc-fields");
  const std::string request = record("request", "https://news.test/a", "GET /a HTTP/1.1\r\n\r\n",
                                     "application/http; msgtype=request");
  const std::string page =
      record("response", "https://news.test/a", http_response("text/html; charset=utf-8", kPage));
  const std::string image =
      record("response", "https://news.test/logo.png", http_response("image/png", "\x89PNG...."));
  const std::string missing = record("response", "https://news.test/gone",
                                     http_response("text/html", "<p>not here</p>", "", 404));
  const std::string file = info + request + page + image + missing;
  const testing::CollectingSink sink = read_warc_bytes(file, "crawl.warc");

  ASSERT_EQ(sink.documents.size(), 1u);
  const Document& doc = sink.documents[0];
  EXPECT_THAT(doc.text, HasSubstr("ألماتي"));
  EXPECT_EQ(doc.title, "اشتباكات في ألماتي");
  EXPECT_EQ(doc.url, "https://news.test/a");
  EXPECT_EQ(doc.published, "") << "the crawl date is not the publication date";
  const size_t page_offset = info.size() + request.size();
  EXPECT_EQ(doc.origin, fmt::format("crawl.warc@{}", page_offset));
  const auto metadata = nlohmann::json::parse(doc.metadata_json);
  EXPECT_EQ(metadata["warc_date"], "2022-01-12T08:00:00Z");
  EXPECT_EQ(metadata["warc_target_uri"], "https://news.test/a");

  ASSERT_EQ(sink.problems.size(), 2u);
  EXPECT_EQ(sink.problems[0].byte_offset, static_cast<int64_t>(page_offset + page.size()));
  EXPECT_THAT(sink.problems[0].to_string(), HasSubstr("not HTML (image/png)"));
  EXPECT_EQ(sink.problems[1].byte_offset,
            static_cast<int64_t>(page_offset + page.size() + image.size()));
  EXPECT_THAT(sink.problems[1].to_string(), HasSubstr("HTTP 404"));
  EXPECT_TRUE(sink.rejections().empty());
}

TEST(Warc, AWrongContentLengthLosesThatRecordOnly) {
  const std::string bad =
      record("response", "https://news.test/bad", http_response("text/html", kPage), "", -7);
  const std::string good =
      record("response", "https://news.test/good", http_response("text/html", kPage));
  const testing::CollectingSink sink = read_warc_bytes(bad + good, "crawl.warc");
  ASSERT_EQ(sink.documents.size(), 1u);
  EXPECT_EQ(sink.documents[0].url, "https://news.test/good");
  ASSERT_EQ(sink.rejections().size(), 1u);
  EXPECT_EQ(sink.rejections()[0].byte_offset, 0);
  EXPECT_THAT(sink.rejections()[0].reason, HasSubstr("wrong Content-Length"));
}

TEST(Warc, GzipMembersAreRecordsAndADamagedOneIsSkipped) {
  const std::string first =
      gzip(record("response", "https://news.test/1", http_response("text/html", kPage)));
  const std::string damaged =
      gzip(record("response", "https://news.test/2", http_response("text/html", kPage)));
  const std::string last =
      gzip(record("response", "https://news.test/3", http_response("text/html", kPage)));
  const std::string file = first + damaged.substr(0, damaged.size() / 2) + last;
  const testing::CollectingSink sink = read_warc_bytes(file, "crawl.warc.gz");
  ASSERT_EQ(sink.documents.size(), 2u);
  EXPECT_EQ(sink.documents[0].url, "https://news.test/1");
  EXPECT_EQ(sink.documents[1].url, "https://news.test/3");
  EXPECT_EQ(sink.documents[1].origin,
            fmt::format("crawl.warc.gz@{}", first.size() + damaged.size() / 2));
  ASSERT_EQ(sink.rejections().size(), 1u);
  EXPECT_EQ(sink.rejections()[0].byte_offset, static_cast<int64_t>(first.size()));
  EXPECT_THAT(sink.rejections()[0].reason, HasSubstr("gzip member"));

  // Cut at the end: the last member is truncated.
  const testing::CollectingSink cut =
      read_warc_bytes(first + last.substr(0, last.size() - 5), "cut.warc.gz");
  EXPECT_EQ(cut.documents.size(), 1u);
  ASSERT_EQ(cut.rejections().size(), 1u);
  EXPECT_THAT(cut.rejections()[0].reason, HasSubstr("truncated"));
}

// Peak resident memory of this process, in MiB (each test runs in a process of its own).
long peak_mib() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_maxrss / 1024;
}

TEST(Warc, AfterADamagedMemberTheRestOfTheFileIsNotHeldInMemory) {
  // The search for the next member kept everything it read: memory grew with the file.
  const std::filesystem::path path =
      std::filesystem::temp_directory_path() / fmt::format("khabar-damaged-{}.warc.gz", getpid());
  const std::string first =
      gzip(record("response", "https://news.test/1", http_response("text/html", kPage)));
  const std::string last =
      gzip(record("response", "https://news.test/3", http_response("text/html", kPage)));
  {
    std::ofstream out(path, std::ios::binary);
    out << first << "\x1f\x8b\x08";  // a member's header, and no member after it
    const std::string zeros(1 << 20, '\0');
    for (int i = 0; i < 96; ++i)
      out << zeros;
    out << last;
  }
  const long before = peak_mib();
  testing::CollectingSink sink;
  read_paths({path.string()}, {}, sink);
  const long grown = peak_mib() - before;
  std::filesystem::remove(path);
  ASSERT_EQ(sink.documents.size(), 2u);
  EXPECT_EQ(sink.documents[1].url, "https://news.test/3");
  ASSERT_EQ(sink.rejections().size(), 1u);
  EXPECT_THAT(sink.rejections()[0].reason, HasSubstr("corrupt gzip member"));
  EXPECT_LT(grown, 32) << "MiB held while looking for the member after the damaged one";
}

TEST(Warc, ChunkedGzippedPagesAreDecodedAndTheHttpCharsetHonoured) {
  const std::string compressed = gzip(kPage);
  std::string chunked;
  for (size_t at = 0; at < compressed.size(); at += 100) {
    const std::string piece = compressed.substr(at, 100);
    chunked += fmt::format("{:x}\r\n{}\r\n", piece.size(), piece);
  }
  chunked += "0\r\n\r\n";
  const std::string block =
      "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=UTF-8\r\nTransfer-Encoding: chunked\r\n"
      "Content-Encoding: gzip\r\n\r\n" +
      chunked;
  // ISO-8859-6 bytes for «سلام», declared only by the HTTP header.
  const std::string legacy_page = "<html><body><p>\xd3\xe4\xc7\xe5 " + std::string(60, 'x') +
                                  " \xd3\xe4\xc7\xe5</p></body></html>";
  const std::string legacy = record(
      "response", "https://news.test/legacy",
      "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=ISO-8859-6\r\n\r\n" + legacy_page);
  const testing::CollectingSink sink =
      read_warc_bytes(record("response", "https://news.test/z", block) + legacy, "z.warc");
  ASSERT_EQ(sink.documents.size(), 2u) << (sink.problems.empty() ? "" : sink.problems[0].reason);
  EXPECT_THAT(sink.documents[0].text, HasSubstr("ألماتي"));
  EXPECT_THAT(sink.documents[1].text, HasSubstr("سلام"));
}

TEST(Warc, FoundByNameAndByContentAndInDirectories) {
  const std::string one =
      record("response", "https://news.test/1", http_response("text/html", kPage));
  // By content: no extension says WARC.
  EXPECT_EQ(read_warc_bytes(one, "download").documents.size(), 1u);
  EXPECT_EQ(read_warc_bytes(gzip(one), "download").documents.size(), 1u);
  // Gzip that is no web archive.
  testing::CollectingSink other;
  ReadOptions html;
  html.format = InputFormat::kHtml;
  read_buffer(gzip(kPage), "page.html.gz", html, other);
  ASSERT_EQ(other.rejections().size(), 1u);
  EXPECT_THAT(other.rejections()[0].reason, HasSubstr("gzip"));

  char pattern[] = "/tmp/khabar-warc-XXXXXX";
  const std::filesystem::path dir = mkdtemp(pattern);
  std::ofstream(dir / "a.warc.gz", std::ios::binary) << gzip(one);
  std::ofstream(dir / "b.warc", std::ios::binary) << one;
  testing::CollectingSink walked;
  read_paths({dir.string()}, {}, walked);
  EXPECT_EQ(walked.documents.size(), 2u);
  EXPECT_TRUE(walked.problems.empty()) << walked.problems[0].to_string();
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace khabar
