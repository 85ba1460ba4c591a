// khabar/search.h — full-text search over stored articles, Arabic first.
//
// The store's SQLite file holds the index (FTS5, table article_text), kept in step with ingest by
// triggers: an article is searchable in the transaction that stores it, and readers see the
// index and the articles agree. One analyzer serves index and queries: khabar's normaliser (so
// أ إ آ → ا, ى → ي, ة → ه, tashkeel and tatweel gone), then Snowball's Arabic stemmer for Arabic
// words and its English one for Latin words, stop words dropped (khabar/analyzer.h). Each
// Arabic word of four letters or more also carries its consonant skeleton (توكاييف and توكايف
// are both تكف): a query word matches its own stem or its skeleton, and an article with the
// exact spelling ranks above one with a variant, since it matches both.
//
//   khabar::SearchQuery query{.text = "توكايف -موسكو", .outlet = "الثورة", .limit = 10};
//   khabar::Result<khabar::SearchPage> page = store.search(query);
//   for (const khabar::SearchHit& hit : page->hits)
//     std::cout << hit.article_id << " " << hit.snippet << "\n";  // the original spelling
//   query.cursor = page->next_cursor;  // the next ten, while it is not empty
//
// Why FTS5 and not Xapian: the index lives in the one SQLite file, written in the same
// transaction as the article (no second store to fall out of step or back up), WAL gives readers
// a consistent view while ingest writes, and a custom tokenizer lets the analyzer report byte
// offsets into the original text, so FTS5's own snippet() highlights the words as printed.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace khabar {

struct SearchQuery {
  // Words, "phrases" (also «…» or “…”: the words together, in order) and what to leave out:
  // -word, -"phrase". Articles holding all the words and phrases come first, then articles
  // holding some of them, ranked among themselves.
  std::string text{};
  std::string outlet{};  // the article's source, exactly; empty: any
  std::string lang{};    // ISO 639-1 ("ar"); empty: any
  // Publication dates (ISO 8601, YYYY-MM-DD), inclusive. With either set, undated articles are
  // left out.
  std::string since{};
  std::string until{};
  int64_t story = 0;   // 0: any
  int64_t entity = 0;  // articles mentioning this stored entity (khabar/store.h); 0: any
  int64_t limit = 20;  // hits on a page
  // Where the page starts: a SearchPage's next_cursor, as it came; empty: the first page.
  std::string cursor{};
  // false: hits without snippet and highlights, for callers that want only which articles
  // match (cutting a snippet is most of the cost of a hit).
  bool snippets = true;
  // false: no totals (two counting queries), for callers that want only the hits.
  bool totals = true;
};

struct SearchHit {
  std::string article_id;
  std::string external_id;  // the input's own id, when it gave one
  std::string title;
  std::string outlet;
  std::string published;
  std::string lang;
  int64_t story = 0;
  double score = 0;       // higher is better (FTS5's BM25, title words counting double)
  bool all_words = true;  // false: one of the articles holding only some of the words
  std::string snippet;    // the original text around the best matches, "…" where cut
  std::vector<std::pair<size_t, size_t>> highlights;  // byte spans of matches in snippet
};

// One page of hits and where the next starts: a page starts after the last hit of the page
// before, in the order of (score, article), so that paging through an unchanged store shows
// every hit once. Storing articles between pages changes BM25's scores on SQLite (its word
// statistics are the whole index's), so a hit near a page's end may then show twice or not at
// all; on PostgreSQL an article's score is its own.
struct SearchPage {
  std::vector<SearchHit> hits;
  int64_t total = 0;            // articles found, on every page (0 without SearchQuery::totals)
  int64_t total_all_words = 0;  // of which holding all the words (listed first)
  std::string next_cursor;      // empty: no page after this one
};

enum class SearchWords { kAll, kAny };

// The FTS5 MATCH expression for a user's query (the syntax of SearchQuery::text): each
// searchable word as its term, or its term or skeleton, a phrase as one FTS5 phrase; all of
// them required, or any one; then NOT what is left out. Empty when nothing searchable is
// wanted (stop words only, or only words left out).
std::string search_expression(std::string_view query, SearchWords words = SearchWords::kAll);

}  // namespace khabar
