#include "khabar/cluster.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "khabar/analyzer.h"
#include "khabar/clean.h"
#include "khabar/normalize.h"

namespace khabar {
namespace {

using ::testing::Contains;
using ::testing::Not;

class Analyzed {
 public:
  std::vector<std::string> operator()(std::string_view text) const {
    return analyzer_.terms(normalizer_.normalize(text));
  }

 private:
  Normalizer normalizer_;
  Analyzer analyzer_;
};

TEST(Analyzer, ClitcsStopWordsAndNumbers) {
  const Analyzed terms;
  EXPECT_EQ(terms("والرئيس"), terms("الرئيس"));
  EXPECT_EQ(terms("بالرئيس"), terms("رئيس"));
  EXPECT_EQ(terms("المتظاهرين"), terms("متظاهرون"));
  EXPECT_TRUE(terms("في من على قال إن").empty());
  EXPECT_THAT(terms("اعتقال ٧٩٣٩ شخصا"), Contains("7939"));
  EXPECT_THAT(terms("the protesters said"), ::testing::ElementsAre("protest"));
}

// The analyzer remembers each word's term and starts again past a bound; neither may change
// what a text gives. A fresh analyzer is the reference.
TEST(Analyzer, RememberingTermsChangesNothingEvenPastItsBound) {
  const std::string text = "وقال المتظاهرون في ألماتي إن 7939 شخصا اعتقلوا and the protesters said";
  const std::vector<std::string> fresh = Analyzed()(text);
  const Analyzed terms;
  EXPECT_EQ(terms(text), fresh);
  std::string many_words;
  for (int i = 0; i < 300'000; ++i)
    many_words += "كلمة" + std::to_string(i) + "س ";  // distinct words, past the 2^18 bound
  EXPECT_EQ(terms(many_words).size(), 300'000u);
  EXPECT_EQ(terms(text), fresh);
}

// Three events, each told by several outlets in different words around the same names; one
// football report; each article a few sentences.
struct Article {
  std::string text;
  std::string event;
  int64_t day = 0;
};

std::vector<Article> reports() {
  return {
      {"أعلن الرئيس الكازاخستاني قاسم جومارت توكاييف أن قوات حفظ السلام التابعة لمنظمة معاهدة "
       "الأمن الجماعي ستغادر كازاخستان بعد احتجاجات ألماتي. وقال إن الاضطرابات كانت محاولة انقلاب.",
       "kz", 0},
      {"Kazakhstan unrest: President Tokayev says CSTO peacekeepers will leave Almaty after the "
       "protests.",
       "kz-en", 0},
      {"الرئيس الكازاخي توكايف: اضطرابات ألما آتا محاولة انقلاب، وقوات منظمة معاهدة الأمن "
       "الجماعي تبدأ الانسحاب من كازاخستان خلال أيام بعد إعادة النظام إلى المدينة.",
       "kz", 1},
      {"ضرب زلزال بقوة 6.8 درجات جنوب تركيا فجر اليوم، وأعلنت إدارة الكوارث التركية عن سقوط قتلى "
       "وانهيار مبان في ولاية هاتاي، فيما تواصل فرق الإنقاذ البحث عن ناجين تحت الأنقاض.",
       "quake", 1},
      {"فرق الإنقاذ التركية تنتشل ناجين من تحت أنقاض المباني المنهارة في هاتاي بعد الزلزال الذي "
       "ضرب جنوب تركيا، وإدارة الكوارث ترفع حصيلة القتلى.",
       "quake", 2},
      {"البنك المركزي المصري يرفع أسعار الفائدة الأساسية 200 نقطة أساس في اجتماع استثنائي لمواجهة "
       "التضخم، ويقول إن القرار يهدف إلى احتواء ارتفاع الأسعار.",
       "egp", 2},
      {"رفع البنك المركزي في مصر أسعار الفائدة بمقدار 200 نقطة أساس لكبح التضخم، في قرار مفاجئ "
       "اتخذته لجنة السياسة النقدية في اجتماع استثنائي.",
       "egp", 3},
      {"فاز فريق الأهلي على الزمالك بهدفين مقابل هدف في مباراة القمة بالدوري المصري الممتاز لكرة "
       "القدم، وسجل المهاجم هدف الفوز في الدقيقة الأخيرة من المباراة.",
       "football", 3},
      {"قوات حفظ السلام تغادر كازاخستان: توكاييف يعلن انتهاء مهمة منظمة معاهدة الأمن الجماعي بعد "
       "احتجاجات ألماتي ومحاولة الانقلاب التي هزت البلاد.",
       "kz", 3},
  };
}

std::vector<StoryAssignment> cluster(const std::vector<Article>& articles,
                                     ClusterOptions options = {}) {
  const Analyzed terms;
  StoryClusterer clusterer(options);
  std::vector<StoryAssignment> out;
  for (const Article& a : articles) {
    out.push_back(clusterer.add({.terms = terms(a.text), .time = a.day * 86400}));
  }
  return out;
}

TEST(StoryClusterer, ReportsOfOneEventJoinAndOthersStayApart) {
  const std::vector<Article> articles = reports();
  const std::vector<StoryAssignment> stories = cluster(articles);
  for (size_t i = 0; i < articles.size(); ++i) {
    for (size_t j = i + 1; j < articles.size(); ++j) {
      // Cross-lingual linking is out of scope: the English report is a story of its own.
      const bool same_event = articles[i].event == articles[j].event;
      EXPECT_EQ(stories[i].story == stories[j].story, same_event)
          << i << " (" << articles[i].event << ") and " << j << " (" << articles[j].event << ")";
    }
  }
}

TEST(StoryClusterer, SameInputSameStories) {
  const std::vector<StoryAssignment> a = cluster(reports());
  const std::vector<StoryAssignment> b = cluster(reports());
  ASSERT_EQ(a.size(), b.size());
  for (size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(a[i].story, b[i].story);
    EXPECT_DOUBLE_EQ(a[i].similarity, b[i].similarity);
  }
}

TEST(StoryClusterer, AStoryClosesAfterItsWindow) {
  std::vector<Article> articles = reports();
  articles[8].day = 30;  // the same subject a month later is a new story
  const std::vector<StoryAssignment> stories = cluster(articles);
  EXPECT_TRUE(stories[8].new_story);
  EXPECT_NE(stories[8].story, stories[0].story);
}

TEST(StoryClusterer, ShortArticlesStayAloneAndNeverCrash) {
  const Analyzed terms;
  StoryClusterer clusterer(ClusterOptions{});
  const StoryAssignment empty = clusterer.add({});
  const StoryAssignment one_word = clusterer.add({.terms = terms("عاجل")});
  const StoryAssignment again = clusterer.add({.terms = terms("عاجل")});
  EXPECT_TRUE(empty.too_short);
  EXPECT_TRUE(one_word.too_short);
  EXPECT_NE(one_word.story, again.story);
}

TEST(ClusterOptions, OutOfRangeValuesAreRejected) {
  EXPECT_TRUE(ClusterOptions{}.validate().ok());
  EXPECT_FALSE(ClusterOptions{.similarity_threshold = 0}.validate().ok());
  EXPECT_FALSE(ClusterOptions{.active_window_seconds = -1}.validate().ok());
  const ClusterOptions too_few_story_terms{.article_terms = 200, .story_terms = 100};
  EXPECT_FALSE(too_few_story_terms.validate().ok());
  EXPECT_FALSE(ClusterOptions{.title_weight = -1}.validate().ok());
}

// EXPECTED.md: the two seed reports are one story; an unrelated article is not in it.
std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

TEST(StoryClusterer, TheTwoSeedsAreOneStoryAndFootballIsNot) {
  const Analyzed terms;
  const Cleaner cleaner;
  StoryClusterer clusterer(ClusterOptions{});
  std::vector<StoryAssignment> stories;
  for (const auto& entry : std::filesystem::directory_iterator(KHABAR_SEEDS_DIR)) {
    if (entry.path().extension() != ".txt") continue;
    Document doc;
    doc.text = read_file(entry.path());
    const CleanArticle clean = cleaner.clean(doc);
    stories.push_back(
        clusterer.add({.terms = terms(clean.body()), .title_terms = terms(clean.title)}));
  }
  ASSERT_EQ(stories.size(), 2u);
  EXPECT_EQ(stories[0].story, stories[1].story);
  EXPECT_GE(stories[1].similarity, ClusterOptions{}.similarity_threshold);
  const StoryAssignment football = clusterer.add({.terms = terms(reports()[7].text)});
  EXPECT_TRUE(football.new_story);
}

}  // namespace
}  // namespace khabar
