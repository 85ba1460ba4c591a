#include "khabar/store.h"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "store/internal/database.h"
#include "store/internal/store_impl.h"

namespace khabar {

using store_internal::Database;
using store_internal::Statement;
using store_internal::Step;
using store_internal::storage_error;

namespace {

constexpr const char* kSelectColumns =
    "SELECT sequence, id, title, source, url, COALESCE(published, ''), lang, lang_confidence, "
    "byline_json, subheads_json, body, raw_text, origin, format, encoding, external_id, "
    "metadata_json, ingested_at FROM articles";

const char* kind_name(Removal::Kind kind) {
  return kind == Removal::Kind::kMovedToMetadata ? "metadata" : "removed";
}

std::string byline_json(const Byline& b) {
  if (b.empty()) return "{}";
  return nlohmann::json{
      {"agencies", b.agencies}, {"outlet", b.outlet}, {"editor", b.editor}, {"line", b.line}}
      .dump();
}

Byline parse_byline_json(const std::string& text) {
  const auto j = nlohmann::json::parse(text, nullptr, false);
  Byline b;
  if (!j.is_object() || j.empty()) return b;
  b.agencies = j.value("agencies", std::vector<std::string>{});
  b.outlet = j.value("outlet", "");
  b.editor = j.value("editor", "");
  b.line = j.value("line", "");
  return b;
}

StoredArticle read_row(const Statement& s) {
  StoredArticle a;
  a.sequence = s.integer(0);
  a.id = s.text(1);
  a.title = s.text(2);
  a.source = s.text(3);
  a.url = s.text(4);
  a.published = s.text(5);
  a.lang = s.text(6);
  a.lang_confidence = s.real(7);
  a.byline = parse_byline_json(s.text(8));
  const auto subheads = nlohmann::json::parse(s.text(9), nullptr, false);
  if (subheads.is_array()) a.subheads = subheads.get<std::vector<std::string>>();
  a.body = s.text(10);
  a.raw_text = s.text(11);
  a.origin = s.text(12);
  a.format = s.text(13);
  a.encoding = s.text(14);
  a.external_id = s.text(15);
  a.metadata_json = s.text(16);
  a.ingested_at = s.text(17);
  return a;
}

}  // namespace

Store::Store(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Store::~Store() = default;
Store::Store(Store&&) noexcept = default;
Store& Store::operator=(Store&&) noexcept = default;

Result<Store> Store::open_existing(const std::string& location) {
  std::error_code ec;
  if (!location.empty() && location != ":memory:" &&
      !store_internal::is_postgres_location(location) && !std::filesystem::exists(location, ec)) {
    return make_error(ErrorCode::kNotFound,
                      fmt::format("no database at {}: store articles first (khabar ingest PATH), "
                                  "or name the database with --db or KHABAR_DB",
                                  location));
  }
  return open(location);
}

Result<Store> Store::open(const std::string& location) {
  // SQLite takes "" as a private temporary database: everything stored would vanish at exit.
  if (location.empty()) {
    return make_error(ErrorCode::kInvalidArgument,
                      "the database location is empty: give a file, "
                      "«:memory:», or a postgresql:// URL");
  }
  auto impl = std::make_unique<Impl>();
  impl->path = store_internal::redacted_location(location);
  Result<std::unique_ptr<store_internal::Database>> db =
      store_internal::is_postgres_location(location) ? store_internal::open_postgres(location)
                                                     : store_internal::open_sqlite(location);
  if (!db.ok()) return db.error();
  impl->db = std::move(db).value();
  impl->dialect = impl->db->dialect();
  if (impl->dialect == store_internal::Dialect::kPostgres) {
    impl->search_analysis = std::make_unique<search_internal::SearchAnalysis>();
  }

  auto prepare = [&](Statement& into, const char* sql) -> Status {
    Result<Statement> stmt = impl->db->prepare_kept(sql);
    if (!stmt.ok()) return stmt.error();
    into = std::move(stmt).value();
    return {};
  };
  for (Status s : {
           prepare(impl->insert_article,
                   "INSERT INTO articles (id, title, source, url, published, lang, "
                   "lang_confidence, byline_json, subheads_json, body, raw_text, origin, format, "
                   "encoding, external_id, metadata_json, ingested_at, entities_extracted, "
                   "story_signals, extraction) "
                   "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, "
                   "?16, ?17, ?18, ?19, ?20) "
                   "ON CONFLICT(id) DO NOTHING RETURNING sequence"),
           prepare(impl->select_removals,
                   "SELECT begin_byte, end_byte, kind, rule, reason FROM removals "
                   "WHERE article_sequence = ?1 ORDER BY seq"),
       }) {
    if (!s.ok()) return s;
  }
  return Store(std::move(impl));
}

std::string Store::shown(const std::string& location) {
  return store_internal::redacted_location(location);
}

Status Store::begin() {
  return impl_->db->begin();
}
Status Store::commit() {
  return impl_->db->commit();
}
Status Store::rollback() {
  return impl_->db->rollback();
}
Status Store::lock_writers() {
  if (impl_->dialect == store_internal::Dialect::kSqlite) return {};
  return impl_->db->execute(
      "SELECT pg_advisory_xact_lock(hashtext('khabar:writers:' || current_schema()))",
      "waiting for the other writers");
}

Status Store::lock_ids(const std::vector<std::string>& ids) {
  if (impl_->dialect == store_internal::Dialect::kSqlite || ids.empty()) return {};
  // Ordered in a subquery, so that the locks are taken in that order.
  static constexpr const char* kLockIds =
      "SELECT count(pg_advisory_xact_lock(k)) FROM (SELECT DISTINCT "
      "hashtextextended('khabar:id:' || id, 0) AS k FROM unnest(CAST(?1 AS TEXT[])) AS t(id) "
      "ORDER BY k) AS keys";
  std::string array = "{";
  for (const std::string& id : ids) {
    if (id.find_first_not_of("0123456789abcdef") != std::string::npos) {
      return make_error(ErrorCode::kInvalidArgument, fmt::format("«{}» is not an article id", id));
    }
    if (array.size() > 1) array += ',';
    array += id;
  }
  array += '}';
  Result<Statement*> stmt = impl_->statement(kLockIds);
  if (!stmt.ok()) return stmt.error();
  (*stmt)->bind(1, array);
  const Step step = (*stmt)->step();
  (*stmt)->reset();
  if (step != Step::kRow) return storage_error(*impl_->db, "waiting for the batch's articles");
  return {};
}

Result<bool> Store::blocking_others() {
  if (impl_->dialect == store_internal::Dialect::kSqlite) return false;
  static constexpr const char* kBlocking =
      "SELECT count(*) FROM pg_stat_activity WHERE pg_backend_pid() = ANY(pg_blocking_pids(pid))";
  Result<Statement*> stmt = impl_->statement(kBlocking);
  if (!stmt.ok()) return stmt.error();
  if ((*stmt)->step() != Step::kRow) {
    return storage_error(*impl_->db, "looking for writers waiting on this one");
  }
  const bool blocking = (*stmt)->integer(0) > 0;
  (*stmt)->reset();
  return blocking;
}

Result<Store::InsertOutcome> Store::insert(const StoredArticle& a, bool entities_follow) {
  // Looked up first: PostgreSQL spends a sequence number on every insert that conflicts, and
  // exact copies are common enough in news to leave ingest order full of holes.
  static constexpr const char* kStoredId = "SELECT sequence FROM articles WHERE id = ?1";
  Result<Statement*> stored = impl_->statement(kStoredId);
  if (!stored.ok()) return stored.error();
  (*stored)->bind(1, a.id);
  const Step found = (*stored)->step();
  if (found == Step::kRow) {
    const InsertOutcome outcome{false, (*stored)->integer(0)};
    (*stored)->reset();  // a statement left on a row would hold its read snapshot open
    return outcome;
  }
  if (found == Step::kError) {
    return storage_error(*impl_->db, fmt::format("looking for {} in the store", a.id));
  }
  Statement& s = impl_->insert_article;
  s.reset();
  s.bind(1, a.id).bind(2, a.title).bind(3, a.source).bind(4, a.url);
  if (a.published.empty()) {
    s.bind_null(5);
  } else {
    s.bind(5, a.published);
  }
  s.bind(6, a.lang).bind(7, a.lang_confidence).bind(8, byline_json(a.byline));
  s.bind(9, nlohmann::json(a.subheads).dump());
  // The two large texts are bound without a copy: `a` outlives the step below.
  s.bind_unowned(10, a.body).bind_unowned(11, a.raw_text).bind(12, a.origin);
  s.bind(13, a.format).bind(14, a.encoding).bind(15, a.external_id).bind(16, a.metadata_json);
  s.bind(17, a.ingested_at).bind(18, int64_t{entities_follow ? 1 : 0}).bind(19, a.story_signals);
  if (a.extraction.empty()) {
    s.bind_null(20);
  } else {
    s.bind_blob(20, a.extraction);
  }
  const Step inserted = s.step();
  if (inserted == Step::kError) return storage_error(*impl_->db, fmt::format("storing {}", a.id));
  if (inserted == Step::kDone) {  // no row returned: another process stored it meanwhile
    Result<Statement> existing =
        Statement::prepare(*impl_->db, "SELECT sequence FROM articles WHERE id = ?1");
    if (!existing.ok()) return existing.error();
    existing->bind(1, a.id);
    if (existing->step() != Step::kRow) {
      return storage_error(*impl_->db, fmt::format("finding the stored copy of {}", a.id));
    }
    return InsertOutcome{false, existing->integer(0)};
  }
  const int64_t sequence = s.integer(0);
  if (s.step() != Step::kDone) return storage_error(*impl_->db, fmt::format("storing {}", a.id));

  for (size_t first = 0; first < a.removals.size(); first += store_internal::kRowsPerInsert) {
    const size_t rows = std::min(store_internal::kRowsPerInsert, a.removals.size() - first);
    Result<Statement> r = Statement::prepare(
        *impl_->db, store_internal::multi_row_insert("INSERT INTO removals (article_sequence, seq, "
                                                     "begin_byte, end_byte, kind, rule, reason)",
                                                     7, rows));
    if (!r.ok()) return r.error();
    for (size_t row = 0; row < rows; ++row) {
      const Removal& removal = a.removals[first + row];
      const int at = static_cast<int>(row) * 7;
      r->bind(at + 1, sequence).bind(at + 2, static_cast<int64_t>(first + row));
      r->bind(at + 3, static_cast<int64_t>(removal.begin));
      r->bind(at + 4, static_cast<int64_t>(removal.end)).bind(at + 5, kind_name(removal.kind));
      r->bind(at + 6, removal.rule).bind(at + 7, removal.reason);
    }
    if (r->step() != Step::kDone) {
      return storage_error(*impl_->db, fmt::format("storing the audit of {}", a.id));
    }
  }
  if (impl_->dialect == store_internal::Dialect::kPostgres) {
    if (Status indexed = impl_->index_for_search(sequence, a.title, a.body); !indexed.ok()) {
      return indexed.error();
    }
  }
  return InsertOutcome{true, sequence};
}

Result<bool> Store::contains(const std::string& id) {
  Result<Statement> stmt = Statement::prepare(*impl_->db, "SELECT 1 FROM articles WHERE id = ?1");
  if (!stmt.ok()) return stmt.error();
  stmt->bind(1, id);
  const Step rc = stmt->step();
  if (rc == Step::kError) return storage_error(*impl_->db, fmt::format("looking up {}", id));
  return rc == Step::kRow;
}

Result<std::optional<StoredArticle>> Store::get(const std::string& id_or_prefix) {
  const bool prefix = id_or_prefix.size() < 16;
  if (id_or_prefix.size() < 4 || id_or_prefix.size() > 16 ||
      id_or_prefix.find_first_not_of("0123456789abcdef") != std::string::npos) {
    return make_error(
        ErrorCode::kInvalidArgument,
        fmt::format("«{}» is not an article id (4 to 16 lowercase hex digits)", id_or_prefix));
  }
  Result<Statement> stmt = Statement::prepare(
      *impl_->db, fmt::format("{} WHERE {} LIMIT 2", kSelectColumns,
                              prefix ? "id >= ?1 AND id < ?1 || 'g'" : "id = ?1"));
  if (!stmt.ok()) return stmt.error();
  stmt->bind(1, id_or_prefix);
  std::vector<StoredArticle> found;
  Step rc;
  while ((rc = stmt->step()) == Step::kRow)
    found.push_back(read_row(*stmt));
  if (rc != Step::kDone) return storage_error(*impl_->db, "looking up an article");
  if (found.empty()) return std::optional<StoredArticle>();
  if (found.size() > 1) {
    return make_error(ErrorCode::kInvalidArgument,
                      fmt::format("«{}» matches several articles; give more digits", id_or_prefix));
  }
  if (Status s = impl_->load_removals(found[0]); !s.ok()) return s;
  return std::optional<StoredArticle>(std::move(found[0]));
}

Result<std::vector<ArticleSummary>> Store::list(int64_t limit, int64_t offset) {
  Result<Statement> stmt = Statement::prepare(
      *impl_->db, fmt::format("SELECT {} FROM articles a ORDER BY a.sequence LIMIT ?1 OFFSET ?2",
                              impl_->summary_columns()));
  if (!stmt.ok()) return stmt.error();
  stmt->bind(1, limit).bind(2, offset);
  std::vector<ArticleSummary> out;
  Step rc;
  while ((rc = stmt->step()) == Step::kRow)
    out.push_back(store_internal::read_summary(*stmt, 0));
  if (rc != Step::kDone) return storage_error(*impl_->db, "listing articles");
  return out;
}

Status Store::for_each(const std::function<void(const StoredArticle&)>& visit) {
  for (int64_t after = 0;;) {
    Result<std::vector<StoredArticle>> page = articles_after(after, store_internal::kScanPage);
    if (!page.ok()) return page.error();
    for (StoredArticle& article : *page) {
      if (Status s = impl_->load_removals(article); !s.ok()) return s;
      visit(article);
    }
    if (static_cast<int64_t>(page->size()) < store_internal::kScanPage) return {};
    after = page->back().sequence;
  }
}

Result<std::vector<StoredArticle>> Store::articles_after(int64_t after_sequence, int64_t limit,
                                                         bool awaiting_entities) {
  Result<Statement> stmt = Statement::prepare(
      *impl_->db,
      fmt::format("{} WHERE sequence > ?1 {} ORDER BY sequence LIMIT ?2", kSelectColumns,
                  awaiting_entities ? "AND (entities_extracted = 0 OR extraction IS NULL)" : ""));
  if (!stmt.ok()) return stmt.error();
  stmt->bind(1, after_sequence).bind(2, limit);
  std::vector<StoredArticle> out;
  Step rc;
  while ((rc = stmt->step()) == Step::kRow)
    out.push_back(read_row(*stmt));
  if (rc != Step::kDone) return storage_error(*impl_->db, "reading articles");
  return out;
}

Result<int64_t> Store::count_articles() {
  Result<Statement> stmt = Statement::prepare(*impl_->db, "SELECT count(*) FROM articles");
  if (!stmt.ok()) return stmt.error();
  if (stmt->step() != Step::kRow) return storage_error(*impl_->db, "counting articles");
  return stmt->integer(0);
}

Result<int64_t> Store::last_decision() {
  Result<Statement> stmt =
      Statement::prepare(*impl_->db, "SELECT COALESCE(max(decision), 0) FROM decisions");
  if (!stmt.ok()) return stmt.error();
  if (stmt->step() != Step::kRow) return storage_error(*impl_->db, "reading the last decision");
  return stmt->integer(0);
}

Status Store::record_decisions(int64_t first, const std::vector<int64_t>& article_sequences) {
  for (size_t done = 0; done < article_sequences.size(); done += store_internal::kRowsPerInsert) {
    const size_t rows = std::min(store_internal::kRowsPerInsert, article_sequences.size() - done);
    Result<Statement> insert = Statement::prepare(
        *impl_->db, store_internal::multi_row_insert(
                        "INSERT INTO decisions (decision, article_sequence)", 2, rows));
    if (!insert.ok()) return insert.error();
    for (size_t row = 0; row < rows; ++row) {
      const int at = static_cast<int>(row) * 2;
      insert->bind(at + 1, first + static_cast<int64_t>(done + row));
      insert->bind(at + 2, article_sequences[done + row]);
    }
    if (insert->step() != Step::kDone) return storage_error(*impl_->db, "recording decisions");
  }
  return {};
}

bool Store::writes_concurrently() const {
  return impl_->dialect == store_internal::Dialect::kPostgres;
}

int Store::schema_version() const {
  return kSchemaVersion;
}
const std::string& Store::path() const {
  return impl_->path;
}

}  // namespace khabar
