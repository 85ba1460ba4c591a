// Store's entities: people, places and organisations across articles, and where each article
// mentions them.
#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <iterator>
#include <set>
#include <tuple>

#include "khabar/store.h"
#include "store/internal/database.h"
#include "store/internal/store_impl.h"

namespace khabar {

using store_internal::Database;
using store_internal::Statement;
using store_internal::Step;
using store_internal::storage_error;

namespace {

constexpr const char* kEntityColumns =
    "e.sequence, e.key, e.type, e.canonical, e.name_key, e.role, e.country";

StoredEntity read_entity(const Statement& s, int first) {
  return {s.integer(first),  s.text(first + 1), s.text(first + 2), s.text(first + 3),
          s.text(first + 4), s.text(first + 5), s.text(first + 6)};
}

// Run once an article: kept prepared by Store::Impl::statement.
constexpr const char* kInsertEntity =
    "INSERT INTO entities (key, type, canonical, name_key, role, country) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (key) DO NOTHING RETURNING sequence";
constexpr const char* kEntityByKey = "SELECT sequence FROM entities WHERE key = ?1";
constexpr const char* kDeleteMentions = "DELETE FROM entity_mentions WHERE article_sequence = ?1";
constexpr const char* kInsertMentions =
    "INSERT INTO entity_mentions "
    "(article_sequence, entity_sequence, in_title, begin_byte, end_byte, surface)";
constexpr const char* kMarkExtracted =
    "UPDATE articles SET entities_extracted = 1, extraction = ?2 WHERE sequence = ?1";

// PostgreSQL takes an article's mentions, some 50, by COPY: as multi-row INSERTs, parsing and
// planning them cost as much as storing the rows.
constexpr const char* kCopyMentions =
    "COPY entity_mentions "
    "(article_sequence, entity_sequence, in_title, begin_byte, end_byte, surface) FROM STDIN";

constexpr const char* kCopyDeferred =
    "COPY deferred_mentions (article_sequence, copy_text) FROM STDIN";

// COPY has no ON CONFLICT: of mentions with one primary key the first is kept, as the INSERT's
// DO NOTHING keeps it.
std::string mention_copy_rows(int64_t article, const std::vector<EntityMentionRecord>& mentions) {
  std::set<std::tuple<bool, int64_t, int64_t>> keys;
  std::string rows;
  for (const EntityMentionRecord& m : mentions) {
    if (!keys.emplace(m.in_title, m.begin, m.entity).second) continue;
    fmt::format_to(std::back_inserter(rows), "{}\t{}\t{}\t{}\t{}\t", article, m.entity,
                   m.in_title ? 1 : 0, m.begin, m.end);
    store_internal::append_copy_field(rows, m.surface);
    rows += '\n';
  }
  return rows;
}

Result<std::vector<EntityCount>> counts(Database& db, const char* sql, int64_t entity,
                                        std::string_view doing) {
  Result<Statement> stmt = Statement::prepare(db, sql);
  if (!stmt.ok()) return stmt.error();
  stmt->bind(1, entity);
  std::vector<EntityCount> out;
  Step rc;
  while ((rc = stmt->step()) == Step::kRow)
    out.push_back({stmt->text(0), stmt->integer(1)});
  if (rc != Step::kDone) return storage_error(db, doing);
  return out;
}

}  // namespace

Result<int64_t> Store::add_entity(const StoredEntity& e) {
  Result<Statement*> stmt = impl_->statement(kInsertEntity);
  if (!stmt.ok()) return stmt.error();
  (*stmt)->bind(1, e.key).bind(2, e.type).bind(3, e.canonical).bind(4, e.name_key);
  (*stmt)->bind(5, e.role).bind(6, e.country);
  const Step inserted = (*stmt)->step();
  if (inserted == Step::kRow) {
    const int64_t sequence = (*stmt)->integer(0);
    if ((*stmt)->step() == Step::kDone) return sequence;
  } else if (inserted == Step::kDone) {  // its key was stored, by this process or another
    Result<Statement*> found = impl_->statement(kEntityByKey);
    if (!found.ok()) return found.error();
    (*found)->bind(1, e.key);
    if ((*found)->step() == Step::kRow) {
      const int64_t sequence = (*found)->integer(0);
      (*found)->reset();  // a statement left on a row would hold its read snapshot open
      return sequence;
    }
  }
  return storage_error(*impl_->db, fmt::format("storing the entity {}", e.key));
}

Status Store::rename_entity(int64_t entity, const std::string& canonical,
                            const std::string& name_key) {
  Result<Statement> stmt = Statement::prepare(
      *impl_->db, "UPDATE entities SET canonical = ?2, name_key = ?3 WHERE sequence = ?1");
  if (!stmt.ok()) return stmt.error();
  stmt->bind(1, entity).bind(2, canonical).bind(3, name_key);
  if (stmt->step() != Step::kDone) return storage_error(*impl_->db, "renaming an entity");
  return {};
}

Status Store::add_entity_mentions(int64_t article_sequence,
                                  const std::vector<EntityMentionRecord>& mentions) {
  if (impl_->dialect == store_internal::Dialect::kPostgres) {
    return impl_->db->copy_in(kCopyMentions, mention_copy_rows(article_sequence, mentions),
                              "storing an article's entity mentions");
  }
  for (size_t first = 0; first < mentions.size(); first += store_internal::kRowsPerInsert) {
    const size_t rows = std::min(store_internal::kRowsPerInsert, mentions.size() - first);
    Result<Statement> stmt = Statement::prepare(
        *impl_->db,
        store_internal::multi_row_insert(kInsertMentions, 6, rows, " ON CONFLICT DO NOTHING"));
    if (!stmt.ok()) return stmt.error();
    for (size_t row = 0; row < rows; ++row) {
      const EntityMentionRecord& m = mentions[first + row];
      const int at = static_cast<int>(row) * 6;
      stmt->bind(at + 1, article_sequence).bind(at + 2, m.entity);
      stmt->bind(at + 3, int64_t{m.in_title ? 1 : 0}).bind(at + 4, m.begin).bind(at + 5, m.end);
      stmt->bind(at + 6, m.surface);
    }
    if (stmt->step() != Step::kDone) {
      return storage_error(*impl_->db, "storing an article's entity mentions");
    }
  }
  return {};
}

Status Store::defer_entity_mentions(const std::vector<ArticleMentions>& articles) {
  if (impl_->dialect != store_internal::Dialect::kPostgres) {
    for (const ArticleMentions& article : articles) {
      if (Status s = add_entity_mentions(article.article_sequence, article.mentions); !s.ok()) {
        return s;
      }
    }
    return {};
  }
  std::string rows;
  for (const ArticleMentions& article : articles) {
    if (article.mentions.empty()) continue;
    fmt::format_to(std::back_inserter(rows), "{}\t", article.article_sequence);
    store_internal::append_copy_field(
        rows, mention_copy_rows(article.article_sequence, article.mentions));
    rows += '\n';
  }
  if (rows.empty()) return {};
  return impl_->db->copy_in(kCopyDeferred, rows, "setting entity mentions aside");
}

Result<int64_t> Store::apply_deferred_mentions() {
  if (impl_->dialect != store_internal::Dialect::kPostgres) return 0;
  // Taking the rows first, each locked by the deleting transaction, keeps two processes from
  // storing one article's mentions twice: each skips the rows the other holds.
  static constexpr const char* kTake =
      "DELETE FROM deferred_mentions WHERE article_sequence IN (SELECT article_sequence FROM "
      "deferred_mentions ORDER BY article_sequence LIMIT ?1 FOR UPDATE SKIP LOCKED) "
      "RETURNING copy_text";
  static constexpr int64_t kArticlesATransaction = 1000;
  Database& db = *impl_->db;
  int64_t applied = 0;
  for (int64_t taken = kArticlesATransaction; taken == kArticlesATransaction;) {
    if (Status s = db.begin(); !s.ok()) return s.error();
    Status status;
    std::string rows;
    taken = 0;
    Result<Statement*> take = impl_->statement(kTake);
    if (take.ok()) {
      (*take)->bind(1, kArticlesATransaction);
      Step step;
      while ((step = (*take)->step()) == Step::kRow) {
        rows += (*take)->text(0);
        ++taken;
      }
      if (step != Step::kDone) status = storage_error(db, "taking deferred entity mentions");
    } else {
      status = take.error();
    }
    if (status.ok() && !rows.empty()) {
      status = db.copy_in(kCopyMentions, rows, "storing deferred entity mentions");
    }
    if (status.ok()) status = db.commit();
    if (!status.ok()) {
      (void)db.rollback();  // the first error is the one to report
      return status.error();
    }
    applied += taken;
  }
  return applied;
}

Status Store::set_entity_mentions(int64_t article_sequence,
                                  const std::vector<EntityMentionRecord>& mentions,
                                  std::string_view extraction) {
  Result<Statement*> cleared = impl_->statement(kDeleteMentions);
  if (!cleared.ok()) return cleared.error();
  (*cleared)->bind(1, article_sequence);
  if ((*cleared)->step() != Step::kDone) {
    return storage_error(*impl_->db, "replacing an article's entity mentions");
  }
  if (Status s = add_entity_mentions(article_sequence, mentions); !s.ok()) return s;
  Result<Statement*> marked = impl_->statement(kMarkExtracted);
  if (!marked.ok()) return marked.error();
  (*marked)->bind(1, article_sequence);
  if (extraction.empty()) {
    (*marked)->bind_null(2);
  } else {
    (*marked)->bind_blob(2, extraction);
  }
  if ((*marked)->step() != Step::kDone) {
    return storage_error(*impl_->db, "marking an article's entities extracted");
  }
  return {};
}

Status Store::for_each_entity(const std::function<void(const StoredEntity&)>& visit,
                              int64_t after_sequence) {
  return store_internal::scan_in_pages(
      *impl_->db, after_sequence,
      fmt::format("SELECT {} FROM entities e WHERE e.sequence > ?1 ORDER BY e.sequence LIMIT ?2",
                  kEntityColumns),
      "reading entities", [&](const Statement& row) { visit(read_entity(row, 0)); });
}

Result<std::optional<StoredEntity>> Store::find_entity(const std::string& id_or_key) {
  int64_t sequence = 0;
  const char* end = id_or_key.data() + id_or_key.size();
  const bool numeric = !id_or_key.empty() &&
                       std::from_chars(id_or_key.data(), end, sequence).ptr == end && sequence > 0;
  if (!numeric && id_or_key.find(':') == std::string::npos) {
    return make_error(ErrorCode::kInvalidArgument,
                      fmt::format("«{}» is not an entity id (a number, or a key such as "
                                  "place:KZ)",
                                  id_or_key));
  }
  // Kept prepared: a story's page looks up each of its entities, a thousand in a large one.
  static const std::string by_sequence =
      fmt::format("SELECT {} FROM entities e WHERE e.sequence = ?1", kEntityColumns);
  static const std::string by_key =
      fmt::format("SELECT {} FROM entities e WHERE e.key = ?1", kEntityColumns);
  Result<Statement*> stmt = impl_->statement(numeric ? by_sequence.c_str() : by_key.c_str());
  if (!stmt.ok()) return stmt.error();
  if (numeric) {
    (*stmt)->bind(1, sequence);
  } else {
    (*stmt)->bind(1, id_or_key);
  }
  const Step rc = (*stmt)->step();
  if (rc == Step::kDone) return std::optional<StoredEntity>();
  if (rc != Step::kRow) return storage_error(*impl_->db, "looking up an entity");
  std::optional<StoredEntity> found = read_entity(**stmt, 0);
  (*stmt)->reset();  // a statement left on a row would hold its read snapshot open
  return found;
}

Result<EntityProfile> Store::entity_profile(int64_t entity, int64_t limit) {
  Database& db = *impl_->db;
  Result<std::optional<StoredEntity>> found = find_entity(std::to_string(entity));
  if (!found.ok()) return found.error();
  if (!found->has_value()) {
    return make_error(ErrorCode::kNotFound, fmt::format("no entity {} in {}", entity, path()));
  }
  EntityProfile out;
  out.entity = std::move(**found);

  Result<std::vector<EntityCount>> aliases =
      counts(db,
             "SELECT surface, count(*) AS n FROM entity_mentions WHERE entity_sequence = ?1 "
             "GROUP BY surface ORDER BY n DESC, surface",
             entity, "reading an entity's spellings");
  if (!aliases.ok()) return aliases.error();
  out.aliases = std::move(*aliases);

  Result<std::vector<EntityCount>> outlets =
      counts(db,
             "SELECT a.source, count(DISTINCT a.sequence) AS n FROM entity_mentions m "
             "JOIN articles a ON a.sequence = m.article_sequence "
             "WHERE m.entity_sequence = ?1 GROUP BY a.source ORDER BY n DESC, a.source",
             entity, "reading an entity's outlets");
  if (!outlets.ok()) return outlets.error();
  out.outlets = std::move(*outlets);
  for (const EntityCount& outlet : out.outlets)
    out.articles += outlet.count;

  Result<Statement> stories = Statement::prepare(
      db,
      "SELECT s.sequence, s.last_time FROM entity_mentions m "
      "JOIN articles a ON a.sequence = m.article_sequence "
      "JOIN stories s ON s.sequence = a.story_sequence WHERE m.entity_sequence = ?1 "
      "GROUP BY s.sequence, s.last_time ORDER BY s.last_time IS NULL, s.last_time DESC, s.sequence "
      "LIMIT ?2");
  if (!stories.ok()) return stories.error();
  stories->bind(1, entity).bind(2, limit);
  Step rc;
  std::vector<int64_t> story_ids;
  while ((rc = stories->step()) == Step::kRow)
    story_ids.push_back(stories->integer(0));
  if (rc != Step::kDone) return storage_error(db, "reading an entity's stories");
  for (const int64_t id : story_ids) {
    Result<std::optional<StorySummary>> summary = story(id);
    if (!summary.ok()) return summary.error();
    if (summary->has_value()) out.stories.push_back(std::move(**summary));
  }

  Result<Statement> recent = Statement::prepare(
      db, fmt::format("SELECT {} FROM articles a WHERE a.sequence IN "
                      "(SELECT article_sequence FROM entity_mentions WHERE entity_sequence = ?1) "
                      "ORDER BY a.published IS NULL, a.published DESC, a.sequence DESC LIMIT ?2",
                      impl_->summary_columns()));
  if (!recent.ok()) return recent.error();
  recent->bind(1, entity).bind(2, limit);
  while ((rc = recent->step()) == Step::kRow)
    out.recent.push_back(store_internal::read_summary(*recent, 0));
  if (rc != Step::kDone) return storage_error(db, "reading an entity's articles");
  return out;
}

Result<std::vector<EntitySummary>> Store::top_entities(const std::string& type, int64_t limit) {
  Result<Statement> stmt = Statement::prepare(
      *impl_->db, fmt::format("SELECT {}, count(DISTINCT m.article_sequence) AS n FROM entities e "
                              "JOIN entity_mentions m ON m.entity_sequence = e.sequence "
                              "WHERE ?1 = '' OR e.type = ?1 GROUP BY e.sequence "
                              "ORDER BY n DESC, e.sequence LIMIT ?2",
                              kEntityColumns));
  if (!stmt.ok()) return stmt.error();
  stmt->bind(1, type).bind(2, limit);
  std::vector<EntitySummary> out;
  Step rc;
  while ((rc = stmt->step()) == Step::kRow)
    out.push_back({read_entity(*stmt, 0), stmt->integer(7)});
  if (rc != Step::kDone) return storage_error(*impl_->db, "listing entities");
  return out;
}

Result<std::vector<EntityMentionRecord>> Store::entity_mentions_of(int64_t article_sequence) {
  Result<Statement*> stmt = impl_->statement(
      "SELECT entity_sequence, begin_byte, end_byte, in_title, surface FROM entity_mentions "
      "WHERE article_sequence = ?1 ORDER BY in_title DESC, begin_byte, entity_sequence");
  if (!stmt.ok()) return stmt.error();
  (*stmt)->bind(1, article_sequence);
  std::vector<EntityMentionRecord> out;
  Step rc;
  while ((rc = (*stmt)->step()) == Step::kRow) {
    out.push_back({(*stmt)->integer(0), (*stmt)->integer(1), (*stmt)->integer(2),
                   (*stmt)->integer(3) != 0, (*stmt)->text(4)});
  }
  if (rc != Step::kDone) return storage_error(*impl_->db, "reading an article's entities");
  return out;
}

Result<std::vector<ArticleMentions>> Store::story_entity_mentions(int64_t story) {
  Result<Statement> stmt = Statement::prepare(
      *impl_->db,
      "SELECT m.article_sequence, m.entity_sequence, m.begin_byte, m.end_byte, m.in_title, "
      "m.surface FROM entity_mentions m JOIN articles a ON a.sequence = m.article_sequence "
      "WHERE a.story_sequence = ?1 "
      "ORDER BY m.article_sequence, m.in_title DESC, m.begin_byte, m.entity_sequence");
  if (!stmt.ok()) return stmt.error();
  stmt->bind(1, story);
  std::vector<ArticleMentions> out;
  Step rc;
  while ((rc = stmt->step()) == Step::kRow) {
    const int64_t article = stmt->integer(0);
    if (out.empty() || out.back().article_sequence != article) out.push_back({article, {}});
    out.back().mentions.push_back({stmt->integer(1), stmt->integer(2), stmt->integer(3),
                                   stmt->integer(4) != 0, stmt->text(5)});
  }
  if (rc != Step::kDone) return storage_error(*impl_->db, "reading a story's entity mentions");
  return out;
}

Result<std::vector<StoredEntity>> Store::story_entities(int64_t story) {
  Result<Statement> stmt = Statement::prepare(
      *impl_->db,
      fmt::format("SELECT {} FROM entities e WHERE e.sequence IN (SELECT m.entity_sequence "
                  "FROM entity_mentions m JOIN articles a ON a.sequence = m.article_sequence "
                  "WHERE a.story_sequence = ?1) ORDER BY e.sequence",
                  kEntityColumns));
  if (!stmt.ok()) return stmt.error();
  stmt->bind(1, story);
  std::vector<StoredEntity> out;
  Step rc;
  while ((rc = stmt->step()) == Step::kRow)
    out.push_back(read_entity(*stmt, 0));
  if (rc != Step::kDone) return storage_error(*impl_->db, "reading a story's entities");
  return out;
}

Result<int64_t> Store::count_awaiting_entities() {
  Result<Statement> stmt =
      Statement::prepare(*impl_->db, "SELECT count(*) FROM articles WHERE entities_extracted = 0");
  if (!stmt.ok()) return stmt.error();
  if (stmt->step() != Step::kRow) return storage_error(*impl_->db, "counting articles");
  return stmt->integer(0);
}

Result<int64_t> Store::count_without_extraction() {
  Result<Statement> stmt = Statement::prepare(
      *impl_->db,
      "SELECT count(*) FROM articles WHERE entities_extracted = 1 AND extraction IS NULL");
  if (!stmt.ok()) return stmt.error();
  if (stmt->step() != Step::kRow) return storage_error(*impl_->db, "counting articles");
  return stmt->integer(0);
}

}  // namespace khabar
