#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "ingest/ingest_testing.h"
#include "khabar/ingest.h"

namespace khabar {
namespace {

using ::testing::HasSubstr;

Document read_page(const std::string& html, testing::CollectingSink* out = nullptr) {
  testing::CollectingSink sink;
  read_buffer(html, "page.html", {}, sink);
  if (out != nullptr) *out = sink;
  EXPECT_EQ(sink.documents.size(), 1u);
  return sink.documents.empty() ? Document{} : sink.documents[0];
}

std::string block_text(const Document& doc, size_t i) {
  return doc.text.substr(doc.blocks[i].begin, doc.blocks[i].end - doc.blocks[i].begin);
}

const char* kPage = R"(<!doctype html>
<html lang="ar"><head>
<title>موسكو: عصابات إرهابية دولية | صحيفة الثورة</title>
<meta property="og:title" content="موسكو: عصابات إرهابية دولية شاركت في أحداث كازاخستان">
<meta property="og:site_name" content="الثورة">
<meta property="article:published_time" content="2022-01-12T09:00:00+02:00">
<link rel="canonical" href="https://thawra.test/a/1">
<script>var tracking = "not text";</script>
<style>p { color: red }</style>
</head><body>
<nav><ul><li><a href="/">الرئيسية</a></li><li><a href="/world">دولي</a></li></ul></nav>
<article>
  <h1>موسكو: عصابات إرهابية دولية شاركت في أحداث كازاخستان</h1>
  <p>أكدت الخارجية الروسية بأن ما تعرضت له كازاخستان &quot;هجوم&quot;   إرهابي
     <b>هجين</b>.</p>
  <h2>انقلاب فاشل</h2>
  <p>وقال الرئيس<br>إن البلاد نجت.</p>
  <div class="related-posts"><a href="/b">خبر آخر</a></div>
</article>
<div class="sidebar"><p>الأكثر قراءة</p></div>
<footer><p>جميع الحقوق محفوظة © 2024</p></footer>
</body></html>)";

TEST(HtmlReader, TakesMetadataFromTheHead) {
  const Document doc = read_page(kPage);
  EXPECT_EQ(doc.title, "موسكو: عصابات إرهابية دولية شاركت في أحداث كازاخستان");
  EXPECT_EQ(doc.source, "الثورة");
  EXPECT_EQ(doc.published, "2022-01-12T09:00:00+02:00");
  EXPECT_EQ(doc.url, "https://thawra.test/a/1");
  EXPECT_EQ(doc.declared_lang, "ar");
  EXPECT_EQ(doc.format, InputFormat::kHtml);
}

TEST(HtmlReader, BlocksKeepStructureAndScriptsAreGone) {
  const Document doc = read_page(kPage);
  EXPECT_THAT(doc.text, ::testing::Not(HasSubstr("tracking")));
  EXPECT_THAT(doc.text, ::testing::Not(HasSubstr("color")));
  std::vector<std::string> body;
  for (size_t i = 0; i < doc.blocks.size(); ++i) {
    if (!doc.blocks[i].in_page_chrome) body.push_back(block_text(doc, i));
  }
  EXPECT_THAT(body, ::testing::ElementsAre(
                        "موسكو: عصابات إرهابية دولية شاركت في أحداث كازاخستان",
                        "أكدت الخارجية الروسية بأن ما تعرضت له كازاخستان \"هجوم\" إرهابي هجين.",
                        "انقلاب فاشل", "وقال الرئيس", "إن البلاد نجت."));
  EXPECT_EQ(doc.blocks[2].kind, SourceBlock::Kind::kHeading);  // blocks 0 and 1 are the nav
}

TEST(HtmlReader, MarksChromeAndLinks) {
  const Document doc = read_page(kPage);
  std::vector<std::string> chrome;
  for (size_t i = 0; i < doc.blocks.size(); ++i) {
    if (doc.blocks[i].in_page_chrome) chrome.push_back(block_text(doc, i));
  }
  EXPECT_THAT(chrome, ::testing::ElementsAre("الرئيسية", "دولي", "خبر آخر", "الأكثر قراءة",
                                             "جميع الحقوق محفوظة © 2024"));
  for (const SourceBlock& block : doc.blocks) {
    if (block.kind == SourceBlock::Kind::kListItem) {
      EXPECT_EQ(block.link_bytes, block.end - block.begin);
    }
  }
}

TEST(HtmlReader, TitleFallsBackToTitleElementWithoutTheSiteName) {
  const Document doc =
      read_page("<html><head><title>خبر عاجل من دمشق - سانا</title></head><body><p>نص</p></body>");
  EXPECT_EQ(doc.title, "خبر عاجل من دمشق");
}

TEST(HtmlReader, DateFromJsonLdAndBadDatesAreWarnedAbout) {
  testing::CollectingSink sink;
  const Document doc = read_page(
      R"(<html><head><meta name="date" content="yesterday">
      <script type="application/ld+json">{"@graph":[{"@type":"NewsArticle",
      "datePublished":"2022-01-10T12:00:00Z"}]}</script></head><body><p>نص</p></body></html>)",
      &sink);
  EXPECT_EQ(doc.published, "2022-01-10T12:00:00Z");
  ASSERT_EQ(sink.warnings().size(), 1u);
  EXPECT_THAT(sink.warnings()[0].reason, HasSubstr("«yesterday» is not an ISO 8601 date"));
}

TEST(HtmlReader, MalformedHtmlStillYieldsItsText) {
  const Document doc = read_page("<html><body><p>بداية <b>غير مغلقة<p>فقرة ثانية</div></td>");
  EXPECT_THAT(doc.text, HasSubstr("بداية غير مغلقة"));
  EXPECT_THAT(doc.text, HasSubstr("فقرة ثانية"));
}

TEST(HtmlReader, APageNestedDeeperThanAnyArticleIsRejectedQuickly) {
  // 40,000 nested divs took gumbo 31 s, then overflowed the stack of the walks over its tree.
  std::string divs;
  for (int i = 0; i < 40000; ++i)
    divs += "<div>";
  testing::CollectingSink sink;
  read_buffer("<html><body><p>نص</p>" + divs + "</body></html>", "deep.html", {}, sink);
  EXPECT_TRUE(sink.documents.empty());
  ASSERT_EQ(sink.rejections().size(), 1u);
  EXPECT_THAT(sink.rejections()[0].to_string(),
              HasSubstr("deep.html: byte 5133: HTML nested more than 1024 elements deep"));
}

TEST(HtmlReader, ParsesThatWouldTakeTheMachineAreRefused) {
  // Found by html_reader_fuzzer. 13,000 <rt> outside <ruby>, which the scan before parsing had
  // taken for elements that close themselves: gumbo took 4 GB, and the walks over its tree
  // overflowed the stack.
  std::string rt = "<html><body><p>نص</p>";
  for (int i = 0; i < 13000; ++i)
    rt += "<rt>";
  testing::CollectingSink sink;
  read_buffer(rt, "rt.html", {}, sink);
  ASSERT_EQ(sink.rejections().size(), 1u);
  EXPECT_THAT(sink.rejections()[0].reason, HasSubstr("HTML nested more than 1024 elements deep"));
  // Within the depth, every stray end tag is a parse error for which gumbo keeps a copy of the
  // 1,000 open elements: memory grows with their product.
  std::string errors = "<html><body><p>نص</p>";
  for (int i = 0; i < 1000; ++i)
    errors += "<div>";
  for (int i = 0; i < 12000; ++i)
    errors += "</x>";
  testing::CollectingSink bounded;
  read_buffer(errors, "errors.html", {}, bounded);
  ASSERT_EQ(bounded.rejections().size(), 1u);
  EXPECT_THAT(bounded.rejections()[0].reason, HasSubstr("the HTML parser needed more than"));
}

TEST(HtmlReader, DeepJsonLdIsLeftOutAndThePageGoesIn) {
  const std::string deep = std::string(1000000, '[') + std::string(1000000, ']');
  const Document doc = read_page(R"(<html><head><script type="application/ld+json">)" + deep +
                                 "</script></head><body><p>نص المقال</p></body></html>");
  EXPECT_THAT(doc.text, HasSubstr("نص المقال"));
  EXPECT_TRUE(doc.published.empty());
}

TEST(HtmlReader, PageWithoutTextIsRejected) {
  testing::CollectingSink sink;
  read_buffer("<html><head><script>x()</script></head><body><img src=a></body></html>", "e.html",
              {}, sink);
  EXPECT_TRUE(sink.documents.empty());
  ASSERT_EQ(sink.rejections().size(), 1u);
  EXPECT_THAT(sink.rejections()[0].to_string(), HasSubstr("e.html: no text found in the HTML"));
}

// The first block of `doc` whose text contains `needle`.
SourceBlock block_holding(const Document& doc, std::string_view needle) {
  for (size_t i = 0; i < doc.blocks.size(); ++i) {
    if (block_text(doc, i).find(needle) != std::string::npos) return doc.blocks[i];
  }
  ADD_FAILURE() << "no block holds " << needle;
  return {};
}

bool chrome_of(const Document& doc, std::string_view needle) {
  return block_holding(doc, needle).in_page_chrome;
}

TEST(HtmlReader, AChromeWordOnTheBodyOrAroundTheArticleDiscardsNothing) {
  // Drupal themes write "one-sidebar sidebar-second" on <body>; sites wrap the article in
  // "page-ad-margins" and mark it "url-breadcrumb": each discarded the whole page.
  const std::string body =
      "<p>أعلنت الحكومة اليوم عن خطة جديدة لتطوير الطرق في المدن الكبرى خلال العام المقبل.</p>"
      "<p>وقال الوزير إن المشروع يشمل أكثر من مئة طريق.</p>";
  const Document on_body =
      read_page("<html><body class=\"one-sidebar sidebar-second\"><div class=\"content\">" + body +
                "</div><div class=\"sidebar\"><p>الأكثر قراءة اليوم</p></div></body></html>");
  EXPECT_FALSE(chrome_of(on_body, "أعلنت الحكومة"));
  EXPECT_TRUE(chrome_of(on_body, "الأكثر قراءة"));  // a real sidebar still is
  const Document wrapped = read_page(
      "<html><body><div class=\"page-ad-margins\"><article class=\"url-breadcrumb\">" + body +
      "</article></div><div class=\"ad-slot\"><p>إعلان ممول هنا</p></div></body></html>");
  EXPECT_FALSE(chrome_of(wrapped, "أعلنت الحكومة"));
  EXPECT_TRUE(chrome_of(wrapped, "إعلان ممول"));
  // With no <article>: a wrapper holding most of the page's text with few links is the article.
  const Document most =
      read_page("<html><body><div id=\"main-navigation-wrapper\">" + body +
                "</div><ul class=\"menu\"><li><a href=\"/\">الرئيسية</a></li></ul></body></html>");
  EXPECT_FALSE(chrome_of(most, "وقال الوزير"));
  EXPECT_TRUE(chrome_of(most, "الرئيسية"));
  // Related-post cards are <article>s too: their container stays chrome.
  const Document cards = read_page(
      "<html><body><article>" + body +
      "</article><div class=\"related-posts\"><article><p>ملخص خبر آخر عن الطقس في المدينة."
      "</p></article></div></body></html>");
  EXPECT_FALSE(chrome_of(cards, "أعلنت الحكومة"));
  EXPECT_TRUE(chrome_of(cards, "ملخص خبر آخر"));
}

TEST(HtmlReader, AFewInvalidBytesInAUtf8PageAreReplacedWithAWarning) {
  const std::string page =
      "<html><head><meta charset=\"utf-8\"></head><body><article><p>أعلنت الحكومة \xFF اليوم "
      "عن خطة جديدة لتطوير الطرق في المدن الكبرى.</p></article></body></html>";
  testing::CollectingSink sink;
  const Document doc = read_page(page, &sink);
  EXPECT_THAT(doc.text, HasSubstr("الحكومة \xEF\xBF\xBD اليوم"));
  ASSERT_EQ(sink.problems.size(), 1u);
  EXPECT_EQ(sink.problems[0].severity, Problem::Severity::kWarning);
  EXPECT_THAT(sink.problems[0].reason, HasSubstr("1 invalid UTF-8 sequence replaced"));
  // Many bad bytes among the Arabic are damage too deep to read through: still refused.
  std::string damaged;
  for (int i = 0; i < 40; ++i)
    damaged += "خبر \xFF ";
  testing::CollectingSink refused;
  read_buffer(
      "<html><head><meta charset=\"utf-8\"></head><body><p>" + damaged + "</p></body></html>",
      "bad.html", {}, refused);
  EXPECT_TRUE(refused.documents.empty());
  ASSERT_FALSE(refused.problems.empty());
  EXPECT_EQ(refused.problems[0].severity, Problem::Severity::kRejected);
}

SourceBlock::Kind kind_of(const Document& doc, std::string_view needle) {
  return block_holding(doc, needle).kind;
}

const std::string kBody =
    "<p>أعلنت الحكومة اليوم عن خطة جديدة لتطوير الطرق في المدن الكبرى خلال العام المقبل.</p>"
    "<p>وقال الوزير إن المشروع يشمل أكثر من مئة طريق.</p>";

TEST(HtmlReader, CaptionsAndAuthorBoxesAreMarkedAsSuch) {
  const Document doc = read_page(
      "<html><body class=\"caption-dark\"><article><figure><img src=\"a.jpg\"><figcaption><p>"
      "الوزير خلال المؤتمر</p></figcaption></figure>" +
      kBody +
      "<p class=\"wp-caption-text\">تصوير: وكالة الأنباء</p>"
      "<div class=\"author-box\"><p>صحفي يكتب في الشؤون الاقتصادية منذ عشرين عاما.</p></div>"
      "</article></body></html>");
  EXPECT_EQ(kind_of(doc, "الوزير خلال المؤتمر"), SourceBlock::Kind::kCaption);
  EXPECT_EQ(kind_of(doc, "تصوير"), SourceBlock::Kind::kCaption);
  EXPECT_EQ(kind_of(doc, "صحفي يكتب"), SourceBlock::Kind::kAuthor);
  // «caption-dark» on <body> says nothing of the article.
  EXPECT_EQ(kind_of(doc, "أعلنت الحكومة"), SourceBlock::Kind::kParagraph);
  // A dateline or an author's name in a <span> opening a paragraph leaves it a paragraph.
  const Document inline_byline = read_page(
      "<html><body><article><p><span class=\"byline\">القاهرة - أ ش أ:</span> أعلنت الحكومة "
      "اليوم عن خطة جديدة لتطوير الطرق في المدن الكبرى.</p></article></body></html>");
  EXPECT_EQ(kind_of(inline_byline, "أعلنت الحكومة"), SourceBlock::Kind::kParagraph);
  // A column of the article called «author-column» is not an author box.
  std::string long_body;
  for (int i = 0; i < 20; ++i)
    long_body += "<p>أعلنت الحكومة اليوم عن خطة جديدة لتطوير الطرق في المدن الكبرى.</p>";
  const Document column = read_page(
      "<html><body><main><div class=\"comments\"><p>تعليق</p></div><div "
      "class=\"article-body author-column\">" +
      long_body + "</div></main></body></html>");
  EXPECT_EQ(kind_of(column, "أعلنت الحكومة"), SourceBlock::Kind::kParagraph);
}

TEST(HtmlReader, AsidesAndFootersInsideTheArticleAreChromeItsHeaderIsNot) {
  const Document doc =
      read_page("<html><body><main><article><header><h1>خطة لتطوير الطرق</h1></header>" + kBody +
                "<aside><p>هل أعجبك هذا المقال؟ شاركه مع أصدقائك</p></aside>"
                "<footer><p>الوسوم: طرق، مدن</p></footer></article></main></body></html>");
  EXPECT_FALSE(chrome_of(doc, "خطة لتطوير الطرق"));
  EXPECT_FALSE(chrome_of(doc, "أعلنت الحكومة"));
  EXPECT_TRUE(chrome_of(doc, "هل أعجبك"));
  EXPECT_TRUE(chrome_of(doc, "الوسوم"));
}

TEST(HtmlReader, APageInsideAFormIsReadAndOtherFormsAreChrome) {
  // ASP.NET pages wrap everything in one <form>, menus and all; it used to leave no text.
  std::string menu = "<ul>";
  for (int i = 0; i < 40; ++i)
    menu += "<li><a href=\"/s\">قسم الأخبار المحلية والدولية والرياضية رقم</a></li>";
  menu += "</ul>";
  const Document wrapped =
      read_page("<html><body><form id=\"aspnetForm\">" + menu + "<div class=\"story\">" + kBody +
                "</div></form></body></html>");
  EXPECT_FALSE(chrome_of(wrapped, "أعلنت الحكومة"));
  // Any other form is a sign-up, a search or a login, however long its text.
  const Document signup = read_page(
      "<html><body><div class=\"story\">" + kBody +
      "</div><form action=\"/subscribe\"><p>اشترك في نشرتنا البريدية اليومية لتصلك آخر الأخبار "
      "والتحليلات والتقارير الخاصة كل صباح، مجانا ومن دون إعلانات.</p><input name=\"email\">"
      "</form></body></html>");
  EXPECT_FALSE(chrome_of(signup, "أعلنت الحكومة"));
  EXPECT_TRUE(chrome_of(signup, "اشترك في نشرتنا"));
}

TEST(HtmlReader, WithoutArticleMarkupTheBestScoredContainerIsTheArticle) {
  // No <article>, <main> or articleBody: the container of the paragraphs with the most prose
  // is the article; short lines outside it are chrome, paragraphs outside it are not.
  const Document doc = read_page(
      "<html><body><div class=\"top\"><p>الصفحة الرئيسية / أخبار / محليات</p></div>"
      "<div class=\"content\"><p>أعلنت الحكومة اليوم، في مؤتمر صحفي، عن خطة جديدة لتطوير الطرق "
      "في المدن الكبرى، تشمل أكثر من مئة طريق.</p><p>وقال الوزير إن المشروع، الذي يبدأ الشهر "
      "المقبل، سيكلف مليار دينار، وإن العمل سيستمر ثلاث سنوات.</p></div>"
      "<div class=\"x\"><p>تابعونا على الشبكات</p></div><div class=\"box\"><p>وفي سياق متصل، قالت "
      "البلدية إنها ستغلق "
      "بعض الشوارع خلال الأشغال، وإن البدائل ستعلن في حينها للمواطنين.</p></div>"
      "</body></html>");
  EXPECT_FALSE(chrome_of(doc, "أعلنت الحكومة"));
  EXPECT_TRUE(chrome_of(doc, "الصفحة الرئيسية"));
  EXPECT_TRUE(chrome_of(doc, "تابعونا على"));
  EXPECT_FALSE(chrome_of(doc, "وفي سياق متصل"));
}

TEST(HtmlReader, JsonLdArticleBodyTellsWhichContainerIsTheArticle) {
  // Two long summaries full of commas outscore the article's own short paragraphs, unless the
  // page's JSON-LD says which text is its article.
  const std::string lede = "الحكومة تعلن خطة الطرق الجديدة اليوم";
  const std::string paragraph = "وقال الوزير إن المشروع يشمل أكثر من مئة طريق، وسيبدأ قريبا.";
  const std::string summaries =
      "<div class=\"x\"><p>ملخص أول، عن الطقس، وعن الأمطار، وعن الرياح في المدينة اليوم.</p>"
      "<p>ملخص ثان، عن السوق، وعن الأسعار، وعن التجار في المدينة اليوم.</p></div>";
  const std::string body = "<div class=\"y\"><p>" + lede + "</p><p>" + paragraph + "</p></div>";
  const Document plain = read_page("<html><body>" + body + summaries + "</body></html>");
  EXPECT_TRUE(chrome_of(plain, lede));  // a short line outside the summaries, taken for chrome
  const Document described = read_page(
      "<html><head><script type=\"application/ld+json\">{\"@type\": \"NewsArticle\", "
      "\"articleBody\": \"<p>" +
      lede + "</p>\\n<p>" + paragraph + "</p>\"}</script></head><body>" + body + summaries +
      "</body></html>");
  EXPECT_FALSE(chrome_of(described, lede));
}

TEST(HtmlReader, StrayNulBytesInAPageAreDroppedWithAWarning) {
  std::string page = "<html><body><article><img src=\"a.jpg\">";
  page += std::string(12, '\0');
  page += kBody + "</article></body></html>";
  testing::CollectingSink sink;
  const Document doc = read_page(page, &sink);
  EXPECT_EQ(doc.text.find('\0'), std::string::npos);
  EXPECT_THAT(doc.text, HasSubstr("أعلنت الحكومة"));
  ASSERT_EQ(sink.problems.size(), 1u);
  EXPECT_EQ(sink.problems[0].severity, Problem::Severity::kWarning);
  EXPECT_THAT(sink.problems[0].reason, HasSubstr("12 NUL bytes dropped"));
  // Up to 64 in the first 64 KiB are stray; 65 make a binary file, HTML or not.
  testing::CollectingSink at_limit;
  read_buffer("<html><body>" + std::string(64, '\0') + kBody + "</body></html>", "page.html", {},
              at_limit);
  EXPECT_EQ(at_limit.documents.size(), 1u);
  testing::CollectingSink over_limit;
  read_buffer("<html><body>" + std::string(65, '\0') + kBody + "</body></html>", "page.html", {},
              over_limit);
  EXPECT_TRUE(over_limit.documents.empty());
  // Many NUL bytes make a binary file, HTML or not.
  testing::CollectingSink binary;
  read_buffer("<html><body>" + std::string(500, '\0') + "</body></html>", "page.html", {}, binary);
  EXPECT_TRUE(binary.documents.empty());
  ASSERT_EQ(binary.problems.size(), 1u);
  EXPECT_THAT(binary.problems[0].reason, HasSubstr("binary file"));
}

TEST(HtmlReader, TheCharsetIsTheMetasNotAScriptsBeforeIt) {
  // A page in ISO-8859-2 (Polish) whose <head> loads a script marked charset="UTF-8" first.
  const std::string page =
      "<html><head><script src=\"consent.js\" charset=\"UTF-8\"></script>"
      "<meta charset=\"ISO-8859-2\"></head><body><article><p>Ziemniaki na sz\xF3stej, "
      "sur\xF3wka na dziesi\xB1tej. Jak pomaga\xE6, \xBF"
      "eby nie zaszkodzi\xE6.</p>"
      "</article></body></html>";
  const Document doc = read_page(page);
  EXPECT_THAT(doc.text, HasSubstr("Ziemniaki na szóstej, surówka na dziesiątej"));
  EXPECT_THAT(doc.text, HasSubstr("pomagać, żeby"));
  EXPECT_EQ(doc.encoding, "iso-8859-2");
  // <metadata> is not <meta>; a <meta> cut by the end of the window names no charset.
  EXPECT_EQ(read_page("<html><head><metadata charset=\"windows-1250\"></head><body><p>"
                      "خبر قصير عن الطقس في المدينة اليوم.</p></body></html>")
                .encoding,
            "utf-8");
  const std::string cut = "<html><head><!--" + std::string(16 * 1024 - 40, 'x') +
                          "--><meta charset=\"windows-1256\"></head><body><p>خبر</p></body></html>";
  EXPECT_EQ(read_page(cut).encoding, "utf-8");
}

}  // namespace
}  // namespace khabar
