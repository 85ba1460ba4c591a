// Store's private state, shared by the files that implement it (store.cc, duplicates.cc,
// stories.cc, entities.cc, search.cc).
#pragma once

#include <functional>
#include <initializer_list>
#include <memory>
#include <string>
#include <unordered_map>

#include "khabar/store.h"
#include "search/analysis.h"
#include "store/internal/database.h"

namespace khabar {
namespace store_internal {

// The columns of an ArticleSummary, from `articles a`, in the order read_summary takes them.
inline const char* summary_columns(Dialect dialect) {
  return dialect == Dialect::kPostgres
             ? "a.id, a.title, a.source, COALESCE(a.published, ''), a.lang, octet_length(a.body), "
               "a.sequence"
             : "a.id, a.title, a.source, COALESCE(a.published, ''), a.lang, "
               "length(CAST(a.body AS BLOB)), a.sequence";
}

inline ArticleSummary read_summary(const Statement& s, int first) {
  return {s.text(first),     s.text(first + 1),    s.text(first + 2),   s.text(first + 3),
          s.text(first + 4), s.integer(first + 5), s.integer(first + 6)};
}

// Scans that could cover the whole store read it in pages of this many rows, so that a
// PostgreSQL result never holds the store in memory.
inline constexpr int64_t kScanPage = 1000;

// Rows per multi-row INSERT: each statement is a round trip to a PostgreSQL server, and an
// article has dozens of entity mentions; SQLite allows 32,766 parameters a statement.
inline constexpr size_t kRowsPerInsert = 100;

// "<head> VALUES (?1, ..., ?c), (?c+1, ...), ..." for `rows` rows of `columns` parameters.
inline std::string multi_row_insert(std::string_view head, int columns, size_t rows,
                                    std::string_view tail = "") {
  std::string sql(head);
  sql += " VALUES ";
  int parameter = 0;
  for (size_t row = 0; row < rows; ++row) {
    sql += row == 0 ? "(" : ", (";
    for (int column = 0; column < columns; ++column) {
      if (column > 0) sql += ", ";
      sql += "?" + std::to_string(++parameter);
    }
    sql += ")";
  }
  sql += tail;
  return sql;
}

// "VALUES (CAST(?1 AS t1), ...), (...), ..." for `rows` rows of parameters of these types: the
// rows of a VALUES list in a WITH clause, which PostgreSQL cannot type from their use.
inline std::string typed_values(std::initializer_list<std::string_view> types, size_t rows) {
  std::string sql = "VALUES ";
  int parameter = 0;
  for (size_t row = 0; row < rows; ++row) {
    sql += row == 0 ? "(" : ", (";
    bool first = true;
    for (const std::string_view type : types) {
      if (!first) sql += ", ";
      first = false;
      sql += "CAST(?" + std::to_string(++parameter) + " AS " + std::string(type) + ")";
    }
    sql += ")";
  }
  return sql;
}

// Visits every row of `sql` after `after`, a query whose first column is a sequence it is
// ordered by, in pages: `sql` takes the last sequence seen as ?1 and the page size as ?2.
inline Status scan_in_pages(Database& db, int64_t after, const std::string& sql,
                            std::string_view doing,
                            const std::function<void(const Statement&)>& visit) {
  for (int64_t rows = kScanPage; rows == kScanPage;) {
    Result<Statement> stmt = db.prepare(sql);
    if (!stmt.ok()) return stmt.error();
    stmt->bind(1, after).bind(2, kScanPage);
    Step step;
    for (rows = 0; (step = stmt->step()) == Step::kRow; ++rows) {
      after = stmt->integer(0);
      visit(*stmt);
    }
    if (step != Step::kDone) return db.error(doing);
  }
  return {};
}

}  // namespace store_internal

struct Store::Impl {
  // First, so that it closes after every statement below is gone.
  std::unique_ptr<store_internal::Database> db;
  store_internal::Dialect dialect = store_internal::Dialect::kSqlite;
  std::string path;  // as given, without a password
  store_internal::Statement insert_article;
  store_internal::Statement select_removals;
  // Statements run once an article, prepared on first use and kept: preparing one costs as much
  // as running it. Keyed by the SQL text's address, so the SQL must be a constant.
  std::unordered_map<const char*, store_internal::Statement> prepared;
  // PostgreSQL only: the analyzer that computes each article's search terms.
  std::unique_ptr<search_internal::SearchAnalysis> search_analysis;

  ~Impl() {
    // Statements must be finalised before the connection closes.
    insert_article = store_internal::Statement();
    select_removals = store_internal::Statement();
    prepared.clear();
  }

  // PostgreSQL's search terms of a new article (SQLite's FTS5 triggers index it themselves).
  Status index_for_search(int64_t sequence, const std::string& title, const std::string& body);

  const char* summary_columns() const { return store_internal::summary_columns(dialect); }

  // The statement for `sql`, reset and ready to bind; an error if it does not prepare.
  Result<store_internal::Statement*> statement(const char* sql) {
    auto it = prepared.find(sql);
    if (it == prepared.end()) {
      Result<store_internal::Statement> made = db->prepare_kept(sql);
      if (!made.ok()) return made.error();
      it = prepared.emplace(sql, std::move(made).value()).first;
    }
    it->second.reset();
    return &it->second;
  }

  Status load_removals(StoredArticle& article) {
    select_removals.reset();
    select_removals.bind(1, article.sequence);
    store_internal::Step step;
    while ((step = select_removals.step()) == store_internal::Step::kRow) {
      Removal r;
      r.begin = static_cast<size_t>(select_removals.integer(0));
      r.end = static_cast<size_t>(select_removals.integer(1));
      r.kind = select_removals.text(2) == "metadata" ? Removal::Kind::kMovedToMetadata
                                                     : Removal::Kind::kRemoved;
      r.rule = select_removals.text(3);
      r.reason = select_removals.text(4);
      article.removals.push_back(std::move(r));
    }
    if (step != store_internal::Step::kDone) return db->error("reading removals");
    return {};
  }
};

}  // namespace khabar
