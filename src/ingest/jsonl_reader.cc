#include <fmt/format.h>
#include <simdjson.h>

#include <algorithm>
#include <array>
#include <nlohmann/json.hpp>
#include <vector>

#include "ingest/internal/json_fields.h"
#include "ingest/internal/readers.h"
#include "text/nesting.h"
#include "text/utf8.h"

namespace khabar::ingest_internal {
namespace {

using nlohmann::json;

// Room for the JSON around an article's text (escapes can double it) before a line is refused
// without being parsed.
// A JSON document (an array of records) is read whole, up to this many times the article size
// limit: a SaudiNewsNet crawl day of 1,600 articles is 12 MB.
constexpr size_t kRecordsPerDocument = 64;

size_t max_line_bytes(const ReadOptions& options) {
  return std::min(options.max_article_bytes, kLargestMaxArticleBytes) * 2 + 64 * 1024;
}

const char* json_type_name(const json& value) {
  return value.type_name();
}

// The fields khabar reads from a record (JsonField order); the rest is kept as metadata.
struct Fields {
  std::array<std::string, kJsonFields> values;
  json metadata = json::object();
  std::string& operator[](JsonField f) { return values[static_cast<size_t>(f)]; }
};

// A line of khabar's own export (khabar export, show --json) holds what khabar wrote beside
// what it read: its `id` is khabar's (the input's is `external_id`), the input's other fields
// are under `metadata`, and the rest (removals, byline, ingested_at, ...) ingest makes again.
// Read back, it is the input it came from, so a round trip keeps the input's id and metadata.
// Known by all of what khabar writes there, so that another crawler's record with an
// `ingested_at` of its own keeps its id and fields; a user's --map id=... wins.
bool is_khabar_export(const Fields& fields, const ReadOptions& options) {
  const json& metadata = fields.metadata;
  const std::string& id = fields.values[static_cast<size_t>(JsonField::kId)];
  const auto removals = metadata.find("removals");
  return removals != metadata.end() && removals->is_array() && metadata.contains("ingested_at") &&
         metadata.contains("origin") && metadata.contains("format") &&
         metadata.contains("encoding") && id.size() == 16 &&
         id.find_first_not_of("0123456789abcdef") == std::string::npos &&
         std::none_of(options.field_map.begin(), options.field_map.end(),
                      [](const auto& mapped) { return mapped.first == "id"; });
}

void unwrap_khabar_export(Fields& fields, const ReadOptions& options) {
  if (!is_khabar_export(fields, options)) return;
  const json& metadata = fields.metadata;
  const auto external = metadata.find("external_id");
  fields[JsonField::kId] = external != metadata.end() && external->is_string()
                               ? external->get<std::string>()
                               : std::string();
  json inputs = json::object();
  if (const auto it = metadata.find("metadata"); it != metadata.end() && it->is_object())
    inputs = *it;
  fields.metadata = std::move(inputs);
}

// simdjson reads a well-formed record about ten times faster than nlohmann. It only takes
// records where every field read is a string; anything else (malformed JSON, no text, a field
// of the wrong type, a number out of range) goes to the nlohmann reader, whose messages name
// the byte and the reason, so there is one place that words each complaint.
bool read_fields_fast(simdjson::dom::parser& parser, std::string_view line,
                      const JsonFieldChooser& chooser, Fields& fields) {
  simdjson::dom::object object;
  if (parser.parse(line.data(), line.size()).get_object().get(object) != simdjson::SUCCESS) {
    return false;
  }
  std::vector<JsonMember> members;
  std::vector<simdjson::dom::element> values;
  for (const auto [key, value] : object) {
    JsonMember member;
    member.key = key;
    if (value.get_string().get(member.string) == simdjson::SUCCESS) {
      member.kind = JsonMember::Kind::kString;
    } else if (value.is_null()) {
      member.kind = JsonMember::Kind::kNull;
    }
    members.push_back(member);
    values.push_back(value);
  }
  const std::array<int, kJsonFields> chosen = chooser.choose(members);
  if (chosen[static_cast<size_t>(JsonField::kText)] < 0) return false;
  std::vector<bool> taken(members.size(), false);
  for (size_t f = 0; f < kJsonFields; ++f) {
    if (chosen[f] < 0) continue;
    const JsonMember& member = members[static_cast<size_t>(chosen[f])];
    if (member.kind != JsonMember::Kind::kString) return false;  // the slow reader says so
    fields.values[f].assign(member.string);
    taken[static_cast<size_t>(chosen[f])] = true;
  }
  for (size_t m = 0; m < members.size(); ++m) {
    if (taken[m] || (members[m].kind == JsonMember::Kind::kNull && chooser.known(members[m].key)))
      continue;
    // Re-read through nlohmann so that stored metadata is byte for byte what it would be.
    fields.metadata[std::string(members[m].key)] = json::parse(simdjson::minify(values[m]));
  }
  return true;
}

class LineReader {
 public:
  LineReader(std::string_view path, size_t line_number, const ReadOptions& options,
             const JsonFieldChooser& chooser, DocumentSink& sink)
      : path_(path), line_(line_number), options_(options), chooser_(chooser), sink_(sink) {}

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
      ok = read_fields_fast(parser, line, chooser_, fields);
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
    std::vector<JsonMember> members;
    for (const auto& [key, value] : object.items()) {
      JsonMember member;
      member.key = key;
      if (value.is_string()) {
        member.kind = JsonMember::Kind::kString;
        member.string = value.get_ref<const std::string&>();
      } else if (value.is_null()) {
        member.kind = JsonMember::Kind::kNull;
      }
      members.push_back(member);
    }
    const std::array<int, kJsonFields> chosen = chooser_.choose(members);
    const int text = chosen[static_cast<size_t>(JsonField::kText)];
    if (text < 0) {
      sink_.problem(reject(path_, line_, -1,
                           fmt::format("no article text: none of {} (name it with --map "
                                       "text=FIELD)",
                                       quoted_names(JsonField::kText))));
      return false;
    }
    std::vector<bool> taken(members.size(), false);
    for (size_t f = 0; f < kJsonFields; ++f) {
      if (chosen[f] < 0) continue;
      const auto m = static_cast<size_t>(chosen[f]);
      taken[m] = true;
      const json& value = object[std::string(members[m].key)];
      if (value.is_string()) {
        fields.values[f] = value.get<std::string>();
      } else if (static_cast<JsonField>(f) == JsonField::kText) {
        sink_.problem(reject(
            path_, line_, -1,
            fmt::format("`{}` must be a string, got {}", members[m].key, json_type_name(value))));
        return false;
      } else {
        sink_.problem(warn(path_, line_,
                           fmt::format("`{}` must be a string, got {}; ignored", members[m].key,
                                       json_type_name(value))));
      }
    }
    for (size_t m = 0; m < members.size(); ++m) {
      if (taken[m] ||
          (members[m].kind == JsonMember::Kind::kNull && chooser_.known(members[m].key))) {
        continue;
      }
      fields.metadata[std::string(members[m].key)] = object[std::string(members[m].key)];
    }
    return true;
  }

  std::string quoted_names(JsonField field) const {
    std::string out;
    for (const std::string_view name : chooser_.names(field))
      out += (out.empty() ? "`" : ", `") + std::string(name) + "`";
    return out;
  }

  void emit(Fields fields) {
    unwrap_khabar_export(fields, options_);
    std::string& body = fields[JsonField::kText];
    if (body.size() > options_.max_article_bytes) {
      sink_.problem(reject(path_, line_, -1,
                           fmt::format("`text` is {} bytes, over the limit of {} "
                                       "(--max-article-bytes)",
                                       body.size(), options_.max_article_bytes)));
      return;
    }
    if (text::trim(body).empty()) {
      sink_.problem(reject(path_, line_, -1, "`text` is empty"));
      return;
    }
    Document doc;
    doc.text = std::move(body);
    doc.title = std::move(fields[JsonField::kTitle]);
    doc.url = std::move(fields[JsonField::kUrl]);
    doc.source = std::move(fields[JsonField::kSource]);
    doc.declared_lang = std::move(fields[JsonField::kLang]);
    doc.external_id = std::move(fields[JsonField::kId]);
    if (const std::string& published = fields[JsonField::kPublished]; !published.empty()) {
      Result<std::string> date = parse_iso8601(published);
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

  std::string_view path_;
  size_t line_;
  const ReadOptions& options_;
  const JsonFieldChooser& chooser_;
  DocumentSink& sink_;
};

// Past the JSON value starting at `at` (an object, array, string or scalar), or the end of
// `doc` when it does not end. Brackets inside strings do not count; the value need not be valid
// (the record's reader says what is wrong with it).
size_t value_end(std::string_view doc, size_t at) {
  size_t depth = 0;
  for (size_t i = at; i < doc.size(); ++i) {
    const char c = doc[i];
    if (c == '"') {
      i = text::json_string_end(doc, i);
      if (depth == 0) return i;
      --i;
    } else if (c == '{' || c == '[') {
      ++depth;
    } else if (c == '}' || c == ']') {
      if (depth == 0) return i;  // a scalar's end
      if (--depth == 0) return i + 1;
    } else if (depth == 0 && (c == ',' || c == ' ' || c == '\n' || c == '\t' || c == '\r')) {
      return i;
    }
  }
  return doc.size();
}

size_t skip_space(std::string_view doc, size_t at) {
  while (at < doc.size() &&
         (doc[at] == ' ' || doc[at] == '\n' || doc[at] == '\t' || doc[at] == '\r'))
    ++at;
  return at;
}

// The records of a JSON document: the elements of a top-level array, or the top-level values
// one after another (pretty-printed objects). `problem` is set when the document ends early or
// holds something else after its array.
std::vector<text::Span> json_records(std::string_view doc, std::string& problem,
                                     size_t& problem_at) {
  std::vector<text::Span> out;
  size_t at = skip_space(doc, 0);
  const bool array = at < doc.size() && doc[at] == '[';
  if (!array) {
    while ((at = skip_space(doc, at)) < doc.size()) {
      const size_t end = std::max(value_end(doc, at), at + 1);
      out.push_back({at, end});
      at = end;
    }
    return out;
  }
  at = skip_space(doc, at + 1);
  if (at < doc.size() && doc[at] == ']') return out;  // []
  while (at < doc.size()) {
    const size_t end = std::max(value_end(doc, at), at + 1);
    out.push_back({at, end});
    at = skip_space(doc, end);
    if (at < doc.size() && doc[at] == ',') {
      at = skip_space(doc, at + 1);
      continue;
    }
    if (at < doc.size() && doc[at] == ']') {
      at = skip_space(doc, at + 1);
      if (at < doc.size()) {
        problem = "something follows the JSON array";
        problem_at = at;
      }
      return out;
    }
    problem = at < doc.size() ? "expected `,` or `]` between the array's records"
                              : "the JSON array is not closed";
    problem_at = at;
    return out;
  }
  problem = "the JSON array is not closed";
  problem_at = doc.size();
  return out;
}

// A file holding one JSON document rather than JSON lines: an array of records, or an object
// printed over several lines.
bool is_json_document(std::string_view head) {
  if (head.substr(0, 3) == "\xEF\xBB\xBF") head.remove_prefix(3);
  const size_t at = skip_space(head, 0);
  if (at >= head.size()) return false;
  if (head[at] == '[') return true;
  if (head[at] != '{') return false;
  const size_t line_end = std::min(head.find('\n', at), head.size());
  return value_end(head, at) > line_end;  // the first object goes on past its first line
}

void read_json_document(Input& input, std::string_view path, const ReadOptions& options,
                        const JsonFieldChooser& chooser, DocumentSink& sink) {
  const size_t limit =
      std::min(options.max_article_bytes, kLargestMaxArticleBytes) * kRecordsPerDocument;
  std::string bytes;
  uint64_t seen = 0;
  if (!input.read_all(bytes, limit, seen)) {
    sink.problem(reject(path, 0, -1,
                        fmt::format("a JSON document of more than {} bytes, read whole: write it "
                                    "as JSON lines (one record a line) to read it in parts",
                                    limit)));
    return;
  }
  std::string_view doc = bytes;
  if (doc.substr(0, 3) == "\xEF\xBB\xBF") doc.remove_prefix(3);
  std::string converted;
  if (options.encoding != "auto" && !names_utf8(options.encoding)) {
    InputError error;
    if (!convert_from(doc, options.encoding, converted, error)) {
      sink.problem(reject(path, 0, error.byte_offset, error.reason));
      return;
    }
    doc = converted;
  }
  std::string problem;
  size_t problem_at = 0;
  const std::vector<text::Span> records = json_records(doc, problem, problem_at);
  simdjson::dom::parser parser;
  size_t line = 1, counted_to = 0;
  auto line_at = [&](size_t offset) {
    line += static_cast<size_t>(std::count(doc.begin() + static_cast<ptrdiff_t>(counted_to),
                                           doc.begin() + static_cast<ptrdiff_t>(offset), '\n'));
    counted_to = offset;
    return line;
  };
  for (const text::Span& span : records) {
    const size_t number = line_at(span.begin);
    const std::string_view record = doc.substr(span.begin, span.end - span.begin);
    if (record.size() > max_line_bytes(options)) {
      sink.problem(reject(path, number, -1,
                          fmt::format("a record longer than {} bytes (--max-article-bytes {})",
                                      max_line_bytes(options), options.max_article_bytes)));
      continue;
    }
    if (const size_t bad = text::find_invalid_utf8(record); bad != text::kNoInvalidByte) {
      sink.problem(reject(path, number, static_cast<int64_t>(bad),
                          fmt::format("not valid UTF-8 (ill-formed byte 0x{:02X})",
                                      static_cast<unsigned char>(record[bad]))));
      continue;
    }
    LineReader(path, number, options, chooser, sink).read(record, parser);
  }
  if (!problem.empty()) {
    sink.problem(reject(path, line_at(problem_at), static_cast<int64_t>(problem_at), problem));
  }
}

}  // namespace

void read_jsonl(Input& input, std::string_view path, const ReadOptions& options,
                DocumentSink& sink) {
  const JsonFieldChooser chooser(options);
  if (is_json_document(input.peek(64 * 1024))) {
    read_json_document(input, path, options, chooser, sink);
    return;
  }
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
    LineReader(path, number, options, chooser, sink).read(utf8, parser);
  }
  if (input.read_failed()) sink.problem(reject(path, 0, -1, "read error before the end"));
}

}  // namespace khabar::ingest_internal
