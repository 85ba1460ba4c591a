#include "khabar/store.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <libpq-fe.h>
#include <signal.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <thread>

#include "khabar/fingerprint.h"
#include "store/store_testing.h"

namespace khabar {
namespace {

using ::testing::HasSubstr;

// A test's stores: SQLite files, or PostgreSQL schemas when the suite runs there.
class TempDb {
 public:
  TempDb() {
    char pattern[] = "/tmp/khabar-store-XXXXXX";
    dir_ = mkdtemp(pattern);
  }
  ~TempDb() {
    locations_.clear();
    std::filesystem::remove_all(dir_);
  }
  const std::string& path(const char* name = "test.db") {
    auto& location = locations_[name];
    if (location == nullptr)
      location = std::make_unique<store_testing::TestStoreLocation>(dir_, name);
    return location->location();
  }
  // For tests of SQLite's file format itself.
  std::string file(const char* name = "test.db") const { return (dir_ / name).string(); }

 private:
  std::filesystem::path dir_;
  std::map<std::string, std::unique_ptr<store_testing::TestStoreLocation>> locations_;
};

#define SKIP_ON_POSTGRES()                                                          \
  if (store_testing::TestStoreLocation::on_postgres()) {                            \
    GTEST_SKIP() << "a test of SQLite's file format; the suite runs on PostgreSQL"; \
  }

StoredArticle make_article(int n) {
  StoredArticle a;
  a.body = "نص الخبر رقم " + std::to_string(n);
  a.id = article_id(a.body);
  a.title = "عنوان " + std::to_string(n);
  a.source = "الثورة";
  a.lang = "ar";
  a.lang_confidence = 0.99;
  a.byline = {{"وكالات"}, "الثورة", "ريم صالح", "وكالات – الثورة – ريم صالح"};
  a.subheads = {"انقلاب فاشل"};
  a.raw_text = "عنوان\n" + a.body + "\nآخر الأخبار";
  a.removals = {{0, 10, Removal::Kind::kMovedToMetadata, "title", "headline"},
                {30, 52, Removal::Kind::kRemoved, "boilerplate-heading", "heads a list"}};
  a.origin = "seeds/a.txt";
  a.format = "text";
  a.encoding = "utf-8";
  a.ingested_at = "2026-11-24T08:00:00Z";
  return a;
}

Store open_or_die(const std::string& path) {
  Result<Store> store = Store::open(path);
  EXPECT_TRUE(store.ok()) << (store.ok() ? "" : store.error().message);
  return std::move(store).value();
}

TEST(Store, RoundTripsEverythingIncludingTheAudit) {
  TempDb db;
  Store store = open_or_die(db.path());
  const StoredArticle original = make_article(1);
  ASSERT_TRUE(store.begin().ok());
  ASSERT_TRUE(store.insert(original)->inserted);
  ASSERT_TRUE(store.commit().ok());

  auto found = store.get(original.id);
  ASSERT_TRUE(found.ok());
  ASSERT_TRUE(found->has_value());
  const StoredArticle& a = **found;
  EXPECT_EQ(a.title, original.title);
  EXPECT_EQ(a.body, original.body);
  EXPECT_EQ(a.raw_text, original.raw_text);
  EXPECT_EQ(a.byline.agencies, original.byline.agencies);
  EXPECT_EQ(a.byline.editor, "ريم صالح");
  EXPECT_EQ(a.subheads, original.subheads);
  EXPECT_TRUE(a.published.empty());
  ASSERT_EQ(a.removals.size(), 2u);
  EXPECT_EQ(a.removals[1].rule, "boilerplate-heading");
  EXPECT_EQ(a.removals[0].kind, Removal::Kind::kMovedToMetadata);
  EXPECT_EQ(a.removals[1].begin, 30u);
  EXPECT_EQ(a.sequence, 1);
}

TEST(Store, AnEmptyLocationIsRefused) {
  // SQLite opened a temporary database for it: `--db ''` stored everything, exited 0, kept nothing.
  Result<Store> store = Store::open("");
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.error().code, ErrorCode::kInvalidArgument);
  EXPECT_NE(store.error().message.find("empty"), std::string::npos);
}

TEST(Store, SameIdIsStoredOnce) {
  TempDb db;
  Store store = open_or_die(db.path());
  ASSERT_TRUE(store.begin().ok());
  EXPECT_TRUE(store.insert(make_article(1))->inserted);
  EXPECT_FALSE(store.insert(make_article(1))->inserted);
  ASSERT_TRUE(store.commit().ok());
  EXPECT_EQ(*store.count_articles(), 1);
  EXPECT_TRUE(*store.contains(make_article(1).id));
  EXPECT_FALSE(*store.contains(make_article(2).id));
}

TEST(Store, RolledBackBatchLeavesNothing) {
  TempDb db;
  Store store = open_or_die(db.path());
  ASSERT_TRUE(store.begin().ok());
  ASSERT_TRUE(store.insert(make_article(1))->inserted);
  ASSERT_TRUE(store.rollback().ok());
  EXPECT_EQ(*store.count_articles(), 0);
}

TEST(Store, LooksUpByPrefixAndRejectsBadIds) {
  TempDb db;
  Store store = open_or_die(db.path());
  const StoredArticle a = make_article(7);
  ASSERT_TRUE(store.insert(a).ok());
  auto by_prefix = store.get(a.id.substr(0, 6));
  ASSERT_TRUE(by_prefix.ok());
  ASSERT_TRUE(by_prefix->has_value());
  EXPECT_EQ((*by_prefix)->id, a.id);
  auto missing = store.get("0000000000000000");
  ASSERT_TRUE(missing.ok());
  EXPECT_FALSE(missing->has_value());
  auto bad = store.get("not-an-id");
  ASSERT_FALSE(bad.ok());
  EXPECT_THAT(bad.error().message, HasSubstr("is not an article id"));
}

TEST(Store, ListsInIngestOrder) {
  TempDb db;
  Store store = open_or_die(db.path());
  for (int n : {3, 1, 2})
    ASSERT_TRUE(store.insert(make_article(n)).ok());
  auto list = store.list(10);
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->size(), 3u);
  EXPECT_EQ((*list)[0].title, "عنوان 3");
  EXPECT_EQ((*list)[2].title, "عنوان 2");
  EXPECT_EQ(store.list(1, 1)->at(0).title, "عنوان 1");
}

TEST(Store, UsesWalAndRecordsTheSchemaVersion) {
  SKIP_ON_POSTGRES();
  TempDb db;
  { Store store = open_or_die(db.file()); }
  sqlite3* raw = nullptr;
  ASSERT_EQ(sqlite3_open(db.file().c_str(), &raw), SQLITE_OK);
  sqlite3_stmt* stmt = nullptr;
  sqlite3_prepare_v2(raw, "PRAGMA user_version", -1, &stmt, nullptr);
  ASSERT_EQ(sqlite3_step(stmt), SQLITE_ROW);
  EXPECT_EQ(sqlite3_column_int(stmt, 0), kSchemaVersion);
  sqlite3_finalize(stmt);
  sqlite3_prepare_v2(raw, "PRAGMA journal_mode", -1, &stmt, nullptr);
  ASSERT_EQ(sqlite3_step(stmt), SQLITE_ROW);
  EXPECT_STREQ(reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0)), "wal");
  sqlite3_finalize(stmt);
  sqlite3_close(raw);
  Store again = open_or_die(db.file());  // re-opening an up-to-date schema changes nothing
  EXPECT_EQ(*again.count_articles(), 0);
}

// A database written by the first release (schema 1: articles.normalized_body, removals keyed
// by article id) opens, migrates, and keeps its articles and their audits.
TEST(Store, MigratesASchemaOneDatabase) {
  SKIP_ON_POSTGRES();
  TempDb db;
  sqlite3* raw = nullptr;
  ASSERT_EQ(sqlite3_open(db.file().c_str(), &raw), SQLITE_OK);
  const char* schema_one = R"sql(
    CREATE TABLE articles (sequence INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE,
      title TEXT NOT NULL DEFAULT '', source TEXT NOT NULL DEFAULT '', url TEXT NOT NULL DEFAULT '',
      published TEXT, lang TEXT NOT NULL DEFAULT 'und', lang_confidence REAL NOT NULL DEFAULT 0,
      byline_json TEXT NOT NULL DEFAULT '{}', subheads_json TEXT NOT NULL DEFAULT '[]',
      body TEXT NOT NULL, normalized_body TEXT NOT NULL, raw_text TEXT NOT NULL,
      origin TEXT NOT NULL, format TEXT NOT NULL, encoding TEXT NOT NULL,
      external_id TEXT NOT NULL DEFAULT '', metadata_json TEXT NOT NULL DEFAULT '',
      ingested_at TEXT NOT NULL);
    CREATE INDEX articles_published ON articles(published);
    CREATE INDEX articles_source ON articles(source);
    CREATE TABLE removals (article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
      seq INTEGER NOT NULL, begin_byte INTEGER NOT NULL, end_byte INTEGER NOT NULL,
      kind TEXT NOT NULL, rule TEXT NOT NULL, reason TEXT NOT NULL,
      PRIMARY KEY (article_id, seq)) WITHOUT ROWID;
    INSERT INTO articles (id, title, body, normalized_body, raw_text, origin, format, encoding,
      ingested_at) VALUES ('0123456789abcdef', 'عنوان', 'نص', 'نص', 'نص', 'a.txt', 'text',
      'utf-8', '2026-01-01T00:00:00Z');
    INSERT INTO removals VALUES ('0123456789abcdef', 0, 0, 2, 'removed', 'teaser', 'a tease');
    PRAGMA user_version = 1;)sql";
  ASSERT_EQ(sqlite3_exec(raw, schema_one, nullptr, nullptr, nullptr), SQLITE_OK);
  sqlite3_close(raw);

  Store store = open_or_die(db.file());
  Result<std::optional<StoredArticle>> a = store.get("0123456789abcdef");
  ASSERT_TRUE(a.ok() && a->has_value());
  EXPECT_EQ((*a)->title, "عنوان");
  EXPECT_EQ((*a)->body, "نص");
  ASSERT_EQ((*a)->removals.size(), 1u);
  EXPECT_EQ((*a)->removals[0].rule, "teaser");
  EXPECT_EQ((*a)->removals[0].end, 2u);
  // Articles stored before the search index existed are indexed by the migration.
  Result<SearchPage> hits = store.search({.text = "عنوان"});
  ASSERT_TRUE(hits.ok()) << hits.error().message;
  ASSERT_EQ(hits->hits.size(), 1u);
  EXPECT_EQ(hits->hits.front().article_id, "0123456789abcdef");
  // Articles stored before the decision order are decided in ingest order.
  std::vector<int64_t> decided;
  ASSERT_TRUE(store
                  .for_each_duplicate_keys([&](int64_t decision, int64_t sequence,
                                               const std::string&, const std::string&) {
                    decided = {decision, sequence};
                  })
                  .ok());
  EXPECT_EQ(decided, (std::vector<int64_t>{(*a)->sequence, (*a)->sequence}));
}

// Workers insert side by side and decide one at a time, so an article's sequence is not its
// place in the decision order, which is what the others learn decisions by.
TEST(Store, ScansDecidedArticlesInDecisionOrder) {
  TempDb db;
  Store store = open_or_die(db.path());
  ASSERT_TRUE(store.begin().ok());
  std::vector<int64_t> sequences;
  for (int n = 0; n < 3; ++n) {
    Result<Store::InsertOutcome> inserted = store.insert(make_article(n));
    ASSERT_TRUE(inserted.ok()) << inserted.error().message;
    sequences.push_back(inserted->sequence);
  }
  Result<int64_t> none = store.last_decision();
  ASSERT_TRUE(none.ok());
  EXPECT_EQ(*none, 0);
  // The third article was decided first; the first is not decided yet.
  ASSERT_TRUE(store.record_decisions(1, {sequences[2], sequences[1]}).ok());
  ASSERT_TRUE(store.add_duplicate_keys(sequences[2], std::string("k\0eys", 5)).ok());
  ASSERT_TRUE(store.commit().ok());
  Result<int64_t> last = store.last_decision();
  ASSERT_TRUE(last.ok());
  EXPECT_EQ(*last, 2);

  std::vector<std::pair<int64_t, int64_t>> seen;
  ASSERT_TRUE(store
                  .for_each_duplicate_keys([&](int64_t decision, int64_t sequence,
                                               const std::string& keys, const std::string& body) {
                    seen.emplace_back(decision, sequence);
                    // The body where there are no keys, the keys alone where there are.
                    EXPECT_EQ(keys.empty(), sequence == sequences[1]);
                    EXPECT_EQ(body.empty(), sequence != sequences[1]);
                    if (!keys.empty()) {
                      EXPECT_EQ(keys, std::string("k\0eys", 5));
                    }
                  })
                  .ok());
  EXPECT_EQ(seen, (std::vector<std::pair<int64_t, int64_t>>{{1, sequences[2]}, {2, sequences[1]}}));
  seen.clear();
  ASSERT_TRUE(store
                  .for_each_duplicate_keys(
                      [&](int64_t decision, int64_t sequence, const std::string&,
                          const std::string&) { seen.emplace_back(decision, sequence); },
                      1)
                  .ok());
  EXPECT_EQ(seen, (std::vector<std::pair<int64_t, int64_t>>{{2, sequences[1]}}));
  // An article is decided once.
  ASSERT_TRUE(store.begin().ok());
  EXPECT_FALSE(store.record_decisions(3, {sequences[2]}).ok());
  ASSERT_TRUE(store.rollback().ok());
}

// A worker waiting for an earlier batch while holding an exact copy of one of its articles
// would wait for a writer that waits for it: it must see that writer.
TEST(Store, SeesAWriterBlockedOnItsRows) {
  TempDb db;
  Store holder = open_or_die(db.path());
  if (!holder.writes_concurrently()) {
    Result<bool> blocking = holder.blocking_others();
    ASSERT_TRUE(blocking.ok());
    EXPECT_FALSE(*blocking);
    GTEST_SKIP() << "SQLite writers wait for the whole transaction";
  }
  Store other = open_or_die(db.path());
  ASSERT_TRUE(holder.begin().ok());
  ASSERT_TRUE(holder.insert(make_article(1)).ok());
  Result<bool> alone = holder.blocking_others();
  ASSERT_TRUE(alone.ok()) << alone.error().message;
  EXPECT_FALSE(*alone);

  std::atomic<bool> other_done{false};
  Result<Store::InsertOutcome> other_outcome = Store::InsertOutcome{};
  std::thread blocked([&] {
    if (other.begin().ok()) other_outcome = other.insert(make_article(1));
    (void)other.commit();
    other_done = true;
  });
  bool seen = false;
  for (int tries = 0; tries < 500 && !seen; ++tries) {
    Result<bool> blocking = holder.blocking_others();
    ASSERT_TRUE(blocking.ok()) << blocking.error().message;
    seen = *blocking;
    if (!seen) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_TRUE(seen);
  EXPECT_FALSE(other_done);
  // Giving the row up lets the other writer store the article.
  ASSERT_TRUE(holder.rollback().ok());
  blocked.join();
  ASSERT_TRUE(other_outcome.ok()) << other_outcome.error().message;
  EXPECT_TRUE(other_outcome->inserted);
}

// Two batches holding copies of the same articles in different orders: the second waits for
// the first as a whole, instead of each inserting one and waiting for the other's.
TEST(Store, IdsAreLockedInOneOrderForEveryWriter) {
  TempDb db;
  Store first = open_or_die(db.path());
  if (!first.writes_concurrently()) GTEST_SKIP() << "SQLite batches exclude each other";
  Store second = open_or_die(db.path());
  const std::string x = make_article(1).id, y = make_article(2).id;
  ASSERT_TRUE(first.begin().ok());
  ASSERT_TRUE(first.lock_ids({x, y}).ok());
  std::atomic<bool> second_locked{false};
  std::thread other([&] {
    if (second.begin().ok() && second.lock_ids({y, x}).ok()) second_locked = true;
    (void)second.rollback();
  });
  bool blocked = false;
  for (int tries = 0; tries < 500 && !blocked; ++tries) {
    Result<bool> blocking = first.blocking_others();
    ASSERT_TRUE(blocking.ok());
    blocked = *blocking;
    if (!blocked) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_TRUE(blocked);
  EXPECT_FALSE(second_locked);
  ASSERT_TRUE(first.insert(make_article(1)).ok());
  ASSERT_TRUE(first.commit().ok());
  other.join();
  EXPECT_TRUE(second_locked);
  EXPECT_FALSE(first.lock_ids({"not-hex"}).ok());
}

TEST(Store, RefusesADatabaseFromANewerKhabar) {
  SKIP_ON_POSTGRES();
  TempDb db;
  sqlite3* raw = nullptr;
  ASSERT_EQ(sqlite3_open(db.file().c_str(), &raw), SQLITE_OK);
  sqlite3_exec(raw, "PRAGMA user_version = 99", nullptr, nullptr, nullptr);
  sqlite3_close(raw);
  Result<Store> store = Store::open(db.file());
  ASSERT_FALSE(store.ok());
  EXPECT_THAT(store.error().message, HasSubstr("schema version 99 is newer"));
}

TEST(Store, RefusesAPostgresSchemaFromANewerKhabar) {
  if (!store_testing::TestStoreLocation::on_postgres()) GTEST_SKIP() << "runs on PostgreSQL";
  TempDb db;
  {
    Store store = open_or_die(db.path());
    ASSERT_TRUE(store.begin().ok());
    ASSERT_TRUE(store.insert(make_article(1)).ok());
    ASSERT_TRUE(store.commit().ok());
  }
  PGconn* conn = PQconnectdb(db.path().c_str());
  ASSERT_EQ(PQstatus(conn), CONNECTION_OK);
  PQclear(PQexec(conn, "UPDATE khabar_schema SET version = 99"));
  PQfinish(conn);
  Result<Store> store = Store::open(db.path());
  ASSERT_FALSE(store.ok());
  EXPECT_THAT(store.error().message, HasSubstr("schema version 99 is newer"));
}

// Workers started together each open the store: one migrates, the others wait for it and find
// the schema ready, and none fails.
TEST(Store, ConcurrentOpensMigrateOnce) {
  TempDb db;
  const std::string location = db.path();
  std::vector<std::thread> openers;
  std::atomic<int> opened{0};
  std::string failure;
  std::mutex failure_mutex;
  for (int i = 0; i < 4; ++i) {
    openers.emplace_back([&] {
      Result<Store> store = Store::open(location);
      if (store.ok()) {
        ++opened;
      } else {
        std::lock_guard lock(failure_mutex);
        failure = store.error().message;
      }
    });
  }
  for (std::thread& t : openers)
    t.join();
  EXPECT_EQ(opened, 4) << failure;
}

TEST(Store, ReportsAnUnreachableServerWithoutItsPassword) {
  Result<Store> store = Store::open("postgresql://khabar:secret@127.0.0.1:1/khabar");
  ASSERT_FALSE(store.ok());
  EXPECT_THAT(store.error().message, HasSubstr("postgresql://khabar:***@127.0.0.1:1/khabar"));
  EXPECT_THAT(store.error().message, HasSubstr("cannot connect"));
  EXPECT_THAT(store.error().message, ::testing::Not(HasSubstr("secret")));
  EXPECT_EQ(Store::shown("postgres://u:pw@h/d?password=pw2&sslmode=require"),
            "postgres://u:***@h/d?password=***&sslmode=require");
  EXPECT_EQ(Store::shown("/data/khabar.db"), "/data/khabar.db");
}

TEST(Store, RefusesAFileThatIsNotADatabase) {
  SKIP_ON_POSTGRES();
  TempDb db;
  std::ofstream(db.file("notes.db")) << "this is a text file, not SQLite, and it is long enough";
  Result<Store> store = Store::open(db.file("notes.db"));
  ASSERT_FALSE(store.ok());
  EXPECT_THAT(store.error().message, HasSubstr("notes.db"));
}

// A child process stores batches and reports each commit on a pipe; it is killed with SIGKILL
// in the middle of a later batch. Everything reported must be there, and the database must
// open and accept more.
// A snapshot is bytes, every value of them (NUL included); of two saved under one name the one
// of the later decision stays, whichever writer saves last.
TEST(Store, KeepsTheNewerSnapshotByteForByte) {
  TempDb db;
  Store store = open_or_die(db.path());
  Result<std::optional<Store::Snapshot>> none = store.snapshot("stories");
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->has_value());
  std::string bytes;
  for (int i = 0; i < 1024; ++i)
    bytes += static_cast<char>(i * 7 % 256);
  ASSERT_TRUE(store.save_snapshot("stories", 5, bytes).ok());
  ASSERT_TRUE(store.save_snapshot("stories", 3, "older").ok());
  Result<std::optional<Store::Snapshot>> read = store.snapshot("stories");
  ASSERT_TRUE(read.ok() && read->has_value());
  EXPECT_EQ((*read)->decision, 5);
  EXPECT_EQ((*read)->data, bytes);
  ASSERT_TRUE(store.save_snapshot("stories", 9, std::string_view("\0x", 2)).ok());
  read = store.snapshot("stories");
  EXPECT_EQ((*read)->data, std::string_view("\0x", 2));
  // A newer one of the same kind under another fingerprint replaces the older ones of the kind.
  ASSERT_TRUE(store.save_snapshot("kind:a", 4, "a").ok());
  ASSERT_TRUE(store.save_snapshot("kind:b", 6, "b").ok());
  ASSERT_TRUE(store.save_snapshot("other:c", 1, "c").ok());
  Result<std::vector<Store::Snapshot>> all = store.snapshots();
  ASSERT_TRUE(all.ok());
  std::vector<std::string> names;
  for (const Store::Snapshot& s : *all)
    names.push_back(s.name);
  EXPECT_EQ(names, (std::vector<std::string>{"kind:b", "other:c", "stories"}));
  ASSERT_TRUE(store.drop_snapshots().ok());
  read = store.snapshot("stories");
  EXPECT_FALSE(read->has_value());
}

TEST(Store, EntitiesAndTheirMentionsAreReplacedNotAdded) {
  TempDb tmp;
  Store store = open_or_die(tmp.path());
  ASSERT_TRUE(store.begin().ok());
  const int64_t article = store.insert(make_article(1))->sequence;
  Result<int64_t> city = store.add_entity(
      {.key = "place:SY-DAM", .type = "place", .canonical = "دمشق", .country = "SY"});
  ASSERT_TRUE(city.ok()) << city.error().message;
  Result<int64_t> again = store.add_entity({.key = "place:SY-DAM", .type = "place"});
  ASSERT_TRUE(again.ok()) << again.error().message;
  EXPECT_EQ(*again, *city) << "a key names one entity";
  EXPECT_EQ(*store.count_awaiting_entities(), 1);
  const EntityMentionRecord mention{.entity = *city, .begin = 0, .end = 8, .surface = "دمشق"};
  ASSERT_TRUE(store.set_entity_mentions(article, {mention, mention}, "").ok());
  ASSERT_TRUE(store.set_entity_mentions(article, {mention}, "x").ok());
  ASSERT_TRUE(store.commit().ok());
  EXPECT_EQ(*store.count_awaiting_entities(), 0);
  EXPECT_EQ(store.entity_mentions_of(article)->size(), 1u);

  Result<EntityProfile> profile = store.entity_profile(*city, 10);
  ASSERT_TRUE(profile.ok()) << profile.error().message;
  EXPECT_EQ(profile->articles, 1);
  ASSERT_EQ(profile->aliases.size(), 1u);
  EXPECT_EQ(profile->aliases[0].count, 1);
  EXPECT_EQ(profile->outlets[0].value, "الثورة");
  ASSERT_TRUE(store.rename_entity(*city, "مدينة دمشق", "مدينه دمشق").ok());
  EXPECT_EQ((*store.find_entity("place:SY-DAM"))->canonical, "مدينة دمشق");

  EXPECT_FALSE(store.find_entity(std::to_string(*city + 1))->has_value());
  Result<std::optional<StoredEntity>> bad = store.find_entity("دمشق");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, ErrorCode::kInvalidArgument);
  Result<EntityProfile> missing = store.entity_profile(*city + 1, 10);
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, ErrorCode::kNotFound);
}

// A new article's mentions go in without a replace (by COPY on PostgreSQL, whose text format
// escapes tabs, newlines and backslashes), one per key, and the article, stored with its
// extraction, is marked extracted.
TEST(Store, ANewArticlesMentionsKeepTheirTextAndTheirFirstOfAKey) {
  TempDb tmp;
  Store store = open_or_die(tmp.path());
  ASSERT_TRUE(store.begin().ok());
  StoredArticle extracted = make_article(1);
  extracted.extraction = std::string("\0stored", 7);
  const int64_t article = store.insert(extracted, true)->sequence;
  Result<int64_t> city = store.add_entity({.key = "place:SY-DAM", .type = "place"});
  ASSERT_TRUE(city.ok()) << city.error().message;
  const std::string odd = "دمشق\t\\N\n\\";
  ASSERT_TRUE(store
                  .add_entity_mentions(article, {{*city, 0, 8, false, odd},
                                                 {*city, 0, 8, false, "later, same key"},
                                                 {*city, 0, 8, true, "in the title"}})
                  .ok());
  ASSERT_TRUE(store.commit().ok());
  EXPECT_EQ(*store.count_awaiting_entities(), 0);
  Result<std::vector<EntityMentionRecord>> mentions = store.entity_mentions_of(article);
  ASSERT_TRUE(mentions.ok()) << mentions.error().message;
  ASSERT_EQ(mentions->size(), 2u);
  std::set<std::string> surfaces;
  for (const EntityMentionRecord& m : *mentions)
    surfaces.insert(m.surface);
  EXPECT_EQ(surfaces, (std::set<std::string>{odd, "in the title"}));
}

// Workers link mentions under the writers' lock but store them after the commit; what one
// process set aside, any process stores, once.
TEST(Store, DeferredMentionsAreStoredOnceAfterTheCommit) {
  TempDb tmp;
  Store store = open_or_die(tmp.path());
  Store other = open_or_die(tmp.path());
  ASSERT_TRUE(store.begin().ok());
  std::vector<ArticleMentions> deferred;
  Result<int64_t> city = store.add_entity({.key = "place:SY-DAM", .type = "place"});
  ASSERT_TRUE(city.ok());
  for (int n = 0; n < 3; ++n) {
    const int64_t article = store.insert(make_article(n), true)->sequence;
    deferred.push_back({article, {{*city, 0, 8, false, "دمشق"}, {*city, 20, 28, false, "الشام"}}});
  }
  ASSERT_TRUE(store.defer_entity_mentions(deferred).ok());
  ASSERT_TRUE(store.commit().ok());
  const size_t stored_at_once = store.writes_concurrently() ? 0u : 2u;
  EXPECT_EQ(store.entity_mentions_of(deferred[0].article_sequence)->size(), stored_at_once);

  Result<int64_t> applied = other.apply_deferred_mentions();
  ASSERT_TRUE(applied.ok()) << applied.error().message;
  EXPECT_EQ(*applied, store.writes_concurrently() ? 3 : 0);
  Result<int64_t> again = store.apply_deferred_mentions();
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*again, 0);
  for (const ArticleMentions& article : deferred) {
    Result<std::vector<EntityMentionRecord>> mentions =
        store.entity_mentions_of(article.article_sequence);
    ASSERT_TRUE(mentions.ok());
    ASSERT_EQ(mentions->size(), 2u);
    EXPECT_EQ((*mentions)[1].surface, "الشام");
  }
}

// A batch's placements go in together: each story counts its new members and widens its span
// to their dates, undated ones leaving it as it is.
TEST(Store, PlacementsCountMembersAndWidenTheirStoriesSpans) {
  TempDb tmp;
  Store store = open_or_die(tmp.path());
  ASSERT_TRUE(store.begin().ok());
  std::vector<int64_t> articles;
  for (int n = 0; n < 4; ++n)
    articles.push_back(store.insert(make_article(n))->sequence);
  Result<int64_t> first = store.new_story();
  Result<int64_t> second = store.new_story();
  ASSERT_TRUE(first.ok() && second.ok());
  ASSERT_TRUE(store
                  .place_in_stories({{articles[0], *first, std::nullopt, "2022-01-06"},
                                     {articles[1], *second, std::nullopt, ""},
                                     {articles[2], *first, 0.5, "2022-01-05"}})
                  .ok());
  ASSERT_TRUE(store.place_in_stories({{articles[3], *first, 0.25, "2022-01-09"}}).ok());
  ASSERT_TRUE(store.commit().ok());

  Result<std::optional<StorySummary>> one = store.story(*first);
  ASSERT_TRUE(one.ok() && one->has_value());
  EXPECT_EQ((*one)->article_count, 3);
  EXPECT_EQ((*one)->first_time, "2022-01-05");
  EXPECT_EQ((*one)->last_time, "2022-01-09");
  Result<std::optional<StorySummary>> two = store.story(*second);
  ASSERT_TRUE(two.ok() && two->has_value());
  EXPECT_EQ((*two)->article_count, 1);
  EXPECT_EQ((*two)->first_time, "");
  Result<std::vector<StoryMember>> members = store.story_members(*first);
  ASSERT_TRUE(members.ok());
  ASSERT_EQ(members->size(), 3u);
  std::map<int64_t, double> similarity;
  for (const StoryMember& m : *members)
    similarity[m.article.sequence] = m.similarity;
  EXPECT_EQ(similarity,
            (std::map<int64_t, double>{{articles[0], 0}, {articles[2], 0.5}, {articles[3], 0.25}}));
}

TEST(Store, KillDuringABatchLosesNothingCommitted) {
  TempDb db;
  { Store create = open_or_die(db.path()); }
  int pipe_fds[2];
  ASSERT_EQ(pipe(pipe_fds), 0);
  const pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    close(pipe_fds[0]);
    Result<Store> store = Store::open(db.path());
    if (!store.ok()) _exit(3);
    for (int batch = 0;; ++batch) {
      if (!store->begin().ok()) _exit(4);
      for (int i = 0; i < 200; ++i) {
        if (!store->insert(make_article(batch * 200 + i)).ok()) _exit(5);
      }
      if (!store->commit().ok()) _exit(6);
      const int32_t committed = (batch + 1) * 200;
      if (write(pipe_fds[1], &committed, sizeof committed) != sizeof committed) _exit(7);
    }
  }
  close(pipe_fds[1]);
  int32_t reported = 0;
  for (int n = 0; n < 5; ++n)
    ASSERT_EQ(read(pipe_fds[0], &reported, sizeof reported), 4);
  kill(child, SIGKILL);
  int status = 0;
  waitpid(child, &status, 0);
  close(pipe_fds[0]);
  ASSERT_TRUE(WIFSIGNALED(status));

  Store store = open_or_die(db.path());
  const int64_t count = *store.count_articles();
  EXPECT_GE(count, reported);
  EXPECT_EQ(count % 200, 0) << "a batch is stored whole or not at all";
  for (int n = 0; n < reported; n += 97) {
    auto found = store.get(make_article(n).id);
    ASSERT_TRUE(found.ok());
    EXPECT_TRUE(found->has_value()) << "article " << n << " was reported stored";
  }
  EXPECT_TRUE(store.insert(make_article(1'000'000))->inserted);
}

}  // namespace
}  // namespace khabar
