#include "khabar/search.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "khabar/store.h"
#include "search/postgres.h"
#include "store/store_testing.h"

namespace khabar {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

TEST(SearchExpression, WordsBecomeTermsAndSkeletons) {
  EXPECT_EQ(search_expression(""), "");
  EXPECT_EQ(search_expression("في من على"), "");  // stop words only
  const std::string expression = search_expression("توكايف");
  EXPECT_THAT(expression, HasSubstr(" OR \"~"));
  // Diacritics, tatweel and hamza seats do not change the query.
  EXPECT_EQ(search_expression("تُوكَـايف"), expression);
  EXPECT_EQ(search_expression("ألما آتا"), search_expression("الما اتا"));
  // Two words are both required.
  EXPECT_THAT(search_expression("موسكو كازاخستان"), HasSubstr(") AND ("));
  // A quote in a word cannot end the FTS5 string early.
  EXPECT_THAT(search_expression("ab\"cd"), HasSubstr("\"\""));
}

// PostgreSQL's form of the same analysis (search/postgres.h): literals khabar writes itself.
TEST(PostgresSearch, QueriesAreTermsAndSkeletonsQuotedForTsquery) {
  std::set<std::string> terms;
  const std::string query = search_internal::tsquery_of("توكايف موسكو", SearchWords::kAll, &terms);
  EXPECT_THAT(query, HasSubstr(") & ("));
  EXPECT_THAT(query, HasSubstr(" | '~"));
  EXPECT_EQ(terms.size(), 4u);  // two terms, two skeletons
  EXPECT_THAT(search_internal::tsquery_of("توكايف موسكو", SearchWords::kAny, nullptr),
              HasSubstr(") | ("));
  EXPECT_EQ(search_internal::tsquery_of("في من على", SearchWords::kAll, nullptr), "");
  // A quote or a backslash in a word cannot end the lexeme early.
  EXPECT_THAT(search_internal::tsquery_of("o'brien", SearchWords::kAll, nullptr), HasSubstr("''"));
  EXPECT_THAT(search_internal::tsquery_of("a\\b", SearchWords::kAll, nullptr), HasSubstr("\\\\"));
}

TEST(PostgresSearch, TitleWordsWeighMoreAndSkeletonsShareTheirWordsPosition) {
  search_internal::SearchAnalysis analysis;
  const std::string vector = search_internal::tsvector_of(analysis, "توكايف", "كازاخستان توكايف");
  EXPECT_THAT(vector, ::testing::StartsWith("'"));
  EXPECT_THAT(vector, HasSubstr(":1A '~"));  // the title word and its skeleton, both at 1
  EXPECT_THAT(vector, HasSubstr(":3D"));     // the body's second word
  EXPECT_EQ(search_internal::tsvector_of(analysis, "", ""), "");
}

TEST(PostgresSearch, SnippetsCentreTheMatchesAndMarkThemAsPrinted) {
  search_internal::SearchAnalysis analysis;
  std::string text;
  for (int i = 0; i < 40; ++i)
    text += "كلمة" + std::to_string(i) + " ";
  text += "وصل الرئيس توكاييف إلى ألما آتا ";
  for (int i = 40; i < 80; ++i)
    text += "كلمة" + std::to_string(i) + " ";
  std::set<std::string> terms;
  (void)search_internal::tsquery_of("توكايف", SearchWords::kAll, &terms);
  SearchHit hit;
  EXPECT_GT(search_internal::cut_snippet(analysis, text, terms, 24, hit), 0u);
  EXPECT_THAT(hit.snippet, ::testing::StartsWith("…"));
  EXPECT_THAT(hit.snippet, ::testing::EndsWith("…"));
  ASSERT_EQ(hit.highlights.size(), 1u);  // the variant spelling, by its skeleton
  EXPECT_EQ(hit.snippet.substr(hit.highlights[0].first,
                               hit.highlights[0].second - hit.highlights[0].first),
            "توكاييف");
  SearchHit none;
  EXPECT_EQ(search_internal::cut_snippet(analysis, "لا شيء هنا", terms, 24, none), 0u);
  EXPECT_TRUE(none.snippet.empty());
}

class SearchStore : public ::testing::Test {
 protected:
  void SetUp() override {
    location_ = std::make_unique<store_testing::TestStoreLocation>(
        std::filesystem::temp_directory_path(),
        "khabar_search_test_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name() + ".db");
    remove_files();
    Result<Store> store = Store::open(location_->location());
    ASSERT_TRUE(store.ok()) << store.error().message;
    store_ = std::make_unique<Store>(std::move(*store));
  }
  void TearDown() override {
    store_.reset();
    remove_files();
    location_.reset();
  }
  void remove_files() {
    if (store_testing::TestStoreLocation::on_postgres()) return;
    for (const char* suffix : {"", "-wal", "-shm"})
      std::filesystem::remove(location_->location() + suffix);
  }

  void add(const std::string& id, const std::string& title, const std::string& body,
           const std::string& source, const std::string& published, const std::string& lang) {
    StoredArticle a;
    a.id = id;
    a.title = title;
    a.body = body;
    a.raw_text = title + "\n" + body;
    a.source = source;
    a.published = published;
    a.lang = lang;
    a.origin = id + ".txt";
    a.format = "text";
    a.encoding = "UTF-8";
    a.ingested_at = "2026-11-30T00:00:00Z";
    ASSERT_TRUE(store_->insert(a).ok());
  }

  std::vector<std::string> ids(const SearchQuery& query) {
    Result<std::vector<SearchHit>> hits = store_->search(query);
    EXPECT_TRUE(hits.ok()) << (hits.ok() ? "" : hits.error().message);
    std::vector<std::string> out;
    if (hits.ok()) {
      for (const SearchHit& h : *hits)
        out.push_back(h.article_id);
    }
    return out;
  }

  std::unique_ptr<store_testing::TestStoreLocation> location_;
  std::unique_ptr<Store> store_;
};

TEST_F(SearchStore, SpellingVariantsFindEachOtherAndTheExactSpellingRanksFirst) {
  add("0000000000000001", "", "وقال الرئيس قاسم جومارت توكايف إن الوضع مستقر.", "الثورة",
      "2022-01-12", "ar");
  add("0000000000000002", "", "وأكد جومارت توكاييف أن القوات ستنسحب.", "سبوتنيك", "2022-01-10",
      "ar");
  add("0000000000000003", "", "فاز الأهلي على الزمالك في مباراة القمة.", "الأهرام", "2022-01-11",
      "ar");
  EXPECT_THAT(ids({.text = "توكايف"}), ElementsAre("0000000000000001", "0000000000000002"));
  EXPECT_THAT(ids({.text = "توكاييف"}), ElementsAre("0000000000000002", "0000000000000001"));
}

TEST_F(SearchStore, HighlightsTheOriginalSpellingWithItsDiacritics) {
  add("0000000000000001", "عنوان", "وصل الوفد إلى «ألما آتا» أمس، وقال الرَّئيسُ توكاييف كلمة.",
      "الثورة", "2022-01-12", "ar");
  Result<std::vector<SearchHit>> hits = store_->search({.text = "الما اتا الرئيس"});
  ASSERT_TRUE(hits.ok()) << hits.error().message;
  ASSERT_EQ(hits->size(), 1u);
  const SearchHit& hit = hits->front();
  std::vector<std::string> marked;
  for (const auto& [begin, end] : hit.highlights)
    marked.push_back(hit.snippet.substr(begin, end - begin));
  EXPECT_THAT(marked, ElementsAre("ألما", "آتا", "الرَّئيسُ"));
}

TEST_F(SearchStore, WithoutSnippetsTheSameArticlesComeInTheSameOrder) {
  // GET /api/stories?q= wants only which articles match: cutting 500 snippets took half a
  // second of CPU on 5,000 articles for a common word.
  add("0000000000000001", "", "وصل الوفد إلى ألماتي وقال الرئيس كلمة", "الثورة", "2022-01-12",
      "ar");
  add("0000000000000002", "الرئيس", "الرئيس يلقي كلمة في ألماتي", "سبوتنيك", "2022-01-10", "ar");
  Result<std::vector<SearchHit>> bare = store_->search({.text = "الرئيس", .snippets = false});
  ASSERT_TRUE(bare.ok()) << bare.error().message;
  ASSERT_EQ(bare->size(), 2u);
  EXPECT_TRUE(bare->at(0).snippet.empty());
  EXPECT_TRUE(bare->at(0).highlights.empty());
  std::vector<std::string> bare_ids;
  for (const SearchHit& hit : *bare)
    bare_ids.push_back(hit.article_id);
  EXPECT_EQ(bare_ids, ids({.text = "الرئيس"}));
}

TEST_F(SearchStore, FiltersByOutletLanguageDateAndStory) {
  add("0000000000000001", "", "موسكو تعلن انسحاب القوات من كازاخستان", "الثورة", "2022-01-12",
      "ar");
  add("0000000000000002", "", "موسكو ترسل القوات إلى كازاخستان", "سبوتنيك", "2022-01-06", "ar");
  add("0000000000000003", "", "Moscow sends troops to Kazakhstan", "Reuters", "2022-01-06", "en");
  add("0000000000000004", "", "موسكو والقوات وكازاخستان مرة أخرى", "الثورة", "", "ar");
  EXPECT_THAT(ids({.text = "القوات", .outlet = "الثورة"}),
              testing::UnorderedElementsAre("0000000000000001", "0000000000000004"));
  EXPECT_THAT(ids({.text = "troops", .lang = "en"}), ElementsAre("0000000000000003"));
  EXPECT_TRUE(ids({.text = "troops", .lang = "ar"}).empty());
  // A date bound leaves undated articles out.
  EXPECT_THAT(ids({.text = "القوات", .since = "2022-01-10"}), ElementsAre("0000000000000001"));
  EXPECT_THAT(ids({.text = "القوات", .until = "2022-01-06"}), ElementsAre("0000000000000002"));
  EXPECT_TRUE(ids({.text = "القوات", .story = 99}).empty());
  EXPECT_EQ(ids({.text = "القوات", .limit = 1}).size(), 1u);
}

TEST_F(SearchStore, ArticlesWithAllTheWordsComeBeforeThoseWithSome) {
  add("0000000000000001", "", "تصادم قطارين في محافظة سوهاج", "أ", "2022-01-12", "ar");
  add("0000000000000002", "", "قطارين جديدين لسكك الحديد", "ب", "2022-01-12", "ar");
  add("0000000000000003", "", "احتجاجات في سوهاج على الأسعار", "ج", "2022-01-12", "ar");
  Result<std::vector<SearchHit>> hits = store_->search({.text = "تصادم قطارين سوهاج"});
  ASSERT_TRUE(hits.ok()) << hits.error().message;
  ASSERT_EQ(hits->size(), 3u);
  EXPECT_EQ(hits->at(0).article_id, "0000000000000001");
  EXPECT_TRUE(hits->at(0).all_words);
  EXPECT_FALSE(hits->at(1).all_words);
  EXPECT_FALSE(hits->at(2).all_words);
  // With room for only the full match, no partial one is added.
  EXPECT_EQ(ids({.text = "تصادم قطارين سوهاج", .limit = 1}).size(), 1u);
}

TEST_F(SearchStore, AStopWordQueryIsAnErrorThatSaysSo) {
  Result<std::vector<SearchHit>> hits = store_->search({.text = "في من"});
  ASSERT_FALSE(hits.ok());
  EXPECT_THAT(hits.error().message, HasSubstr("no word to search for"));
}

}  // namespace
}  // namespace khabar
