#include "khabar/search.h"

#include <fmt/format.h>
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

using ::testing::AllOf;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;

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
  // A phrase is one FTS5 string, each word's skeleton beside it; what is left out follows NOT.
  EXPECT_EQ(search_expression("\"موسكو كازاخستان\""), search_expression("«موسكو كازاخستان»"));
  EXPECT_THAT(search_expression("\"موسكو كازاخستان\""), Not(HasSubstr(" AND ")));
  EXPECT_THAT(search_expression("\"موسكو كازاخستان\""), HasSubstr("\t~"));
  EXPECT_THAT(search_expression("موسكو -كازاخستان"), HasSubstr(") NOT ("));
  EXPECT_EQ(search_expression("-كازاخستان"), "");
  EXPECT_EQ(search_expression("covid-19"), search_expression("\"covid-19\""));
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
  EXPECT_THAT(search_internal::tsquery_of("\"توكايف موسكو\" -قازان", SearchWords::kAll, nullptr),
              AllOf(HasSubstr(") <-> ("), HasSubstr(" & !(")));
}

TEST(PostgresSearch, TitleWordsWeighMoreAndSkeletonsShareTheirWordsPosition) {
  search_internal::SearchAnalysis analysis;
  const std::string vector = search_internal::tsvector_of(analysis, "توكايف", "كازاخستان توكايف");
  EXPECT_THAT(vector, ::testing::StartsWith("'"));
  EXPECT_THAT(vector, HasSubstr(":1A '~"));  // the title word and its skeleton, both at 1
  // The body's second word, after a position left empty: no phrase spans title and body.
  EXPECT_THAT(vector, HasSubstr(":4D"));
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
    Result<SearchPage> page = store_->search(query);
    EXPECT_TRUE(page.ok()) << (page.ok() ? "" : page.error().message);
    std::vector<std::string> out;
    if (page.ok()) {
      for (const SearchHit& h : page->hits)
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
  Result<SearchPage> page = store_->search({.text = "الما اتا الرئيس"});
  ASSERT_TRUE(page.ok()) << page.error().message;
  ASSERT_EQ(page->hits.size(), 1u);
  const SearchHit& hit = page->hits.front();
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
  Result<SearchPage> bare = store_->search({.text = "الرئيس", .snippets = false});
  ASSERT_TRUE(bare.ok()) << bare.error().message;
  ASSERT_EQ(bare->hits.size(), 2u);
  EXPECT_TRUE(bare->hits.at(0).snippet.empty());
  EXPECT_TRUE(bare->hits.at(0).highlights.empty());
  std::vector<std::string> bare_ids;
  for (const SearchHit& hit : bare->hits)
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
  Result<SearchPage> page = store_->search({.text = "تصادم قطارين سوهاج"});
  ASSERT_TRUE(page.ok()) << page.error().message;
  const std::vector<SearchHit>& hits = page->hits;
  ASSERT_EQ(hits.size(), 3u);
  EXPECT_EQ(hits.at(0).article_id, "0000000000000001");
  EXPECT_TRUE(hits.at(0).all_words);
  EXPECT_FALSE(hits.at(1).all_words);
  EXPECT_FALSE(hits.at(2).all_words);
  EXPECT_EQ(page->total, 3);
  EXPECT_EQ(page->total_all_words, 1);
  EXPECT_TRUE(page->next_cursor.empty());
  // With room for only the full match, no partial one is added; the next page starts them.
  Result<SearchPage> first = store_->search({.text = "تصادم قطارين سوهاج", .limit = 1});
  ASSERT_TRUE(first.ok()) << first.error().message;
  ASSERT_EQ(first->hits.size(), 1u);
  EXPECT_EQ(first->total, 3);
  Result<SearchPage> second =
      store_->search({.text = "تصادم قطارين سوهاج", .limit = 5, .cursor = first->next_cursor});
  ASSERT_TRUE(second.ok()) << second.error().message;
  ASSERT_EQ(second->hits.size(), 2u);
  EXPECT_FALSE(second->hits.front().all_words);
  EXPECT_TRUE(second->next_cursor.empty());
}

// Pages of one hit each, through both lists, give every hit once, in the order of one page.
TEST_F(SearchStore, PagesFollowOneAnotherWithoutRepeatsOrGaps) {
  for (int i = 1; i <= 7; ++i) {
    // Equal scores in pairs (the same text), so that ties are paged by their order.
    const std::string text =
        i % 3 == 0 ? "احتجاجات في سوهاج" : "قطار سوهاج رقم " + std::to_string(i / 2);
    add(fmt::format("{:016x}", i), "", text, "أ", "2022-01-12", "ar");
  }
  const std::vector<std::string> whole = ids({.text = "قطار سوهاج", .limit = 100});
  ASSERT_EQ(whole.size(), 7u);
  std::vector<std::string> paged;
  SearchQuery query{.text = "قطار سوهاج", .limit = 1};
  for (int pages = 0; pages < 10; ++pages) {
    Result<SearchPage> page = store_->search(query);
    ASSERT_TRUE(page.ok()) << page.error().message;
    EXPECT_EQ(page->total, 7);
    EXPECT_EQ(page->total_all_words, 5);
    for (const SearchHit& hit : page->hits)
      paged.push_back(hit.article_id);
    if (page->next_cursor.empty()) break;
    query.cursor = page->next_cursor;
  }
  EXPECT_EQ(paged, whole);
}

TEST_F(SearchStore, ACursorNoSearchGaveIsRefused) {
  add("0000000000000001", "", "قطار سوهاج", "أ", "2022-01-12", "ar");
  for (const char* cursor : {"x", "a12", "a0000000000000000.", "a000000000000000g.1",
                             "s3ff0000000000000.0", "a3ff0000000000000.1x"}) {
    Result<SearchPage> page = store_->search({.text = "قطار", .cursor = cursor});
    ASSERT_FALSE(page.ok()) << cursor;
    EXPECT_EQ(page.error().code, ErrorCode::kInvalidArgument);
    EXPECT_THAT(page.error().message, HasSubstr("not one a search gave"));
  }
}

TEST_F(SearchStore, PhrasesKeepTheirWordsTogetherInAnySpelling) {
  add("0000000000000001", "", "قال الرئيس قاسم جومارت توكاييف في كلمته", "أ", "2022-01-12", "ar");
  add("0000000000000002", "", "قال توكايف إن جومارت قاسم وصل", "ب", "2022-01-12", "ar");
  add("0000000000000003", "", "وصل الوفد إلى ألما آتا أمس", "ج", "2022-01-12", "ar");
  EXPECT_THAT(ids({.text = "\"جومارت توكايف\""}), ElementsAre("0000000000000001"));
  EXPECT_THAT(ids({.text = "«قاسم جومارت»"}), ElementsAre("0000000000000001"));
  EXPECT_THAT(ids({.text = "“الما اتا”"}), ElementsAre("0000000000000003"));
  // Unquoted, the words may stand apart.
  EXPECT_THAT(ids({.text = "جومارت توكايف"}),
              testing::UnorderedElementsAre("0000000000000001", "0000000000000002"));
}

TEST_F(SearchStore, AMinusLeavesAWordOrAPhraseOut) {
  add("0000000000000001", "", "قطار سوهاج تصادم", "أ", "2022-01-12", "ar");
  add("0000000000000002", "", "قطار أسيوط تصادم", "ب", "2022-01-12", "ar");
  add("0000000000000003", "", "قطار سوهاج الجديد", "ج", "2022-01-12", "ar");
  EXPECT_THAT(ids({.text = "قطار -سوهاج"}), ElementsAre("0000000000000002"));
  EXPECT_THAT(ids({.text = "قطار -\"سوهاج الجديد\""}),
              testing::UnorderedElementsAre("0000000000000001", "0000000000000002"));
  // Several can be left out.
  Result<SearchPage> page = store_->search({.text = "قطار -سوهاج -أسيوط تصادم"});
  ASSERT_TRUE(page.ok()) << page.error().message;
  EXPECT_TRUE(page->hits.empty());
  EXPECT_EQ(page->total, 0);
  Result<SearchPage> only_out = store_->search({.text = "-سوهاج"});
  ASSERT_FALSE(only_out.ok());
  EXPECT_THAT(only_out.error().message, HasSubstr("only leaves words out"));
}

TEST_F(SearchStore, AStopWordQueryIsAnErrorThatSaysSo) {
  Result<SearchPage> hits = store_->search({.text = "في من"});
  ASSERT_FALSE(hits.ok());
  EXPECT_THAT(hits.error().message, HasSubstr("no word to search for"));
}

}  // namespace
}  // namespace khabar
