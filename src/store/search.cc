// Store::search: on SQLite the FTS5 query over article_text; on PostgreSQL the same analysis as
// a tsquery over article_terms. Both join the articles they index and apply the same filters.
#include <fmt/format.h>

#include <algorithm>
#include <set>

#include "khabar/store.h"
#include "search/postgres.h"
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
// matches; ts_rank (with length normalisation) is higher.
std::string match_sql(Dialect dialect, bool snippets) {
  if (dialect == Dialect::kSqlite) {
    return fmt::format(
        "SELECT a.id, a.title, a.source, COALESCE(a.published, ''), a.lang, "
        "COALESCE(a.story_sequence, 0), -bm25(article_text, 2.0, 1.0), "
        "{}, a.external_id, '' "
        "FROM article_text JOIN articles a ON a.sequence = article_text.rowid "
        "WHERE article_text MATCH ?1 {} "
        "ORDER BY bm25(article_text, 2.0, 1.0), a.sequence LIMIT ?7",
        snippets
            ? fmt::format("snippet(article_text, -1, char(2), char(3), '…', {})", kSnippetWords)
            : std::string("''"),
        kFilters);
  }
  return fmt::format(
      "SELECT a.id, a.title, a.source, COALESCE(a.published, ''), a.lang, "
      "COALESCE(a.story_sequence, 0), ts_rank(CAST('{{0.5, 0, 0, 1}}' AS float4[]), t.terms, q.q, "
      "1) "
      "AS rank, '', a.external_id, {} "
      "FROM article_terms t JOIN articles a ON a.sequence = t.article_sequence, "
      "(SELECT CAST(?1 AS tsquery) AS q) q WHERE t.terms @@ q.q {} "
      "ORDER BY rank DESC, a.sequence LIMIT ?7",
      snippets ? "a.body" : "''", kFilters);
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

// One match query's hits, best first, leaving out `exclude`'s articles.
Result<std::vector<SearchHit>> run_match(Database& db, search_internal::SearchAnalysis* analysis,
                                         const Match& match, const SearchQuery& query,
                                         int64_t limit, const std::vector<SearchHit>& exclude) {
  // Asking for `exclude`'s count more rows leaves enough once they are dropped.
  Result<Statement> stmt = Statement::prepare(db, match_sql(db.dialect(), query.snippets));
  if (!stmt.ok()) return stmt.error();
  stmt->bind(1, match.expression)
      .bind(2, query.outlet)
      .bind(3, query.lang)
      .bind(4, query.since)
      .bind(5, query.until)
      .bind(6, query.story)
      .bind(7, limit + static_cast<int64_t>(exclude.size()))
      .bind(8, query.entity);
  std::vector<SearchHit> hits;
  Step rc;
  while ((rc = stmt->step()) == Step::kRow && static_cast<int64_t>(hits.size()) < limit) {
    SearchHit hit;
    hit.article_id = stmt->text(0);
    if (std::any_of(exclude.begin(), exclude.end(),
                    [&](const SearchHit& h) { return h.article_id == hit.article_id; })) {
      continue;
    }
    hit.title = stmt->text(1);
    hit.outlet = stmt->text(2);
    hit.published = stmt->text(3);
    hit.lang = stmt->text(4);
    hit.story = stmt->integer(5);
    hit.score = stmt->real(6);
    hit.external_id = stmt->text(8);
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
    hits.push_back(std::move(hit));
  }
  if (rc == Step::kError) return storage_error(db, "searching");
  return hits;
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

Result<std::vector<SearchHit>> Store::search(const SearchQuery& query) {
  const Match all = match_for(impl_->dialect, query.text, SearchWords::kAll);
  if (all.expression.empty()) {
    return make_error(ErrorCode::kInvalidArgument,
                      fmt::format("«{}» has no word to search for (only stop words or "
                                  "punctuation)",
                                  query.text));
  }
  search_internal::SearchAnalysis* analysis = impl_->search_analysis.get();
  Result<std::vector<SearchHit>> hits =
      run_match(*impl_->db, analysis, all, query, query.limit, {});
  if (!hits.ok()) return hits;
  const Match any = match_for(impl_->dialect, query.text, SearchWords::kAny);
  const auto missing = query.limit - static_cast<int64_t>(hits->size());
  if (missing <= 0 || any.expression == all.expression) return hits;
  Result<std::vector<SearchHit>> some = run_match(*impl_->db, analysis, any, query, missing, *hits);
  if (!some.ok()) return some;
  for (SearchHit& hit : *some) {
    hit.all_words = false;
    hits->push_back(std::move(hit));
  }
  return hits;
}

}  // namespace khabar
