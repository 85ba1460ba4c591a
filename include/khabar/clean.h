// khabar/clean.h — from a page as crawled to the article a reader would recognise.
//
// The cleaner keeps the title, subheads and body, turns byline lines into metadata (agencies,
// outlet, editor), and removes what is not the article: shortcodes and leaked markup, page
// chrome and link lists, headline lists and teaser links after the body, share and copyright
// lines, repeated paragraphs and pull-quotes. It judges by structure first (a run-on list of
// headlines, short questions after the body, link density, repeats), with the word lists in
// data/clean/ as a first signal. It never sets a date: a date in boilerplate cannot become the
// article's.
//
// Every decision is auditable: each removal, and each line moved to metadata, is recorded with
// its byte span in Document::text, a rule name and a reason written for a person.
//
//   khabar::Cleaner cleaner;
//   khabar::CleanArticle article = cleaner.clean(document);
//   article.title;      // "موسكو: عصابات إرهابية دولية شاركت في أحداث كازاخستان"
//   article.byline;     // agencies {"وكالات"}, outlet "الثورة", editor "ريم صالح"
//   for (const khabar::Removal& r : article.removals)
//     std::cout << r.rule << " " << r.begin << ".." << r.end << ": " << r.reason << "\n";
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "khabar/ingest.h"

namespace khabar {

struct Removal {
  enum class Kind {
    kRemoved,          // not part of the article
    kMovedToMetadata,  // the title or byline: kept, but not as body text
  };
  size_t begin = 0;  // byte span in Document::text
  size_t end = 0;
  Kind kind = Kind::kRemoved;
  std::string rule;    // stable name, e.g. "boilerplate-heading", "pull-quote", "byline"
  std::string reason;  // one sentence for the person auditing
};

struct Byline {
  std::vector<std::string> agencies;  // "وكالات", "رويترز"
  std::string outlet;                 // "الثورة"
  std::string editor;                 // "ريم صالح"
  std::string line;                   // the byline as printed
  bool empty() const { return line.empty(); }
};

struct Paragraph {
  std::string text;
  std::string normalized;  // khabar/normalize.h form of text, computed while cleaning
  size_t begin = 0;        // span of the source text it came from, in Document::text
  size_t end = 0;
  bool is_subhead = false;
};

struct CleanArticle {
  std::string title;
  Byline byline;
  std::vector<Paragraph> paragraphs;  // body order; subheads included, marked
  std::vector<Removal> removals;      // in text order

  // The body as displayed: paragraphs and subheads, one per line.
  std::string body() const;
  // Normalizer::normalize(body()), assembled from the paragraphs without normalising again.
  std::string normalized_body() const;
  std::vector<std::string> subheads() const;
};

class Cleaner {
 public:
  Cleaner();
  ~Cleaner();
  Cleaner(Cleaner&&) noexcept;
  Cleaner& operator=(Cleaner&&) noexcept;

  CleanArticle clean(const Document& document) const;

 private:
  struct Rules;  // the word lists of data/clean/, normalised once
  std::unique_ptr<const Rules> rules_;
};

}  // namespace khabar
