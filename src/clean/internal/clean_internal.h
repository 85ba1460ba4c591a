// The cleaner's passes, each over the article's units (lines of a text file, blocks of a page).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "khabar/clean.h"
#include "khabar/normalize.h"

namespace khabar::clean_internal {

struct Unit {
  enum class Role { kBody, kSubhead, kTitle, kByline, kCaption, kAuthor, kRemoved };
  size_t begin = 0;  // trimmed span in Document::text
  size_t end = 0;
  std::string text;        // after leaked markup is taken out
  std::string normalized;  // Normalizer::normalize(text)
  size_t key_size = 0;     // normalized without trailing punctuation: key()
  size_t words = 0;        // in `normalized`, where marks and invisible characters are gone
  SourceBlock::Kind kind = SourceBlock::Kind::kParagraph;
  bool from_html = false;
  bool in_page_chrome = false;
  size_t link_bytes = 0;
  Role role = Role::kBody;

  bool active() const { return role == Role::kBody || role == Role::kSubhead; }
  // What comparisons use: the normalised text without trailing punctuation.
  std::string_view key() const { return std::string_view(normalized).substr(0, key_size); }
};

// Word lists from data/clean/, each entry normalised once.
struct WordLists {
  std::vector<std::string> boilerplate_headings;
  std::vector<std::string> agencies;
  std::vector<std::string> editor_markers;  // longest first
  std::vector<std::string> social_phrases;
  std::vector<std::string> copyright_markers;
};

// The normalised form used for every comparison, without trailing punctuation.
std::string comparison_key(const Normalizer& normalizer, std::string_view text);
std::string without_trailing_punctuation(std::string normalized);
// The length of `normalized` without its trailing punctuation and spaces.
size_t key_length(std::string_view normalized);

// Takes shortcodes ([two-column], [caption]...[/caption]), leaked tags and entities out of
// one unit's text; `base` is the unit's offset, for the removal spans.
std::string strip_markup(std::string_view text, size_t base, std::vector<Removal>& removals);

// Parses a byline such as «وكالات – الثورة – حرر التقرير الإخباري ريم صالح:».
bool parse_byline(std::string_view line, const Normalizer& normalizer, const WordLists& words,
                  Byline& byline);

// --- Structural signals ---------------------------------------------------------------------
bool ends_sentence(std::string_view text);
// Ends as prose does: a sentence's closing mark, or a quotation or bracket closed after one.
bool ends_like_prose(std::string_view text);
bool looks_like_title(std::string_view text);
bool looks_like_subhead(std::string_view text);
// A run-on list of headlines pasted into one line: long, with almost no punctuation.
bool is_headline_run(std::string_view text);
// A short question or "Headline.. tease" line: a link to another article.
bool is_teaser(std::string_view text);
bool starts_with_phrase(std::string_view key, const std::vector<std::string>& phrases);
bool contains_phrase(std::string_view key, const std::vector<std::string>& phrases);
bool equals_phrase(std::string_view key, const std::vector<std::string>& phrases);

// Marks repeated paragraphs and pull-quotes (a paragraph repeated word for word inside
// another) as removed, keeping the fuller or earlier one.
void remove_repeats(std::vector<Unit>& units, std::vector<Removal>& removals);

}  // namespace khabar::clean_internal
