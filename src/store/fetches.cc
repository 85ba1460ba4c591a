// Store's record of live intake: what khabar watch and khabar ingest URL fetched.
#include "khabar/store.h"
#include "store/internal/database.h"
#include "store/internal/store_impl.h"

namespace khabar {

using store_internal::Statement;
using store_internal::Step;
using store_internal::storage_error;

namespace {

constexpr const char* kColumns =
    "SELECT url, kind, etag, last_modified, status, fetched_at, done, failures, next_at, note "
    "FROM fetches ";

FetchRecord record_at(const Statement& stmt) {
  FetchRecord r;
  r.url = stmt.text(0);
  r.kind = stmt.text(1);
  r.etag = stmt.text(2);
  r.last_modified = stmt.text(3);
  r.status = stmt.integer(4);
  r.fetched_at = stmt.text(5);
  r.done = stmt.integer(6) != 0;
  r.failures = stmt.integer(7);
  r.next_at = stmt.integer(8);
  r.note = stmt.text(9);
  return r;
}

}  // namespace

Result<std::optional<FetchRecord>> Store::fetch_record(const std::string& url) {
  Result<Statement> stmt = Statement::prepare(*impl_->db, std::string(kColumns) + "WHERE url = ?1");
  if (!stmt.ok()) return stmt.error();
  stmt->bind(1, url);
  const Step step = stmt->step();
  if (step == Step::kError) return storage_error(*impl_->db, "reading what was fetched");
  if (step != Step::kRow) return std::optional<FetchRecord>();
  return std::optional<FetchRecord>(record_at(*stmt));
}

Result<std::vector<FetchRecord>> Store::unfinished_pages() {
  Result<Statement> stmt = Statement::prepare(
      *impl_->db, std::string(kColumns) + "WHERE kind = 'page' AND done = 0 ORDER BY next_at, url");
  if (!stmt.ok()) return stmt.error();
  std::vector<FetchRecord> out;
  Step rc;
  while ((rc = stmt->step()) == Step::kRow)
    out.push_back(record_at(*stmt));
  if (rc != Step::kDone) return storage_error(*impl_->db, "reading the pages to fetch again");
  return out;
}

Status Store::record_fetch(const FetchRecord& r) {
  Result<Statement> stmt = Statement::prepare(
      *impl_->db,
      "INSERT INTO fetches (url, kind, etag, last_modified, status, fetched_at, done, failures, "
      "next_at, note) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10) ON CONFLICT (url) DO "
      "UPDATE SET kind = excluded.kind, etag = excluded.etag, "
      "last_modified = excluded.last_modified, status = excluded.status, "
      "fetched_at = excluded.fetched_at, done = excluded.done, failures = excluded.failures, "
      "next_at = excluded.next_at, note = excluded.note");
  if (!stmt.ok()) return stmt.error();
  stmt->bind(1, r.url).bind(2, r.kind).bind(3, r.etag).bind(4, r.last_modified);
  stmt->bind(5, r.status).bind(6, r.fetched_at).bind(7, int64_t{r.done ? 1 : 0});
  stmt->bind(8, r.failures).bind(9, r.next_at).bind(10, r.note);
  if (stmt->step() != Step::kDone) return storage_error(*impl_->db, "recording a fetch");
  return {};
}

}  // namespace khabar
