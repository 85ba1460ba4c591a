#include <algorithm>

#include "clean/internal/clean_internal.h"
#include "text/utf8.h"

namespace khabar::clean_internal {
namespace {

// Byline fields are separated by dashes with spaces around them or by vertical bars.
std::vector<std::string_view> split_fields(std::string_view line) {
  std::vector<std::string_view> fields;
  size_t begin = 0;
  size_t i = 0;
  while (i < line.size()) {
    size_t separator_length = 0;
    for (std::string_view separator : {" – ", " - ", " — ", " | ", "|"}) {
      if (line.substr(i, separator.size()) == separator) {
        separator_length = separator.size();
        break;
      }
    }
    if (separator_length == 0) {
      ++i;
      continue;
    }
    fields.push_back(text::trim(line.substr(begin, i - begin)));
    i += separator_length;
    begin = i;
  }
  fields.push_back(text::trim(line.substr(begin)));
  return fields;
}

}  // namespace

bool parse_byline(std::string_view line, const Normalizer& normalizer, const WordLists& words,
                  Byline& byline) {
  const std::string_view trimmed = text::trim(line);
  if (trimmed.empty() || text::count_words(trimmed) > 15) return false;
  std::string_view content = trimmed;
  while (!content.empty() && (content.back() == ':' || content.back() == '.')) {
    content.remove_suffix(1);
  }
  Byline parsed;
  std::vector<std::string_view> unclassified;
  for (std::string_view field : split_fields(content)) {
    if (field.empty()) return false;
    const std::string key = comparison_key(normalizer, field);
    if (equals_phrase(key, words.agencies)) {
      parsed.agencies.emplace_back(field);
      continue;
    }
    bool editor = false;
    for (const std::string& marker : words.editor_markers) {
      if (key.size() > marker.size() + 1 && key.compare(0, marker.size(), marker) == 0 &&
          key[marker.size()] == ' ') {
        // The name is what follows the marker's words in the original spelling.
        std::string_view rest = field;
        for (size_t n = text::count_words(marker); n > 0; --n) {
          const size_t space = rest.find(' ');
          rest =
              space == std::string_view::npos ? std::string_view() : text::trim(rest.substr(space));
        }
        parsed.editor = std::string(rest);
        editor = !rest.empty();
        break;
      }
    }
    if (!editor) unclassified.push_back(field);
  }
  // A byline must name an agency or a writer; besides those, at most one short field (the
  // outlet) may stand in it. Anything else is a sentence with a dash in it.
  if (parsed.agencies.empty() && parsed.editor.empty()) return false;
  if (unclassified.size() > 1) return false;
  if (unclassified.size() == 1) {
    if (text::count_words(unclassified[0]) > 3) return false;
    parsed.outlet = std::string(unclassified[0]);
  }
  parsed.line = std::string(trimmed);
  byline = std::move(parsed);
  return true;
}

}  // namespace khabar::clean_internal
