// Store's stories: which story each article is in, and the stories' summaries.
#include <fmt/format.h>

#include <map>
#include <set>

#include "khabar/store.h"
#include "store/internal/database.h"
#include "store/internal/store_impl.h"

namespace khabar {

using store_internal::Database;
using store_internal::Statement;
using store_internal::Step;
using store_internal::storage_error;

namespace {

// Run once a story: kept prepared by Store::Impl::statement, which keys them by address.
constexpr const char* kInsertStory = "INSERT INTO stories DEFAULT VALUES RETURNING sequence";

struct StoryGrowth {
  int64_t added = 0;
  std::string first, last;  // the new members' earliest and latest dates; empty: none dated
};

}  // namespace

Result<int64_t> Store::new_story() {
  Database& db = *impl_->db;
  Result<Statement*> inserted = impl_->statement(kInsertStory);
  if (!inserted.ok()) return inserted.error();
  if ((*inserted)->step() != Step::kRow) return storage_error(db, "starting a story");
  const int64_t story = (*inserted)->integer(0);
  if ((*inserted)->step() != Step::kDone) return storage_error(db, "starting a story");
  return story;
}

Status Store::place_in_stories(const std::vector<StoryPlacement>& placements) {
  Database& db = *impl_->db;
  std::map<int64_t, StoryGrowth> growth;
  for (size_t done = 0; done < placements.size(); done += store_internal::kRowsPerInsert) {
    const size_t rows = std::min(store_internal::kRowsPerInsert, placements.size() - done);
    Result<Statement> placed = Statement::prepare(
        db,
        fmt::format("WITH v(article, story, similarity) AS ({}) UPDATE articles SET "
                    "story_sequence = v.story, story_similarity = v.similarity FROM v "
                    "WHERE articles.sequence = v.article",
                    store_internal::typed_values({"BIGINT", "BIGINT", "DOUBLE PRECISION"}, rows)));
    if (!placed.ok()) return placed.error();
    for (size_t row = 0; row < rows; ++row) {
      const StoryPlacement& p = placements[done + row];
      const int at = static_cast<int>(row) * 3;
      placed->bind(at + 1, p.article_sequence).bind(at + 2, p.story);
      if (p.similarity) {
        placed->bind(at + 3, *p.similarity);
      } else {
        placed->bind_null(at + 3);
      }
      StoryGrowth& g = growth[p.story];
      ++g.added;
      if (p.published.empty()) continue;
      if (g.first.empty() || p.published < g.first) g.first = p.published;
      if (g.last.empty() || p.published > g.last) g.last = p.published;
    }
    if (placed->step() != Step::kDone) {
      return storage_error(db, "placing articles in their stories");
    }
  }
  const std::vector<std::pair<int64_t, StoryGrowth>> stories(growth.begin(), growth.end());
  for (size_t done = 0; done < stories.size(); done += store_internal::kRowsPerInsert) {
    const size_t rows = std::min(store_internal::kRowsPerInsert, stories.size() - done);
    Result<Statement> grown = Statement::prepare(
        db,
        fmt::format("WITH v(story, added, first, last) AS ({}) UPDATE stories SET "
                    "article_count = article_count + v.added, "
                    "first_time = CASE WHEN v.first IS NULL THEN first_time "
                    "  WHEN first_time IS NULL OR v.first < first_time THEN v.first "
                    "  ELSE first_time END, "
                    "last_time = CASE WHEN v.last IS NULL THEN last_time "
                    "  WHEN last_time IS NULL OR v.last > last_time THEN v.last ELSE last_time END "
                    "FROM v WHERE stories.sequence = v.story",
                    store_internal::typed_values({"BIGINT", "BIGINT", "TEXT", "TEXT"}, rows)));
    if (!grown.ok()) return grown.error();
    for (size_t row = 0; row < rows; ++row) {
      const auto& [story, g] = stories[done + row];
      const int at = static_cast<int>(row) * 4;
      grown->bind(at + 1, story).bind(at + 2, g.added);
      for (const auto& [index, date] : {std::pair{3, &g.first}, std::pair{4, &g.last}}) {
        if (date->empty()) {
          grown->bind_null(at + index);
        } else {
          grown->bind(at + index, *date);
        }
      }
    }
    if (grown->step() != Step::kDone) return storage_error(db, "updating stories");
  }
  return {};
}

Status Store::for_each_clustered(const std::function<void(const ClusteredArticle&)>& visit,
                                 int64_t after_decision) {
  return store_internal::scan_in_pages(
      *impl_->db, after_decision,
      "SELECT d.decision, a.sequence, a.story_sequence, a.title, a.body, "
      "COALESCE(a.published, ''), COALESCE(a.story_signals, '') FROM decisions d "
      "JOIN articles a ON a.sequence = d.article_sequence "
      "WHERE a.story_sequence IS NOT NULL AND d.decision > ?1 ORDER BY d.decision LIMIT ?2",
      "reading clustered articles", [&](const Statement& row) {
        visit({row.integer(0), row.integer(1), row.integer(2), row.text(3), row.text(4),
               row.text(5), row.text(6)});
      });
}

namespace {

Result<StorySummary> summarise(Database& db, int64_t story, int64_t count, std::string first,
                               std::string last) {
  StorySummary out{story, "", {}, count, std::move(first), std::move(last)};
  Result<Statement> members =
      Statement::prepare(db,
                         "SELECT title, source FROM articles WHERE story_sequence = ?1 "
                         "ORDER BY story_similarity IS NOT NULL, sequence");
  if (!members.ok()) return members.error();
  members->bind(1, story);
  std::set<std::string> outlets;
  Step rc;
  while ((rc = members->step()) == Step::kRow) {
    if (out.title.empty()) out.title = members->text(0);
    if (!members->text(1).empty()) outlets.insert(members->text(1));
  }
  if (rc != Step::kDone) return storage_error(db, "reading a story's members");
  out.outlets.assign(outlets.begin(), outlets.end());
  return out;
}

}  // namespace

namespace {

constexpr const char* kStoryOrder = "ORDER BY last_time IS NULL, last_time DESC, sequence DESC";
// A story's members, earliest first: story_members and story_extractions list them alike, so
// that a story's facts line up with its members.
constexpr const char* kMemberOrder = "ORDER BY a.published IS NULL, a.published, a.sequence";

Result<std::vector<StorySummary>> summarise_rows(Database& db, Statement& stmt) {
  std::vector<StorySummary> out;
  Step rc;
  while ((rc = stmt.step()) == Step::kRow) {
    Result<StorySummary> summary =
        summarise(db, stmt.integer(0), stmt.integer(1), stmt.text(2), stmt.text(3));
    if (!summary.ok()) return summary.error();
    out.push_back(std::move(*summary));
  }
  if (rc != Step::kDone) return storage_error(db, "listing stories");
  return out;
}

}  // namespace

Result<std::vector<StorySummary>> Store::stories(int64_t limit, int64_t offset) {
  Result<Statement> stmt = Statement::prepare(
      *impl_->db, fmt::format("SELECT sequence, article_count, COALESCE(first_time, ''), "
                              "COALESCE(last_time, '') FROM stories {} LIMIT ?1 OFFSET ?2",
                              kStoryOrder));
  if (!stmt.ok()) return stmt.error();
  stmt->bind(1, limit).bind(2, offset);
  return summarise_rows(*impl_->db, *stmt);
}

Result<std::vector<StorySummary>> Store::stories_between(const std::string& since,
                                                         const std::string& until, int64_t limit,
                                                         const StoryListPosition& after) {
  // After (t, s) in the order above: an earlier last_time, the same one and an older story, or
  // undated; after an undated story, only older undated ones.
  Result<Statement> stmt = Statement::prepare(
      *impl_->db, fmt::format("SELECT sequence, article_count, COALESCE(first_time, ''), "
                              "COALESCE(last_time, '') FROM stories "
                              "WHERE (?2 = '' OR substr(last_time, 1, 10) >= ?2) "
                              "AND (?3 = '' OR substr(first_time, 1, 10) <= ?3) "
                              "AND (?4 = 0 OR (?5 <> '' AND (last_time IS NULL OR last_time < ?5 "
                              "  OR (last_time = ?5 AND sequence < ?4))) "
                              "  OR (?5 = '' AND last_time IS NULL AND sequence < ?4)) "
                              "{} LIMIT ?1",
                              kStoryOrder));
  if (!stmt.ok()) return stmt.error();
  stmt->bind(1, limit).bind(2, since).bind(3, until).bind(4, after.story).bind(5, after.last_time);
  return summarise_rows(*impl_->db, *stmt);
}

Result<std::optional<StorySummary>> Store::story(int64_t story) {
  Result<Statement> stmt = Statement::prepare(
      *impl_->db,
      "SELECT article_count, COALESCE(first_time, ''), COALESCE(last_time, '') FROM stories "
      "WHERE sequence = ?1");
  if (!stmt.ok()) return stmt.error();
  stmt->bind(1, story);
  if (stmt->step() != Step::kRow) return std::optional<StorySummary>();
  Result<StorySummary> summary =
      summarise(*impl_->db, story, stmt->integer(0), stmt->text(1), stmt->text(2));
  if (!summary.ok()) return summary.error();
  return std::optional<StorySummary>(std::move(*summary));
}

Status Store::for_each_assignment(const std::function<void(const StoryAssignmentRow&)>& visit) {
  Result<Statement> stmt = Statement::prepare(
      *impl_->db,
      "SELECT id, external_id, COALESCE(story_sequence, 0), 0, sequence FROM articles "
      "UNION ALL SELECT a.id, s.external_id, COALESCE(a.story_sequence, 0), 1, a.sequence "
      "FROM sightings s JOIN articles a ON a.sequence = s.article_sequence "
      "ORDER BY 4, 5");
  if (!stmt.ok()) return stmt.error();
  Step rc;
  while ((rc = stmt->step()) == Step::kRow) {
    visit({stmt->text(0), stmt->text(1), stmt->integer(2), stmt->integer(3) != 0});
  }
  if (rc != Step::kDone) return storage_error(*impl_->db, "reading story assignments");
  return {};
}

Result<int64_t> Store::count_stories() {
  Result<Statement> stmt = Statement::prepare(*impl_->db, "SELECT count(*) FROM stories");
  if (!stmt.ok()) return stmt.error();
  if (stmt->step() != Step::kRow) return storage_error(*impl_->db, "counting stories");
  return stmt->integer(0);
}

Result<std::vector<StoryMember>> Store::story_members(int64_t story) {
  Result<Statement> stmt = Statement::prepare(
      *impl_->db, fmt::format("SELECT {}, COALESCE(a.story_similarity, 0), "
                              "COALESCE(a.family_sequence, a.sequence) FROM articles a "
                              "WHERE a.story_sequence = ?1 {}",
                              impl_->summary_columns(), kMemberOrder));
  if (!stmt.ok()) return stmt.error();
  stmt->bind(1, story);
  std::vector<StoryMember> out;
  Step rc;
  while ((rc = stmt->step()) == Step::kRow)
    out.push_back({store_internal::read_summary(*stmt, 0), stmt->real(7), stmt->integer(8)});
  if (rc != Step::kDone) return storage_error(*impl_->db, "reading a story");
  return out;
}

Result<std::vector<MemberExtraction>> Store::story_extractions(int64_t story) {
  Result<Statement> stmt = Statement::prepare(
      *impl_->db,
      fmt::format("SELECT a.id, a.source, COALESCE(a.published, ''), a.sequence, a.body, "
                  "a.extraction FROM articles a WHERE a.story_sequence = ?1 {}",
                  kMemberOrder));
  if (!stmt.ok()) return stmt.error();
  stmt->bind(1, story);
  std::vector<MemberExtraction> out;
  Step rc;
  while ((rc = stmt->step()) == Step::kRow)
    out.push_back({stmt->text(0), stmt->text(1), stmt->text(2), stmt->integer(3), stmt->text(4),
                   stmt->blob(5)});
  if (rc != Step::kDone) return storage_error(*impl_->db, "reading a story's extractions");
  return out;
}

}  // namespace khabar
