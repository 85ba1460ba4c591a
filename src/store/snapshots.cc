// Store's snapshots (a process's state as of a decision, read at its start) and settings.
#include <fmt/format.h>

#include "khabar/store.h"
#include "store/internal/database.h"
#include "store/internal/store_impl.h"

namespace khabar {

using store_internal::Database;
using store_internal::Statement;
using store_internal::Step;
using store_internal::storage_error;

Result<std::string> Store::keep_setting(std::string_view name, std::string_view proposed) {
  Database& db = *impl_->db;
  auto kept = [&]() -> Result<std::optional<std::string>> {
    Result<Statement> read = Statement::prepare(db, "SELECT value FROM settings WHERE name = ?1");
    if (!read.ok()) return read.error();
    read->bind(1, name);
    switch (read->step()) {
      case Step::kRow:
        return std::optional<std::string>(read->text(0));
      case Step::kDone:
        return std::optional<std::string>();
      case Step::kError:
        break;
    }
    return storage_error(db, fmt::format("reading the setting {}", name));
  };
  // Read first: a run that follows a store's setting writes nothing, and so waits for no writer.
  Result<std::optional<std::string>> before = kept();
  if (!before.ok()) return before.error();
  if (before->has_value()) return **before;
  Result<Statement> insert = Statement::prepare(
      db, "INSERT INTO settings (name, value) VALUES (?1, ?2) ON CONFLICT (name) DO NOTHING");
  if (!insert.ok()) return insert.error();
  insert->bind(1, name).bind(2, proposed);
  if (insert->step() != Step::kDone) {
    return storage_error(db, fmt::format("keeping the setting {}", name));
  }
  // Another process may have kept its own first.
  Result<std::optional<std::string>> after = kept();
  if (!after.ok()) return after.error();
  if (!after->has_value()) return storage_error(db, fmt::format("keeping the setting {}", name));
  return **after;
}

Status Store::save_snapshot(std::string_view name, int64_t decision, std::string_view data) {
  Database& db = *impl_->db;
  Result<Statement> saved = Statement::prepare(
      db,
      "INSERT INTO snapshots (name, decision, data) VALUES (?1, ?2, ?3) ON CONFLICT (name) DO "
      "UPDATE SET decision = excluded.decision, data = excluded.data "
      "WHERE excluded.decision > snapshots.decision");
  if (!saved.ok()) return saved.error();
  saved->bind(1, name).bind(2, decision).bind_blob(3, data);
  if (saved->step() != Step::kDone) {
    return storage_error(db, fmt::format("saving the {} snapshot", name));
  }
  // Older ones of the same kind are another build's or other options' (name "kind:fingerprint").
  const std::string_view kind = name.substr(0, name.find(':'));
  if (kind.size() == name.size()) return {};
  Result<Statement> dropped = Statement::prepare(
      db, "DELETE FROM snapshots WHERE substr(name, 1, ?1) = ?2 AND name <> ?3 AND decision < ?4");
  if (!dropped.ok()) return dropped.error();
  dropped->bind(1, static_cast<int64_t>(kind.size() + 1))
      .bind(2, fmt::format("{}:", kind))
      .bind(3, name)
      .bind(4, decision);
  if (dropped->step() != Step::kDone) {
    return storage_error(db, fmt::format("dropping older {} snapshots", kind));
  }
  return {};
}

Result<std::optional<Store::Snapshot>> Store::snapshot(std::string_view name) {
  Database& db = *impl_->db;
  Result<Statement> read =
      Statement::prepare(db, "SELECT decision, data FROM snapshots WHERE name = ?1");
  if (!read.ok()) return read.error();
  read->bind(1, name);
  switch (read->step()) {
    case Step::kRow:
      return std::optional<Snapshot>(Snapshot{read->integer(0), read->blob(1), std::string(name)});
    case Step::kDone:
      return std::optional<Snapshot>();
    case Step::kError:
      break;
  }
  return storage_error(db, fmt::format("reading the {} snapshot", name));
}

Result<std::vector<Store::Snapshot>> Store::snapshots() {
  Database& db = *impl_->db;
  Result<Statement> read =
      Statement::prepare(db, "SELECT decision, name FROM snapshots ORDER BY name");
  if (!read.ok()) return read.error();
  std::vector<Snapshot> out;
  Step step;
  while ((step = read->step()) == Step::kRow)
    out.push_back({read->integer(0), {}, read->text(1)});
  if (step != Step::kDone) return storage_error(db, "listing the snapshots");
  return out;
}

Status Store::drop_snapshots() {
  return impl_->db->execute("DELETE FROM snapshots", "dropping the snapshots");
}

}  // namespace khabar
