// Store::search: the FTS5 query over article_text, joined to the articles it indexes.
#include <fmt/format.h>

#include <algorithm>

#include "internal/statement.h"
#include "khabar/store.h"
#include "store/internal/store_impl.h"

namespace khabar {
namespace {

using store_internal::sqlite_error;
using store_internal::Statement;

// snippet() marks matches with these bytes, which no stored text holds (ingest keeps no C0
// controls but tab and newline).
constexpr char kMatchBegin = '\x02';
constexpr char kMatchEnd = '\x03';

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

// One MATCH query's hits, best first, leaving out `exclude`'s articles.
Result<std::vector<SearchHit>> run_match(sqlite3* db, const std::string& expression,
                                         const SearchQuery& query, int64_t limit,
                                         const std::vector<SearchHit>& exclude) {
  // Title words weigh twice body words; FTS5's bm25() is lower for better matches. Asking for
  // `exclude`'s count more rows leaves enough once they are dropped.
  Result<Statement> stmt =
      Statement::prepare(db,
                         "SELECT a.id, a.title, a.source, COALESCE(a.published, ''), a.lang, "
                         "COALESCE(a.story_sequence, 0), bm25(article_text, 2.0, 1.0), "
                         "snippet(article_text, -1, char(2), char(3), '…', 24), a.external_id "
                         "FROM article_text JOIN articles a ON a.sequence = article_text.rowid "
                         "WHERE article_text MATCH ?1 "
                         "AND (?2 = '' OR a.source = ?2) AND (?3 = '' OR a.lang = ?3) "
                         "AND (?4 = '' OR substr(a.published, 1, 10) >= ?4) "
                         "AND (?5 = '' OR substr(a.published, 1, 10) <= ?5) "
                         "AND (?6 = 0 OR a.story_sequence = ?6) "
                         "AND (?8 = 0 OR EXISTS (SELECT 1 FROM entity_mentions m "
                         "  WHERE m.entity_sequence = ?8 AND m.article_sequence = a.sequence)) "
                         "ORDER BY bm25(article_text, 2.0, 1.0), a.sequence LIMIT ?7");
  if (!stmt.ok()) return stmt.error();
  stmt->bind(1, expression)
      .bind(2, query.outlet)
      .bind(3, query.lang)
      .bind(4, query.since)
      .bind(5, query.until)
      .bind(6, query.story)
      .bind(7, limit + static_cast<int64_t>(exclude.size()))
      .bind(8, query.entity);
  std::vector<SearchHit> hits;
  int rc;
  while ((rc = stmt->step()) == SQLITE_ROW && static_cast<int64_t>(hits.size()) < limit) {
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
    hit.score = -stmt->real(6);
    unmark(stmt->text(7), hit);
    hit.external_id = stmt->text(8);
    hits.push_back(std::move(hit));
  }
  if (rc != SQLITE_DONE && rc != SQLITE_ROW) return sqlite_error(db, "searching");
  return hits;
}

}  // namespace

Result<std::vector<SearchHit>> Store::search(const SearchQuery& query) {
  const std::string all = search_expression(query.text, SearchWords::kAll);
  if (all.empty()) {
    return make_error(ErrorCode::kInvalidArgument,
                      fmt::format("«{}» has no word to search for (only stop words or "
                                  "punctuation)",
                                  query.text));
  }
  Result<std::vector<SearchHit>> hits = run_match(impl_->db, all, query, query.limit, {});
  if (!hits.ok()) return hits;
  const std::string any = search_expression(query.text, SearchWords::kAny);
  const auto missing = query.limit - static_cast<int64_t>(hits->size());
  if (missing <= 0 || any == all) return hits;
  Result<std::vector<SearchHit>> some = run_match(impl_->db, any, query, missing, *hits);
  if (!some.ok()) return some;
  for (SearchHit& hit : *some) {
    hit.all_words = false;
    hits->push_back(std::move(hit));
  }
  return hits;
}

}  // namespace khabar
