// The "Cleaning" section of ../shared/seeds/EXPECTED.md, line by line, on the real seeds.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <sstream>

#include "ingest/ingest_testing.h"
#include "khabar/clean.h"
#include "khabar/ingest.h"

namespace khabar {
namespace {

using ::testing::ElementsAre;
using ::testing::EndsWith;
using ::testing::HasSubstr;
using ::testing::Not;

Document read_seed(const std::string& name) {
  testing::CollectingSink sink;
  read_paths({std::string(KHABAR_SEEDS_DIR) + "/" + name}, {}, sink);
  EXPECT_TRUE(sink.problems.empty()) << sink.problems.at(0).to_string();
  EXPECT_EQ(sink.documents.size(), 1u) << "seed " << name << " missing from " << KHABAR_SEEDS_DIR;
  return sink.documents.empty() ? Document{} : sink.documents[0];
}

const Removal* find_removal(const CleanArticle& article, const std::string& rule) {
  for (const Removal& r : article.removals) {
    if (r.rule == rule) return &r;
  }
  return nullptr;
}

size_t count_of(const std::string& haystack, const std::string& needle) {
  size_t n = 0;
  for (size_t at = haystack.find(needle); at != std::string::npos;
       at = haystack.find(needle, at + 1))
    ++n;
  return n;
}

// A seed as read and as cleaned.
class CleanedSeed : public ::testing::Test {
 protected:
  void load(const std::string& name) {
    doc = read_seed(name);
    article = Cleaner().clean(doc);
  }
  Document doc;
  CleanArticle article;
};

class Seed000 : public CleanedSeed {
 protected:
  void SetUp() override { load("000_c4f2777355f3312b.txt"); }
};

TEST_F(Seed000, TitleIsTheFirstLine) {
  EXPECT_EQ(article.title, "موسكو: عصابات إرهابية دولية شاركت في أحداث كازاخستان");
  EXPECT_THAT(article.body(), Not(HasSubstr("موسكو: عصابات")));
}

TEST_F(Seed000, BylineIsMetadataNotBody) {
  EXPECT_THAT(article.byline.agencies, ElementsAre("وكالات"));
  EXPECT_EQ(article.byline.outlet, "الثورة");
  EXPECT_EQ(article.byline.editor, "ريم صالح");
  EXPECT_EQ(article.byline.line, "وكالات – الثورة – حرر التقرير الإخباري ريم صالح:");
  EXPECT_THAT(article.body(), Not(HasSubstr("حرر التقرير")));
  const Removal* byline = find_removal(article, "byline");
  ASSERT_NE(byline, nullptr);
  EXPECT_EQ(byline->kind, Removal::Kind::kMovedToMetadata);
}

TEST_F(Seed000, EverythingFromLatestNewsToTheEndIsBoilerplate) {
  EXPECT_THAT(article.body(), EndsWith("لاستعادة استقرار الوضع في البلاد."));
  EXPECT_THAT(article.body(), Not(HasSubstr("آخر الأخبار")));
  EXPECT_THAT(article.body(), Not(HasSubstr("24/11/2024")));
  const Removal* heading = find_removal(article, "boilerplate-heading");
  ASSERT_NE(heading, nullptr);
  EXPECT_EQ(doc.text.substr(heading->begin, heading->end - heading->begin), "آخر الأخبار");
  const Removal& last = article.removals.back();
  EXPECT_EQ(last.end, doc.text.size()) << "the removal runs to the end of the file";
}

TEST_F(Seed000, TheDateInTheBoilerplateIsNotTheArticleDate) {
  EXPECT_TRUE(doc.published.empty());
}

TEST_F(Seed000, BodyKeepsEveryParagraphOfTheReport) {
  EXPECT_EQ(article.paragraphs.size(), 9u);
  EXPECT_THAT(article.body(), ::testing::StartsWith("أكدت الخارجية الروسية"));
  EXPECT_TRUE(article.subheads().empty());
}

class Seed004 : public CleanedSeed {
 protected:
  void SetUp() override { load("004_f6197f5c1fb7e277.txt"); }
};

TEST_F(Seed004, HasNoTitleLine) {
  EXPECT_EQ(article.title, "");
  EXPECT_THAT(article.body(), ::testing::StartsWith("أكد “جومارت توكاييف”"));
}

TEST_F(Seed004, SubheadsStayInsideTheBody) {
  EXPECT_THAT(article.subheads(), ElementsAre("انقلاب فاشل", "ثورات ملونة"));
  EXPECT_THAT(article.body(), HasSubstr("\nانقلاب فاشل\n"));
  EXPECT_THAT(article.body(), HasSubstr("\nثورات ملونة\n"));
}

TEST_F(Seed004, TwoColumnMarkersAreRemoved) {
  EXPECT_THAT(article.body(), Not(HasSubstr("two-column")));
  size_t shortcodes = 0;
  for (const Removal& r : article.removals) {
    if (r.rule != "shortcode") continue;
    ++shortcodes;
    const std::string removed = doc.text.substr(r.begin, r.end - r.begin);
    EXPECT_TRUE(removed == "[two-column]" || removed == "[/two-column]") << removed;
  }
  EXPECT_EQ(shortcodes, 2u);
}

TEST_F(Seed004, PullQuoteIsDroppedAsARepeatSo7939AppearsOnce) {
  EXPECT_EQ(count_of(article.body(), "7939"), 1u);
  const Removal* pull_quote = find_removal(article, "pull-quote");
  ASSERT_NE(pull_quote, nullptr);
  EXPECT_THAT(doc.text.substr(pull_quote->begin, pull_quote->end - pull_quote->begin),
              ::testing::StartsWith("أعلنت كازاخستان أن قوات الأمن ألقت القبض على 7939"));
  // The fuller paragraph, which goes on after the quote, is the one kept.
  EXPECT_THAT(article.body(), HasSubstr("وفي نفس السياق، أعلنت كازاخستان"));
}

TEST_F(Seed004, TheLastTwoQuestionsAreRelatedArticleLinks) {
  EXPECT_THAT(article.body(), Not(HasSubstr("ما هي منظمة معاهدة الأمن الجماعي وعلاقتها")));
  EXPECT_THAT(article.body(), Not(HasSubstr("خارج التغطية")));
  EXPECT_THAT(article.body(), EndsWith("متاحًا مرة أخرى."));
  size_t teasers = 0;
  for (const Removal& r : article.removals)
    teasers += r.rule == "teaser";
  EXPECT_EQ(teasers, 2u);
}

TEST(SeedAudit, EveryRemovalSaysWhatWhereAndWhy) {
  for (const char* name : {"000_c4f2777355f3312b.txt", "004_f6197f5c1fb7e277.txt"}) {
    const Document doc = read_seed(name);
    const CleanArticle article = Cleaner().clean(doc);
    ASSERT_FALSE(article.removals.empty()) << name;
    for (const Removal& r : article.removals) {
      EXPECT_LT(r.begin, r.end) << name;
      EXPECT_LE(r.end, doc.text.size()) << name;
      EXPECT_FALSE(r.rule.empty()) << name;
      EXPECT_FALSE(r.reason.empty()) << name;
    }
    EXPECT_TRUE(
        std::is_sorted(article.removals.begin(), article.removals.end(),
                       [](const Removal& a, const Removal& b) { return a.begin < b.begin; }));
  }
}

}  // namespace
}  // namespace khabar
