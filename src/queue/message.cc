// The message of one article: a Document as JSON. Workers read messages from the network, so a
// message is checked as strictly as a file: whatever a reader guarantees of a Document (valid
// UTF-8, blocks within the text, a validated date) is checked again here.
#include <fmt/format.h>

#include <array>
#include <nlohmann/json.hpp>

#include "khabar/queue.h"
#include "text/nesting.h"
#include "text/utf8.h"

namespace khabar {
namespace {

using nlohmann::json;

// The message's own version: a worker refuses a message it does not know how to read.
// Version 2 added the caption and author block kinds; a version 1 message is read as before.
constexpr int kMessageVersion = 2;
constexpr int kOldestMessageVersion = 1;

constexpr std::array<std::pair<SourceBlock::Kind, const char*>, 7> kBlockKinds{{
    {SourceBlock::Kind::kParagraph, "p"},
    {SourceBlock::Kind::kHeading, "h"},
    {SourceBlock::Kind::kListItem, "li"},
    {SourceBlock::Kind::kQuote, "q"},
    {SourceBlock::Kind::kCell, "td"},
    {SourceBlock::Kind::kCaption, "caption"},
    {SourceBlock::Kind::kAuthor, "author"},
}};

const char* block_kind_name(SourceBlock::Kind kind) {
  for (const auto& [k, name] : kBlockKinds) {
    if (k == kind) return name;
  }
  return "p";
}

Error bad_message(std::string_view reason) {
  return make_error(ErrorCode::kBadInput, fmt::format("not an article message: {}", reason));
}

// A string field, "" when absent; an error when present and not a string of valid UTF-8.
Result<std::string> text_field(const json& message, const char* name) {
  const auto it = message.find(name);
  if (it == message.end() || it->is_null()) return std::string();
  if (!it->is_string()) return bad_message(fmt::format("`{}` is not a string", name));
  std::string value = it->get<std::string>();
  if (text::find_invalid_utf8(value) != text::kNoInvalidByte) {
    return bad_message(fmt::format("`{}` is not valid UTF-8", name));
  }
  return value;
}

bool continues_a_character(const std::string& text, size_t offset) {
  return offset < text.size() && (static_cast<unsigned char>(text[offset]) & 0xC0) == 0x80;
}

Result<std::vector<SourceBlock>> parse_blocks(const json& message, const std::string& text) {
  std::vector<SourceBlock> blocks;
  const auto it = message.find("blocks");
  if (it == message.end()) return blocks;
  if (!it->is_array()) return bad_message("`blocks` is not an array");
  for (const json& b : *it) {
    if (!b.is_array() || b.size() != 5 || !b[0].is_number_unsigned() ||
        !b[1].is_number_unsigned() || !b[2].is_string() || !b[3].is_number_unsigned() ||
        !b[4].is_boolean()) {
      return bad_message("a block is not [begin, end, kind, link bytes, in chrome]");
    }
    SourceBlock block;
    block.begin = b[0].get<size_t>();
    block.end = b[1].get<size_t>();
    block.link_bytes = b[3].get<size_t>();
    block.in_page_chrome = b[4].get<bool>();
    if (block.begin > block.end || block.end > text.size() ||
        continues_a_character(text, block.begin) || continues_a_character(text, block.end)) {
      return bad_message(fmt::format("block [{}, {}) is not a span of the text's characters",
                                     block.begin, block.end));
    }
    if (block.link_bytes > block.end - block.begin) {
      return bad_message("a block has more link bytes than bytes");
    }
    const std::string kind = b[2].get<std::string>();
    bool known = false;
    for (const auto& [k, name] : kBlockKinds) {
      if (kind == name) {
        block.kind = k;
        known = true;
      }
    }
    if (!known) return bad_message(fmt::format("unknown block kind «{}»", kind));
    blocks.push_back(block);
  }
  return blocks;
}

}  // namespace

std::string document_message(const Document& d) {
  json blocks = json::array();
  for (const SourceBlock& b : d.blocks) {
    blocks.push_back({b.begin, b.end, block_kind_name(b.kind), b.link_bytes, b.in_page_chrome});
  }
  json message = {{"v", kMessageVersion},
                  {"text", d.text},
                  {"title", d.title},
                  {"url", d.url},
                  {"source", d.source},
                  {"published", d.published},
                  {"lang", d.declared_lang},
                  {"external_id", d.external_id},
                  {"metadata", d.metadata_json},
                  {"origin", d.origin},
                  {"format", input_format_name(d.format)},
                  {"encoding", d.encoding}};
  if (!d.blocks.empty()) message["blocks"] = std::move(blocks);
  // Replace, not throw: every field was valid UTF-8 when read, and a message must always go out.
  return message.dump(-1, ' ', false, json::error_handler_t::replace);
}

Result<Document> parse_document_message(std::string_view bytes) {
  // nlohmann::json writes and compares documents by recursion.
  if (text::json_too_deep(bytes)) {
    return bad_message(
        fmt::format("nested more than {} arrays or objects deep", text::kMaxJsonDepth));
  }
  const json message = json::parse(bytes, nullptr, false);
  if (message.is_discarded() || !message.is_object()) return bad_message("not a JSON object");
  const auto version = message.find("v");
  if (version == message.end() || !version->is_number_integer() ||
      version->get<int64_t>() < kOldestMessageVersion ||
      version->get<int64_t>() > kMessageVersion) {
    return bad_message(
        fmt::format("version is not {} to {}: written by another khabar (upgrade "
                    "the workers before the publishers)",
                    kOldestMessageVersion, kMessageVersion));
  }
  Document d;
  struct Field {
    const char* name;
    std::string* into;
  };
  std::string format, metadata;
  for (const Field& f : {Field{"text", &d.text}, Field{"title", &d.title}, Field{"url", &d.url},
                         Field{"source", &d.source}, Field{"published", &d.published},
                         Field{"lang", &d.declared_lang}, Field{"external_id", &d.external_id},
                         Field{"metadata", &metadata}, Field{"origin", &d.origin},
                         Field{"format", &format}, Field{"encoding", &d.encoding}}) {
    Result<std::string> value = text_field(message, f.name);
    if (!value.ok()) return value.error();
    *f.into = std::move(*value);
  }
  if (d.text.empty()) return bad_message("`text` is missing or empty");
  if (!d.published.empty() && !parse_iso8601(d.published).ok()) {
    return bad_message(fmt::format("`published` «{}» is not an ISO 8601 date", d.published));
  }
  if (!metadata.empty() && text::json_too_deep(metadata)) {
    return bad_message(
        fmt::format("`metadata` nests more than {} arrays or objects", text::kMaxJsonDepth));
  }
  if (!metadata.empty() && !json::parse(metadata, nullptr, false).is_object()) {
    return bad_message("`metadata` is not a JSON object");
  }
  d.metadata_json = std::move(metadata);
  Result<InputFormat> parsed_format = parse_input_format(format.empty() ? "text" : format);
  if (!parsed_format.ok() || *parsed_format == InputFormat::kAuto) {
    return bad_message(fmt::format("unknown format «{}»", format));
  }
  d.format = *parsed_format;
  if (d.encoding.empty()) d.encoding = "utf-8";
  Result<std::vector<SourceBlock>> blocks = parse_blocks(message, d.text);
  if (!blocks.ok()) return blocks.error();
  d.blocks = std::move(*blocks);
  return d;
}

}  // namespace khabar
