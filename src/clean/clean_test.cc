#include "khabar/clean.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "clean/internal/clean_internal.h"

namespace khabar {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

Document text_document(std::string text) {
  Document doc;
  doc.text = std::move(text);
  doc.origin = "test.txt";
  return doc;
}

std::vector<std::string> rules_of(const CleanArticle& article) {
  std::vector<std::string> out;
  for (const Removal& r : article.removals)
    out.push_back(r.rule);
  return out;
}

std::vector<std::string> paragraph_texts(const CleanArticle& article) {
  std::vector<std::string> out;
  for (const Paragraph& p : article.paragraphs)
    out.push_back(p.text);
  return out;
}

const std::string kSentence1 =
    "أعلنت الحكومة اليوم عن خطة جديدة لدعم المشاريع الصغيرة، وقالت إنها ستبدأ الشهر المقبل.";
const std::string kSentence2 =
    "وأضاف الوزير أن الخطة تشمل قروضا ميسرة للشباب، مشيرا إلى أن التمويل متاح في كل المحافظات.";

class CleanerTest : public ::testing::Test {
 protected:
  Cleaner cleaner;
};

TEST_F(CleanerTest, FirstLineIsATitleOnlyWhenItLooksLikeOne) {
  auto titled = cleaner.clean(text_document("خطة لدعم المشاريع الصغيرة\n\n" + kSentence1));
  EXPECT_EQ(titled.title, "خطة لدعم المشاريع الصغيرة");
  EXPECT_THAT(paragraph_texts(titled), ElementsAre(kSentence1));
  ASSERT_EQ(titled.removals.size(), 1u);
  EXPECT_EQ(titled.removals[0].kind, Removal::Kind::kMovedToMetadata);

  auto untitled = cleaner.clean(text_document(kSentence1 + "\n" + kSentence2));
  EXPECT_EQ(untitled.title, "");
  EXPECT_EQ(untitled.paragraphs.size(), 2u);

  auto single = cleaner.clean(text_document("خطة لدعم المشاريع الصغيرة"));
  EXPECT_EQ(single.title, "") << "a one-line article is its own body";
}

TEST_F(CleanerTest, MetadataTitleRepeatedInTheBodyIsTakenOut) {
  Document doc = text_document("خطة لدعم المشاريع\n" + kSentence1);
  doc.title = "خطةٌ لدعم المشاريع";
  auto article = cleaner.clean(doc);
  EXPECT_EQ(article.title, "خطةٌ لدعم المشاريع");
  EXPECT_THAT(paragraph_texts(article), ElementsAre(kSentence1));
}

// SaudiNewsNet's titles carry HTML entities: «&quot;عرب نيوز&quot;» is «"عرب نيوز"», and the
// body's first line that repeats it is still the headline.
TEST_F(CleanerTest, EntitiesAndTagsInATitleFieldAreDecoded) {
  Document doc = text_document("\"عرب نيوز\" الأولى عالميا\n" + kSentence1);
  doc.title = "&quot;عرب نيوز&quot; <b>الأولى</b> عالميا";
  auto article = cleaner.clean(doc);
  EXPECT_EQ(article.title, "\"عرب نيوز\" الأولى عالميا");
  EXPECT_THAT(paragraph_texts(article), ElementsAre(kSentence1));
}

TEST_F(CleanerTest, BylinesBecomeMetadata) {
  auto article =
      cleaner.clean(text_document("عنوان الخبر هنا\nدمشق – سانا – كتب أحمد علي\n" + kSentence1));
  EXPECT_THAT(article.byline.agencies, ElementsAre("سانا"));
  EXPECT_EQ(article.byline.outlet, "دمشق");
  EXPECT_EQ(article.byline.editor, "أحمد علي");
  EXPECT_THAT(paragraph_texts(article), ElementsAre(kSentence1));

  auto english = cleaner.clean(text_document("Reuters | By Jane Smith\n" + kSentence1));
  EXPECT_THAT(english.byline.agencies, ElementsAre("Reuters"));
  EXPECT_EQ(english.byline.editor, "Jane Smith");
}

TEST_F(CleanerTest, ASentenceWithADashIsNotAByline) {
  Byline byline;
  Normalizer normalizer;
  clean_internal::WordLists words;
  words.agencies = {"رويترز"};
  EXPECT_FALSE(clean_internal::parse_byline("قال مصدر – لم يذكر اسمه – إن الاجتماع تأجل",
                                            normalizer, words, byline));
  EXPECT_TRUE(clean_internal::parse_byline("رويترز", normalizer, words, byline));
}

TEST_F(CleanerTest, HeadingPhraseStartsTheBoilerplateTail) {
  auto article = cleaner.clean(
      text_document(kSentence1 + "\n" + kSentence2 + "\nاقرأ أيضاً:\nخبر أول\nخبر ثان طويل قليلا"));
  EXPECT_THAT(paragraph_texts(article), ElementsAre(kSentence1, kSentence2));
  EXPECT_THAT(rules_of(article),
              ElementsAre("boilerplate-heading", "boilerplate-tail", "boilerplate-tail"));
}

TEST_F(CleanerTest, HeadlineRunIsFoundByStructureWithoutAnyHeading) {
  std::string run;
  for (int i = 0; i < 12; ++i)
    run += "وزير الاقتصاد يلتقي وفدا تجاريا من دولة صديقة ";
  auto article = cleaner.clean(text_document(kSentence1 + "\n" + kSentence2 + "\n" + run));
  EXPECT_THAT(paragraph_texts(article), ElementsAre(kSentence1, kSentence2));
  EXPECT_THAT(rules_of(article), ElementsAre("headline-run"));
}

TEST_F(CleanerTest, LongPunctuatedParagraphIsNotAHeadlineRun) {
  std::string prose;
  for (int i = 0; i < 6; ++i)
    prose += kSentence1 + " ";
  auto article = cleaner.clean(text_document(kSentence2 + "\n" + prose));
  EXPECT_EQ(article.paragraphs.size(), 2u);
  EXPECT_TRUE(article.removals.empty());
}

TEST_F(CleanerTest, TrailingTeaserQuestionsAreLinks) {
  auto article = cleaner.clean(text_document(kSentence1 + "\n" + kSentence2 +
                                             "\nما هي خطة الحكومة الجديدة؟\n"
                                             "خارج التغطية.. لماذا تأخر التمويل؟"));
  EXPECT_THAT(paragraph_texts(article), ElementsAre(kSentence1, kSentence2));
  EXPECT_THAT(rules_of(article), ElementsAre("teaser", "teaser"));
}

TEST_F(CleanerTest, AQuestionInsideTheBodyStays) {
  auto article = cleaner.clean(text_document(kSentence1 + "\nلماذا الآن؟\n" + kSentence2));
  EXPECT_EQ(article.paragraphs.size(), 3u);
}

TEST_F(CleanerTest, ShortcodesAndLeakedMarkupAreRemovedAndAudited) {
  auto article =
      cleaner.clean(text_document("[two-column]\n" + kSentence1 +
                                  " <b>مهم</b> &amp; عاجل\n[/two-column]\n"
                                  "[caption id=\"a1\" align=\"alignleft\"]صورة الوزير[/caption]" +
                                  kSentence2));
  EXPECT_THAT(paragraph_texts(article), ElementsAre(kSentence1 + " مهم & عاجل", kSentence2));
  EXPECT_THAT(rules_of(article),
              ElementsAre("shortcode", "markup", "markup", "shortcode", "shortcode"));
  EXPECT_EQ(article.removals.back().reason, "image caption inside a [caption] shortcode");
  EXPECT_EQ(article.removals[0].begin, 0u);
  EXPECT_EQ(article.removals[0].end, 12u);  // [two-column]
}

TEST_F(CleanerTest, BracketedArabicIsNotAShortcode) {
  auto article = cleaner.clean(text_document("قال [المتحدث] إن " + kSentence1));
  EXPECT_TRUE(article.removals.empty());
}

TEST_F(CleanerTest, RepeatedParagraphKeepsTheFirst) {
  auto article = cleaner.clean(text_document(kSentence1 + "\n" + kSentence2 + "\n" + kSentence1));
  EXPECT_THAT(paragraph_texts(article), ElementsAre(kSentence1, kSentence2));
  EXPECT_THAT(rules_of(article), ElementsAre("repeated-paragraph"));
}

TEST_F(CleanerTest, PullQuoteInsideALaterParagraphIsDropped) {
  const std::string longer = "وفي السياق نفسه، " + kSentence1 + " " + kSentence2;
  auto article = cleaner.clean(text_document(kSentence1 + "\nتفاصيل الخطة\n" + longer));
  EXPECT_THAT(paragraph_texts(article), ElementsAre("تفاصيل الخطة", longer));
  ASSERT_EQ(rules_of(article), std::vector<std::string>{"pull-quote"});
  EXPECT_THAT(article.removals[0].reason, HasSubstr("later paragraph"));
}

TEST_F(CleanerTest, ShortPhraseInsideAParagraphIsNotAPullQuote) {
  auto article = cleaner.clean(text_document(kSentence1 + "\nالمشاريع الصغيرة\n" + kSentence2));
  EXPECT_EQ(article.paragraphs.size(), 3u);
}

TEST_F(CleanerTest, SubheadsStandBetweenParagraphs) {
  auto article = cleaner.clean(text_document(kSentence1 + "\nقروض للشباب\n" + kSentence2));
  EXPECT_THAT(article.subheads(), ElementsAre("قروض للشباب"));
  EXPECT_EQ(article.body(), kSentence1 + "\nقروض للشباب\n" + kSentence2);
}

TEST_F(CleanerTest, ShareAndCopyrightLinesGoAnywhere) {
  auto article = cleaner.clean(text_document(kSentence1 + "\nشارك على فيسبوك\n" + kSentence2 +
                                             "\n© 2024 جميع الحقوق محفوظة لصحيفة الثورة"));
  EXPECT_THAT(paragraph_texts(article), ElementsAre(kSentence1, kSentence2));
  EXPECT_THAT(rules_of(article), ElementsAre("social", "copyright"));
}

TEST_F(CleanerTest, HtmlChromeAndLinkListsAreRemoved) {
  Document doc;
  doc.text = "الرئيسية\n" + kSentence1 + "\nخبر آخر مرتبط\n" + kSentence2;
  doc.format = InputFormat::kHtml;
  const size_t a = 0, b = a + std::string("الرئيسية").size();
  const size_t c = b + 1, d = c + kSentence1.size();
  const size_t e = d + 1, f = e + std::string("خبر آخر مرتبط").size();
  doc.blocks = {{a, b, SourceBlock::Kind::kListItem, 0, true},
                {c, d, SourceBlock::Kind::kParagraph, 0, false},
                {e, f, SourceBlock::Kind::kParagraph, f - e, false},
                {f + 1, doc.text.size(), SourceBlock::Kind::kParagraph, 0, false}};
  auto article = cleaner.clean(doc);
  EXPECT_THAT(paragraph_texts(article), ElementsAre(kSentence1, kSentence2));
  EXPECT_THAT(rules_of(article), ElementsAre("page-chrome", "link-density"));
}

// A web page's blocks, one a line of `lines`, none of them chrome.
Document html_document(const std::vector<std::string>& lines) {
  Document doc;
  doc.format = InputFormat::kHtml;
  for (const std::string& line : lines) {
    if (!doc.text.empty()) doc.text += '\n';
    const size_t begin = doc.text.size();
    doc.text += line;
    doc.blocks.push_back({begin, doc.text.size(), SourceBlock::Kind::kParagraph, 0, false});
  }
  return doc;
}

TEST_F(CleanerTest, ShortLinesWithoutAClosingMarkAfterAWebPagesBodyAreLabels) {
  // "Mehr zum Thema", "Foto: …": teasers, labels and credits after the article.
  auto article = cleaner.clean(html_document({kSentence1, "قال الوزير: «سنبدأ غدا»", kSentence2,
                                              "نشرة الطقس اليومية", "صور: وكالة الأنباء"}));
  EXPECT_THAT(paragraph_texts(article),
              ElementsAre(kSentence1, "قال الوزير: «سنبدأ غدا»", kSentence2));
  EXPECT_THAT(rules_of(article), ElementsAre("trailing-label", "trailing-label"));
  // An article may end with its list.
  Document listed = html_document({kSentence1, kSentence2, "الطماطم", "البصل"});
  listed.blocks[2].kind = listed.blocks[3].kind = SourceBlock::Kind::kListItem;
  EXPECT_EQ(paragraph_texts(cleaner.clean(listed)).size(), 4u);
  // In plain text a short last line may be the article's own (a signature): left to the rules
  // that know it.
  auto plain =
      cleaner.clean(text_document(kSentence1 + "\n" + kSentence2 + "\nصور: وكالة الأنباء"));
  EXPECT_EQ(paragraph_texts(plain).size(), 3u);
}

TEST_F(CleanerTest, DateLinesAtTheTopOfAWebPageGo) {
  Document doc =
      html_document({"الاثنين ١٢ يناير ٢٠٢٢ - 10:30", "خطة للشباب", kSentence1, kSentence2});
  doc.title = "الحكومة تعلن خطة";  // from the page's metadata, as web pages have one
  auto article = cleaner.clean(doc);
  EXPECT_THAT(paragraph_texts(article), ElementsAre("خطة للشباب", kSentence1, kSentence2));
  EXPECT_THAT(rules_of(article), ElementsAre("date-line"));
  // A deck with a count, no year and no time, is the article's own.
  Document deck = html_document({"مقتل 3 أشخاص في حادث سير", kSentence1, kSentence2});
  deck.title = "حادث سير";
  EXPECT_EQ(paragraph_texts(cleaner.clean(deck)).size(), 3u);
}

TEST_F(CleanerTest, AWebPageWhoseEveryBlockIsChromeKeepsItsProse) {
  // Marked chrome by its containers only: better its prose than no article at all.
  Document doc = html_document({"الرئيسية", kSentence1, kSentence2});
  for (SourceBlock& block : doc.blocks)
    block.in_page_chrome = true;
  doc.blocks[0].link_bytes = doc.blocks[0].end - doc.blocks[0].begin;
  auto article = cleaner.clean(doc);
  EXPECT_THAT(paragraph_texts(article), ElementsAre(kSentence1, kSentence2));
  EXPECT_THAT(rules_of(article), ElementsAre("link-density"));
  // Without prose (an index or error page), it stays an empty article.
  Document index = html_document({"الرئيسية", "أخبار محلية", "الطقس اليوم"});
  for (SourceBlock& block : index.blocks)
    block.in_page_chrome = true;
  EXPECT_TRUE(cleaner.clean(index).paragraphs.empty());
}

TEST_F(CleanerTest, CaptionsAndAuthorBoxesMoveToMetadata) {
  Document doc = html_document({"الوزير خلال المؤتمر الصحفي", kSentence1, kSentence2,
                                "صحفي يكتب في الشؤون الاقتصادية منذ عشرين عاما."});
  doc.blocks[0].kind = SourceBlock::Kind::kCaption;
  doc.blocks[3].kind = SourceBlock::Kind::kAuthor;
  auto article = cleaner.clean(doc);
  EXPECT_THAT(paragraph_texts(article), ElementsAre(kSentence1, kSentence2));
  EXPECT_THAT(rules_of(article), ElementsAre("caption", "author"));
  for (const Removal& r : article.removals)
    EXPECT_EQ(r.kind, Removal::Kind::kMovedToMetadata);
  // An author line that reads as a byline is the article's byline.
  Document bylined = html_document({"رويترز", kSentence1, kSentence2});
  bylined.blocks[0].kind = SourceBlock::Kind::kAuthor;
  auto with_byline = cleaner.clean(bylined);
  EXPECT_THAT(with_byline.byline.agencies, ElementsAre("رويترز"));
  EXPECT_THAT(rules_of(with_byline), ElementsAre("byline"));
  // When the marks would leave nothing, the page is read again without them.
  Document all_marked = html_document({kSentence1, kSentence2});
  for (SourceBlock& block : all_marked.blocks)
    block.kind = SourceBlock::Kind::kAuthor;
  EXPECT_THAT(paragraph_texts(cleaner.clean(all_marked)), ElementsAre(kSentence1, kSentence2));
}

TEST_F(CleanerTest, RemovalSpansPointAtTheRemovedText) {
  const Document doc = text_document(kSentence1 + "\n" + kSentence2 + "\nآخر الأخبار\nعنوان");
  auto article = cleaner.clean(doc);
  ASSERT_FALSE(article.removals.empty());
  const Removal& heading = article.removals[0];
  EXPECT_EQ(doc.text.substr(heading.begin, heading.end - heading.begin), "آخر الأخبار");
}

TEST_F(CleanerTest, NormalizedBodyEqualsNormalisingTheBody) {
  const Normalizer normalizer;
  for (const std::string& text :
       {kSentence1 + "\nقروض للشباب\n" + kSentence2, std::string("ـــ\n") + kSentence1 + "\nـ",
        "عنوان\n\nَ" + kSentence2 + "  \t\n«اقتباس»", std::string("Title\nÉCOLE ﷺ\nx")}) {
    const CleanArticle article = cleaner.clean(text_document(text));
    EXPECT_EQ(article.normalized_body(), normalizer.normalize(article.body())) << text;
  }
}

TEST_F(CleanerTest, EmptyAndMarkupOnlyDocumentsGiveNoBody) {
  EXPECT_TRUE(cleaner.clean(text_document("")).paragraphs.empty());
  EXPECT_TRUE(cleaner.clean(text_document("[two-column]\n[/two-column]")).paragraphs.empty());
}

}  // namespace
}  // namespace khabar
