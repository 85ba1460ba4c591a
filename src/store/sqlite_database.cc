// The store on SQLite: one file, WAL journal, the search tokenizer registered per connection.
#include <fmt/format.h>
#include <sqlite3.h>

#include <chrono>
#include <thread>

#include "search/tokenizer.h"
#include "store/internal/database.h"

namespace khabar::store_internal {
namespace {

class SqliteStatement final : public StatementBackend {
 public:
  explicit SqliteStatement(sqlite3_stmt* stmt) : stmt_(stmt) {}
  ~SqliteStatement() override { sqlite3_finalize(stmt_); }
  SqliteStatement(const SqliteStatement&) = delete;
  SqliteStatement& operator=(const SqliteStatement&) = delete;

  void bind_text(int index, std::string_view value, bool copy) override {
    sqlite3_bind_text(stmt_, index, value.data(), static_cast<int>(value.size()),
                      copy ? SQLITE_TRANSIENT : SQLITE_STATIC);
  }
  void bind_integer(int index, int64_t value) override { sqlite3_bind_int64(stmt_, index, value); }
  void bind_real(int index, double value) override { sqlite3_bind_double(stmt_, index, value); }
  void bind_null(int index) override { sqlite3_bind_null(stmt_, index); }
  void bind_blob(int index, std::string_view bytes) override {
    sqlite3_bind_blob64(stmt_, index, bytes.data(), bytes.size(), SQLITE_STATIC);
  }
  Step step() override {
    const int rc = sqlite3_step(stmt_);
    if (rc == SQLITE_ROW) return Step::kRow;
    return rc == SQLITE_DONE ? Step::kDone : Step::kError;
  }
  void reset() override {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
  }
  std::string text(int column) const override {
    const auto* p = sqlite3_column_text(stmt_, column);
    return p == nullptr ? std::string()
                        : std::string(reinterpret_cast<const char*>(p),
                                      static_cast<size_t>(sqlite3_column_bytes(stmt_, column)));
  }
  int64_t integer(int column) const override { return sqlite3_column_int64(stmt_, column); }
  double real(int column) const override { return sqlite3_column_double(stmt_, column); }
  std::string blob(int column) const override {
    const void* p = sqlite3_column_blob(stmt_, column);
    return p == nullptr ? std::string()
                        : std::string(static_cast<const char*>(p),
                                      static_cast<size_t>(sqlite3_column_bytes(stmt_, column)));
  }

 private:
  sqlite3_stmt* stmt_;
};

class SqliteDatabase final : public Database {
 public:
  explicit SqliteDatabase(sqlite3* db) : db_(db) {}
  // _v2: the connection closes once the last statement is finalised, whatever the order.
  ~SqliteDatabase() override { sqlite3_close_v2(db_); }
  SqliteDatabase(const SqliteDatabase&) = delete;
  SqliteDatabase& operator=(const SqliteDatabase&) = delete;

  sqlite3* handle() { return db_; }
  Dialect dialect() const override { return Dialect::kSqlite; }

  Result<Statement> prepare(std::string_view sql) override {
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v2(db_, sql.data(), static_cast<int>(sql.size()), &stmt, nullptr) !=
        SQLITE_OK) {
      return error(fmt::format("preparing «{}»", sql.substr(0, 60)));
    }
    return Statement(std::make_unique<SqliteStatement>(stmt));
  }
  Result<Statement> prepare_kept(std::string_view sql) override { return prepare(sql); }

  Status execute(std::string_view sql, std::string_view doing) override {
    char* message = nullptr;
    if (sqlite3_exec(db_, std::string(sql).c_str(), nullptr, nullptr, &message) != SQLITE_OK) {
      Error failed =
          make_error(ErrorCode::kStorage, fmt::format("SQLite error while {}: {}", doing,
                                                      message != nullptr ? message : "unknown"));
      sqlite3_free(message);
      return failed;
    }
    return {};
  }

  Error error(std::string_view doing) const override {
    return make_error(ErrorCode::kStorage,
                      fmt::format("SQLite error while {}: {}", doing, sqlite3_errmsg(db_)));
  }

  Status begin() override { return execute("BEGIN IMMEDIATE", "starting a batch"); }

 private:
  sqlite3* db_;
};

}  // namespace

Result<std::unique_ptr<Database>> open_sqlite(const std::string& path) {
  sqlite3* raw = nullptr;
  const int rc =
      sqlite3_open_v2(path.c_str(), &raw, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr);
  auto db = std::make_unique<SqliteDatabase>(raw);  // owns the handle even when opening failed
  if (rc != SQLITE_OK) {
    return make_error(ErrorCode::kStorage,
                      fmt::format("{}: cannot open database: {}", path,
                                  raw != nullptr ? sqlite3_errmsg(raw) : "out of memory"));
  }
  sqlite3_busy_timeout(raw, 5000);
  // Two processes turning a new file to WAL at once: SQLite can answer "database is locked" at
  // once, without waiting in the busy handler (seen with four concurrent opens on a fresh
  // machine), so the switch is tried again for up to the busy timeout.
  Status pragmas;
  const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  for (;;) {
    pragmas = db->execute("PRAGMA journal_mode = WAL;", fmt::format("opening {}", path));
    if (pragmas.ok() || sqlite3_errcode(raw) != SQLITE_BUSY ||
        std::chrono::steady_clock::now() >= give_up)
      break;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  if (pragmas.ok()) {
    pragmas = db->execute(
        "PRAGMA synchronous = NORMAL; PRAGMA cache_size = -65536; PRAGMA foreign_keys = ON;",
        fmt::format("opening {}", path));
  }
  if (!pragmas.ok()) {
    return make_error(ErrorCode::kStorage,
                      fmt::format("{}: not a khabar database or not writable ({})", path,
                                  pragmas.error().message));
  }
  // The search index's tokenizer must exist before the index is created or an article stored.
  if (Status s = search_internal::register_tokenizer(raw); !s.ok()) {
    return make_error(ErrorCode::kStorage, fmt::format("{}: {}", path, s.error().message));
  }
  if (Status s = migrate_sqlite(*db, path); !s.ok()) return s.error();
  return std::unique_ptr<Database>(std::move(db));
}

}  // namespace khabar::store_internal
