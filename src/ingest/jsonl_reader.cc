#include <fmt/format.h>

#include <algorithm>
#include <nlohmann/json.hpp>

#include "ingest/internal/readers.h"
#include "text/utf8.h"

namespace khabar::ingest_internal {
namespace {

using nlohmann::json;

// Room for the JSON around an article's text (escapes can double it) before a line is refused
// without being parsed.
size_t max_line_bytes(const ReadOptions& options) {
  return options.max_article_bytes * 2 + 64 * 1024;
}

const char* json_type_name(const json& value) {
  return value.type_name();
}

class LineReader {
 public:
  LineReader(std::string_view path, size_t line_number, const ReadOptions& options,
             DocumentSink& sink)
      : path_(path), line_(line_number), options_(options), sink_(sink) {}

  void read(std::string_view line) {
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
      return;
    } catch (const json::exception& e) {  // e.g. a number too large for a double
      sink_.problem(
          reject(path_, line_, -1, fmt::format("unreadable JSON: {}", strip_prefix(e.what()))));
      return;
    }
    if (!object.is_object()) {
      sink_.problem(reject(path_, line_, 0,
                           fmt::format("expected a JSON object, got {}", json_type_name(object))));
      return;
    }
    const auto text = object.find("text");
    if (text == object.end()) {
      sink_.problem(reject(path_, line_, -1, "`text` is missing"));
      return;
    }
    if (!text->is_string()) {
      sink_.problem(reject(path_, line_, -1,
                           fmt::format("`text` must be a string, got {}", json_type_name(*text))));
      return;
    }
    Document doc;
    doc.text = text->get<std::string>();
    if (doc.text.size() > options_.max_article_bytes) {
      sink_.problem(reject(path_, line_, -1,
                           fmt::format("`text` is {} bytes, over the limit of {} "
                                       "(--max-article-bytes)",
                                       doc.text.size(), options_.max_article_bytes)));
      return;
    }
    if (text::trim(doc.text).empty()) {
      sink_.problem(reject(path_, line_, -1, "`text` is empty"));
      return;
    }
    object.erase("text");
    take_string(object, "title", doc.title);
    take_string(object, "url", doc.url);
    take_string(object, "source", doc.source);
    take_string(object, "lang", doc.declared_lang);
    take_string(object, "id", doc.external_id);
    std::string published;
    if (take_string(object, "published", published) && !published.empty()) {
      Result<std::string> date = parse_iso8601(published);
      if (date.ok()) {
        doc.published = *date;
      } else {
        sink_.problem(warn(path_, line_, date.error().message + "; `published` ignored"));
      }
    }
    doc.metadata_json = object.empty() ? "" : object.dump();
    doc.origin = fmt::format("{}:{}", path_, line_);
    doc.format = InputFormat::kJsonl;
    doc.encoding = options_.encoding == "auto" ? "utf-8" : options_.encoding;
    sink_.document(std::move(doc));
  }

 private:
  static std::string strip_prefix(std::string_view what) {
    // "[json.exception.parse_error.101] parse error at line 1, column 5: syntax error ..."
    const size_t colon = what.find(": ");
    return std::string(colon == std::string_view::npos ? what : what.substr(colon + 2));
  }

  // Moves a string field out of the object; a field of another type is reported and dropped.
  bool take_string(json& object, const char* key, std::string& out) {
    const auto it = object.find(key);
    if (it == object.end() || it->is_null()) {
      if (it != object.end()) object.erase(it);
      return false;
    }
    if (!it->is_string()) {
      sink_.problem(
          warn(path_, line_,
               fmt::format("`{}` must be a string, got {}; ignored", key, json_type_name(*it))));
      object.erase(it);
      return false;
    }
    out = it->get<std::string>();
    object.erase(it);
    return true;
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
    LineReader(path, number, options, sink).read(utf8);
  }
  if (input.read_failed()) sink.problem(reject(path, 0, -1, "read error before the end"));
}

}  // namespace khabar::ingest_internal
