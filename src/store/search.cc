// Store::search: on SQLite the FTS5 query over article_text; on PostgreSQL the same analysis as
// a tsquery over article_terms. Both join the articles they index and apply the same filters.
#include <fmt/format.h>

#include <bit>
#include <charconv>
#include <cstdint>
#include <limits>
#include <optional>
#include <set>

#include "khabar/store.h"
#include "search/postgres.h"
#include "search/query.h"
#include "store/internal/database.h"
#include "store/internal/store_impl.h"

namespace khabar {
namespace {

using store_internal::Database;
using store_internal::Dialect;
using store_internal::Statement;
using store_internal::Step;
using store_internal::storage_error;

// snippet() marks matches with these bytes, which no stored text holds (ingest keeps no C0
// controls but tab and newline).
constexpr char kMatchBegin = '\x02';
constexpr char kMatchEnd = '\x03';
// Words in a snippet, as FTS5's snippet() is asked for.
constexpr size_t kSnippetWords = 24;

// The snippet without its marks, and where the marks were.
void unmark(const std::string& marked, SearchHit& hit) {
  hit.snippet.clear();
  size_t begin = 0;
  for (const char c : marked) {
    if (c == kMatchBegin) {
      begin = hit.snippet.size();
    } else if (c == kMatchEnd) {
      hit.highlights.emplace_back(begin, hit.snippet.size());
    } else {
      hit.snippet += c;
    }
  }
}

// The filters both engines apply, after the match: parameters 2 to 6 and 8.
constexpr const char* kFilters =
    "AND (?2 = '' OR a.source = ?2) AND (?3 = '' OR a.lang = ?3) "
    "AND (?4 = '' OR substr(a.published, 1, 10) >= ?4) "
    "AND (?5 = '' OR substr(a.published, 1, 10) <= ?5) "
    "AND (?6 = 0 OR a.story_sequence = ?6) "
    "AND (?8 = 0 OR EXISTS (SELECT 1 FROM entity_mentions m "
    "  WHERE m.entity_sequence = ?8 AND m.article_sequence = a.sequence)) ";

// Title words weigh twice body words on both engines. FTS5's bm25() is lower for better
// matches; ts_rank (with length normalisation) is higher. Scores are compared as they came, so
// that a page can start after one: parameters 9 to 11 (whether to, and after which score and
// sequence).
std::string match_sql(Dialect dialect, bool snippets) {
  constexpr const char* kAfter =
      "WHERE ?9 = 0 OR score < CAST(?10 AS {0}) OR (score = CAST(?10 AS {0}) AND seq > ?11) "
      "ORDER BY score DESC, seq LIMIT ?7";
  // The cursor's score as the engine's own type (ts_rank's is float4), compared bit for bit.
  const std::string after =
      fmt::format(fmt::runtime(kAfter), dialect == Dialect::kSqlite ? "REAL" : "float4");
  if (dialect == Dialect::kSqlite) {
    return fmt::format(
        "SELECT * FROM (SELECT a.id, a.title, a.source, COALESCE(a.published, ''), a.lang, "
        "COALESCE(a.story_sequence, 0), -bm25(article_text, 2.0, 1.0) AS score, "
        "{}, a.external_id, '', a.sequence AS seq "
        "FROM article_text JOIN articles a ON a.sequence = article_text.rowid "
        "WHERE article_text MATCH ?1 {}) {}",
        snippets
            ? fmt::format("snippet(article_text, -1, char(2), char(3), '…', {})", kSnippetWords)
            : std::string("''"),
        kFilters, after);
  }
  return fmt::format(
      "SELECT * FROM (SELECT a.id, a.title, a.source, COALESCE(a.published, ''), a.lang, "
      "COALESCE(a.story_sequence, 0), ts_rank(CAST('{{0.5, 0, 0, 1}}' AS float4[]), t.terms, "
      "q.q, 1) AS score, '', a.external_id, {}, a.sequence AS seq "
      "FROM article_terms t JOIN articles a ON a.sequence = t.article_sequence, "
      "(SELECT CAST(?1 AS tsquery) AS q) q WHERE t.terms @@ q.q {}) r {}",
      snippets ? "a.body" : "''", kFilters, after);
}

// How many articles a match finds, at most parameter 7 (which the filters leave free).
std::string count_sql(Dialect dialect) {
  if (dialect == Dialect::kSqlite) {
    return fmt::format(
        "SELECT count(*) FROM (SELECT 1 FROM article_text JOIN articles a "
        "ON a.sequence = article_text.rowid WHERE article_text MATCH ?1 {} LIMIT ?7)",
        kFilters);
  }
  return fmt::format(
      "SELECT count(*) FROM (SELECT 1 FROM article_terms t JOIN articles a "
      "ON a.sequence = t.article_sequence WHERE t.terms @@ CAST(?1 AS tsquery) {} LIMIT ?7) c",
      kFilters);
}

struct Match {
  std::string expression;       // FTS5 MATCH expression or tsquery
  std::set<std::string> terms;  // PostgreSQL: what its snippets mark
};

Match match_for(Dialect dialect, std::string_view text, SearchWords words) {
  Match match;
  if (dialect == Dialect::kSqlite) {
    match.expression = search_expression(text, words);
  } else {
    match.expression = search_internal::tsquery_of(text, words, &match.terms);
  }
  return match;
}

// Articles holding some of the words but not all: the second list.
Match some_not_all(Dialect dialect, const Match& any, const Match& all) {
  Match match = any;
  match.expression = dialect == Dialect::kSqlite
                         ? "(" + any.expression + ") NOT (" + all.expression + ")"
                         : "(" + any.expression + ") & !(" + all.expression + ")";
  return match;
}

// Where a page starts: in the list of articles holding all the words, or some, after the hit
// of `score` and `sequence` (or at the list's start). Written as text for the caller to hand
// back: the list's letter, the score's bits in hex (so that it compares equal to itself), the
// sequence.
struct Cursor {
  SearchWords list = SearchWords::kAll;
  bool after = false;
  double score = 0;
  int64_t sequence = 0;
};

std::string cursor_text(const Cursor& c) {
  const char list = c.list == SearchWords::kAll ? 'a' : 's';
  if (!c.after) return std::string(1, list);
  return fmt::format("{}{:016x}.{}", list, std::bit_cast<uint64_t>(c.score), c.sequence);
}

Result<Cursor> parse_cursor(std::string_view text) {
  Cursor c;
  if (text.empty()) return c;
  const auto refuse = [&] {
    return make_error(ErrorCode::kInvalidArgument,
                      fmt::format("cursor «{}» is not one a search gave: pass a page's "
                                  "next_cursor as it came",
                                  text));
  };
  if (text[0] != 'a' && text[0] != 's') return refuse();
  c.list = text[0] == 'a' ? SearchWords::kAll : SearchWords::kAny;
  if (text.size() == 1) return c;
  uint64_t bits = 0;
  if (text.size() < 19 || text[17] != '.') return refuse();
  const char* hex_end = text.data() + 17;
  if (auto [end, ec] = std::from_chars(text.data() + 1, hex_end, bits, 16);
      ec != std::errc() || end != hex_end) {
    return refuse();
  }
  const char* text_end = text.data() + text.size();
  if (auto [end, ec] = std::from_chars(hex_end + 1, text_end, c.sequence);
      ec != std::errc() || end != text_end || c.sequence < 1) {
    return refuse();
  }
  c.after = true;
  c.score = std::bit_cast<double>(bits);
  return c;
}

// A hit and where it stands, for the cursor of the page it ends.
struct Ranked {
  SearchHit hit;
  int64_t sequence = 0;
};

void bind_query(Statement& stmt, const Match& match, const SearchQuery& query, int64_t limit) {
  stmt.bind(1, match.expression)
      .bind(2, query.outlet)
      .bind(3, query.lang)
      .bind(4, query.since)
      .bind(5, query.until)
      .bind(6, query.story)
      .bind(7, limit)
      .bind(8, query.entity);
}

Result<int64_t> count_matches(Database& db, const Match& match, const SearchQuery& query) {
  Result<Statement> stmt = Statement::prepare(db, count_sql(db.dialect()));
  if (!stmt.ok()) return stmt.error();
  bind_query(*stmt, match, query, std::numeric_limits<int64_t>::max());
  if (stmt->step() != Step::kRow) return storage_error(db, "counting search hits");
  return stmt->integer(0);
}

// One match query's hits after `from`, best first, at most `limit`.
Result<std::vector<Ranked>> run_match(Database& db, search_internal::SearchAnalysis* analysis,
                                      const Match& match, const SearchQuery& query,
                                      const Cursor& from, int64_t limit) {
  Result<Statement> stmt = Statement::prepare(db, match_sql(db.dialect(), query.snippets));
  if (!stmt.ok()) return stmt.error();
  bind_query(*stmt, match, query, limit);
  stmt->bind(9, int64_t{from.after ? 1 : 0}).bind(10, from.score).bind(11, from.sequence);
  std::vector<Ranked> hits;
  Step rc;
  while ((rc = stmt->step()) == Step::kRow) {
    Ranked ranked;
    SearchHit& hit = ranked.hit;
    hit.article_id = stmt->text(0);
    hit.title = stmt->text(1);
    hit.outlet = stmt->text(2);
    hit.published = stmt->text(3);
    hit.lang = stmt->text(4);
    hit.story = stmt->integer(5);
    hit.score = stmt->real(6);
    hit.external_id = stmt->text(8);
    ranked.sequence = stmt->integer(10);
    if (!query.snippets) {
      // only which articles match
    } else if (analysis == nullptr) {
      unmark(stmt->text(7), hit);
    } else {
      // As FTS5's snippet(): the column with the better window, the title on a tie.
      SearchHit from_body;
      const size_t title_score =
          search_internal::cut_snippet(*analysis, hit.title, match.terms, kSnippetWords, hit);
      const std::string body = stmt->text(9);
      if (search_internal::cut_snippet(*analysis, body, match.terms, kSnippetWords, from_body) >
          title_score) {
        hit.snippet = std::move(from_body.snippet);
        hit.highlights = std::move(from_body.highlights);
      }
    }
    hits.push_back(std::move(ranked));
  }
  if (rc == Step::kError) return storage_error(db, "searching");
  return hits;
}

// Adds one list's hits from `from` to the page, up to its limit; false when the list goes on
// past it, and the page's next cursor is set to where.
Result<bool> fill_page(Database& db, search_internal::SearchAnalysis* analysis, const Match& match,
                       const SearchQuery& query, const Cursor& from, SearchPage& page) {
  const int64_t room = query.limit - static_cast<int64_t>(page.hits.size());
  Result<std::vector<Ranked>> ranked = run_match(db, analysis, match, query, from, room + 1);
  if (!ranked.ok()) return ranked.error();
  const bool ends = static_cast<int64_t>(ranked->size()) <= room;
  if (!ends) ranked->resize(static_cast<size_t>(room));
  for (Ranked& r : *ranked) {
    r.hit.all_words = from.list == SearchWords::kAll;
    page.hits.push_back(std::move(r.hit));
  }
  if (!ends) {
    page.next_cursor =
        cursor_text({from.list, true, page.hits.back().score, ranked->back().sequence});
  }
  return ends;
}

Error nothing_to_search(std::string_view text) {
  thread_local search_internal::SearchAnalysis analysis;
  if (!search_internal::parse_query(text, analysis).excluded.empty()) {
    return make_error(ErrorCode::kInvalidArgument,
                      fmt::format("«{}» only leaves words out: add one to look for", text));
  }
  return make_error(ErrorCode::kInvalidArgument,
                    fmt::format("«{}» has no word to search for (only stop words or "
                                "punctuation)",
                                text));
}

}  // namespace

Status Store::Impl::index_for_search(int64_t sequence, const std::string& title,
                                     const std::string& body) {
  static constexpr const char* kIndex =
      "INSERT INTO article_terms (article_sequence, terms) VALUES (?1, CAST(?2 AS tsvector))";
  Result<Statement*> stmt = statement(kIndex);
  if (!stmt.ok()) return stmt.error();
  (*stmt)->bind(1, sequence).bind(2, search_internal::tsvector_of(*search_analysis, title, body));
  if ((*stmt)->step() != Step::kDone) return db->error("indexing an article for search");
  return {};
}

Result<SearchPage> Store::search(const SearchQuery& query) {
  if (query.limit < 1) {
    return make_error(ErrorCode::kInvalidArgument,
                      fmt::format("a search's limit is {}: want at least 1", query.limit));
  }
  Database& db = *impl_->db;
  const Match all = match_for(impl_->dialect, query.text, SearchWords::kAll);
  if (all.expression.empty()) return nothing_to_search(query.text);
  Result<Cursor> from = parse_cursor(query.cursor);
  if (!from.ok()) return from.error();
  const Match any = match_for(impl_->dialect, query.text, SearchWords::kAny);
  std::optional<Match> some;
  if (any.expression != all.expression) some = some_not_all(impl_->dialect, any, all);

  SearchPage page;
  if (query.totals) {
    Result<int64_t> all_count = count_matches(db, all, query);
    if (!all_count.ok()) return all_count.error();
    page.total_all_words = page.total = *all_count;
    if (some) {
      Result<int64_t> some_count = count_matches(db, *some, query);
      if (!some_count.ok()) return some_count.error();
      page.total += *some_count;
    }
  }
  search_internal::SearchAnalysis* analysis = impl_->search_analysis.get();
  if (from->list == SearchWords::kAll) {
    Result<bool> ends = fill_page(db, analysis, all, query, *from, page);
    if (!ends.ok()) return ends.error();
    if (!*ends || !some || (query.totals && page.total == page.total_all_words)) return page;
    from = Cursor{.list = SearchWords::kAny};
    if (static_cast<int64_t>(page.hits.size()) == query.limit) {
      page.next_cursor = cursor_text(*from);
      return page;
    }
  }
  if (!some) return page;
  Result<bool> ends = fill_page(db, analysis, *some, query, *from, page);
  if (!ends.ok()) return ends.error();
  return page;
}

}  // namespace khabar
