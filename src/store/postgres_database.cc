// The store on PostgreSQL, through libpq: the shared store of several workers.
//
// Results are read whole (a PGresult) before the next statement runs, so the store's code may
// run another statement while it reads rows, as it does on SQLite; the store pages the few
// scans that could be large.
#include <fmt/format.h>
#include <libpq-fe.h>

#include <cctype>
#include <charconv>
#include <vector>

#include "store/internal/database.h"

namespace khabar::store_internal {
namespace {

// The store's SQL numbers parameters SQLite's way (?1); PostgreSQL writes them $1.
std::string postgres_sql(std::string_view sql, int& parameters) {
  std::string out;
  out.reserve(sql.size());
  char quote = 0;
  parameters = 0;
  for (size_t i = 0; i < sql.size(); ++i) {
    const char c = sql[i];
    if (quote != 0) {
      if (c == quote) quote = 0;
      out += c;
    } else if (c == '\'' || c == '"') {
      quote = c;
      out += c;
    } else if (c == '?' && i + 1 < sql.size() &&
               std::isdigit(static_cast<unsigned char>(sql[i + 1]))) {
      int number = 0;
      const auto [end, ec] = std::from_chars(sql.data() + i + 1, sql.data() + sql.size(), number);
      parameters = std::max(parameters, number);
      out += '$';
      out.append(sql.data() + i + 1, end);
      i = static_cast<size_t>(end - sql.data()) - 1;
    } else {
      out += c;
    }
  }
  return out;
}

std::string trimmed(const char* message) {
  std::string out = message != nullptr ? message : "";
  while (!out.empty() && (out.back() == '\n' || out.back() == ' '))
    out.pop_back();
  return out;
}

struct ResultDeleter {
  void operator()(PGresult* r) const { PQclear(r); }
};
using ResultPtr = std::unique_ptr<PGresult, ResultDeleter>;

class PostgresDatabase;

class PostgresStatement final : public StatementBackend {
 public:
  PostgresStatement(PostgresDatabase& db, std::string sql, int parameters, std::string name)
      : db_(db),
        sql_(std::move(sql)),
        name_(std::move(name)),
        values_(parameters),
        null_(parameters, true) {}

  void bind_text(int index, std::string_view value, bool /*copy*/) override {
    // Text parameters go as C strings, so even a large one is copied once here.
    slot(index).assign(value);
  }
  void bind_integer(int index, int64_t value) override { slot(index) = std::to_string(value); }
  void bind_real(int index, double value) override { slot(index) = fmt::format("{}", value); }
  // Parameters go as text: a bytea's is its hex form, \\x and two digits a byte.
  void bind_blob(int index, std::string_view bytes) override {
    static constexpr char kDigits[] = "0123456789abcdef";
    std::string& hex = slot(index);
    hex.clear();
    hex.reserve(2 + 2 * bytes.size());
    hex += "\\x";
    for (const char c : bytes) {
      const auto b = static_cast<unsigned char>(c);
      hex += kDigits[b >> 4];
      hex += kDigits[b & 15];
    }
  }
  void bind_null(int index) override {
    slot(index).clear();
    null_[static_cast<size_t>(index - 1)] = true;
  }
  Step step() override;
  void reset() override {
    result_.reset();
    row_ = -1;
    for (size_t i = 0; i < values_.size(); ++i) {
      values_[i].clear();
      null_[i] = true;
    }
  }
  std::string text(int column) const override {
    return std::string(PQgetvalue(result_.get(), row_, column),
                       static_cast<size_t>(PQgetlength(result_.get(), row_, column)));
  }
  int64_t integer(int column) const override {
    const char* value = PQgetvalue(result_.get(), row_, column);
    if (*value == 't') return 1;  // a boolean
    int64_t out = 0;
    std::from_chars(value, value + PQgetlength(result_.get(), row_, column), out);
    return out;
  }
  double real(int column) const override {
    const char* value = PQgetvalue(result_.get(), row_, column);
    double out = 0;
    std::from_chars(value, value + PQgetlength(result_.get(), row_, column), out);
    return out;
  }
  // Results come as text too: a bytea's is \\x and hex digits (bytea_output's default).
  std::string blob(int column) const override {
    const std::string_view hex(PQgetvalue(result_.get(), row_, column),
                               static_cast<size_t>(PQgetlength(result_.get(), row_, column)));
    if (!hex.starts_with("\\x")) return {};
    auto digit = [](char c) { return c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10; };
    std::string bytes;
    bytes.reserve(hex.size() / 2);
    for (size_t i = 2; i + 1 < hex.size(); i += 2)
      bytes += static_cast<char>(digit(hex[i]) << 4 | digit(hex[i + 1]));
    return bytes;
  }

 private:
  std::string& slot(int index) {
    const auto i = static_cast<size_t>(index - 1);
    if (i >= values_.size()) {
      values_.resize(i + 1);
      null_.resize(i + 1, true);
    }
    null_[i] = false;
    return values_[i];
  }

  PostgresDatabase& db_;
  std::string sql_;
  std::string name_;  // the server-side statement's, once prepared; empty: run unprepared
  bool prepared_ = false;
  std::vector<std::string> values_;
  std::vector<bool> null_;
  ResultPtr result_;
  int row_ = -1;
};

class PostgresDatabase final : public Database {
 public:
  explicit PostgresDatabase(PGconn* conn) : conn_(conn) {}
  ~PostgresDatabase() override { PQfinish(conn_); }
  PostgresDatabase(const PostgresDatabase&) = delete;
  PostgresDatabase& operator=(const PostgresDatabase&) = delete;

  PGconn* connection() { return conn_; }
  Dialect dialect() const override { return Dialect::kPostgres; }

  Result<Statement> prepare(std::string_view sql) override {
    int parameters = 0;
    std::string translated = postgres_sql(sql, parameters);
    return Statement(
        std::make_unique<PostgresStatement>(*this, std::move(translated), parameters, ""));
  }
  Result<Statement> prepare_kept(std::string_view sql) override {
    int parameters = 0;
    std::string translated = postgres_sql(sql, parameters);
    return Statement(std::make_unique<PostgresStatement>(*this, std::move(translated), parameters,
                                                         fmt::format("khabar_{}", ++kept_)));
  }

  Status execute(std::string_view sql, std::string_view doing) override {
    ResultPtr result(PQexec(conn_, std::string(sql).c_str()));
    if (!succeeded(result.get())) return error(doing);
    return {};
  }

  Status copy_in(std::string_view copy, std::string_view rows, std::string_view doing) override {
    ResultPtr started(PQexec(conn_, std::string(copy).c_str()));
    if (PQresultStatus(started.get()) != PGRES_COPY_IN) {
      if (succeeded(started.get())) last_error_ = "the server did not start the copy";
      return error(doing);
    }
    if (PQputCopyData(conn_, rows.data(), static_cast<int>(rows.size())) != 1 ||
        PQputCopyEnd(conn_, nullptr) != 1) {
      last_error_ = trimmed(PQerrorMessage(conn_));
      return error(doing);
    }
    ResultPtr finished(PQgetResult(conn_));
    const bool ok = succeeded(finished.get());
    while (PGresult* more = PQgetResult(conn_))  // a copy ends with a null result
      PQclear(more);
    if (!ok) return error(doing);
    return {};
  }

  Error error(std::string_view doing) const override {
    return make_error(
        ErrorCode::kStorage,
        fmt::format("PostgreSQL error while {}: {}", doing,
                    last_error_.empty() ? trimmed(PQerrorMessage(conn_)) : last_error_));
  }

  Status begin() override { return execute("BEGIN", "starting a batch"); }

  // Records the failure for error(); true when the command succeeded.
  bool succeeded(const PGresult* result) {
    const ExecStatusType status = PQresultStatus(result);
    if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK) {
      last_error_.clear();
      return true;
    }
    last_error_ =
        result != nullptr ? trimmed(PQresultErrorMessage(result)) : trimmed(PQerrorMessage(conn_));
    if (last_error_.empty()) last_error_ = PQresStatus(status);
    return false;
  }

 private:
  PGconn* conn_;
  int kept_ = 0;
  std::string last_error_;
};

Step PostgresStatement::step() {
  if (result_ == nullptr) {
    std::vector<const char*> values(values_.size());
    for (size_t i = 0; i < values_.size(); ++i)
      values[i] = null_[i] ? nullptr : values_[i].c_str();
    const int count = static_cast<int>(values.size());
    PGconn* conn = db_.connection();
    if (name_.empty()) {
      result_.reset(
          PQexecParams(conn, sql_.c_str(), count, nullptr, values.data(), nullptr, nullptr, 0));
    } else {
      if (!prepared_) {
        ResultPtr made(PQprepare(conn, name_.c_str(), sql_.c_str(), count, nullptr));
        if (!db_.succeeded(made.get())) return Step::kError;
        prepared_ = true;
      }
      result_.reset(PQexecPrepared(conn, name_.c_str(), count, values.data(), nullptr, nullptr, 0));
    }
    if (!db_.succeeded(result_.get())) {
      result_.reset();
      return Step::kError;
    }
  }
  if (row_ + 1 < PQntuples(result_.get())) {
    ++row_;
    return Step::kRow;
  }
  return Step::kDone;
}

void ignore_notice(void* /*context*/, const char* /*message*/) {}

}  // namespace

bool is_postgres_location(std::string_view location) {
  return location.starts_with("postgresql://") || location.starts_with("postgres://");
}

std::string redacted_location(const std::string& location) {
  if (!is_postgres_location(location)) return location;
  const size_t scheme_end = location.find("://") + 3;
  const size_t at = location.find('@', scheme_end);
  const size_t colon = location.find(':', scheme_end);
  std::string out = location;
  if (at != std::string::npos && colon != std::string::npos && colon < at) {
    out.replace(colon + 1, at - colon - 1, "***");
  }
  const size_t password = out.find("password=");
  if (password != std::string::npos) {
    const size_t end = out.find('&', password);
    out.replace(password + 9, (end == std::string::npos ? out.size() : end) - password - 9, "***");
  }
  return out;
}

Result<std::unique_ptr<Database>> open_postgres(const std::string& uri) {
  PGconn* conn = PQconnectdb(uri.c_str());
  auto db = std::make_unique<PostgresDatabase>(conn);  // PQfinish even when connecting failed
  const std::string shown = redacted_location(uri);
  if (conn == nullptr || PQstatus(conn) != CONNECTION_OK) {
    return make_error(
        ErrorCode::kStorage,
        fmt::format("{}: cannot connect to PostgreSQL: {}", shown,
                    conn != nullptr ? trimmed(PQerrorMessage(conn)) : "out of memory"));
  }
  PQsetNoticeProcessor(conn, ignore_notice, nullptr);
  if (PQsetClientEncoding(conn, "UTF8") != 0) {
    return make_error(ErrorCode::kStorage,
                      fmt::format("{}: the server does not speak UTF-8", shown));
  }
  // Snapshots and keys are read back as bytea's hex text (blob()), whatever the server's setting;
  // a search's scores as text that reads back to the same float4, for the cursor after one.
  if (Status s = db->execute("SET bytea_output = 'hex'; SET extra_float_digits = 3",
                             "setting bytea_output and extra_float_digits");
      !s.ok()) {
    return make_error(ErrorCode::kStorage, fmt::format("{}: {}", shown, s.error().message));
  }
  if (Status s = migrate_postgres(*db, shown); !s.ok()) return s.error();
  return std::unique_ptr<Database>(std::move(db));
}

}  // namespace khabar::store_internal
