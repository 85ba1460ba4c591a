// WARC files, plain or gzipped record by record (.warc.gz): each `response` record holding an
// HTML page becomes a Document read as an HTML file is, with the crawl's target URI and date
// kept. A damaged record is reported at its offset and skipped; the rest of the file goes in.
#include <fmt/format.h>
#include <zlib.h>

#include <array>
#include <charconv>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>

#include "ingest/internal/gzip_members.h"
#include "ingest/internal/readers.h"
#include "text/utf8.h"

namespace khabar::ingest_internal {
namespace {

// HTTP status line and headers above a page: more than this is no response we want.
constexpr size_t kMaxHttpHeaderBytes = 64 * 1024;
constexpr size_t kMaxHeaderLineBytes = 16 * 1024;

using Headers = std::map<std::string, std::string>;  // names lowercased

// A header's value as given, or "" when absent: of a WARC record and of an HTTP response alike.
std::string header(const Headers& headers, const std::string& name) {
  auto it = headers.find(name);
  return it == headers.end() ? std::string() : it->second;
}

struct WarcRecord {
  uint64_t offset = 0;  // in the file: the record's, or its gzip member's
  Headers headers;
  std::string block;
};

std::optional<uint64_t> to_number(std::string_view text) {
  uint64_t value = 0;
  text = text::trim(text);
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || text.empty()) return std::nullopt;
  return value;
}

// "Name: value" into (lowercased name, trimmed value); false when the line has no colon.
bool split_header(std::string_view line, std::string& name, std::string& value) {
  const size_t colon = line.find(':');
  if (colon == std::string_view::npos || colon == 0) return false;
  name = text::ascii_lower(text::trim(line.substr(0, colon)));
  value = std::string(text::trim(line.substr(colon + 1)));
  return true;
}

// Reads the records of a plain WARC stream and hands each whole one to `visit`. `member_offset`
// is the gzip member the stream was decompressed from, or nullopt for a plain file: problems
// then name the record's own offset.
class RecordReader {
 public:
  RecordReader(Input& input, std::string_view path, std::optional<uint64_t> member_offset,
               size_t max_block_bytes, DocumentSink& sink)
      : input_(input),
        path_(path),
        member_offset_(member_offset),
        max_block_bytes_(max_block_bytes),
        sink_(sink) {}

  void read_all(const std::function<void(WarcRecord&)>& visit) {
    for (;;) {
      const uint64_t start = input_.offset();
      std::string version;
      if (!next_version_line(version)) return;
      WarcRecord record;
      record.offset = member_offset_.value_or(start);
      if (!version.starts_with("WARC/")) {
        problem(record.offset, fmt::format("not a WARC record: «{}» where WARC/1.0 or 1.1 was "
                                           "expected; looking for the next record",
                                           text::to_valid_utf8(version.substr(0, 40))));
        pending_.clear();
        resync();
        continue;
      }
      if (!read_headers(record)) return;
      const std::optional<uint64_t> length = to_number(header(record.headers, "content-length"));
      if (!length) {
        problem(record.offset, "no valid Content-Length; looking for the next record");
        resync();
        continue;
      }
      if (*length > max_block_bytes_) {
        const uint64_t skipped = input_.skip(*length);
        problem(record.offset,
                fmt::format("a record of {} bytes, over the size limit (--max-article-bytes); "
                            "skipped",
                            *length));
        if (skipped < *length) return;
        (void)trailer_ok(record.offset, *length);  // a bad trailer is reported; skipped either way
        continue;
      }
      const size_t got = input_.read_some(record.block, static_cast<size_t>(*length));
      if (got < *length) {
        problem(record.offset, fmt::format("truncated record: Content-Length is {} but the {} "
                                           "ends after {} bytes",
                                           *length, member_offset_ ? "gzip member" : "file", got));
        return;
      }
      if (!trailer_ok(record.offset, *length)) continue;
      visit(record);
    }
  }

 private:
  void problem(uint64_t offset, std::string reason) {
    sink_.problem(reject(path_, 0, static_cast<int64_t>(offset), std::move(reason)));
  }

  bool next_line(std::string& line) {
    bool too_long = false;
    return input_.next_line(line, kMaxHeaderLineBytes, too_long);
  }

  // The next non-blank line, or the one a resync already found.
  bool next_version_line(std::string& line) {
    if (!pending_.empty()) {
      line = std::move(pending_);
      pending_.clear();
      return true;
    }
    while (next_line(line)) {
      if (!text::trim(line).empty()) return true;
    }
    return false;
  }

  bool read_headers(WarcRecord& record) {
    std::string line, name, value;
    while (next_line(line)) {
      if (line.empty()) return true;
      if (split_header(line, name, value)) record.headers[name] = value;
    }
    problem(record.offset, "truncated record: the file ends inside its header");
    return false;
  }

  // A record's block is followed by two line breaks. Anything else means Content-Length was
  // wrong: the record is dropped and reading goes on at the next "WARC/" line.
  bool trailer_ok(uint64_t offset, uint64_t length) {
    std::string line;
    for (int i = 0; i < 2; ++i) {
      if (!next_line(line)) return true;  // the end of the input ends the last record too
      if (line.empty()) continue;
      problem(offset, fmt::format("wrong Content-Length ({}): the record does not end there; "
                                  "skipped",
                                  length));
      if (line.starts_with("WARC/")) {
        pending_ = std::move(line);
      } else {
        resync();
      }
      return false;
    }
    return true;
  }

  void resync() {
    std::string line;
    while (next_line(line)) {
      if (line.starts_with("WARC/1.")) {
        pending_ = std::move(line);
        return;
      }
    }
  }

  Input& input_;
  std::string_view path_;
  std::optional<uint64_t> member_offset_;
  size_t max_block_bytes_;
  DocumentSink& sink_;
  std::string pending_;
};

// --- The HTTP response inside a record ------------------------------------------------------

struct HttpResponse {
  int status = 0;
  Headers headers;
  std::string_view body;
};

std::optional<HttpResponse> parse_http(std::string_view block, std::string& error) {
  const size_t end = block.find("\r\n\r\n");
  const size_t lf_end = block.find("\n\n");
  size_t header_end = end, body_start = end + 4;
  if (end == std::string_view::npos || (lf_end != std::string_view::npos && lf_end < end)) {
    header_end = lf_end;
    body_start = lf_end + 2;
  }
  if (header_end == std::string_view::npos || header_end > kMaxHttpHeaderBytes) {
    error = "no end to the HTTP header";
    return std::nullopt;
  }
  HttpResponse response;
  const std::string_view head = block.substr(0, header_end);
  size_t at = 0;
  bool first = true;
  while (at <= head.size()) {
    size_t eol = head.find('\n', at);
    if (eol == std::string_view::npos) eol = head.size();
    std::string_view line = head.substr(at, eol - at);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    at = eol + 1;
    if (first) {
      first = false;
      // "HTTP/1.1 200 OK"
      if (!line.starts_with("HTTP/")) {
        error = "the record holds no HTTP response";
        return std::nullopt;
      }
      const size_t space = line.find(' ');
      const std::optional<uint64_t> status =
          space == std::string_view::npos ? std::nullopt : to_number(line.substr(space + 1, 3));
      if (!status) {
        error = "no HTTP status";
        return std::nullopt;
      }
      response.status = static_cast<int>(*status);
      continue;
    }
    std::string name, value;
    if (split_header(line, name, value)) response.headers[name] = value;
  }
  response.body = block.substr(std::min(body_start, block.size()));
  return response;
}

bool dechunk(std::string_view body, std::string& out) {
  size_t at = 0;
  for (;;) {
    const size_t eol = body.find("\r\n", at);
    if (eol == std::string_view::npos) return false;
    std::string_view size_text = body.substr(at, eol - at);
    size_text = size_text.substr(0, size_text.find(';'));  // chunk extensions
    size_t size = 0;
    const auto [end, ec] =
        std::from_chars(size_text.data(), size_text.data() + size_text.size(), size, 16);
    if (ec != std::errc() || size_text.empty()) return false;
    at = eol + 2;
    if (size == 0) return true;
    if (at + size > body.size()) return false;
    out.append(body.substr(at, size));
    at += size + 2;
  }
}

// A gzip or "deflate" (zlib-wrapped, as HTTP means it) body; 32 + MAX_WBITS takes either.
bool inflate_body(std::string_view body, size_t max_bytes, std::string& out) {
  z_stream z{};
  if (inflateInit2(&z, 32 + MAX_WBITS) != Z_OK) return false;
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(body.data()));
  z.avail_in = static_cast<uInt>(body.size());
  std::array<unsigned char, 1 << 16> buffer{};
  int rc = Z_OK;
  while (rc == Z_OK) {
    z.next_out = buffer.data();
    z.avail_out = static_cast<uInt>(buffer.size());
    rc = inflate(&z, Z_NO_FLUSH);
    out.append(reinterpret_cast<const char*>(buffer.data()), buffer.size() - z.avail_out);
    if (out.size() > max_bytes) rc = Z_MEM_ERROR;
    if (rc == Z_BUF_ERROR && z.avail_in == 0) break;  // the body ends: keep what it held
  }
  inflateEnd(&z);
  return rc == Z_STREAM_END || rc == Z_BUF_ERROR;
}

// "text/html; charset=windows-1256" → ("text/html", "windows-1256").
std::pair<std::string, std::string> media_type(const std::string& content_type) {
  const size_t semicolon = content_type.find(';');
  std::string type(text::trim(std::string_view(content_type).substr(0, semicolon)));
  std::string charset;
  const size_t at = content_type.find("charset=");
  if (at != std::string::npos) {
    charset = std::string(text::trim(std::string_view(content_type).substr(at + 8)));
    charset = charset.substr(0, charset.find_first_of("; "));
    if (charset.size() >= 2 && charset.front() == '"')
      charset = charset.substr(1, charset.size() - 2);
  }
  return {type, charset};
}

// Documents from one record keep where they came from: the crawl's target URI, date and id.
class RecordSink : public DocumentSink {
 public:
  RecordSink(DocumentSink& out, const WarcRecord& record, std::string_view path)
      : out_(out), record_(record), path_(path) {}

  void document(Document doc) override {
    const std::string uri = header(record_.headers, "warc-target-uri");
    if (doc.url.empty()) doc.url = uri;
    nlohmann::json metadata = nlohmann::json::object();
    if (!doc.metadata_json.empty()) {
      metadata = nlohmann::json::parse(doc.metadata_json, nullptr, false);
      if (!metadata.is_object()) metadata = nlohmann::json::object();
    }
    // The crawl date is when the page was fetched, not when it was published.
    metadata["warc_date"] = text::to_valid_utf8(header(record_.headers, "warc-date"));
    metadata["warc_target_uri"] = text::to_valid_utf8(uri);
    metadata["warc_record_id"] = text::to_valid_utf8(header(record_.headers, "warc-record-id"));
    doc.metadata_json = metadata.dump();
    if (doc.external_id.empty())
      doc.external_id = text::to_valid_utf8(header(record_.headers, "warc-record-id"));
    doc.origin = fmt::format("{}@{}", path_, record_.offset);
    doc.format = InputFormat::kWarc;
    out_.document(std::move(doc));
  }
  void problem(Problem p) override {
    p.path = std::string(path_);
    p.line = 0;
    p.byte_offset = static_cast<int64_t>(record_.offset);
    p.reason = fmt::format("record {}: {}", header(record_.headers, "warc-target-uri"), p.reason);
    out_.problem(std::move(p));
  }

 private:
  DocumentSink& out_;
  const WarcRecord& record_;
  std::string_view path_;
};

void read_record(const WarcRecord& record, std::string_view path, const ReadOptions& options,
                 DocumentSink& sink) {
  RecordSink record_sink(sink, record, path);
  auto skip = [&](std::string reason) {
    record_sink.problem({Problem::Severity::kSkipped, "", 0, -1, std::move(reason)});
  };
  const std::string type = text::ascii_lower(header(record.headers, "warc-type"));
  std::string_view payload;
  std::string decoded_body;
  std::string charset;
  if (type == "response") {
    std::string error;
    const std::optional<HttpResponse> http = parse_http(record.block, error);
    if (!http) {
      record_sink.problem(reject(path, 0, -1, error));
      return;
    }
    if (http->status < 200 || http->status > 299) {
      skip(fmt::format("HTTP {}, not a page", http->status));
      return;
    }
    const auto [media, declared] =
        media_type(text::ascii_lower(header(http->headers, "content-type")));
    if (media != "text/html" && media != "application/xhtml+xml") {
      skip(fmt::format("not HTML ({})", media.empty() ? "no Content-Type" : media));
      return;
    }
    charset = declared;
    payload = http->body;
    if (text::ascii_lower(header(http->headers, "transfer-encoding")).find("chunked") !=
        std::string::npos) {
      if (!dechunk(payload, decoded_body)) {
        record_sink.problem(reject(path, 0, -1, "bad chunked transfer encoding"));
        return;
      }
      payload = decoded_body;
    }
    const std::string encoding = text::ascii_lower(header(http->headers, "content-encoding"));
    if (encoding == "gzip" || encoding == "x-gzip" || encoding == "deflate") {
      std::string inflated;
      if (!inflate_body(payload, options.max_article_bytes, inflated)) {
        record_sink.problem(reject(path, 0, -1, fmt::format("bad {} content encoding", encoding)));
        return;
      }
      decoded_body = std::move(inflated);
      payload = decoded_body;
    } else if (!encoding.empty() && encoding != "identity") {
      record_sink.problem(
          reject(path, 0, -1, fmt::format("content encoding «{}» is not supported", encoding)));
      return;
    }
  } else if (type == "resource") {
    const auto [media, declared] =
        media_type(text::ascii_lower(header(record.headers, "content-type")));
    if (media != "text/html" && media != "application/xhtml+xml") return;
    charset = declared;
    payload = record.block;
  } else {
    return;  // warcinfo, request, metadata, revisit...: no page of their own
  }
  ReadOptions page_options = options;
  if (page_options.encoding == "auto" && !charset.empty()) page_options.encoding = charset;
  read_html(payload, path, page_options, record_sink);
}

}  // namespace

void read_warc(Input& input, std::string_view path, const ReadOptions& options, bool gzipped,
               DocumentSink& sink) {
  // A record holds the page and its HTTP header; the page alone is bounded by the article limit.
  const size_t max_block = options.max_article_bytes + kMaxHttpHeaderBytes;
  auto visit = [&](WarcRecord& record) { read_record(record, path, options, sink); };
  if (!gzipped) {
    RecordReader(input, path, std::nullopt, max_block, sink).read_all(visit);
    return;
  }
  GzipMembers members(input);
  GzipMembers::Member member;
  for (;;) {
    // A member holds one record (rarely several): its header lines with the block.
    const GzipMembers::Outcome outcome = members.next(member, max_block + kMaxHttpHeaderBytes);
    if (outcome == GzipMembers::Outcome::kEnd) return;
    if (outcome == GzipMembers::Outcome::kBad) {
      sink.problem(reject(path, 0, static_cast<int64_t>(member.offset),
                          member.error + "; skipped to the next member"));
      continue;
    }
    Input decompressed(member.bytes);
    RecordReader(decompressed, path, member.offset, max_block, sink).read_all(visit);
  }
}

}  // namespace khabar::ingest_internal
