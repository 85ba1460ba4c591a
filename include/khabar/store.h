// khabar/store.h — articles in one SQLite file.
//
// The store holds each article as displayed (title, byline, subheads, body), its matching form
// (normalised body), the raw text it was cleaned from, and the audit of every removal, so
// nothing read is lost and every cleaning decision can be checked later.
//
//   khabar::Result<khabar::Store> store = khabar::Store::open("khabar.db");
//   if (!store.ok()) { std::cerr << store.error().message; return 2; }
//   store->begin();
//   khabar::Result<bool> inserted = store->insert(article);  // false: the id was there already
//   store->commit();
//
// Durability: WAL journal with synchronous=NORMAL. A committed batch survives the process being
// killed at any moment; the next open recovers the WAL and goes on. Callers report an article
// as stored only after the commit that holds it.
//
// Schema: versioned with PRAGMA user_version and migrated forward on open, each migration in its
// own transaction. A database from a newer khabar is refused, never modified.
// A Store is one connection: use it from one thread; open another for concurrent readers.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "khabar/clean.h"
#include "khabar/result.h"

namespace khabar {

struct StoredArticle {
  std::string id;  // khabar/fingerprint.h
  std::string title;
  std::string source;
  std::string url;
  std::string published;  // ISO 8601 or empty
  std::string lang = "und";
  double lang_confidence = 0.0;
  Byline byline;
  std::vector<std::string> subheads;
  std::string body;      // normalize(body) is the matching form; the id hashes it
  std::string raw_text;  // what cleaning started from; removal spans point into it
  std::vector<Removal> removals;
  std::string origin;  // "path" or "path:line"
  std::string format;
  std::string encoding;
  std::string external_id;
  std::string metadata_json;  // other source fields, a JSON object or empty
  std::string ingested_at;    // UTC, ISO 8601
  int64_t sequence = 0;       // ingest order, set by the store
};

struct ArticleSummary {
  std::string id;
  std::string title;
  std::string source;
  std::string published;
  std::string lang;
  int64_t body_bytes = 0;
  int64_t sequence = 0;
};

inline constexpr int kSchemaVersion = 3;

class Store {
 public:
  static Result<Store> open(const std::string& path);
  ~Store();
  Store(Store&&) noexcept;
  Store& operator=(Store&&) noexcept;

  // Batch transactions: inserts between begin() and commit() land together or not at all.
  Status begin();
  Status commit();
  Status rollback();

  // Inserts the article unless one with the same id is stored; true when it was inserted.
  Result<bool> insert(const StoredArticle& article);
  // By full id, or by a unique prefix of at least 4 hex digits.
  Result<std::optional<StoredArticle>> get(const std::string& id_or_prefix);
  // In ingest order.
  Result<std::vector<ArticleSummary>> list(int64_t limit, int64_t offset = 0);
  Status for_each(const std::function<void(const StoredArticle&)>& visit);
  Result<int64_t> count_articles();

  int schema_version() const;
  const std::string& path() const;

 private:
  struct Impl;
  explicit Store(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace khabar
