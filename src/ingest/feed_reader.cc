// RSS 2.0, RSS 1.0 (RDF) and Atom feeds: each item or entry becomes a Document with its title,
// link, date, id and author, its content (or summary) read as HTML. Expat parses the XML; a
// feed in a legacy encoding is converted to UTF-8 first, as any text khabar reads.
#include <expat.h>
#include <fmt/format.h>
#include <unicode/calendar.h>
#include <unicode/locid.h>
#include <unicode/simpletz.h>
#include <unicode/smpdtfmt.h>
#include <unicode/timezone.h>

#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <vector>

#include "ingest/internal/readers.h"
#include "text/utf8.h"

namespace khabar::ingest_internal {
namespace {

// Namespaces, as expat joins them to local names ("<uri> <local>").
constexpr std::string_view kAtom = "http://www.w3.org/2005/Atom";
constexpr std::string_view kRss1 = "http://purl.org/rss/1.0/";
constexpr std::string_view kContent = "http://purl.org/rss/1.0/modules/content/";
constexpr std::string_view kDublinCore = "http://purl.org/dc/elements/1.1/";

struct Name {
  std::string_view ns;
  std::string_view local;
};

Name split_name(const XML_Char* qualified) {
  const std::string_view name(qualified);
  const size_t space = name.find(' ');
  if (space == std::string_view::npos) return {"", name};
  return {name.substr(0, space), name.substr(space + 1)};
}

// RSS dates are RFC 822 («Mon, 10 Jan 2022 14:05:00 +0300», «… GMT»): parsed with ICU and
// given back as ISO 8601 with the feed's own offset, so the outlet's day stays its day.
std::optional<std::string> rfc822_to_iso8601(std::string_view text) {
  const icu::UnicodeString input =
      icu::UnicodeString::fromUTF8(icu::StringPiece(text.data(), static_cast<int32_t>(text.size())))
          .trim();
  for (const char* pattern :
       {"EEE, d MMM yyyy HH:mm:ss Z", "EEE, d MMM yyyy HH:mm:ss z", "d MMM yyyy HH:mm:ss Z",
        "d MMM yyyy HH:mm:ss z", "EEE, d MMM yyyy HH:mm Z", "EEE, d MMM yyyy HH:mm z"}) {
    UErrorCode status = U_ZERO_ERROR;
    icu::SimpleDateFormat format(icu::UnicodeString(pattern), icu::Locale::getUS(), status);
    if (U_FAILURE(status)) continue;
    format.setLenient(false);
    std::unique_ptr<icu::Calendar> calendar(
        icu::Calendar::createInstance(icu::TimeZone::getGMT()->clone(), status));
    if (U_FAILURE(status)) continue;
    icu::ParsePosition position(0);
    format.parse(input, *calendar, position);
    if (position.getErrorIndex() >= 0 || position.getIndex() != input.length()) continue;
    const int32_t offset_ms =
        calendar->get(UCAL_ZONE_OFFSET, status) + calendar->get(UCAL_DST_OFFSET, status);
    const UDate when = calendar->getTime(status);
    if (U_FAILURE(status)) continue;
    // Written in that offset's wall-clock time.
    icu::SimpleTimeZone zone(offset_ms, icu::UnicodeString("feed"));
    icu::SimpleDateFormat iso(icu::UnicodeString("yyyy-MM-dd'T'HH:mm:ssxxx"), icu::Locale::getUS(),
                              status);
    if (U_FAILURE(status)) continue;
    iso.setTimeZone(zone);
    icu::UnicodeString out;
    iso.format(when, out);
    std::string utf8;
    out.toUTF8String(utf8);
    return utf8;
  }
  return std::nullopt;
}

struct Item {
  size_t line = 0;
  std::string title, link, id, date, author, content, summary;
  std::string published;         // `date` as ISO 8601, or empty
  bool content_is_text = false;  // Atom type="text": plain, not HTML
  bool summary_is_text = false;
  std::vector<std::string> categories;
};

class FeedParser {
 public:
  // With `entries`, every item is listed there too, and an item with a link but no content is
  // no problem: its page is what will be read (khabar watch).
  FeedParser(std::string_view path, const ReadOptions& options, DocumentSink& sink,
             std::vector<FeedEntry>* entries = nullptr)
      : path_(path), options_(options), sink_(sink), entries_(entries) {}

  // Returns false with `error` set when the XML itself is broken past some point; the items
  // before it have been handed on.
  bool parse(std::string_view utf8, std::string& error) {
    std::unique_ptr<std::remove_pointer_t<XML_Parser>, decltype(&XML_ParserFree)> parser(
        XML_ParserCreateNS("UTF-8", ' '), &XML_ParserFree);
    parser_ = parser.get();
    XML_SetUserData(parser_, this);
    XML_SetElementHandler(parser_, &FeedParser::on_start, &FeedParser::on_end);
    XML_SetCharacterDataHandler(parser_, &FeedParser::on_text);
    if (XML_Parse(parser_, utf8.data(), static_cast<int>(utf8.size()), XML_TRUE) ==
        XML_STATUS_ERROR) {
      error = fmt::format("XML error at line {}, column {}: {}", XML_GetCurrentLineNumber(parser_),
                          XML_GetCurrentColumnNumber(parser_),
                          XML_ErrorString(XML_GetErrorCode(parser_)));
      return false;
    }
    return true;
  }

  size_t items_seen() const { return items_seen_; }
  bool saw_feed() const { return saw_feed_; }

 private:
  static void XMLCALL on_start(void* self, const XML_Char* name, const XML_Char** attributes) {
    static_cast<FeedParser*>(self)->start(split_name(name), attributes);
  }
  static void XMLCALL on_end(void* self, const XML_Char* name) {
    static_cast<FeedParser*>(self)->end(split_name(name));
  }
  static void XMLCALL on_text(void* self, const XML_Char* text, int length) {
    auto* parser = static_cast<FeedParser*>(self);
    if (parser->capture_ == nullptr) return;
    const std::string_view chars(text, static_cast<size_t>(length));
    if (parser->xhtml_depth_ == 0) {
      parser->capture_->append(chars);
      return;
    }
    // Rebuilding XHTML markup: its text is escaped again.
    for (const char c : chars) {
      switch (c) {
        case '<':
          parser->capture_->append("&lt;");
          break;
        case '>':
          parser->capture_->append("&gt;");
          break;
        case '&':
          parser->capture_->append("&amp;");
          break;
        default:
          parser->capture_->push_back(c);
      }
    }
  }

  static std::string attribute(const XML_Char** attributes, std::string_view wanted) {
    for (size_t i = 0; attributes[i] != nullptr; i += 2) {
      if (split_name(attributes[i]).local == wanted) return attributes[i + 1];
    }
    return {};
  }

  bool is_item(Name n) const {
    return (n.local == "item" && (n.ns.empty() || n.ns == kRss1)) ||
           (n.local == "entry" && n.ns == kAtom);
  }

  void start(Name n, const XML_Char** attributes) {
    ++depth_;
    if (n.local == "rss" || n.local == "RDF" || (n.local == "feed" && n.ns == kAtom)) {
      saw_feed_ = true;
    }
    if (xhtml_depth_ > 0) {  // Atom type="xhtml": the markup is the content
      item_->content += fmt::format("<{}>", n.local);
      ++xhtml_depth_;
      return;
    }
    if (is_item(n)) {
      // An item opened inside another's field (broken markup) replaces it: nothing may go on
      // writing into the field it is about to destroy.
      capture_ = nullptr;
      item_.emplace();
      item_->line = XML_GetCurrentLineNumber(parser_);
      item_depth_ = depth_;
      return;
    }
    if (!item_) {
      // The channel's or feed's own title names the outlet.
      if (n.local == "title" && depth_ <= 3 && feed_title_.empty()) capture(&feed_title_);
      return;
    }
    if (depth_ != item_depth_ + 1) return;  // only an item's own fields
    const bool atom = n.ns == kAtom;
    if (n.local == "title") {
      capture(&item_->title);
    } else if (n.local == "link") {
      const std::string rel = attribute(attributes, "rel");
      if (atom && (rel.empty() || rel == "alternate") && item_->link.empty()) {
        item_->link = attribute(attributes, "href");
      } else if (!atom) {
        capture(&item_->link);
      }
    } else if (n.local == "guid" || (atom && n.local == "id")) {
      capture(&item_->id);
    } else if (n.local == "pubDate" || (n.ns == kDublinCore && n.local == "date") ||
               (atom && n.local == "published") ||
               (atom && n.local == "updated" && item_->date.empty())) {
      item_->date.clear();
      capture(&item_->date);
    } else if ((n.ns == kContent && n.local == "encoded") || (atom && n.local == "content")) {
      const std::string type = attribute(attributes, "type");
      item_->content.clear();
      item_->content_is_text = atom && (type.empty() || type == "text");
      if (atom && type == "xhtml") xhtml_depth_ = 1;
      capture(&item_->content);
    } else if (n.local == "description" || (atom && n.local == "summary")) {
      const std::string type = attribute(attributes, "type");
      item_->summary_is_text = atom && (type.empty() || type == "text");
      capture(&item_->summary);
    } else if ((n.ns == kDublinCore && n.local == "creator") || n.local == "author") {
      capture(&item_->author);
    } else if (n.local == "category") {
      item_->categories.emplace_back(attribute(attributes, "term"));
      if (item_->categories.back().empty()) capture(&item_->categories.back());
    }
  }

  void end(Name n) {
    --depth_;
    if (xhtml_depth_ > 0 && --xhtml_depth_ > 0) {
      item_->content += fmt::format("</{}>", n.local);
      return;  // still inside the content: keep capturing
    }
    if (item_ && depth_ + 1 == item_depth_ && is_item(n)) finish_item();
    capture_ = nullptr;
  }

  void capture(std::string* into) { capture_ = into; }

  void finish_item() {
    ++items_seen_;
    Item item = std::move(*item_);
    item_.reset();
    const std::string where = fmt::format("{}:{}", path_, item.line);
    item.published = date_of(item);
    if (entries_ != nullptr) {
      entries_->push_back({std::string(text::trim(item.link)),
                           text::collapse_spaces(text::trim(item.title)), item.published, item.line,
                           text::collapse_spaces(text::trim(feed_title_)), std::nullopt});
    }
    const bool use_content = !text::trim(item.content).empty();
    const std::string& body = use_content ? item.content : item.summary;
    const bool plain = use_content ? item.content_is_text : item.summary_is_text;
    if (text::trim(body).empty()) {
      if (entries_ != nullptr && !entries_->back().link.empty()) return;
      sink_.problem(
          reject(path_, item.line, -1,
                 fmt::format("item «{}» has no content or summary", text::trim(item.title))));
      return;
    }
    if (body.size() > options_.max_article_bytes) {
      sink_.problem(reject(path_, item.line, -1,
                           fmt::format("item of {} bytes, over the article size limit "
                                       "(--max-article-bytes)",
                                       body.size())));
      return;
    }
    ItemSink item_sink(*this, item, where);
    if (plain) {
      Document doc;
      doc.text = std::string(text::trim(body));
      item_sink.document(std::move(doc));
    } else {
      ReadOptions html = options_;
      html.encoding = "utf-8";
      read_html(body, where, html, item_sink);
    }
  }

  // The item's fields over what its HTML said of itself.
  class ItemSink : public DocumentSink {
   public:
    ItemSink(FeedParser& feed, const Item& item, std::string where)
        : feed_(feed), item_(item), where_(std::move(where)) {}
    void document(Document doc) override {
      doc.title = std::string(text::collapse_spaces(text::trim(item_.title)));
      if (!item_.link.empty()) doc.url = std::string(text::trim(item_.link));
      if (!feed_.feed_title_.empty())
        doc.source = text::collapse_spaces(text::trim(feed_.feed_title_));
      doc.external_id = std::string(text::trim(item_.id));
      doc.published = item_.published;
      nlohmann::json metadata = nlohmann::json::object();
      if (!item_.author.empty())
        metadata["author"] = text::collapse_spaces(text::trim(item_.author));
      std::vector<std::string> categories;
      for (const std::string& c : item_.categories) {
        if (!text::trim(c).empty()) categories.emplace_back(text::trim(c));
      }
      if (!categories.empty()) metadata["categories"] = categories;
      doc.metadata_json = metadata.empty() ? "" : metadata.dump();
      doc.origin = where_;
      doc.format = InputFormat::kFeed;
      if (feed_.entries_ != nullptr) {
        feed_.entries_->back().document = std::move(doc);
        return;
      }
      feed_.sink_.document(std::move(doc));
    }
    void problem(Problem p) override {
      p.path = std::string(feed_.path_);
      p.line = item_.line;
      feed_.sink_.problem(std::move(p));
    }

   private:
    FeedParser& feed_;
    const Item& item_;
    std::string where_;
  };

  std::string date_of(const Item& item) {
    const std::string_view text = text::trim(item.date);
    if (text.empty()) return {};
    if (Result<std::string> iso = parse_iso8601(text); iso.ok()) return *iso;
    if (std::optional<std::string> iso = rfc822_to_iso8601(text)) return *iso;
    sink_.problem(warn(path_, item.line,
                       fmt::format("date «{}» is neither RFC 822 nor ISO "
                                   "8601; the item is kept undated",
                                   text)));
    return {};
  }

  std::string_view path_;
  const ReadOptions& options_;
  DocumentSink& sink_;
  XML_Parser parser_ = nullptr;
  std::optional<Item> item_;
  size_t depth_ = 0;
  size_t item_depth_ = 0;
  size_t xhtml_depth_ = 0;
  std::string* capture_ = nullptr;
  std::string feed_title_;
  size_t items_seen_ = 0;
  bool saw_feed_ = false;
  std::vector<FeedEntry>* entries_ = nullptr;
};

// The charset an XML declaration names: <?xml version="1.0" encoding="windows-1256"?>.
std::string declared_encoding(std::string_view bytes) {
  if (!bytes.starts_with("<?xml")) return {};
  const std::string_view declaration = bytes.substr(0, bytes.find("?>"));
  const size_t at = declaration.find("encoding=");
  if (at == std::string_view::npos || at + 10 > declaration.size()) return {};
  const char quote = declaration[at + 9];
  const size_t end = declaration.find(quote, at + 10);
  if (end == std::string_view::npos) return {};
  return std::string(declaration.substr(at + 10, end - at - 10));
}

}  // namespace

void read_feed(std::string_view bytes, std::string_view path, const ReadOptions& options,
               DocumentSink& sink, std::vector<FeedEntry>* entries) {
  DecodedText decoded;
  InputError error;
  std::string_view body = bytes;
  if (body.starts_with("\xEF\xBB\xBF")) body.remove_prefix(3);
  if (!decode_to_utf8(body, options.encoding, declared_encoding(body), decoded, error)) {
    sink.problem(reject(path, 0, error.byte_offset, error.reason));
    return;
  }
  FeedParser parser(path, options, sink, entries);
  std::string xml_error;
  if (!parser.parse(decoded.utf8, xml_error)) {
    sink.problem(reject(path, 0, -1,
                        fmt::format("{}; {} item{} before it read", xml_error, parser.items_seen(),
                                    parser.items_seen() == 1 ? "" : "s")));
    return;
  }
  if (!parser.saw_feed()) {
    sink.problem(reject(path, 0, -1, "XML, but not an RSS or Atom feed"));
  } else if (parser.items_seen() == 0) {
    sink.problem({Problem::Severity::kWarning, std::string(path), 0, -1, "a feed with no items"});
  }
}

}  // namespace khabar::ingest_internal

namespace khabar {

std::vector<FeedEntry> read_feed_entries(std::string_view bytes, std::string_view path,
                                         const ReadOptions& options, DocumentSink& problems) {
  std::vector<FeedEntry> entries;
  ingest_internal::read_feed(bytes, path, options, problems, &entries);
  return entries;
}

}  // namespace khabar
