// Store's private state, shared by the files that implement it (store.cc, duplicates.cc,
// stories.cc).
#pragma once

#include <string>
#include <unordered_map>

#include "khabar/store.h"
#include "store/internal/statement.h"

namespace khabar {
namespace store_internal {

// The columns of an ArticleSummary, from `articles a`, in the order read_summary takes them.
inline constexpr const char* kSummaryColumns =
    "a.id, a.title, a.source, COALESCE(a.published, ''), a.lang, length(CAST(a.body AS BLOB)), "
    "a.sequence";

inline ArticleSummary read_summary(const Statement& s, int first) {
  return {s.text(first),     s.text(first + 1),    s.text(first + 2),   s.text(first + 3),
          s.text(first + 4), s.integer(first + 5), s.integer(first + 6)};
}

}  // namespace store_internal

struct Store::Impl {
  sqlite3* db = nullptr;
  std::string path;
  store_internal::Statement insert_article;
  store_internal::Statement insert_removal;
  store_internal::Statement select_removals;
  // Statements run once an article, prepared on first use and kept: preparing one costs as much
  // as running it. Keyed by the SQL text's address, so the SQL must be a constant.
  std::unordered_map<const char*, store_internal::Statement> prepared;

  ~Impl() {
    // Statements must be finalised before the connection closes.
    insert_article = store_internal::Statement();
    insert_removal = store_internal::Statement();
    select_removals = store_internal::Statement();
    prepared.clear();
    sqlite3_close(db);
  }

  // The statement for `sql`, reset and ready to bind; an error if it does not prepare.
  Result<store_internal::Statement*> statement(const char* sql) {
    auto it = prepared.find(sql);
    if (it == prepared.end()) {
      Result<store_internal::Statement> made = store_internal::Statement::prepare(db, sql);
      if (!made.ok()) return made.error();
      it = prepared.emplace(sql, std::move(made).value()).first;
    }
    it->second.reset();
    return &it->second;
  }

  Status load_removals(StoredArticle& article) {
    using store_internal::sqlite_error;
    select_removals.reset();
    select_removals.bind(1, article.sequence);
    int rc;
    while ((rc = select_removals.step()) == SQLITE_ROW) {
      Removal r;
      r.begin = static_cast<size_t>(select_removals.integer(0));
      r.end = static_cast<size_t>(select_removals.integer(1));
      r.kind = select_removals.text(2) == "metadata" ? Removal::Kind::kMovedToMetadata
                                                     : Removal::Kind::kRemoved;
      r.rule = select_removals.text(3);
      r.reason = select_removals.text(4);
      article.removals.push_back(std::move(r));
    }
    if (rc != SQLITE_DONE) return sqlite_error(db, "reading removals");
    return {};
  }
};

}  // namespace khabar
