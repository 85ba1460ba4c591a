#include "khabar/clean.h"

#include <fmt/format.h>

#include <algorithm>

#include "clean/internal/clean_internal.h"
#include "khabar_data/agencies_txt.h"
#include "khabar_data/boilerplate_headings_txt.h"
#include "khabar_data/copyright_markers_txt.h"
#include "khabar_data/editor_markers_txt.h"
#include "khabar_data/social_phrases_txt.h"
#include "text/utf8.h"

namespace khabar {

using clean_internal::Unit;

namespace {

// Bylines sit in the first few lines after the title.
constexpr size_t kBylineWindow = 3;
// Link text share above which an HTML block is a list of links, not prose.
constexpr double kMaxLinkDensity = 0.5;
constexpr size_t kMaxSocialWords = 12;
constexpr size_t kMaxCopyrightWords = 25;
constexpr size_t kMaxSubheadWords = 8;  // as in looks_like_subhead
// A web page's short lines after the body without a closing mark are teasers, labels and
// credits ("Mehr zum Thema", "Foto: …", "Neueste Artikel"): on trafilatura's judged pages,
// removing those up to 12 words raised precision from 0.796 to 0.83 for 0.005 of recall.
constexpr size_t kMaxTrailingLabelWords = 12;
// A page cleaned again without its chrome marks must give this much prose to count.
constexpr size_t kMinFallbackWords = 25;
constexpr size_t kMinFallbackSentenceWords = 8;

std::vector<std::string> load_list(std::string_view data, const Normalizer& normalizer) {
  std::vector<std::string> out;
  for (const text::DataLine& line : text::data_lines(data)) {
    out.push_back(clean_internal::comparison_key(normalizer, line.text));
  }
  return out;
}

}  // namespace

struct Cleaner::Rules {
  Normalizer normalizer;
  clean_internal::WordLists words;
};

Cleaner::Cleaner() {
  auto rules = std::make_unique<Rules>();
  const Normalizer& n = rules->normalizer;
  rules->words.boilerplate_headings = load_list(data::boilerplate_headings_txt, n);
  rules->words.agencies = load_list(data::agencies_txt, n);
  rules->words.editor_markers = load_list(data::editor_markers_txt, n);
  std::stable_sort(rules->words.editor_markers.begin(), rules->words.editor_markers.end(),
                   [](const std::string& a, const std::string& b) { return a.size() > b.size(); });
  rules->words.social_phrases = load_list(data::social_phrases_txt, n);
  rules->words.copyright_markers = load_list(data::copyright_markers_txt, n);
  rules_ = std::move(rules);
}

Cleaner::~Cleaner() = default;
Cleaner::Cleaner(Cleaner&&) noexcept = default;
Cleaner& Cleaner::operator=(Cleaner&&) noexcept = default;

std::string CleanArticle::body() const {
  std::string out;
  for (const Paragraph& p : paragraphs) {
    if (!out.empty()) out += '\n';
    out += p.text;
  }
  return out;
}

std::string CleanArticle::normalized_body() const {
  // Paragraphs are separated by a newline, which normalisation keeps as one newline and across
  // which nothing composes; an empty normalised paragraph would leave two.
  std::string out;
  for (const Paragraph& p : paragraphs) {
    if (p.normalized.empty()) continue;
    if (!out.empty()) out += '\n';
    out += p.normalized;
  }
  return out;
}

std::vector<std::string> CleanArticle::subheads() const {
  std::vector<std::string> out;
  for (const Paragraph& p : paragraphs) {
    if (p.is_subhead) out.push_back(p.text);
  }
  return out;
}

namespace {

class Pass {
 public:
  Pass(const Document& doc, const Normalizer& normalizer, const clean_internal::WordLists& words,
       CleanArticle& article)
      : doc_(doc), normalizer_(normalizer), words_(words), article_(article) {}

  void run() {
    build_units();
    remove_page_chrome();
    move_captions_and_authors();
    take_title();
    take_byline();
    remove_leading_date_lines();
    remove_tail_after_heading();
    // Before the trailing teasers: a closing copyright line ends with a full stop and would
    // hide the labels above it.
    remove_share_and_copyright_lines();
    remove_trailing_teasers();
    mark_subheads();
    clean_internal::remove_repeats(units_, article_.removals);
    emit();
  }

 private:
  void build_units() {
    std::vector<text::Span> spans;
    if (doc_.blocks.empty()) {
      spans = text::split_lines(doc_.text);
    } else {
      for (const SourceBlock& b : doc_.blocks)
        spans.push_back({b.begin, b.end});
    }
    for (size_t i = 0; i < spans.size(); ++i) {
      const text::Span trimmed = text::trim_span(spans[i].of(doc_.text));
      if (trimmed.empty()) continue;
      Unit unit;
      unit.begin = spans[i].begin + trimmed.begin;
      unit.end = spans[i].begin + trimmed.end;
      if (!doc_.blocks.empty()) {
        const SourceBlock& block = doc_.blocks[i];
        unit.kind = block.kind;
        unit.from_html = true;
        unit.in_page_chrome = block.in_page_chrome;
        unit.link_bytes = block.link_bytes;
      }
      const std::string_view raw =
          std::string_view(doc_.text).substr(unit.begin, unit.end - unit.begin);
      unit.text = clean_internal::strip_markup(raw, unit.begin, article_.removals);
      unit.normalized = normalizer_.normalize(unit.text);
      unit.key_size = clean_internal::key_length(unit.normalized);
      unit.words = count_normalized_words(unit.normalized);
      if (unit.text.empty()) unit.role = Unit::Role::kRemoved;  // nothing but markup
      units_.push_back(std::move(unit));
    }
  }

  void remove(Unit& unit, std::string rule, std::string reason) {
    unit.role = Unit::Role::kRemoved;
    article_.removals.push_back(
        {unit.begin, unit.end, Removal::Kind::kRemoved, std::move(rule), std::move(reason)});
  }

  void move_to_metadata(Unit& unit, Unit::Role role, std::string rule, std::string reason) {
    unit.role = role;
    article_.removals.push_back({unit.begin, unit.end, Removal::Kind::kMovedToMetadata,
                                 std::move(rule), std::move(reason)});
  }

  std::vector<Unit*> active() {
    std::vector<Unit*> out;
    for (Unit& u : units_) {
      if (u.active()) out.push_back(&u);
    }
    return out;
  }

  void remove_page_chrome() {
    for (Unit& u : units_) {
      if (!u.active()) continue;
      if (u.in_page_chrome) {
        remove(u, "page-chrome", "navigation, sidebar, footer or sharing block of the page");
      } else if (u.from_html && static_cast<double>(u.link_bytes) >
                                    kMaxLinkDensity * static_cast<double>(u.end - u.begin)) {
        remove(u, "link-density",
               fmt::format("{}% of the block is link text: a list of links, not prose",
                           u.link_bytes * 100 / std::max<size_t>(1, u.end - u.begin)));
      }
    }
  }

  // Captions and author boxes, as the page marks them: the first author line that parses as a
  // byline becomes the article's byline.
  void move_captions_and_authors() {
    for (Unit& u : units_) {
      if (!u.active()) continue;
      if (u.kind == SourceBlock::Kind::kCaption) {
        move_to_metadata(u, Unit::Role::kCaption, "caption", "an image caption or photo credit");
      } else if (u.kind == SourceBlock::Kind::kAuthor) {
        Byline byline;
        if (article_.byline.empty() &&
            clean_internal::parse_byline(u.text, normalizer_, words_, byline)) {
          take_as_byline(u, std::move(byline));
        } else {
          move_to_metadata(u, Unit::Role::kAuthor, "author",
                           "the page's author line or box: about the writer, not the story");
        }
      }
    }
  }

  void take_as_byline(Unit& u, Byline byline) {
    article_.byline = std::move(byline);
    move_to_metadata(u, Unit::Role::kByline, "byline",
                     "agency, outlet and editor line: kept as metadata");
  }

  bool parses_as_byline(const Unit& u) {
    Byline ignored;
    return clean_internal::parse_byline(u.text, normalizer_, words_, ignored);
  }

  void take_title() {
    std::vector<Unit*> body = active();
    if (body.empty()) return;
    Unit& first = *body.front();
    if (!doc_.title.empty()) {
      // A title field is plain text, but publishing systems leave entities and tags in it as
      // in bodies («&quot;عرب نيوز&quot;», which the name tagger read as a person «quot»).
      // Their offsets are the title's, not the body's: not reported with the body's removals.
      std::vector<Removal> title_markup;
      article_.title = clean_internal::strip_markup(doc_.title, 0, title_markup);
      if (first.key() == clean_internal::comparison_key(normalizer_, article_.title)) {
        move_to_metadata(first, Unit::Role::kTitle, "title",
                         "the headline, repeated at the top of the body");
      }
      return;
    }
    const bool heading = first.from_html && first.kind == SourceBlock::Kind::kHeading;
    if (body.size() > 1 && (heading || clean_internal::looks_like_title(first.text)) &&
        !parses_as_byline(first)) {
      article_.title = first.text;
      move_to_metadata(first, Unit::Role::kTitle, "title",
                       "first line: short and without a closing full stop, so a headline");
    }
  }

  void take_byline() {
    if (!article_.byline.empty()) return;  // the page marked its author line
    std::vector<Unit*> body = active();
    for (size_t i = 0; i < body.size() && i < kBylineWindow; ++i) {
      Byline byline;
      if (clean_internal::parse_byline(body[i]->text, normalizer_, words_, byline)) {
        take_as_byline(*body[i], std::move(byline));
        return;
      }
    }
  }

  // "19. Oktober 2019, 19:08 Uhr", "PUBLISHED: 3 May | UPDATED: 4 May": a web page's short
  // lines with a number and no closing mark among its first ones are date and time lines.
  void remove_leading_date_lines() {
    std::vector<Unit*> body = active();
    for (size_t i = 0; i < body.size() && i < kBylineWindow && body.size() - i > 1; ++i) {
      Unit& u = *body[i];
      if (!u.from_html || u.words > kMaxTrailingLabelWords ||
          clean_internal::ends_like_prose(u.text))
        continue;
      // A year or a clock time, not any number: «مقتل 3 أشخاص» under a headline is its deck.
      if (!has_year_or_time(u.normalized)) continue;
      remove(u, "date-line",
             "a short line with a number at the top of a web page: a date or time line");
    }
  }

  // In the matching form, where Arabic-Indic digits are ASCII ones: 1900-2099 standing alone,
  // or H:MM / HH:MM.
  static bool has_year_or_time(std::string_view s) {
    const auto digit = [&](size_t i) { return i < s.size() && s[i] >= '0' && s[i] <= '9'; };
    for (size_t i = 0; i < s.size(); ++i) {
      if (!digit(i) || (i > 0 && digit(i - 1))) continue;  // the start of a run of digits
      size_t end = i;
      while (digit(end))
        ++end;
      const std::string_view run = s.substr(i, end - i);
      if (run.size() == 4 && (run.starts_with("19") || run.starts_with("20"))) return true;
      if (run.size() <= 2 && end < s.size() && s[end] == ':' && digit(end + 1) && digit(end + 2) &&
          !digit(end + 3))
        return true;
    }
    return false;
  }

  void remove_tail_after_heading() {
    std::vector<Unit*> body = active();
    for (size_t i = 1; i < body.size(); ++i) {
      if (body[i]->words > 6) continue;
      if (!clean_internal::equals_phrase(body[i]->key(), words_.boilerplate_headings)) continue;
      remove(*body[i], "boilerplate-heading",
             fmt::format("«{}» heads a list of other articles; it and all after it are not "
                         "the article",
                         body[i]->text));
      for (size_t j = i + 1; j < body.size(); ++j) {
        remove(*body[j], "boilerplate-tail", fmt::format("after «{}»", body[i]->text));
      }
      return;
    }
  }

  void remove_trailing_teasers() {
    std::vector<Unit*> body = active();
    // Always leave the first paragraph: a one-line article is not a teaser for itself.
    for (size_t i = body.size(); i-- > 1;) {
      Unit& u = *body[i];
      if (clean_internal::is_headline_run(u.text)) {
        remove(u, "headline-run",
               "a run-on list of headlines after the body: long, with almost no punctuation");
      } else if (clean_internal::is_teaser(u.text)) {
        remove(u, "teaser",
               "a short headline or question after the body: a link to another "
               "article");
      } else if (u.from_html && u.kind != SourceBlock::Kind::kListItem &&
                 u.kind != SourceBlock::Kind::kCell && u.words <= kMaxTrailingLabelWords &&
                 !clean_internal::ends_like_prose(u.text)) {
        // Not list items or table cells: an article may end with its list or its table.
        remove(u, "trailing-label",
               "a short line without a closing mark after the body of a web page: a teaser, "
               "label or credit");
      } else {
        return;
      }
    }
  }

  void remove_share_and_copyright_lines() {
    for (Unit* u : active()) {
      if (u->words <= kMaxSocialWords &&
          clean_internal::starts_with_phrase(u->key(), words_.social_phrases)) {
        remove(*u, "social", "share or follow line");
      } else if (u->words <= kMaxCopyrightWords &&
                 clean_internal::contains_phrase(u->key(), words_.copyright_markers)) {
        remove(*u, "copyright", "copyright notice");
      }
    }
  }

  void mark_subheads() {
    std::vector<Unit*> body = active();
    for (size_t i = 0; i + 1 < body.size(); ++i) {
      Unit& u = *body[i];
      const bool html_heading = u.from_html && u.kind == SourceBlock::Kind::kHeading;
      if (!html_heading && (i == 0 || u.words > kMaxSubheadWords)) continue;
      const bool between_paragraphs = body[i + 1]->words > kMaxSubheadWords ||
                                      !clean_internal::looks_like_subhead(body[i + 1]->text);
      if (html_heading || (between_paragraphs && clean_internal::looks_like_subhead(u.text))) {
        u.role = Unit::Role::kSubhead;
      }
    }
  }

  void emit() {
    for (const Unit& u : units_) {
      if (u.active()) {
        article_.paragraphs.push_back(
            {u.text, u.normalized, u.begin, u.end, u.role == Unit::Role::kSubhead});
      }
    }
    std::stable_sort(article_.removals.begin(), article_.removals.end(),
                     [](const Removal& a, const Removal& b) { return a.begin < b.begin; });
  }

  const Document& doc_;
  const Normalizer& normalizer_;
  const clean_internal::WordLists& words_;
  CleanArticle& article_;
  std::vector<Unit> units_;
};

}  // namespace

CleanArticle Cleaner::clean(const Document& document) const {
  CleanArticle article;
  Pass(document, rules_->normalizer, rules_->words, article).run();
  if (!article.paragraphs.empty() || document.blocks.empty()) return article;
  // Every block of the web page was chrome by its containers (a theme's class words on the
  // wrapper of everything, an <article> holding only a teaser): the page's text without those
  // marks, the other rules still applied, rather than no article at all.
  Document unmarked = document;
  for (SourceBlock& block : unmarked.blocks) {
    block.in_page_chrome = false;
    // A caption or author mark is the container's word too.
    if (block.kind == SourceBlock::Kind::kCaption || block.kind == SourceBlock::Kind::kAuthor)
      block.kind = SourceBlock::Kind::kParagraph;
  }
  CleanArticle again;
  Pass(unmarked, rules_->normalizer, rules_->words, again).run();
  // Only when that leaves prose: an index, tag or error page has none, and stays refused.
  size_t words = 0;
  bool sentence = false;
  for (const Paragraph& p : again.paragraphs) {
    const size_t n = text::count_words(p.text);
    words += n;
    sentence |= n >= kMinFallbackSentenceWords && clean_internal::ends_like_prose(p.text);
  }
  return sentence && words >= kMinFallbackWords ? again : article;
}

}  // namespace khabar
