#include "ingest/internal/json_fields.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>

namespace khabar::ingest_internal {
namespace {

constexpr std::array<std::string_view, kJsonFields> kFieldNames = {
    "text", "title", "url", "source", "published", "lang", "id"};

// khabar's own names first; then news-please (maintext, date_publish, source_domain,
// language), trafilatura (sitename or source-hostname for the outlet, hostname, date) and
// SaudiNewsNet (content, date_extracted: the crawl time, the best date it has).
struct DefaultName {
  std::string_view key;
  JsonField field;
};
constexpr DefaultName kDefaultNames[] = {
    {"text", JsonField::kText},
    {"maintext", JsonField::kText},
    {"content", JsonField::kText},
    {"body", JsonField::kText},
    {"title", JsonField::kTitle},
    {"headline", JsonField::kTitle},
    {"url", JsonField::kUrl},
    {"link", JsonField::kUrl},
    {"source", JsonField::kSource},
    {"outlet", JsonField::kSource},  // khabar's own output (export, show --json)
    {"sitename", JsonField::kSource},
    {"source-hostname", JsonField::kSource},
    {"source_domain", JsonField::kSource},
    {"hostname", JsonField::kSource},
    {"published", JsonField::kPublished},
    {"date_publish", JsonField::kPublished},
    {"date_published", JsonField::kPublished},
    {"datePublished", JsonField::kPublished},
    {"date", JsonField::kPublished},
    {"pubDate", JsonField::kPublished},
    {"date_extracted", JsonField::kPublished},
    {"lang", JsonField::kLang},
    {"language", JsonField::kLang},
    {"id", JsonField::kId},
};

bool is_web_url(std::string_view s) {
  return s.starts_with("http://") || s.starts_with("https://");
}

}  // namespace

std::string_view json_field_name(JsonField field) {
  return kFieldNames[static_cast<size_t>(field)];
}

JsonFieldChooser::JsonFieldChooser(const ReadOptions& options) {
  // The user's names come first; an unknown field name was refused by parse_field_map.
  for (const auto& [field, key] : options.field_map) {
    const auto at = std::find(kFieldNames.begin(), kFieldNames.end(), field);
    if (at != kFieldNames.end()) {
      names_.push_back({key, static_cast<JsonField>(at - kFieldNames.begin())});
    }
  }
  for (const DefaultName& name : kDefaultNames)
    names_.push_back({name.key, name.field});
}

std::array<int, kJsonFields> JsonFieldChooser::choose(
    const std::vector<JsonMember>& members) const {
  std::array<int, kJsonFields> chosen;
  std::array<size_t, kJsonFields> rank;
  chosen.fill(-1);
  rank.fill(names_.size());
  for (size_t m = 0; m < members.size(); ++m) {
    const JsonMember& member = members[m];
    if (member.kind == JsonMember::Kind::kNull) continue;
    for (size_t r = 0; r < names_.size(); ++r) {
      if (names_[r].key != member.key) continue;
      JsonField field = names_[r].field;
      // trafilatura's `source` is the page's URL; its outlet is `source-hostname`.
      if (field == JsonField::kSource && member.kind == JsonMember::Kind::kString &&
          is_web_url(member.string)) {
        field = JsonField::kUrl;
      }
      const auto f = static_cast<size_t>(field);
      if (r < rank[f]) {
        rank[f] = r;
        chosen[f] = static_cast<int>(m);
      }
      break;
    }
  }
  return chosen;
}

bool JsonFieldChooser::known(std::string_view key) const {
  return std::any_of(names_.begin(), names_.end(), [&](const Name& n) { return n.key == key; });
}

std::vector<std::string_view> JsonFieldChooser::names(JsonField field) const {
  std::vector<std::string_view> out;
  for (const Name& n : names_) {
    if (n.field == field && std::find(out.begin(), out.end(), n.key) == out.end())
      out.push_back(n.key);
  }
  return out;
}

}  // namespace khabar::ingest_internal

namespace khabar {

std::vector<std::pair<std::string_view, std::vector<std::string_view>>> json_field_names() {
  const ingest_internal::JsonFieldChooser chooser{ReadOptions{}};
  std::vector<std::pair<std::string_view, std::vector<std::string_view>>> out;
  for (size_t f = 0; f < ingest_internal::kJsonFields; ++f) {
    const auto field = static_cast<ingest_internal::JsonField>(f);
    out.emplace_back(ingest_internal::json_field_name(field), chooser.names(field));
  }
  return out;
}

Result<std::vector<std::pair<std::string, std::string>>> parse_field_map(std::string_view spec) {
  std::vector<std::pair<std::string, std::string>> out;
  while (!spec.empty()) {
    const size_t comma = std::min(spec.find(','), spec.size());
    const std::string_view item = spec.substr(0, comma);
    spec.remove_prefix(std::min(comma + 1, spec.size()));
    const size_t equals = item.find('=');
    const std::string_view field = item.substr(0, equals);
    if (equals == std::string_view::npos || equals + 1 == item.size()) {
      return make_error(ErrorCode::kInvalidArgument,
                        fmt::format("--map «{}»: want FIELD=NAME, as text=content", item));
    }
    const auto& names = ingest_internal::kFieldNames;
    if (std::find(names.begin(), names.end(), field) == names.end()) {
      return make_error(ErrorCode::kInvalidArgument,
                        fmt::format("--map «{}»: khabar has no field «{}» (it has {})", item, field,
                                    fmt::join(names, ", ")));
    }
    out.emplace_back(std::string(field), std::string(item.substr(equals + 1)));
  }
  return out;
}

}  // namespace khabar
