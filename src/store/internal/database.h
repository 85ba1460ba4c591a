// The store's SQL, written once, runs on SQLite (a file, the default) or PostgreSQL (a server
// shared by several workers). This is the seam: a connection that prepares statements, and
// statements that bind, step and read columns the same way on both.
//
// SQL is written with numbered parameters (?1, ?2, ...) in the subset both engines share:
// INSERT ... ON CONFLICT, RETURNING, CAST, COALESCE, substr. The few places that differ (the
// schema and its migrations, full-text search, a byte length) ask dialect().
#pragma once

#include <fmt/format.h>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "khabar/result.h"

namespace khabar::store_internal {

enum class Dialect { kSqlite, kPostgres };

enum class Step { kRow, kDone, kError };

// What a statement does on its engine; Statement is the handle the store's code holds.
class StatementBackend {
 public:
  virtual ~StatementBackend() = default;
  // `copy` false: the value outlives the next step(), so the engine may read it in place.
  virtual void bind_text(int index, std::string_view value, bool copy) = 0;
  virtual void bind_integer(int index, int64_t value) = 0;
  virtual void bind_real(int index, double value) = 0;
  virtual void bind_null(int index) = 0;
  // Read in place: `bytes` must outlive the statement's next step().
  virtual void bind_blob(int index, std::string_view bytes) = 0;
  virtual Step step() = 0;
  virtual void reset() = 0;  // back to before the first step, bindings cleared
  virtual std::string text(int column) const = 0;  // "" for NULL
  virtual int64_t integer(int column) const = 0;
  virtual double real(int column) const = 0;
  virtual std::string blob(int column) const = 0;  // "" for NULL
};

class Database;

class Statement {
 public:
  Statement() = default;
  explicit Statement(std::unique_ptr<StatementBackend> backend) : backend_(std::move(backend)) {}

  static Result<Statement> prepare(Database& db, std::string_view sql);

  Statement& bind(int index, std::string_view value) {
    backend_->bind_text(index, value, true);
    return *this;
  }
  // For large values that outlive the next step(): SQLite reads them in place.
  Statement& bind_unowned(int index, std::string_view value) {
    backend_->bind_text(index, value, false);
    return *this;
  }
  Statement& bind(int index, int64_t value) {
    backend_->bind_integer(index, value);
    return *this;
  }
  Statement& bind(int index, double value) {
    backend_->bind_real(index, value);
    return *this;
  }
  Statement& bind_blob(int index, std::string_view bytes) {
    backend_->bind_blob(index, bytes);
    return *this;
  }
  Statement& bind_null(int index) {
    backend_->bind_null(index);
    return *this;
  }
  Step step() { return backend_->step(); }
  void reset() { backend_->reset(); }

  std::string text(int column) const { return backend_->text(column); }
  int64_t integer(int column) const { return backend_->integer(column); }
  double real(int column) const { return backend_->real(column); }
  std::string blob(int column) const { return backend_->blob(column); }

 private:
  std::unique_ptr<StatementBackend> backend_;
};

// One connection. Use it from one thread.
class Database {
 public:
  virtual ~Database() = default;
  virtual Dialect dialect() const = 0;
  // A statement run once.
  virtual Result<Statement> prepare(std::string_view sql) = 0;
  // A statement kept and run many times (PostgreSQL plans it once on the server).
  virtual Result<Statement> prepare_kept(std::string_view sql) = 0;
  // Runs SQL with no results (several statements allowed).
  virtual Status execute(std::string_view sql, std::string_view doing) = 0;
  // Appends rows in bulk: `copy` is "COPY table (columns) FROM STDIN", `rows` its text format,
  // a line a row, tab between fields (append_copy_field). PostgreSQL only: it neither parses nor
  // plans a statement, nor runs one per row; SQLite has no such path.
  virtual Status copy_in(std::string_view copy, std::string_view rows, std::string_view doing) {
    (void)copy;
    (void)rows;
    return make_error(ErrorCode::kStorage, fmt::format("{}: bulk copy is PostgreSQL's", doing));
  }
  // The last failure on this connection, as an error naming what was being done.
  virtual Error error(std::string_view doing) const = 0;
  // A batch: SQLite takes the write lock at once, so that two writers never deadlock midway.
  virtual Status begin() = 0;
  Status commit() { return execute("COMMIT", "committing a batch"); }
  Status rollback() { return execute("ROLLBACK", "rolling back a batch"); }
};

inline Result<Statement> Statement::prepare(Database& db, std::string_view sql) {
  return db.prepare(sql);
}

inline Error storage_error(const Database& db, std::string_view doing) {
  return db.error(doing);
}

// A text value as a field of COPY's text format.
inline void append_copy_field(std::string& out, std::string_view value) {
  for (const char c : value) {
    switch (c) {
      case '\\':
        out += "\\\\";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      default:
        out += c;
    }
  }
}

// "postgresql://..." or "postgres://...": a PostgreSQL connection URI; anything else is a path.
bool is_postgres_location(std::string_view location);

// Each opens the connection and brings the schema to kSchemaVersion (khabar/store.h).
Result<std::unique_ptr<Database>> open_sqlite(const std::string& path);
Result<std::unique_ptr<Database>> open_postgres(const std::string& uri);

// One step of a schema's history. Append only: a released migration never changes, a new one
// gets the next version, on both engines.
struct Migration {
  int version;
  const char* description;
  const char* sql;
};

// A database from a newer khabar is refused, never modified.
Status refuse_newer_schema(int found, const std::string& location);

// Bring a new connection's schema to kSchemaVersion, one transaction per migration; a schema
// newer than this khabar is refused, never modified.
Status migrate_sqlite(Database& db, const std::string& path);
Status migrate_postgres(Database& db, const std::string& location);

// The URI without its password, for messages.
std::string redacted_location(const std::string& location);

}  // namespace khabar::store_internal
