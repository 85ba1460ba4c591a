// Store's private state, shared by the files that implement it (store.cc, duplicates.cc).
#pragma once

#include <string>

#include "khabar/store.h"
#include "store/internal/statement.h"

namespace khabar {

struct Store::Impl {
  sqlite3* db = nullptr;
  std::string path;
  store_internal::Statement insert_article;
  store_internal::Statement insert_removal;
  store_internal::Statement select_removals;

  ~Impl() {
    // Statements must be finalised before the connection closes.
    insert_article = store_internal::Statement();
    insert_removal = store_internal::Statement();
    select_removals = store_internal::Statement();
    sqlite3_close(db);
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
