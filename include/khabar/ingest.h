// khabar/ingest.h — reading articles from files: plain text, JSONL and HTML.
//
// Ingest turns bytes into Documents: UTF-8 text with whatever metadata the source carried.
// It does not clean (khabar/clean.h) or store (khabar/store.h). Readers push into a sink, so a
// JSONL file of any size streams, and one bad line or file never stops the rest:
//
//   struct Collect : khabar::DocumentSink {
//     void document(khabar::Document doc) override { docs.push_back(std::move(doc)); }
//     void problem(khabar::Problem p) override { std::cerr << p.to_string() << "\n"; }
//     std::vector<khabar::Document> docs;
//   } sink;
//   khabar::read_paths({"../shared/seeds", "feed.jsonl", "-"}, {}, sink);
//
// Formats (ReadOptions::format, or detected from the extension, then from the content):
//   text   the whole file is one article; the cleaner decides whether line 1 is a title;
//   jsonl  one JSON object per line: "text" (string) required; "title", "url", "source",
//          "published" (ISO 8601), "lang", "id" optional; other fields kept as metadata;
//   html   gumbo parses the page; text blocks keep their tag and link density for the cleaner;
//          title from og:title or <title>, date from meta tags or JSON-LD, outlet from
//          og:site_name, url from og:url or the canonical link;
//   warc   web archives, plain (.warc) or gzipped record by record (.warc.gz) as crawls publish
//          them: each `response` (or `resource`) record with an HTML page is read as html,
//          its Content-Type charset, chunked transfer and gzip/deflate content decoded; the
//          target URI is the url when the page names none, and the crawl date, target URI and
//          record id go into metadata (the crawl date is not the publication date). A bad
//          record (truncated gzip member, wrong Content-Length, non-HTML payload, HTTP error)
//          is reported with its offset (its gzip member's in a .warc.gz) and skipped;
//   feed   RSS 2.0, RSS 1.0 (RDF) and Atom files (.rss .atom .xml): each item or entry is an
//          article, its content:encoded/content (else description/summary) read as HTML,
//          with its title, link, date (RFC 822 or ISO 8601, its offset kept), guid/id, author
//          and categories; the channel's title names the outlet. An item without content, or
//          broken XML, is reported with its line; the items before it go in.
// Encodings: UTF-8 (with or without BOM), UTF-16 with a BOM, and the legacy Arabic code pages
// windows-1256 and ISO-8859-6, detected with ICU or named by ReadOptions::encoding and
// converted with ICU. Text that is neither is rejected with the offset of the first bad byte.
//
// Directories are read recursively in name order, taking files with an article extension
// (.txt .text .jsonl .ndjson .json .html .htm .xhtml .warc .warc.gz .rss .atom .xml) and
// reporting the others as skipped; a
// path named explicitly is read whatever its extension. "-" reads standard input.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "khabar/result.h"

namespace khabar {

enum class InputFormat { kAuto, kText, kJsonl, kHtml, kWarc, kFeed };
// "auto", "text", "jsonl", "html", "warc", "feed" (or "rss", "atom")
Result<InputFormat> parse_input_format(std::string_view name);
const char* input_format_name(InputFormat format);

inline constexpr size_t kDefaultMaxArticleBytes = 5 * 1024 * 1024;
// The largest max_article_bytes taken: the readers multiply it (a feed holds many articles, a
// JSONL line escapes its text), and 2^58 overflowed.
inline constexpr size_t kLargestMaxArticleBytes = size_t{1} << 30;
// A feed may be this many times the article size limit: it holds many articles.
inline constexpr size_t kFeedArticles = 64;

struct ReadOptions {
  InputFormat format = InputFormat::kAuto;
  // "auto", or a charset ICU knows ("utf-8", "windows-1256", "iso-8859-6", ...).
  std::string encoding = "auto";
  // An article (a text or HTML file, or a JSONL "text") longer than this is rejected.
  size_t max_article_bytes = kDefaultMaxArticleBytes;
  // JSON records: which input field holds which of khabar's (text, title, url, source,
  // published, lang, id), before the names khabar knows by itself (json_field_names()).
  std::vector<std::pair<std::string, std::string>> field_map{};
};

// The JSON field names read for each of khabar's fields, most preferred first: khabar's own,
// then news-please's, trafilatura's and SaudiNewsNet's (README, "Input formats").
std::vector<std::pair<std::string_view, std::vector<std::string_view>>> json_field_names();

// Parses a --map value, "text=content,published=date_extracted", into ReadOptions::field_map;
// kInvalidArgument naming what is wrong.
Result<std::vector<std::pair<std::string, std::string>>> parse_field_map(std::string_view spec);

// A block of text as the source structured it. Plain text has no blocks (the cleaner works on
// lines); HTML has one per paragraph, heading, list item, table cell, caption or
// <br>-separated line.
struct SourceBlock {
  // kCaption: a <figcaption>, or a container whose class or id says caption or credit.
  // kAuthor: a container whose class or id says author, byline or bio.
  enum class Kind { kParagraph, kHeading, kListItem, kQuote, kCell, kCaption, kAuthor };
  size_t begin = 0;  // byte span in Document::text
  size_t end = 0;
  Kind kind = Kind::kParagraph;
  size_t link_bytes = 0;        // bytes of the block inside <a> elements
  bool in_page_chrome = false;  // inside nav/footer/aside/menus/share/related containers,
                                // or outside the page's <article> when it has one
};

// One article as read, before cleaning.
struct Document {
  std::string text;  // valid UTF-8; the cleaner's removal spans are offsets into it
  std::vector<SourceBlock> blocks;
  std::string title;  // from the source's metadata; empty when it had none
  std::string url;
  std::string source;     // the outlet, when the source names it
  std::string published;  // ISO 8601 as validated, or empty: never guessed from the text
  std::string declared_lang;
  std::string external_id;    // the source's own id ("id" in JSONL)
  std::string metadata_json;  // a JSON object of the other fields the source carried
  std::string origin;         // "path" or "path:line", for messages and the audit
  InputFormat format = InputFormat::kText;
  std::string encoding = "utf-8";  // what the bytes were converted from
};

// Something wrong with the input. A rejection means nothing of that article or line was kept;
// a warning means it was kept with the named part ignored.
struct Problem {
  enum class Severity { kRejected, kWarning, kSkipped };
  Severity severity = Severity::kRejected;
  std::string path;
  size_t line = 0;           // 1-based; 0 when the format has no lines
  int64_t byte_offset = -1;  // in the file (or in the line, for JSONL); -1 when unknown
  std::string reason;

  // "seeds/a.jsonl:12: byte 40: `text` is missing" — the form every message takes.
  std::string to_string() const;
};

class DocumentSink {
 public:
  virtual ~DocumentSink() = default;
  virtual void document(Document doc) = 0;
  virtual void problem(Problem problem) = 0;
  // Called before each file, for progress display; bytes is its size (0 for stdin).
  virtual void begin_file(std::string_view /*path*/, uint64_t /*bytes*/) {}
};

// Reads files, directories (recursively) and "-" (standard input).
void read_paths(const std::vector<std::string>& paths, const ReadOptions& options,
                DocumentSink& sink);

// Total size of the files read_paths would read, for a progress bar. Problems are not reported.
uint64_t measure_paths(const std::vector<std::string>& paths);

// Reads one source held in memory; `path` is used for messages and Document::origin.
void read_buffer(std::string_view bytes, std::string_view path, const ReadOptions& options,
                 DocumentSink& sink);

// One item of a feed as a link to follow (khabar watch): what the feed says of the page, and
// the item's own content as an article when it carries some.
struct FeedEntry {
  std::string link;  // as written, trimmed: possibly relative, possibly empty
  std::string title;
  std::string published;  // ISO 8601, or empty
  size_t line = 0;
  std::string feed_title;  // the channel's, which names the outlet
  std::optional<Document> document;
};

// Every item of a feed. Problems (broken XML, not a feed, an item whose content cannot be
// read) go to `problems`, which hears of no document; an item with a link and no content is
// no problem here.
std::vector<FeedEntry> read_feed_entries(std::string_view bytes, std::string_view path,
                                         const ReadOptions& options, DocumentSink& problems);

// Validates an ISO 8601 date or date-time and returns it in the form YYYY-MM-DD or
// YYYY-MM-DDTHH:MM:SS with its zone as given (Z, ±HH:MM); an error says what is wrong.
Result<std::string> parse_iso8601(std::string_view s);

// Is `s` exactly YYYY-MM-DD, a real day? The form date bounds take (search, the API).
bool is_iso8601_day(std::string_view s);

// The calendar date of an ISO 8601 date or date-time as printed, its zone offset ignored: the
// day the outlet's readers lived, which «اليوم الاثنين» refers to. nullopt when it is not ISO 8601.
std::optional<std::chrono::year_month_day> iso8601_date(std::string_view s);

// Seconds since the epoch of an ISO 8601 date or date-time (midnight for a date), its zone
// offset applied; a time without a zone is taken as UTC. nullopt when it is not ISO 8601.
std::optional<int64_t> iso8601_unix_seconds(std::string_view s);

}  // namespace khabar
