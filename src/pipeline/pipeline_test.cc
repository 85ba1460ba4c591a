#include "khabar/pipeline.h"

#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <thread>

#include "khabar/article_json.h"
#include "khabar/facts_json.h"
#include "khabar/fingerprint.h"
#include "khabar/normalize.h"
#include "store/store_testing.h"

namespace khabar {
namespace {

using ::testing::HasSubstr;

class Recorder : public IngestObserver {
 public:
  void on_problem(const Problem& p) override { problems.push_back(p.to_string()); }
  void on_commit(const IngestCounts& c) override { commits.push_back(c.stored); }
  std::vector<std::string> problems;
  std::vector<uint64_t> commits;
};

class PipelineTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char pattern[] = "/tmp/khabar-pipeline-XXXXXX";
    dir_ = mkdtemp(pattern);
    Result<Store> opened = Store::open(location("k.db"));
    ASSERT_TRUE(opened.ok()) << opened.error().message;
    store_ = std::make_unique<Store>(std::move(opened).value());
  }
  void TearDown() override {
    store_.reset();
    locations_.clear();
    std::filesystem::remove_all(dir_);
  }
  // A store of this test's: a file in dir_, or a PostgreSQL schema (src/store/store_testing.h).
  const std::string& location(const std::string& name) {
    auto& made = locations_[name];
    if (made == nullptr) made = std::make_unique<store_testing::TestStoreLocation>(dir_, name);
    return made->location();
  }
  std::string write(const std::string& name, const std::string& content) {
    std::ofstream(dir_ / name, std::ios::binary) << content;
    return (dir_ / name).string();
  }
  // Without entity extraction, whose loading (Hunspell's dictionary) takes seconds under the
  // sanitizers: the tests of the other stages need none, and ingest_all runs everything.
  IngestCounts ingest(const std::vector<std::string>& paths, Recorder& recorder,
                      PipelineOptions options = without_entities()) {
    Result<IngestCounts> counts = ingest_paths(paths, *store_, options, recorder);
    EXPECT_TRUE(counts.ok()) << counts.error().message;
    return counts.ok() ? *counts : IngestCounts{};
  }
  IngestCounts ingest_all(const std::vector<std::string>& paths, Recorder& recorder) {
    return ingest(paths, recorder, PipelineOptions{});
  }
  static PipelineOptions without_entities() {
    PipelineOptions options;
    options.extract_entities = false;
    return options;
  }

  std::filesystem::path dir_;
  std::map<std::string, std::unique_ptr<store_testing::TestStoreLocation>> locations_;
  std::unique_ptr<Store> store_;
};

const std::string kBody =
    "أعلنت الحكومة اليوم عن خطة جديدة لدعم المشاريع الصغيرة، وقالت إنها ستبدأ الشهر المقبل.";

TEST(ArticleJson, MetadataTooDeepToWriteIsShownAsItsText) {
  // A store written before ingest refused such metadata: show, export and the API wrote it
  // out by recursion and crashed.
  StoredArticle article;
  article.metadata_json = "{\"m\":" + std::string(60000, '[') + std::string(60000, ']') + "}";
  const nlohmann::json out = article_to_json(article);
  ASSERT_TRUE(out["metadata"].is_string());
  EXPECT_EQ(out["metadata"].get<std::string>().size(), article.metadata_json.size());
  article.metadata_json = R"({"tags": [["a"]]})";
  EXPECT_EQ(article_to_json(article)["metadata"]["tags"][0][0], "a");
}

TEST_F(PipelineTest, SeedsAreStoredOnceAndReingestIsIdempotent) {
  Recorder first;
  const IngestCounts counts = ingest({KHABAR_SEEDS_DIR}, first);
  EXPECT_EQ(counts.read, 2u);
  EXPECT_EQ(counts.stored, 2u);
  EXPECT_EQ(counts.rejected, 0u);
  EXPECT_EQ(counts.skipped_files, 1u) << "EXPECTED.md is not an article";
  Recorder second;
  const IngestCounts again = ingest({KHABAR_SEEDS_DIR}, second);
  EXPECT_EQ(again.stored, 0u);
  EXPECT_EQ(again.already_present, 2u);
  EXPECT_EQ(*store_->count_articles(), 2);
}

TEST_F(PipelineTest, SeedArticlesCarryTheirMetadata) {
  Recorder recorder;
  ingest({KHABAR_SEEDS_DIR}, recorder);
  auto list = store_->list(10);
  ASSERT_EQ(list->size(), 2u);
  auto first = store_->get(list->at(0).id);
  const StoredArticle& a = **first;
  EXPECT_EQ(a.title, "موسكو: عصابات إرهابية دولية شاركت في أحداث كازاخستان");
  EXPECT_EQ(a.source, "الثورة") << "from the byline when the source names no outlet";
  EXPECT_TRUE(a.published.empty()) << "no date is invented";
  EXPECT_EQ(a.lang, "ar");
  EXPECT_GT(a.lang_confidence, 0.9);
  EXPECT_TRUE(is_article_id(a.id));
  EXPECT_EQ(a.id, article_id(Normalizer().normalize(a.body)));
  EXPECT_FALSE(a.removals.empty());
  EXPECT_EQ(a.raw_text.size(), std::filesystem::file_size(std::string(KHABAR_SEEDS_DIR) +
                                                          "/000_c4f2777355f3312b.txt"));
}

TEST_F(PipelineTest, SameArticleFromTwoFilesIsStoredOnce) {
  const std::string a = write("a.txt", "خطة لدعم المشاريع\n\n" + kBody);
  const std::string b = write("b.jsonl", "{\"text\":\"" + kBody + "\",\"title\":\"خطة\"}\n");
  Recorder recorder;
  const IngestCounts counts = ingest({a, b}, recorder);
  EXPECT_EQ(counts.stored, 1u);
  EXPECT_EQ(counts.already_present, 1u);
}

TEST_F(PipelineTest, BadInputIsReportedAndTheRestGoesIn) {
  const std::string good = write("good.txt", kBody);
  const std::string boiler = write("boiler.txt", "[two-column]\n[/two-column]\n");
  const std::string binary = write("bin.txt", std::string("\0\1\2", 3));
  Recorder recorder;
  const IngestCounts counts = ingest({good, boiler, binary, (dir_ / "missing").string()}, recorder);
  EXPECT_EQ(counts.stored, 1u);
  EXPECT_EQ(counts.rejected, 3u);
  ASSERT_EQ(recorder.problems.size(), 3u);
  EXPECT_THAT(recorder.problems[0], HasSubstr("boiler.txt: nothing left after cleaning"));
  EXPECT_THAT(recorder.problems[1], HasSubstr("bin.txt: byte 0: binary file"));
  EXPECT_THAT(recorder.problems[2], HasSubstr("missing: no such file or directory"));
}

TEST_F(PipelineTest, CommitsInBatchesAndReportsAfterEachCommit) {
  std::string jsonl;
  for (int i = 0; i < 25; ++i)
    jsonl += "{\"text\":\"" + kBody + " رقم " + std::to_string(i) + "\"}\n";
  PipelineOptions options;
  options.batch_size = 10;
  Recorder recorder;
  const IngestCounts counts = ingest({write("f.jsonl", jsonl)}, recorder, options);
  EXPECT_EQ(counts.stored, 25u);
  EXPECT_EQ(recorder.commits, (std::vector<uint64_t>{10, 20, 25}));
}

TEST_F(PipelineTest, ANulCharacterIsRefusedByEveryStore) {
  // PostgreSQL cut the text at U+0000 without a word (the id was the whole text's); SQLite
  // kept it.
  const std::string jsonl =
      "{\"text\":\"" + kBody + " \\u0000 بقية\"}\n{\"text\":\"" + kBody + "\"}\n";
  Recorder recorder;
  const IngestCounts counts = ingest({write("nul.jsonl", jsonl)}, recorder, PipelineOptions{});
  EXPECT_EQ(counts.stored, 1u);
  EXPECT_EQ(counts.rejected, 1u);
  ASSERT_EQ(recorder.problems.size(), 1u);
  EXPECT_THAT(recorder.problems[0], HasSubstr("nul.jsonl:1: the text holds the character U+0000"));
}

TEST_F(PipelineTest, ExportReingestsToTheSameIds) {
  Recorder recorder;
  ingest({KHABAR_SEEDS_DIR}, recorder);
  std::string jsonl;
  std::vector<std::string> ids;
  ASSERT_TRUE(store_
                  ->for_each([&](const StoredArticle& a) {
                    jsonl += article_to_json(a).dump() + "\n";
                    ids.push_back(a.id);
                  })
                  .ok());
  Result<Store> fresh = Store::open(location("fresh.db"));
  ASSERT_TRUE(fresh.ok());
  Result<IngestCounts> counts = ingest_buffer(jsonl, "export.jsonl", *fresh, {}, recorder);
  ASSERT_TRUE(counts.ok());
  EXPECT_EQ(counts->stored, 2u);
  for (const std::string& id : ids)
    EXPECT_TRUE(fresh->get(id)->has_value()) << id;
}

TEST_F(PipelineTest, OptionsOutOfRangeAreRefused) {
  PipelineOptions options;
  options.batch_size = 0;
  Recorder recorder;
  Result<IngestCounts> counts = ingest_paths({}, *store_, options, recorder);
  ASSERT_FALSE(counts.ok());
  EXPECT_EQ(counts.error().code, ErrorCode::kInvalidArgument);
}

// --- Duplicate families ----------------------------------------------------------------------

std::string jsonl_line(const std::string& text, const std::string& source,
                       const std::string& published) {
  nlohmann::json line = {{"text", text}, {"source", source}};
  if (!published.empty()) line["published"] = published;
  return line.dump() + "\n";
}

// Forty sentences about one topic: each topic draws its own words (made from letters picked by
// the topic number), so that texts of different topics share little but the frame.
std::string wire_text(int topic) {
  static const std::vector<std::string> letters = {"ب", "ت", "ج", "ح", "خ", "د", "ر", "ز",
                                                   "س", "ش", "ص", "ط", "ع", "غ", "ف", "ق",
                                                   "ك", "ل", "م", "ن", "ه", "و", "ي"};
  auto word = [&](int k) {
    const auto n = static_cast<int>(letters.size());
    return letters[(topic * 7 + k * 3) % n] + letters[(topic * 11 + k * 5 + 1) % n] +
           letters[(topic * 13 + k + 2) % n] + "ان";
  };
  std::string out;
  for (int s = 0; s < 40; ++s) {
    out += fmt::format("قالت المصادر إن {} {} {} في {} بعد {} رقم {}. ", word(s % 12),
                       word((s + 5) % 12), word((s + 7) % 12), word((s + 3) % 12),
                       word((s + 9) % 12), topic * 100 + s);
  }
  return out;
}

TEST_F(PipelineTest, CopiesFormOneFamilyUnderTheEarliestMember) {
  const std::string wire = wire_text(1);
  std::string edited = wire;
  edited.replace(edited.find("رقم 105"), 7, "رقم 999");
  const std::string jsonl =
      jsonl_line(wire, "سانا", "2022-01-10") +            // 1: the wire
      jsonl_line(wire_text(2), "رويترز", "2022-01-10") +  // 2: unrelated
      jsonl_line(edited, "الثورة", "2022-01-09") +        // 3: edited, dated earlier
      jsonl_line(wire, "الوطن", "2022-01-11") +           // exact copy of 1
      jsonl_line(wire_text(4) + wire, "تشرين", "");       // 4: a longer report that quotes 1
  Recorder recorder;
  const IngestCounts counts = ingest({write("feed.jsonl", jsonl)}, recorder);
  EXPECT_EQ(counts.stored, 4u);
  EXPECT_EQ(counts.already_present, 1u);

  Result<std::vector<DuplicateFamily>> families = store_->duplicate_families(10);
  ASSERT_TRUE(families.ok()) << families.error().message;
  ASSERT_EQ(families->size(), 1u);
  const DuplicateFamily& family = families->front();
  EXPECT_EQ(family.representative, 3);  // published first, though ingested third
  ASSERT_EQ(family.members.size(), 3u);
  // Links point from each article to one ingested before it.
  EXPECT_EQ(family.members[0].article.sequence, 3);
  EXPECT_EQ(family.members[0].kind, "near-duplicate");
  EXPECT_EQ(family.members[0].linked_to, 1);
  EXPECT_GT(family.members[0].score, 0.9);
  EXPECT_EQ(family.members[1].article.sequence, 1);
  EXPECT_EQ(family.members[1].kind, "");
  EXPECT_EQ(family.members[2].article.sequence, 4);  // undated: after every dated member
  EXPECT_EQ(family.members[2].kind, "contains");
  EXPECT_EQ(family.sightings, 1);
  EXPECT_THAT(family.outlets, ::testing::UnorderedElementsAre("سانا", "الثورة", "الوطن", "تشرين"));

  Result<DuplicateFamily> alone = store_->family_of(2);
  ASSERT_TRUE(alone.ok());
  EXPECT_EQ(alone->members.size(), 1u);
}

TEST_F(PipelineTest, DuplicatesAreFoundAgainstArticlesStoredByAnEarlierRun) {
  Recorder recorder;
  ingest({write("a.jsonl", jsonl_line(wire_text(3), "سانا", "2022-01-10"))}, recorder);
  std::string edited = wire_text(3);
  edited.replace(edited.find("رقم 309"), 7, "رقم 999");
  ingest({write("b.jsonl", jsonl_line(edited, "الثورة", "2022-01-10"))}, recorder);
  Result<DuplicateFamily> family = store_->family_of(2);
  ASSERT_TRUE(family.ok());
  ASSERT_EQ(family->members.size(), 2u);
  EXPECT_EQ(family->representative, 1);
}

// A run reads what the store holds only when its first new article is to be decided: here
// after a batch of articles all stored before. The new one is still compared with everything.
TEST_F(PipelineTest, ANewArticleAfterStoredOnesIsComparedWithTheStore) {
  Recorder recorder;
  const std::string stored = jsonl_line(wire_text(3), "سانا", "2022-01-10") +
                             jsonl_line(wire_text(5), "سانا", "2022-01-10");
  ingest({write("a.jsonl", stored)}, recorder);
  std::string edited = wire_text(3);
  edited.replace(edited.find("رقم 309"), 7, "رقم 999");
  PipelineOptions one_a_batch = without_entities();
  one_a_batch.batch_size = 1;
  const IngestCounts counts =
      ingest({write("b.jsonl", stored + jsonl_line(edited, "الثورة", "2022-01-10"))}, recorder,
             one_a_batch);
  EXPECT_EQ(counts.already_present, 2u);
  EXPECT_EQ(counts.stored, 1u);
  EXPECT_EQ(counts.linked_to_copies, 1u);
  Result<DuplicateFamily> family = store_->family_of(3);
  ASSERT_TRUE(family.ok());
  ASSERT_EQ(family->members.size(), 2u);
  EXPECT_EQ(family->representative, 1);
  Result<std::vector<StorySummary>> stories = store_->stories(10);
  ASSERT_TRUE(stories.ok()) << stories.error().message;
  std::vector<int64_t> sizes;
  for (const StorySummary& s : *stories)
    sizes.push_back(s.article_count);
  EXPECT_THAT(sizes, ::testing::UnorderedElementsAre(2, 1));
}

// Articles stored without their duplicate keys (a run without duplicate detection, or a store
// from before keys were kept) get them from the next run that decides a new article.
TEST_F(PipelineTest, KeysMissingFromTheStoreAreStoredByTheNextRun) {
  Recorder recorder;
  PipelineOptions no_duplicates = without_entities();
  no_duplicates.find_duplicates = false;
  ingest({write("a.jsonl", jsonl_line(wire_text(3), "سانا", "2022-01-10"))}, recorder,
         no_duplicates);
  std::string edited = wire_text(3);
  edited.replace(edited.find("رقم 309"), 7, "رقم 999");
  const IngestCounts counts =
      ingest({write("b.jsonl", jsonl_line(edited, "الثورة", "2022-01-10"))}, recorder);
  EXPECT_EQ(counts.linked_to_copies, 1u);
  std::map<int64_t, bool> keyed;
  ASSERT_TRUE(
      store_
          ->for_each_duplicate_keys([&](int64_t, int64_t sequence, const std::string& keys,
                                        const std::string&) { keyed[sequence] = !keys.empty(); },
                                    0)
          .ok());
  EXPECT_EQ(keyed, (std::map<int64_t, bool>{{1, true}, {2, true}}));
}

TEST_F(PipelineTest, TheTwoSeedsAreNotDuplicatesOfEachOther) {  // EXPECTED.md
  Recorder recorder;
  ingest({KHABAR_SEEDS_DIR}, recorder);
  Result<std::vector<DuplicateFamily>> families = store_->duplicate_families(10);
  ASSERT_TRUE(families.ok());
  EXPECT_TRUE(families->empty());
}

// --- Stories ---------------------------------------------------------------------------------

const std::string kFootball =
    "فاز فريق الأهلي على الزمالك بهدفين مقابل هدف في مباراة القمة بالدوري المصري الممتاز لكرة "
    "القدم، وسجل المهاجم هدف الفوز في الدقيقة الأخيرة من المباراة أمام جماهير غفيرة في الاستاد.";

const std::string kMarket =
    "أغلق مؤشر سوق الأسهم السعودية الرئيسي جلسة اليوم مرتفعا 135 نقطة أو 1.5 في المئة عند مستوى "
    "9012 نقطة، بتداولات بلغت قيمتها 6.2 مليار ريال، وارتفعت أسهم 120 شركة مقابل تراجع 38 شركة، "
    "وقاد قطاعا المصارف والبتروكيماويات المكاسب.";

// The issue's test too: a stock-market report stays out of the seeds' story.
TEST_F(PipelineTest, TheSeedsAreOneStoryAndAFootballReportIsNot) {  // EXPECTED.md
  Recorder recorder;
  ingest({KHABAR_SEEDS_DIR}, recorder);
  ingest({write("football.jsonl", jsonl_line(kFootball, "الأهرام", "2022-01-10"))}, recorder);
  ingest({write("market.jsonl", jsonl_line(kMarket, "الاقتصادية", "2022-01-10"))}, recorder);
  Result<std::vector<StorySummary>> stories = store_->stories(10);
  ASSERT_TRUE(stories.ok()) << stories.error().message;
  ASSERT_EQ(stories->size(), 3u);
  std::vector<int64_t> sizes;
  for (const StorySummary& s : *stories)
    sizes.push_back(s.article_count);
  EXPECT_THAT(sizes, ::testing::UnorderedElementsAre(2, 1, 1));
  for (const StorySummary& s : *stories) {
    if (s.article_count == 2) {
      EXPECT_THAT(s.title, HasSubstr("كازاخستان"));
      Result<std::vector<StoryMember>> members = store_->story_members(s.story);
      ASSERT_TRUE(members.ok());
      EXPECT_EQ(members->size(), 2u);
    }
  }
}

TEST_F(PipelineTest, StoriesAreTheSameWhateverTheRunsTheInputIsSplitInto) {
  std::vector<std::string> lines;
  for (int topic = 1; topic <= 3; ++topic) {
    lines.push_back(jsonl_line(wire_text(topic), "سانا", "2022-01-10"));
    std::string retold = wire_text(topic);
    retold.replace(retold.find("قالت المصادر"), std::string("قالت المصادر").size(), "ذكرت الوكالة");
    lines.push_back(jsonl_line(retold + wire_text(topic + 10), "الثورة", "2022-01-11"));
  }
  lines.push_back(jsonl_line(kFootball, "الأهرام", "2022-01-11"));
  std::string all;
  for (const std::string& l : lines)
    all += l;

  Recorder recorder;
  ingest({write("all.jsonl", all)}, recorder);
  // Which story each article is in, as the index of the story among the stories in order of
  // their first article: story sequences may differ, the grouping may not.
  auto grouping = [](Store& store) {
    std::map<int64_t, int64_t> story_of;  // article sequence → story
    Result<std::vector<StorySummary>> stories = store.stories(100);
    EXPECT_TRUE(stories.ok());
    for (const StorySummary& s : *stories) {
      Result<std::vector<StoryMember>> members = store.story_members(s.story);
      EXPECT_TRUE(members.ok());
      for (const StoryMember& m : *members)
        story_of[m.article.sequence] = s.story;
    }
    std::vector<int64_t> out;
    std::map<int64_t, int64_t> renumbered;
    for (const auto& [article, story] : story_of) {
      out.push_back(renumbered.emplace(story, renumbered.size()).first->second);
    }
    return out;
  };
  const std::vector<int64_t> in_one_run = grouping(*store_);
  ASSERT_EQ(in_one_run.size(), 7u);
  EXPECT_EQ(std::set<int64_t>(in_one_run.begin(), in_one_run.end()).size(), 4u);

  // The same input in three runs: the later runs rebuild the clusterer from the store.
  Result<Store> other = Store::open(location("other.db"));
  ASSERT_TRUE(other.ok());
  const size_t cuts[] = {0, 3, 5, 7};
  for (size_t part = 0; part + 1 < std::size(cuts); ++part) {
    std::string text;
    for (size_t i = cuts[part]; i < cuts[part + 1]; ++i)
      text += lines[i];
    Result<IngestCounts> counts = ingest_paths({write(fmt::format("part{}.jsonl", part), text)},
                                               *other, without_entities(), recorder);
    ASSERT_TRUE(counts.ok());
  }
  EXPECT_EQ(grouping(*other), in_one_run);

  // Again, each later run starting from the snapshot the one before saved.
  Result<Store> snapshots = Store::open(location("snapshots.db"));
  ASSERT_TRUE(snapshots.ok());
  PipelineOptions saving = without_entities();
  saving.decisions_between_snapshots = 1;
  for (size_t part = 0; part + 1 < std::size(cuts); ++part) {
    Result<IngestCounts> counts = ingest_paths(
        {(dir_ / fmt::format("part{}.jsonl", part)).string()}, *snapshots, saving, recorder);
    ASSERT_TRUE(counts.ok());
    Result<std::vector<Store::Snapshot>> saved = snapshots->snapshots();
    ASSERT_TRUE(saved.ok());
    ASSERT_EQ(saved->size(), 1u);
    EXPECT_TRUE(saved->front().name.starts_with("stories:"));
    EXPECT_EQ(saved->front().decision, static_cast<int64_t>(cuts[part + 1]));
  }
  EXPECT_EQ(grouping(*snapshots), in_one_run);
  EXPECT_TRUE(recorder.problems.empty());
}

// The normalisation defines an article's id: a store keeps its first run's, later runs (and the
// server's session) follow it, and a run that asks for another is refused.
TEST_F(PipelineTest, AStoreKeepsTheNormalizationOfItsFirstRun) {
  const std::string line =
      jsonl_line(wire_text(1) + " وأكد المسؤول أن الرئيس سيشارك في المؤتمر.", "سانا", "2022-01-10");
  const std::string path = write("hamza.jsonl", line);
  PipelineOptions keep = without_entities();
  keep.normalize.fold_hamza_carriers = false;
  keep.normalize_chosen = true;
  Recorder recorder;
  EXPECT_EQ(ingest({path}, recorder, keep).stored, 1u);
  // Without a choice, a run follows the store: the same text has the same id.
  const IngestCounts again = ingest({path}, recorder);
  EXPECT_EQ(again.stored, 0u);
  EXPECT_EQ(again.already_present, 1u);
  IngestSession session(*store_, without_entities());
  Result<IngestCounts> posted = session.ingest_buffer(line, "post.jsonl", recorder);
  ASSERT_TRUE(posted.ok()) << posted.error().message;
  EXPECT_EQ(posted->already_present, 1u);
  // Asking to fold on it is refused, naming the store and the option.
  PipelineOptions fold = without_entities();
  fold.normalize_chosen = true;
  Result<IngestCounts> refused = ingest_paths({path}, *store_, fold, recorder);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, ErrorCode::kInvalidArgument);
  EXPECT_THAT(refused.error().message, HasSubstr("--keep-hamza"));
  // Another store, folded by its first run, stores the text under another id.
  Result<Store> other = Store::open(location("folded.db"));
  ASSERT_TRUE(other.ok());
  Result<IngestCounts> folded = ingest_paths({path}, *other, without_entities(), recorder);
  ASSERT_TRUE(folded.ok());
  Result<std::vector<ArticleSummary>> a = store_->list(10);
  Result<std::vector<ArticleSummary>> b = other->list(10);
  ASSERT_TRUE(a.ok() && b.ok() && a->size() == 1 && b->size() == 1);
  EXPECT_NE(a->front().id, b->front().id);
}

TEST_F(PipelineTest, AStoreKeepsTheStoryAndDuplicateOptionsOfItsFirstRun) {
  const std::string seeds = KHABAR_SEEDS_DIR;
  PipelineOptions strict = without_entities();
  strict.cluster.join_threshold = 0.99;
  strict.cluster_chosen = true;
  Recorder recorder;
  ASSERT_EQ(ingest({seeds + "/000_c4f2777355f3312b.txt"}, recorder, strict).stored, 1u);
  // A run that chose nothing follows the store: at 0.99 the second seed starts a story of its
  // own (at the default 0.25 the two are one story).
  ASSERT_EQ(ingest({seeds + "/004_f6197f5c1fb7e277.txt"}, recorder).stored, 1u);
  Result<std::vector<StorySummary>> stories = store_->stories(10);
  ASSERT_TRUE(stories.ok()) << stories.error().message;
  EXPECT_EQ(stories->size(), 2u);
  // Choosing other options is refused, naming what differs.
  PipelineOptions other = without_entities();
  other.cluster_chosen = true;
  Result<IngestCounts> refused = ingest_paths({seeds}, *store_, other, recorder);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, ErrorCode::kInvalidArgument);
  EXPECT_THAT(refused.error().message,
              HasSubstr("threshold 0.99 (the store's), 0.25 (this run's)"));
  PipelineOptions copies = without_entities();
  copies.dedup.jaccard_threshold = 0.9;
  copies.dedup_chosen = true;
  refused = ingest_paths({seeds}, *store_, copies, recorder);
  ASSERT_FALSE(refused.ok());
  EXPECT_THAT(refused.error().message, HasSubstr("jaccard 0.8 (the store's), 0.9 (this run's)"));
  // A session (the server's, a worker's) follows it too.
  IngestSession session(*store_, without_entities());
  Result<IngestCounts> posted =
      session.ingest_buffer(jsonl_line(kFootball, "الأهرام", "2022-01-10"), "post.jsonl", recorder);
  ASSERT_TRUE(posted.ok()) << posted.error().message;
}

// --- Sessions -------------------------------------------------------------------------------

TEST_F(PipelineTest, ASessionKeepsWhatItLearnedAndSeesWhatOthersStored) {
  auto edited = [](int topic, const char* number) {
    std::string text = wire_text(topic);
    text.replace(text.find(fmt::format("رقم {}", topic * 100 + 5)), 7,
                 fmt::format("رقم {}", number));
    return text;
  };
  PipelineOptions options = without_entities();
  options.read.format = InputFormat::kJsonl;
  IngestSession session(*store_, options);
  Recorder recorder;
  Result<IngestCounts> first =
      session.ingest_buffer(jsonl_line(wire_text(1), "سانا", "2022-01-10"), "post1", recorder);
  ASSERT_TRUE(first.ok()) << first.error().message;
  EXPECT_EQ(first->stored, 1u);
  // The second call links against the first call's article.
  Result<IngestCounts> second = session.ingest_buffer(
      jsonl_line(edited(1, "991"), "الثورة", "2022-01-10"), "post2", recorder);
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(second->stored, 1u) << "counts start from zero each call";
  EXPECT_EQ(second->linked_to_copies, 1u);

  // Another connection, another process: the session must learn its article too.
  Result<Store> other = Store::open(location("k.db"));
  ASSERT_TRUE(other.ok());
  ASSERT_TRUE(ingest_paths({write("other.jsonl", jsonl_line(wire_text(2), "رويترز", "2022-01-10"))},
                           *other, options, recorder)
                  .ok());
  Result<IngestCounts> third =
      session.ingest_buffer(jsonl_line(edited(2, "992"), "الوطن", "2022-01-11"), "post3", recorder);
  ASSERT_TRUE(third.ok());
  EXPECT_EQ(third->linked_to_copies, 1u) << "linked to the article another process stored";
  Result<std::vector<StorySummary>> stories = store_->stories(10);
  ASSERT_TRUE(stories.ok());
  EXPECT_EQ(stories->size(), 2u) << "each copy joined its original's story";
}

// Two workers on PostgreSQL: the later batch inserts its articles, then waits for the earlier
// one, which holds an exact copy of one of them and so waits on the later batch's row. The
// later batch must give its articles up and start again, not wait out its order wait.
TEST_F(PipelineTest, ALaterBatchHoldingACopyAnEarlierOneWaitsOnStartsAgain) {
  if (!store_->writes_concurrently()) GTEST_SKIP() << "SQLite batches exclude each other";
  auto document = [](const std::string& text, const std::string& origin) {
    Document d;
    d.text = text;
    d.origin = origin;
    return d;
  };
  Result<Store> earlier_store = Store::open(location("k.db"));
  ASSERT_TRUE(earlier_store.ok());
  IngestSession later(*store_, without_entities());
  IngestSession earlier(*earlier_store, without_entities());
  std::atomic<bool> later_inserted{false}, earlier_done{false};
  std::vector<bool> holding_calls;
  using Clock = std::chrono::steady_clock;
  auto wait_until = [](const std::function<bool()>& done) {
    for (const auto give_up = Clock::now() + std::chrono::seconds(10);
         !done() && Clock::now() < give_up;)
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
  };
  IngestSession::BatchHooks hooks{.before_decisions = [&](bool holding) -> Result<bool> {
                                    holding_calls.push_back(holding);
                                    later_inserted = true;
                                    bool blocking = false;
                                    wait_until([&] {
                                      if (earlier_done) return true;
                                      if (!holding) return false;
                                      Result<bool> b = store_->blocking_others();
                                      blocking = b.ok() && *b;
                                      return blocking;
                                    });
                                    return !blocking;
                                  },
                                  .before_commit = nullptr,
                                  .after_commit = nullptr};
  Recorder later_recorder, earlier_recorder;
  Result<IngestCounts> later_counts = IngestCounts{};
  std::thread later_thread([&] {
    later_counts = later.ingest_documents(
        {document(wire_text(1), "later/1"), document(wire_text(2), "later/2")}, later_recorder,
        hooks);
  });
  wait_until([&] { return later_inserted.load(); });
  Result<IngestCounts> earlier_counts =
      earlier.ingest_documents({document(wire_text(1), "earlier/1")}, earlier_recorder);
  earlier_done = true;
  later_thread.join();

  ASSERT_TRUE(earlier_counts.ok()) << earlier_counts.error().message;
  ASSERT_TRUE(later_counts.ok()) << later_counts.error().message;
  EXPECT_EQ(holding_calls, (std::vector<bool>{true, false}));
  EXPECT_EQ(earlier_counts->stored, 1u);
  EXPECT_EQ(later_counts->stored, 1u);
  EXPECT_EQ(later_counts->already_present, 1u) << "the earlier batch's copy, seen again";
  Result<int64_t> decided = store_->last_decision();
  ASSERT_TRUE(decided.ok());
  EXPECT_EQ(*decided, 2);
}

// --- Entities --------------------------------------------------------------------------------

// The stored entity one of whose spellings is `alias`, with its profile.
std::optional<EntityProfile> entity_spelt(Store& store, const std::string& alias) {
  Result<std::vector<EntitySummary>> all = store.top_entities("", 1000);
  EXPECT_TRUE(all.ok()) << all.error().message;
  for (const EntitySummary& e : *all) {
    Result<EntityProfile> profile = store.entity_profile(e.entity.sequence, 10);
    EXPECT_TRUE(profile.ok());
    for (const EntityCount& a : profile->aliases) {
      if (a.value == alias) return *profile;
    }
  }
  return std::nullopt;
}

std::vector<std::string> spellings(const EntityProfile& profile) {
  std::vector<std::string> out;
  for (const EntityCount& a : profile.aliases)
    out.push_back(a.value);
  return out;
}

TEST_F(PipelineTest, SeedEntitiesAreOneAcrossTheTwoOutletsAndTheirSpellings) {  // EXPECTED.md
  Recorder recorder;
  ingest_all({KHABAR_SEEDS_DIR}, recorder);
  EXPECT_EQ(*store_->count_awaiting_entities(), 0);
  const std::optional<EntityProfile> tokayev = entity_spelt(*store_, "توكاييف");
  ASSERT_TRUE(tokayev.has_value());
  EXPECT_EQ(tokayev->entity.type, "person");
  EXPECT_EQ(tokayev->articles, 2);
  EXPECT_EQ(tokayev->outlets.size(), 2u);
  EXPECT_THAT(spellings(*tokayev), ::testing::Contains(HasSubstr("توكايف")));
  const std::optional<EntityProfile> almaty = entity_spelt(*store_, "ألماتي");
  ASSERT_TRUE(almaty.has_value());
  EXPECT_EQ(almaty->entity.type, "place");
  EXPECT_THAT(spellings(*almaty), ::testing::Contains("ألما آتا"));
  EXPECT_EQ(almaty->stories.size(), 1u);
  // Found by key as well as by number.
  Result<std::optional<StoredEntity>> by_key = store_->find_entity(almaty->entity.key);
  ASSERT_TRUE(by_key.ok() && by_key->has_value());
  EXPECT_EQ((*by_key)->sequence, almaty->entity.sequence);
}

TEST_F(PipelineTest, APartialNameFittingTwoStoredPeopleIsNeither) {
  Recorder recorder;
  // The partial name first: the full name, learned later, becomes the entity's name.
  ingest_all(
      {write("a.jsonl",
             jsonl_line("وقال وزير الخارجية الألماني أوتيس لوهرمان إن المفاوضات ستستأنف "
                        "الأسبوع المقبل في العاصمة بعد توقف دام شهرين.",
                        "الأولى", "2024-03-01") +
                 jsonl_line("وأكد رئيس الوزراء البلجيكي فريدريك لوهرمان أن بلاده تدعم الاتفاق "
                            "الجديد مع الشركاء الأوروبيين.",
                            "الثانية", "2024-03-02"))},
      recorder);
  ingest_all({write("b.jsonl", jsonl_line("وأكد لوهرمان في مؤتمر صحفي أن الاتفاق سيوقع قريبا.",
                                          "الثالثة", "2024-03-03"))},
             recorder);
  const std::optional<EntityProfile> alone = entity_spelt(*store_, "لوهرمان");
  ASSERT_TRUE(alone.has_value());
  // It fits two people: it is neither.
  EXPECT_EQ(alone->articles, 1);
  const std::optional<EntityProfile> otis = entity_spelt(*store_, "أوتيس لوهرمان");
  ASSERT_TRUE(otis.has_value());
  EXPECT_NE(otis->entity.sequence, alone->entity.sequence);
  const std::optional<EntityProfile> frederik = entity_spelt(*store_, "فريدريك لوهرمان");
  ASSERT_TRUE(frederik.has_value());
  EXPECT_NE(frederik->entity.sequence, otis->entity.sequence);
  EXPECT_EQ(frederik->entity.country, "BE");
}

TEST_F(PipelineTest, ALaterFullNameNamesThePersonOfAnEarlierPartialOne) {
  Recorder recorder;
  ingest_all({write("a.jsonl", jsonl_line("وأكد لوهرمان في مؤتمر صحفي أن الاتفاق سيوقع قريبا.",
                                          "الأولى", "2024-03-01"))},
             recorder);
  ingest_all({write("b.jsonl",
                    jsonl_line("وأكد رئيس الوزراء البلجيكي فريدريك لوهرمان أن بلاده تدعم الاتفاق "
                               "الجديد مع الشركاء الأوروبيين.",
                               "الثانية", "2024-03-02"))},
             recorder);
  const std::optional<EntityProfile> person = entity_spelt(*store_, "لوهرمان");
  ASSERT_TRUE(person.has_value());
  EXPECT_EQ(person->articles, 2);
  EXPECT_EQ(person->entity.canonical, "فريدريك لوهرمان");
}

TEST_F(PipelineTest, EntitiesLeftForLaterAreTheSameWhenRefreshed) {
  Recorder recorder;
  PipelineOptions later;
  later.extract_entities = false;
  ingest({KHABAR_SEEDS_DIR}, recorder, later);
  EXPECT_EQ(*store_->count_awaiting_entities(), 2);
  EXPECT_TRUE(store_->top_entities("", 10)->empty());

  const Extractor extractor;
  std::vector<uint64_t> progress;
  Result<uint64_t> done =
      refresh_entities(*store_, extractor, false, 1, [&](uint64_t n) { progress.push_back(n); });
  ASSERT_TRUE(done.ok()) << done.error().message;
  EXPECT_EQ(*done, 2u);
  EXPECT_THAT(progress, ::testing::ElementsAre(1u, 2u));
  EXPECT_EQ(*store_->count_awaiting_entities(), 0);

  Result<Store> fresh = Store::open(location("fresh.db"));
  ASSERT_TRUE(fresh.ok());
  ASSERT_TRUE(ingest_paths({KHABAR_SEEDS_DIR}, *fresh, {}, recorder).ok());
  auto keys = [](Store& store) {
    std::vector<std::pair<std::string, int64_t>> out;
    Result<std::vector<EntitySummary>> top = store.top_entities("", 1000);
    EXPECT_TRUE(top.ok());
    for (const EntitySummary& e : *top)
      out.emplace_back(e.entity.key, e.articles);
    std::sort(out.begin(), out.end());
    return out;
  };
  EXPECT_EQ(keys(*store_), keys(*fresh));
  EXPECT_FALSE(keys(*store_).empty());

  // Again, all of them: nothing is counted twice.
  ASSERT_TRUE(refresh_entities(*store_, extractor, true, 500, [](uint64_t) {}).ok());
  EXPECT_EQ(keys(*store_), keys(*fresh));
}

// A story's facts come from the extractions stored at ingest, the ones its entity mentions
// were linked from, not from whatever rules read the story later; refreshing stores new ones,
// and an article stored without one (before schema 15) is extracted when read.
TEST_F(PipelineTest, StoryFactsAreReadFromTheExtractionsStoredAtIngest) {
  Recorder recorder;
  ingest_all({KHABAR_SEEDS_DIR}, recorder);
  const Extractor tagger;
  ExtractOptions without_tagger;
  without_tagger.use_name_tagger = false;
  const Extractor rules(without_tagger);
  Result<std::vector<MemberExtraction>> members = store_->story_extractions(1);
  ASSERT_TRUE(members.ok()) << members.error().message;
  ASSERT_EQ(members->size(), 2u) << "the seeds are one story";
  auto extracted_now = [&](const Extractor& extractor, const std::string& id) {
    return extraction_to_json(extract_article(extractor, **store_->get(id))).dump();
  };
  for (const MemberExtraction& m : *members) {
    const std::optional<Extraction> stored = decode_extraction(m.extraction, m.body);
    ASSERT_TRUE(stored.has_value()) << m.id;
    EXPECT_EQ(extraction_to_json(*stored).dump(), extracted_now(tagger, m.id));
    ASSERT_NE(extracted_now(rules, m.id), extracted_now(tagger, m.id))
        << "the test needs two extractors that disagree";
  }
  auto facts = [&](const Extractor& extractor) {
    Result<StoryFacts> read = read_story_facts(*store_, 1, extractor);
    EXPECT_TRUE(read.ok()) << read.error().message;
    return read.ok() ? story_facts_to_json(*read, {}).dump() : "";
  };
  const std::string as_ingested = facts(tagger);
  EXPECT_EQ(facts(rules), as_ingested);

  ASSERT_TRUE(refresh_entities(*store_, rules, true, 500, [](uint64_t) {}).ok());
  const std::string refreshed = facts(tagger);
  EXPECT_NE(refreshed, as_ingested);
  EXPECT_EQ(facts(rules), refreshed);

  ASSERT_TRUE(store_->begin().ok());
  for (const MemberExtraction& m : *members) {
    Result<std::vector<EntityMentionRecord>> mentions = store_->entity_mentions_of(m.sequence);
    ASSERT_TRUE(mentions.ok());
    ASSERT_TRUE(store_->set_entity_mentions(m.sequence, *mentions, "").ok());
  }
  ASSERT_TRUE(store_->commit().ok());
  EXPECT_EQ(*store_->count_awaiting_entities(), 0);
  EXPECT_EQ(*store_->count_without_extraction(), 2) << "refresh stores their extractions";
  EXPECT_EQ(facts(tagger), as_ingested);
  EXPECT_EQ(facts(rules), refreshed);
}

TEST_F(PipelineTest, SearchKeepsTheArticlesNamingAnEntity) {
  Recorder recorder;
  ingest_all({KHABAR_SEEDS_DIR}, recorder);
  ingest_all(
      {write("other.jsonl",
             jsonl_line("قال رئيس وزراء كازاخستان الجديد في كلمة إن الاحتجاجات في البلاد انتهت.",
                        "الأهرام", "2022-01-12"))},
      recorder);
  const std::optional<EntityProfile> tokayev = entity_spelt(*store_, "توكاييف");
  ASSERT_TRUE(tokayev.has_value());
  Result<SearchPage> all = store_->search({.text = "كازاخستان"});
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(all->hits.size(), 3u);
  Result<SearchPage> naming =
      store_->search({.text = "كازاخستان", .entity = tokayev->entity.sequence});
  ASSERT_TRUE(naming.ok());
  EXPECT_EQ(naming->hits.size(), 2u);
  EXPECT_EQ(naming->total, 2);
}

}  // namespace
}  // namespace khabar
