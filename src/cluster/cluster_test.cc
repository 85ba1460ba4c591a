#include "khabar/cluster.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
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

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

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

// Three events, each told the same day by several outlets in different words around the same
// names; one football report; each article a few sentences. (Reports days apart weigh less: the
// join model counts the days between them, README "Stories".)
struct Article {
  std::string text;
  std::string event;
  int64_t day = 0;
  // What the extractor would give (pipeline_test covers it): gazetteer entries and names.
  std::vector<std::string> places{};
  std::vector<std::string> names{};
};

std::vector<Article> reports() {
  return {
      {"أعلن الرئيس الكازاخستاني قاسم جومارت توكاييف أن قوات حفظ السلام التابعة لمنظمة معاهدة "
       "الأمن الجماعي ستغادر كازاخستان بعد احتجاجات ألماتي. وقال إن الاضطرابات كانت محاولة انقلاب.",
       "kz",
       0,
       {"KZ", "KZ", "KZ-ALA"},
       {"person:tokayev", "CSTO"}},
      {"Kazakhstan unrest: President Tokayev says CSTO peacekeepers will leave Almaty after the "
       "protests.",
       "kz-en", 0},
      {"الرئيس الكازاخي توكايف: اضطرابات ألما آتا محاولة انقلاب، وقوات منظمة معاهدة الأمن "
       "الجماعي تبدأ الانسحاب من كازاخستان خلال أيام بعد إعادة النظام إلى المدينة.",
       "kz",
       0,
       {"KZ", "KZ-ALA", "KZ"},
       {"person:tokayev", "CSTO"}},
      {"ضرب زلزال بقوة 6.8 درجات جنوب تركيا فجر اليوم، وأعلنت إدارة الكوارث التركية عن سقوط قتلى "
       "وانهيار مبان في ولاية هاتاي، فيما تواصل فرق الإنقاذ البحث عن ناجين تحت الأنقاض.",
       "quake",
       1,
       {"TR", "TR-31"},
       {"TR-AFAD"}},
      {"فرق الإنقاذ التركية تنتشل ناجين من تحت أنقاض المباني المنهارة في هاتاي بعد الزلزال الذي "
       "ضرب جنوب تركيا، وإدارة الكوارث ترفع حصيلة القتلى.",
       "quake",
       1,
       {"TR-31", "TR"},
       {"TR-AFAD"}},
      {"البنك المركزي المصري يرفع أسعار الفائدة الأساسية 200 نقطة أساس في اجتماع استثنائي لمواجهة "
       "التضخم، ويقول إن القرار يهدف إلى احتواء ارتفاع الأسعار.",
       "egp",
       2,
       {"EG"},
       {"EG-CBE"}},
      {"رفع البنك المركزي في مصر أسعار الفائدة بمقدار 200 نقطة أساس لكبح التضخم، في قرار مفاجئ "
       "اتخذته لجنة السياسة النقدية في اجتماع استثنائي.",
       "egp",
       2,
       {"EG"},
       {"EG-CBE"}},
      {"فاز فريق الأهلي على الزمالك بهدفين مقابل هدف في مباراة القمة بالدوري المصري الممتاز لكرة "
       "القدم، وسجل المهاجم هدف الفوز في الدقيقة الأخيرة من المباراة.",
       "football",
       3,
       {"EG"},
       {"EG-AHLY", "EG-ZAMALEK"}},
      {"قوات حفظ السلام تغادر كازاخستان: توكاييف يعلن انتهاء مهمة منظمة معاهدة الأمن الجماعي بعد "
       "احتجاجات ألماتي ومحاولة الانقلاب التي هزت البلاد.",
       "kz",
       0,
       {"KZ", "KZ-ALA"},
       {"person:tokayev", "CSTO"}},
  };
}

// What the pipeline would give the clusterer for an article.
ClusterInput input_of(const Article& a) {
  static const Normalizer normalizer;
  static const Analyzer analyzer;
  ClusterInput in = cluster_input(analyzer, {}, normalizer.normalize(a.text), a.day * 86400);
  in.places = a.places;
  in.entities = a.names;
  return in;
}

std::vector<StoryAssignment> cluster(const std::vector<Article>& articles,
                                     ClusterOptions options = {}) {
  StoryClusterer clusterer(options);
  std::vector<StoryAssignment> out;
  for (const Article& a : articles)
    out.push_back(clusterer.add(input_of(a)));
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
    EXPECT_DOUBLE_EQ(a[i].probability, b[i].probability);
  }
}

// What add() reports it compared is what it decided on: the story joined is among the
// candidates, at the probability the model gives its features, and no candidate scores higher.
TEST(StoryClusterer, TheComparedCandidatesAreTheOnesDecidedOn) {
  StoryClusterer clusterer(ClusterOptions{});
  const std::vector<StoryAssignment> plain = cluster(reports());
  size_t joined = 0;
  for (const Article& a : reports()) {
    std::vector<CandidateStory> compared;
    const StoryAssignment placed = clusterer.add(input_of(a), &compared);
    EXPECT_EQ(placed.story, plain[joined].story);
    double best = 0;
    for (const CandidateStory& c : compared)
      best = std::max(best, JoinModel::built_in().probability(c.features));
    EXPECT_DOUBLE_EQ(best, placed.probability);
    if (!placed.new_story) {
      EXPECT_TRUE(std::ranges::any_of(
          compared, [&](const CandidateStory& c) { return c.story == placed.story; }));
    }
    ++joined;
  }
}

// A process that rebuilds the stories from the store (replay) must decide the next article as
// the process that placed them did, articles too short to cluster left out as the store leaves
// them out.
TEST(StoryClusterer, ReplayingThePlacementsGivesTheSameNextDecision) {
  std::vector<Article> articles = reports();
  articles.insert(articles.begin() + 3, {"عاجل", "short", 1});
  StoryClusterer original(ClusterOptions{});
  std::vector<StoryAssignment> placed;
  for (size_t i = 0; i + 1 < articles.size(); ++i)
    placed.push_back(original.add(input_of(articles[i])));
  ASSERT_TRUE(placed[3].too_short);
  StoryClusterer rebuilt(ClusterOptions{});
  std::map<uint32_t, uint32_t> renumbered;
  for (size_t i = 0; i + 1 < articles.size(); ++i) {
    if (placed[i].too_short) continue;
    const auto [it, first] =
        renumbered.emplace(placed[i].story, static_cast<uint32_t>(rebuilt.story_count()));
    rebuilt.replay(input_of(articles[i]), it->second);
  }
  const StoryAssignment next = original.add(input_of(articles.back()));
  const StoryAssignment again = rebuilt.add(input_of(articles.back()));
  ASSERT_FALSE(next.new_story);
  EXPECT_EQ(renumbered.at(next.story), again.story);
  EXPECT_DOUBLE_EQ(next.probability, again.probability);
}

// Stories were retired when a later article's search met them: a process that placed the
// articles itself had retired a story that a process replaying them from the store had not,
// and a late article dated in the story's days joined it in one and not in the other.
TEST(StoryClusterer, ALateArticleIsPlacedAlikeAfterAReplay) {
  const std::vector<Article> all = reports();
  // The same subject weeks later, which meets the first story, and two other reports then
  // (retirement goes by the third newest time); then a report dated in the first story's days.
  std::vector<Article> articles = {all[0], all[2], all[8], all[3], all[5], all[2]};
  for (size_t i = 2; i <= 4; ++i)
    articles[i].day = 20;
  articles[5].day = 1;
  articles[5].text += " وأضاف أن الوضع مستقر.";
  StoryClusterer original(ClusterOptions{});
  std::vector<StoryAssignment> placed;
  for (size_t i = 0; i + 1 < articles.size(); ++i)
    placed.push_back(original.add(input_of(articles[i])));
  ASSERT_TRUE(placed[2].new_story);
  StoryClusterer rebuilt(ClusterOptions{});
  for (size_t i = 0; i + 1 < articles.size(); ++i)
    rebuilt.replay(input_of(articles[i]), placed[i].story);
  const StoryAssignment next = original.add(input_of(articles.back()));
  const StoryAssignment again = rebuilt.add(input_of(articles.back()));
  EXPECT_EQ(next.new_story, again.new_story);
  EXPECT_EQ(next.story, again.story);
  // Three windows behind the newest article, the first story takes no more.
  EXPECT_TRUE(next.new_story);
}

// A process starting from a snapshot must place every later article as the process that made
// it, at any point of the stream: stories retired by then (weeks apart), too short articles.
TEST(StoryClusterer, AClustererRestoredFromASnapshotPlacesTheRestAlike) {
  std::vector<Article> articles = reports();
  articles.insert(articles.begin() + 3, {"عاجل", "short", 1});
  std::vector<Article> later = reports();
  for (Article& a : later)
    a.day += 20;
  articles.insert(articles.end(), later.begin(), later.end());
  articles.push_back(reports()[5]);  // late: dated in the first story's retired days
  for (size_t split = 0; split <= articles.size(); ++split) {
    StoryClusterer original(ClusterOptions{});
    for (size_t i = 0; i < split; ++i)
      original.add(input_of(articles[i]));
    StoryClusterer restored(ClusterOptions{});
    ASSERT_TRUE(restored.restore(original.snapshot()).ok()) << split;
    EXPECT_EQ(restored.story_count(), original.story_count());
    EXPECT_EQ(restored.article_count(), original.article_count());
    for (size_t i = split; i < articles.size(); ++i) {
      const StoryAssignment a = original.add(input_of(articles[i]));
      const StoryAssignment b = restored.add(input_of(articles[i]));
      EXPECT_EQ(a.story, b.story) << "split " << split << ", article " << i;
      EXPECT_EQ(a.new_story, b.new_story) << "split " << split << ", article " << i;
      EXPECT_EQ(a.probability, b.probability) << "split " << split << ", article " << i;
    }
  }
}

TEST(StoryClusterer, ASnapshotOfOtherOptionsOrDamagedIsRefused) {
  StoryClusterer original(ClusterOptions{});
  for (const Article& a : reports())
    original.add(input_of(a));
  const std::string snapshot = original.snapshot();
  ClusterOptions narrow;
  narrow.active_window_seconds = 3600;
  StoryClusterer other(narrow);
  EXPECT_EQ(other.restore(snapshot).error().code, ErrorCode::kInvalidArgument);
  StoryClusterer cut(ClusterOptions{});
  EXPECT_FALSE(cut.restore(std::string_view(snapshot).substr(0, snapshot.size() - 3)).ok());
  EXPECT_FALSE(cut.restore(snapshot + "x").ok());
  std::string flipped = snapshot;
  flipped[flipped.size() / 2] ^= 1;  // a weight's bit: still parses, fails the checksum
  EXPECT_FALSE(cut.restore(flipped).ok());
  EXPECT_FALSE(cut.restore("").ok());
  EXPECT_EQ(cut.story_count(), 0u);  // unchanged: it still places from nothing
  EXPECT_TRUE(cut.add(input_of(reports()[0])).new_story);
  EXPECT_FALSE(cut.restore(snapshot).ok());  // it has seen an article now
}

TEST(StoryClusterer, AMisdatedArticleDoesNotRetireEveryStory) {
  // Found in review: one article dated 2100 retired every story, new ones included, for good.
  std::vector<Article> articles = reports();
  Article misdated = articles[5];
  misdated.day = 30000;
  articles.insert(articles.begin() + 3, misdated);
  const std::vector<StoryAssignment> stories = cluster(articles);
  EXPECT_EQ(stories[9].story, stories[0].story);  // the last Kazakhstan report joins the first
  EXPECT_FALSE(stories[9].new_story);
}

TEST(StoryClusterer, AStoryClosesAfterItsWindow) {
  std::vector<Article> articles = reports();
  articles[8].day = 30;  // the same subject a month later is a new story
  const std::vector<StoryAssignment> stories = cluster(articles);
  EXPECT_TRUE(stories[8].new_story);
  EXPECT_NE(stories[8].story, stories[0].story);
}

TEST(StoryClusterer, ShortArticlesStayAloneAndNeverCrash) {
  const Normalizer normalizer;
  const Analyzer analyzer;
  StoryClusterer clusterer(ClusterOptions{});
  const StoryAssignment empty = clusterer.add({});
  const StoryAssignment one_word = clusterer.add(cluster_input(analyzer, {}, "عاجل", 0));
  const StoryAssignment again = clusterer.add(cluster_input(analyzer, "عاجل", "عاجل", 0));
  EXPECT_TRUE(empty.too_short);
  EXPECT_TRUE(one_word.too_short);
  EXPECT_NE(one_word.story, again.story);
}

TEST(ClusterOptions, OutOfRangeValuesAreRejected) {
  EXPECT_TRUE(ClusterOptions{}.validate().ok());
  EXPECT_FALSE(ClusterOptions{.join_threshold = 0}.validate().ok());
  EXPECT_FALSE(ClusterOptions{.join_threshold = 1}.validate().ok());
  EXPECT_FALSE(ClusterOptions{.active_window_seconds = -1}.validate().ok());
  EXPECT_FALSE(ClusterOptions{.compared_members = 0}.validate().ok());
}

// The compiled-in model names every feature the clusterer computes (a model trained for
// another feature list fails here, not at run time).
TEST(JoinModel, TheBuiltInModelParsesAndReadsItsFeatures) {
  const Result<JoinModel> parsed =
      JoinModel::parse(read_file(KHABAR_JOIN_MODEL), "data/cluster/join_model.tsv");
  ASSERT_TRUE(parsed.ok()) << parsed.error().message;
  const JoinModel& model = JoinModel::built_in();
  EXPECT_EQ(model.intercept, parsed->intercept);
  EXPECT_EQ(model.weights, parsed->weights);
  // More of what the story's reports share is more likely one happening.
  JoinFeatures weak{}, strong{};
  weak[static_cast<size_t>(JoinFeature::kStoryBody)] = 0.1;
  strong[static_cast<size_t>(JoinFeature::kStoryBody)] = 0.6;
  EXPECT_LT(model.probability(weak), model.probability(strong));
}

TEST(JoinModel, AModelFileMustNameEveryFeatureOnce) {
  std::string good = "# a comment\nintercept\t-1\n";
  for (size_t f = 0; f < kJoinFeatures; ++f)
    good += std::string(join_feature_name(static_cast<JoinFeature>(f))) + "\t0.5\n";
  const Result<JoinModel> parsed = JoinModel::parse(good, "m.tsv");
  ASSERT_TRUE(parsed.ok()) << parsed.error().message;
  EXPECT_DOUBLE_EQ(parsed->probability(JoinFeatures{}), 1.0 / (1.0 + std::exp(1.0)));

  const Result<JoinModel> missing = JoinModel::parse("intercept\t-1\nhead\t1\n", "m.tsv");
  ASSERT_FALSE(missing.ok());
  EXPECT_THAT(missing.error().message, ::testing::HasSubstr("no weight for feature «title»"));
  const Result<JoinModel> unknown = JoinModel::parse(good + "colour\t1\n", "m.tsv");
  ASSERT_FALSE(unknown.ok());
  EXPECT_THAT(unknown.error().message, ::testing::HasSubstr("m.tsv:"));
  EXPECT_THAT(unknown.error().message, ::testing::HasSubstr("unknown feature «colour»"));
  EXPECT_FALSE(JoinModel::parse(good + "head\tmany\n", "m.tsv").ok());
  EXPECT_FALSE(JoinModel::load("/nonexistent/model.tsv").ok());
}

}  // namespace
}  // namespace khabar
