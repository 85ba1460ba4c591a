// Store's duplicate tables: links between articles, families, and sightings of exact copies.
#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>

#include "khabar/store.h"
#include "store/internal/database.h"
#include "store/internal/store_impl.h"

namespace khabar {

using store_internal::Database;
using store_internal::read_summary;
using store_internal::Statement;
using store_internal::Step;
using store_internal::storage_error;

namespace {

Status run(Database& db, Result<Statement> stmt, std::string_view doing) {
  if (!stmt.ok()) return stmt.error();
  if (stmt->step() != Step::kDone) return storage_error(db, doing);
  return {};
}

}  // namespace

Status Store::add_sighting(int64_t sequence, const StoredArticle& copy) {
  Result<Statement> stmt = Statement::prepare(
      *impl_->db,
      "INSERT INTO sightings (article_sequence, origin, source, published, seen_at, "
      "external_id) SELECT CAST(?1 AS BIGINT), CAST(?2 AS TEXT), CAST(?3 AS TEXT), "
      "NULLIF(CAST(?4 AS TEXT), ''), CAST(?5 AS TEXT), CAST(?6 AS TEXT) WHERE NOT EXISTS "
      "(SELECT 1 FROM articles WHERE sequence = ?1 AND origin = ?2) "
      "ON CONFLICT (article_sequence, origin) DO NOTHING");
  if (stmt.ok()) {
    stmt->bind(1, sequence).bind(2, copy.origin).bind(3, copy.source);
    stmt->bind(4, copy.published).bind(5, copy.ingested_at).bind(6, copy.external_id);
  }
  return run(*impl_->db, std::move(stmt), "recording a sighting");
}

Status Store::add_duplicate_links(int64_t sequence, const std::vector<DuplicateLinkRecord>& links) {
  for (const DuplicateLinkRecord& link : links) {
    Result<Statement> stmt = Statement::prepare(
        *impl_->db,
        "INSERT INTO duplicate_links (article_sequence, other_sequence, kind, score) "
        "VALUES (?1, ?2, ?3, ?4) ON CONFLICT (article_sequence, other_sequence) "
        "DO UPDATE SET kind = excluded.kind, score = excluded.score");
    if (stmt.ok()) {
      stmt->bind(1, sequence).bind(2, link.other_sequence).bind(3, link.kind).bind(4, link.score);
    }
    if (Status s = run(*impl_->db, std::move(stmt), "storing a duplicate link"); !s.ok()) return s;
  }
  return {};
}

Result<ArticleRank> Store::rank_of(int64_t sequence) {
  Result<Statement> stmt = Statement::prepare(
      *impl_->db,
      "SELECT COALESCE(published, ''), COALESCE(family_sequence, sequence) FROM articles "
      "WHERE sequence = ?1");
  if (!stmt.ok()) return stmt.error();
  stmt->bind(1, sequence);
  if (stmt->step() != Step::kRow) {
    return make_error(ErrorCode::kNotFound, fmt::format("no article with sequence {}", sequence));
  }
  return ArticleRank{sequence, stmt->text(0), stmt->integer(1)};
}

Status Store::set_family(const std::vector<int64_t>& families, int64_t representative) {
  for (const int64_t family : families) {
    Result<Statement> stmt = Statement::prepare(
        *impl_->db,
        "UPDATE articles SET family_sequence = ?1 WHERE family_sequence = ?2 OR sequence = ?2");
    if (stmt.ok()) stmt->bind(1, representative).bind(2, family);
    if (Status s = run(*impl_->db, std::move(stmt), "merging duplicate families"); !s.ok())
      return s;
  }
  return {};
}

Result<std::string> Store::body_of(int64_t sequence) {
  static constexpr const char* kBodyOf = "SELECT body FROM articles WHERE sequence = ?1";
  Result<Statement*> stmt = impl_->statement(kBodyOf);  // once per duplicate candidate
  if (!stmt.ok()) return stmt.error();
  Statement& select = **stmt;
  select.bind(1, sequence);
  const bool found = select.step() == Step::kRow;
  std::string body = found ? select.text(0) : std::string();
  select.reset();  // a statement left on a row would hold its read snapshot open
  if (!found) {
    return make_error(ErrorCode::kNotFound, fmt::format("no article with sequence {}", sequence));
  }
  return body;
}

Status Store::add_duplicate_keys(int64_t sequence, std::string_view keys) {
  static constexpr const char* kInsertDuplicateKeys =
      "INSERT INTO duplicate_keys (article_sequence, keys) VALUES (?1, ?2) "
      "ON CONFLICT (article_sequence) DO NOTHING";
  Result<Statement*> insert = impl_->statement(kInsertDuplicateKeys);
  if (!insert.ok()) return insert.error();
  (*insert)->bind(1, sequence).bind_blob(2, keys);
  const Step step = (*insert)->step();
  (*insert)->reset();
  if (step != Step::kDone) return storage_error(*impl_->db, "storing duplicate keys");
  return {};
}

Status Store::for_each_duplicate_keys(
    const std::function<void(int64_t, int64_t, const std::string&, const std::string&)>& visit,
    int64_t after_decision) {
  // The body only where there are no keys: reading every body is what the keys save. Not by a
  // join with articles either: visiting each article's row read the pages of 25,000 real
  // articles into the page cache, a third of the start of a run. (A decision goes with its
  // article, ON DELETE CASCADE, so the join filtered nothing.)
  return store_internal::scan_in_pages(
      *impl_->db, after_decision,
      "SELECT d.decision, d.article_sequence, k.keys, "
      "CASE WHEN k.keys IS NULL THEN "
      "(SELECT a.body FROM articles a WHERE a.sequence = d.article_sequence) END "
      "FROM decisions d "
      "LEFT JOIN duplicate_keys k ON k.article_sequence = d.article_sequence "
      "WHERE d.decision > ?1 ORDER BY d.decision LIMIT ?2",
      "reading duplicate keys", [&](const Statement& row) {
        visit(row.integer(0), row.integer(1), row.blob(2), row.text(3));
      });
}

Result<DuplicateFamily> Store::family_of(int64_t sequence) {
  Result<ArticleRank> rank = rank_of(sequence);
  if (!rank.ok()) return rank.error();
  DuplicateFamily family;
  family.representative = rank->family;
  Result<Statement> members = Statement::prepare(
      *impl_->db, fmt::format("SELECT {}, COALESCE(l.kind, ''), COALESCE(l.score, 0), "
                              "COALESCE(l.other_sequence, 0) FROM articles a "
                              "LEFT JOIN duplicate_links l ON l.article_sequence = a.sequence "
                              "WHERE COALESCE(a.family_sequence, a.sequence) = ?1 "
                              "ORDER BY a.published IS NULL, a.published, a.sequence, l.score DESC",
                              impl_->summary_columns()));
  if (!members.ok()) return members.error();
  members->bind(1, family.representative);
  std::set<std::string> outlets;
  Step rc;
  while ((rc = members->step()) == Step::kRow) {
    ArticleSummary summary = read_summary(*members, 0);
    // An article linked to several earlier members is listed once, with its best link.
    if (!family.members.empty() && family.members.back().article.sequence == summary.sequence) {
      continue;
    }
    if (!summary.source.empty()) outlets.insert(summary.source);
    family.members.push_back(
        {std::move(summary), members->text(7), members->real(8), members->integer(9)});
  }
  if (rc != Step::kDone) return storage_error(*impl_->db, "reading a duplicate family");

  Result<Statement> seen = Statement::prepare(
      *impl_->db,
      "SELECT s.source FROM sightings s JOIN articles a ON a.sequence = s.article_sequence "
      "WHERE COALESCE(a.family_sequence, a.sequence) = ?1");
  if (!seen.ok()) return seen.error();
  seen->bind(1, family.representative);
  while ((rc = seen->step()) == Step::kRow) {
    ++family.sightings;
    if (!seen->text(0).empty()) outlets.insert(seen->text(0));
  }
  if (rc != Step::kDone) return storage_error(*impl_->db, "reading sightings");
  family.outlets.assign(outlets.begin(), outlets.end());
  return family;
}

Result<std::vector<DuplicateFamily>> Store::duplicate_families(int64_t limit) {
  // Families with a link, and articles seen more than once, largest first.
  Result<Statement> stmt = Statement::prepare(
      *impl_->db,
      "SELECT family, count(*) AS size FROM ("
      "  SELECT COALESCE(a.family_sequence, a.sequence) AS family FROM articles a"
      "  WHERE a.family_sequence IS NOT NULL"
      "  UNION ALL SELECT COALESCE(a.family_sequence, a.sequence) FROM sightings s"
      "  JOIN articles a ON a.sequence = s.article_sequence"
      ") AS f GROUP BY family ORDER BY size DESC, family LIMIT ?1");
  if (!stmt.ok()) return stmt.error();
  stmt->bind(1, limit);
  std::vector<int64_t> representatives;
  Step rc;
  while ((rc = stmt->step()) == Step::kRow)
    representatives.push_back(stmt->integer(0));
  if (rc != Step::kDone) return storage_error(*impl_->db, "listing duplicate families");
  std::vector<DuplicateFamily> out;
  for (const int64_t representative : representatives) {
    Result<DuplicateFamily> family = family_of(representative);
    if (!family.ok()) return family.error();
    out.push_back(std::move(*family));
  }
  return out;
}

}  // namespace khabar
