#include <fmt/format.h>
#include <simdjson.h>

#include <algorithm>
#include <nlohmann/json.hpp>

#include "ingest/internal/readers.h"
#include "text/nesting.h"
#include "text/utf8.h"

namespace khabar::ingest_internal {
namespace {

using nlohmann::json;

// Room for the JSON around an article's text (escapes can double it) before a line is refused
// without being parsed.
size_t max_line_bytes(const ReadOptions& options) {
  return std::min(options.max_article_bytes, kLargestMaxArticleBytes) * 2 + 64 * 1024;
}

const char* json_type_name(const json& value) {
  return value.type_name();
}

// The fields khabar reads from a line; the rest is kept as metadata.
struct Fields {
  std::string text, title, url, source, lang, id, published;
  json metadata = json::object();
};

std::string* known_field(Fields& fields, std::string_view key) {
  if (key == "title") return &fields.title;
  if (key == "url") return &fields.url;
  if (key == "source") return &fields.source;
  if (key == "lang") return &fields.lang;
  if (key == "id") return &fields.id;
  if (key == "published") return &fields.published;
  return nullptr;
}

// simdjson reads a well-formed line about ten times faster than nlohmann. It only takes lines
// where every field is as expected; anything else (malformed JSON, a missing `text`, a field
// of the wrong type, a number out of range) goes to the nlohmann reader, whose messages name
// the byte and the reason, so there is one place that words each complaint.
bool read_fields_fast(simdjson::dom::parser& parser, std::string_view line, Fields& fields) {
  simdjson::dom::object object;
  if (parser.parse(line.data(), line.size()).get_object().get(object) != simdjson::SUCCESS) {
    return false;
  }
  bool has_text = false;
  for (const auto [key, value] : object) {
    std::string_view string;
    const bool is_string = value.get_string().get(string) == simdjson::SUCCESS;
    if (key == "text") {
      if (!is_string) return false;
      fields.text.assign(string);
      has_text = true;
    } else if (std::string* known = known_field(fields, key)) {
      if (!is_string) return false;  // null or a wrong type: the slow reader says which
      known->assign(string);
    } else {
      // Re-read through nlohmann so that stored metadata is byte for byte what it would be.
      fields.metadata[std::string(key)] = json::parse(simdjson::minify(value));
    }
  }
  return has_text;
}

class LineReader {
 public:
  LineReader(std::string_view path, size_t line_number, const ReadOptions& options,
             DocumentSink& sink)
      : path_(path), line_(line_number), options_(options), sink_(sink) {}

  void read(std::string_view line, simdjson::dom::parser& parser) {
    // Metadata is kept by nlohmann::json, which writes it out by recursion.
    if (const std::optional<size_t> at = text::json_too_deep(line)) {
      sink_.problem(reject(
          path_, line_, static_cast<int64_t>(*at),
          fmt::format("JSON nested more than {} arrays or objects deep", text::kMaxJsonDepth)));
      return;
    }
    Fields fields;
    bool ok = false;
    try {
      ok = read_fields_fast(parser, line, fields);
    } catch (const json::exception&) {  // metadata simdjson took and nlohmann did not
      ok = false;
    }
    if (!ok) {
      fields = Fields{};
      if (!read_fields_slow(line, fields)) return;
    }
    emit(std::move(fields));
  }

 private:
  // Reports why a line cannot be read, or fills `fields`.
  bool read_fields_slow(std::string_view line, Fields& fields) {
    json object;
    try {
      object = json::parse(line);
    } catch (const json::parse_error& e) {
      // nlohmann's byte is 1-based and counts the byte that broke the parse; at the end of
      // input it counts the last byte read, but the fault is where the line ends.
      const std::string reason = strip_prefix(e.what());
      const size_t offset = reason.find("end of input") != std::string::npos
                                ? line.size()
                                : std::min(line.size(), e.byte > 0 ? e.byte - 1 : 0);
      sink_.problem(reject(path_, line_, static_cast<int64_t>(offset),
                           fmt::format("malformed JSON: {}", reason)));
      return false;
    } catch (const json::exception& e) {  // e.g. a number too large for a double
      sink_.problem(
          reject(path_, line_, -1, fmt::format("unreadable JSON: {}", strip_prefix(e.what()))));
      return false;
    }
    if (!object.is_object()) {
      sink_.problem(reject(path_, line_, 0,
                           fmt::format("expected a JSON object, got {}", json_type_name(object))));
      return false;
    }
    const auto text = object.find("text");
    if (text == object.end()) {
      sink_.problem(reject(path_, line_, -1, "`text` is missing"));
      return false;
    }
    if (!text->is_string()) {
      sink_.problem(reject(path_, line_, -1,
                           fmt::format("`text` must be a string, got {}", json_type_name(*text))));
      return false;
    }
    fields.text = text->get<std::string>();
    object.erase("text");
    for (const char* key : {"title", "url", "source", "lang", "id", "published"}) {
      take_string(object, key, *known_field(fields, key));
    }
    fields.metadata = std::move(object);
    return true;
  }

  void emit(Fields fields) {
    if (fields.text.size() > options_.max_article_bytes) {
      sink_.problem(reject(path_, line_, -1,
                           fmt::format("`text` is {} bytes, over the limit of {} "
                                       "(--max-article-bytes)",
                                       fields.text.size(), options_.max_article_bytes)));
      return;
    }
    if (text::trim(fields.text).empty()) {
      sink_.problem(reject(path_, line_, -1, "`text` is empty"));
      return;
    }
    Document doc;
    doc.text = std::move(fields.text);
    doc.title = std::move(fields.title);
    doc.url = std::move(fields.url);
    doc.source = std::move(fields.source);
    doc.declared_lang = std::move(fields.lang);
    doc.external_id = std::move(fields.id);
    if (!fields.published.empty()) {
      Result<std::string> date = parse_iso8601(fields.published);
      if (date.ok()) {
        doc.published = *date;
      } else {
        sink_.problem(warn(path_, line_, date.error().message + "; `published` ignored"));
      }
    }
    doc.metadata_json = fields.metadata.empty() ? "" : fields.metadata.dump();
    doc.origin = fmt::format("{}:{}", path_, line_);
    doc.format = InputFormat::kJsonl;
    doc.encoding = options_.encoding == "auto" ? "utf-8" : options_.encoding;
    sink_.document(std::move(doc));
  }

  static std::string strip_prefix(std::string_view what) {
    // "[json.exception.parse_error.101] parse error at line 1, column 5: syntax error ..."
    const size_t colon = what.find(": ");
    return std::string(colon == std::string_view::npos ? what : what.substr(colon + 2));
  }

  // Moves a string field out of the object; a field of another type is reported and dropped.
  void take_string(json& object, const char* key, std::string& out) {
    const auto it = object.find(key);
    if (it == object.end()) return;
    if (!it->is_null() && !it->is_string()) {
      sink_.problem(
          warn(path_, line_,
               fmt::format("`{}` must be a string, got {}; ignored", key, json_type_name(*it))));
    } else if (it->is_string()) {
      out = it->get<std::string>();
    }
    object.erase(it);
  }

  std::string_view path_;
  size_t line_;
  const ReadOptions& options_;
  DocumentSink& sink_;
};

}  // namespace

void read_jsonl(Input& input, std::string_view path, const ReadOptions& options,
                DocumentSink& sink) {
  const bool convert = options.encoding != "auto" && !names_utf8(options.encoding);
  std::string line, converted;
  bool too_long = false;
  simdjson::dom::parser parser;  // reused: it keeps its buffers between lines
  for (size_t number = 1; input.next_line(line, max_line_bytes(options), too_long); ++number) {
    if (number == 1 && line.substr(0, 3) == "\xEF\xBB\xBF") line.erase(0, 3);
    if (too_long) {
      sink.problem(reject(path, number, -1,
                          fmt::format("line is longer than {} bytes (--max-article-bytes {})",
                                      max_line_bytes(options), options.max_article_bytes)));
      continue;
    }
    if (text::trim(line).empty()) continue;
    std::string_view utf8 = line;
    if (convert) {
      InputError error;
      if (!convert_from(line, options.encoding, converted, error)) {
        sink.problem(reject(path, number, error.byte_offset, error.reason));
        continue;
      }
      utf8 = converted;
    } else if (const size_t bad = text::find_invalid_utf8(line); bad != text::kNoInvalidByte) {
      sink.problem(reject(path, number, static_cast<int64_t>(bad),
                          fmt::format("not valid UTF-8 (ill-formed byte 0x{:02X})",
                                      static_cast<unsigned char>(line[bad]))));
      continue;
    }
    LineReader(path, number, options, sink).read(utf8, parser);
  }
  if (input.read_failed()) sink.problem(reject(path, 0, -1, "read error before the end"));
}

}  // namespace khabar::ingest_internal
