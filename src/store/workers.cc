// Store's worker reports: what `khabar status` shows of each worker.
#include <fmt/format.h>

#include "khabar/store.h"
#include "store/internal/database.h"
#include "store/internal/store_impl.h"

namespace khabar {

using store_internal::Database;
using store_internal::Statement;
using store_internal::Step;
using store_internal::storage_error;

Status Store::report_worker(const WorkerReport& r) {
  Result<Statement> stmt = Statement::prepare(
      *impl_->db,
      "INSERT INTO workers (name, started_at, seen_at, articles, batches, rate) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (name) DO UPDATE SET "
      "started_at = excluded.started_at, seen_at = excluded.seen_at, "
      "articles = excluded.articles, batches = excluded.batches, rate = excluded.rate");
  if (!stmt.ok()) return stmt.error();
  stmt->bind(1, r.name).bind(2, r.started_at).bind(3, r.seen_at).bind(4, r.articles);
  stmt->bind(5, r.batches).bind(6, r.rate);
  if (stmt->step() != Step::kDone)
    return storage_error(*impl_->db, "recording a worker's progress");
  return {};
}

Result<std::vector<WorkerReport>> Store::workers() {
  Result<Statement> stmt =
      Statement::prepare(*impl_->db,
                         "SELECT name, started_at, seen_at, articles, batches, rate FROM workers "
                         "ORDER BY seen_at DESC, name");
  if (!stmt.ok()) return stmt.error();
  std::vector<WorkerReport> out;
  Step rc;
  while ((rc = stmt->step()) == Step::kRow) {
    out.push_back({stmt->text(0), stmt->text(1), stmt->text(2), stmt->integer(3), stmt->integer(4),
                   stmt->real(5)});
  }
  if (rc != Step::kDone) return storage_error(*impl_->db, "reading the workers");
  return out;
}

Result<int64_t> Store::queue_position(const std::string& stream) {
  Result<Statement> stmt =
      Statement::prepare(*impl_->db, "SELECT position FROM queue_positions WHERE stream = ?1");
  if (!stmt.ok()) return stmt.error();
  stmt->bind(1, stream);
  const Step step = stmt->step();
  if (step == Step::kError) return storage_error(*impl_->db, "reading the queue's position");
  return step == Step::kRow ? stmt->integer(0) : int64_t{-1};
}

Status Store::start_queue_position(const std::string& stream, int64_t position) {
  Result<Statement> stmt = Statement::prepare(
      *impl_->db,
      "INSERT INTO queue_positions (stream, position) VALUES (?1, ?2) ON CONFLICT DO NOTHING");
  if (!stmt.ok()) return stmt.error();
  stmt->bind(1, stream).bind(2, position);
  if (stmt->step() != Step::kDone)
    return storage_error(*impl_->db, "starting the queue's position");
  return {};
}

Status Store::record_queue_commits(const std::string& stream,
                                   const std::vector<int64_t>& sequences) {
  Database& db = *impl_->db;
  Result<int64_t> position = queue_position(stream);
  if (!position.ok()) return position.error();
  for (const int64_t sequence : sequences) {
    if (sequence <= *position) continue;  // committed before: a redelivery
    Result<Statement> done = Statement::prepare(
        db, "INSERT INTO queue_done (stream, sequence) VALUES (?1, ?2) ON CONFLICT DO NOTHING");
    if (!done.ok()) return done.error();
    done->bind(1, stream).bind(2, sequence);
    if (done->step() != Step::kDone) return storage_error(db, "recording committed messages");
  }
  // The position moves over the run of committed messages that follows it.
  Result<Statement> after =
      Statement::prepare(db, "SELECT sequence FROM queue_done WHERE stream = ?1 ORDER BY sequence");
  if (!after.ok()) return after.error();
  after->bind(1, stream);
  int64_t moved = *position;
  Step step;
  while ((step = after->step()) == Step::kRow && after->integer(0) == moved + 1)
    ++moved;
  if (step == Step::kError) return storage_error(db, "reading committed messages");
  after->reset();
  if (moved == *position) return {};
  for (const char* sql : {"DELETE FROM queue_done WHERE stream = ?1 AND sequence <= ?2",
                          "UPDATE queue_positions SET position = ?2 WHERE stream = ?1"}) {
    Result<Statement> stmt = Statement::prepare(db, sql);
    if (!stmt.ok()) return stmt.error();
    stmt->bind(1, stream).bind(2, moved);
    if (stmt->step() != Step::kDone) return storage_error(db, "moving the queue's position");
  }
  return {};
}

}  // namespace khabar
