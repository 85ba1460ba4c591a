#include "khabar/extract.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>

#include "khabar/story_facts.h"

namespace khabar {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

const Extractor& extractor() {
  static const Extractor instance;
  return instance;
}

Extraction extract(std::string_view text, std::string_view published = "") {
  return extractor().extract({.text = text, .published = published});
}

std::vector<std::string> surfaces(const Extraction& x, EntityType type) {
  std::vector<std::string> out;
  for (const Mention& m : x.mentions) {
    if (m.type == type) out.push_back(m.surface);
  }
  return out;
}

std::vector<std::string> words(std::string_view s) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start < s.size()) {
    size_t end = s.find(' ', start);
    if (end == std::string_view::npos) end = s.size();
    out.emplace_back(s.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

// --- Names ---

TEST(PersonNames, SpellingVariantsAndPartialNamesMatch) {
  EXPECT_EQ(match_person_names(words("توكايف"), words("توكاييف")), NameMatch::kVariant);
  EXPECT_EQ(match_person_names(words("بوتين"), words("فلاديمير بوتين")), NameMatch::kPartial);
  EXPECT_EQ(match_person_names(words("جومارت توكاييف"), words("قاسم جومارت توكايف")),
            NameMatch::kPartial);
  EXPECT_EQ(match_person_names(words("سيرغي لافروف"), words("سيرجي لافروف")), NameMatch::kVariant);
}

TEST(PersonNames, GuardsKeepDifferentPeopleApart) {
  // The same given names, different family names.
  EXPECT_EQ(match_person_names(words("محمد بن سلمان"), words("محمد بن زايد")), NameMatch::kNone);
  // A given name alone is not a partial name: the family name must match.
  EXPECT_EQ(match_person_names(words("محمد"), words("محمد بن سلمان")), NameMatch::kNone);
  // Short names must be spelt the same: علي is not عالي.
  EXPECT_EQ(match_person_names(words("علي"), words("عالي")), NameMatch::kNone);
  // One edit, but different consonants: different names.
  EXPECT_EQ(match_person_names(words("حسين"), words("حسن")), NameMatch::kNone);
  EXPECT_EQ(match_person_names(words("كريم"), words("كريمي")), NameMatch::kNone);
}

ArticleFacts article(const std::string& id, const std::string& outlet, std::string_view text) {
  return {id, outlet, "", extract(text)};
}

const Entity* entity_named(const std::vector<Entity>& entities, const std::string& alias) {
  for (const Entity& e : entities) {
    for (const EntityAlias& a : e.aliases) {
      if (a.surface == alias) return &e;
    }
  }
  return nullptr;
}

TEST(ResolveEntities, APartialNameFittingTwoPeopleMergesWithNeither) {
  const std::vector<ArticleFacts> articles = {
      article("a", "A", "قال الوزير خالد سليمانوف إن الاتفاق قريب."),
      article("b", "B", "قال الوزير عادل سليمانوف إن الاتفاق بعيد."),
      article("c", "C", "وأضاف سليمانوف أن المحادثات مستمرة."),
  };
  const std::vector<Entity> entities = resolve_entities(articles);
  const Entity* khalid = entity_named(entities, "خالد سليمانوف");
  const Entity* adel = entity_named(entities, "عادل سليمانوف");
  const Entity* bare = entity_named(entities, "سليمانوف");
  ASSERT_TRUE(khalid && adel && bare);
  EXPECT_NE(khalid, adel);
  EXPECT_NE(bare, khalid);
  EXPECT_NE(bare, adel);
  ASSERT_FALSE(bare->merges.empty());
  EXPECT_THAT(bare->merges[0].reason, HasSubstr("fits several people"));
}

TEST(ResolveEntities, SameNameDifferentCountriesStayApart) {
  const std::vector<ArticleFacts> articles = {
      article("a", "A", "قال وزير الخارجية الروسي ميخائيل بيتروف إن الاتفاق قريب."),
      article("b", "B", "قال وزير الخارجية الأوكراني ميخائيل بيتروف إن الاتفاق بعيد."),
  };
  const std::vector<Entity> entities = resolve_entities(articles);
  size_t people = 0;
  for (const Entity& e : entities)
    people += e.type == EntityType::kPerson ? 1 : 0;
  EXPECT_EQ(people, 2u);
}

// --- Entities in one text ---

TEST(Entities, TitleNisbaAndNameEdge) {
  const Extraction x = extract("وأعلن الرئيس الكازاخستاني قاسم جومارت توكايف بدء الانسحاب.");
  ASSERT_THAT(surfaces(x, EntityType::kPerson), ElementsAre("قاسم جومارت توكايف"));
  const Mention& person = *std::find_if(x.mentions.begin(), x.mentions.end(), [](const Mention& m) {
    return m.type == EntityType::kPerson;
  });
  EXPECT_EQ(person.role, "الرئيس الكازاخستاني");
  EXPECT_EQ(person.country, "KZ");
}

TEST(Entities, Clitics) {
  const Extraction x = extract("وصل الوفد إلى بيروت وللأمم المتحدة مكتب في بغداد وبالعراق.");
  EXPECT_THAT(surfaces(x, EntityType::kPlace), ElementsAre("بيروت", "بغداد", "العراق"));
  EXPECT_EQ(surfaces(x, EntityType::kOrganisation).size(), 1u);
}

TEST(Entities, MisspeltPlaceOnlyWhenTheConsonantsAgree) {
  EXPECT_THAT(surfaces(extract("وصل الوفد إلى كازخستان أمس."), EntityType::kPlace),
              ElementsAre("كازخستان"));
  // «الماضي» is one edit from «الماتي» (Almaty), with another consonant.
  EXPECT_TRUE(surfaces(extract("في الأسبوع الماضي وصل الوفد."), EntityType::kPlace).empty());
}

TEST(Entities, SpeakerAfterSpeechVerb) {
  const Extraction x = extract("وأضاف سيرومولوتوف أن الوضع في البلاد مستقر.");
  EXPECT_THAT(surfaces(x, EntityType::kPerson), ElementsAre("سيرومولوتوف"));
  ASSERT_EQ(x.quotes.size(), 1u);
  EXPECT_FALSE(x.quotes[0].direct);
  EXPECT_EQ(x.quotes[0].speaker, 0);
}

TEST(Entities, APrepositionWithTheArticleEndsAName) {
  EXPECT_THAT(
      surfaces(extract("وقال لوهرمان للصحفيين إن الاتفاق سيوقع قريبا."), EntityType::kPerson),
      ElementsAre("لوهرمان"));
}

TEST(Entities, EnglishGazetteerNames) {
  const Extraction x = extract("Troops left Kazakhstan for Moscow, NATO said.");
  EXPECT_THAT(surfaces(x, EntityType::kPlace), ElementsAre("Kazakhstan", "Moscow"));
  EXPECT_THAT(surfaces(x, EntityType::kOrganisation), ElementsAre("NATO"));
}

TEST(Entities, OrganisationsNamedByAHeadWord) {
  const Extraction x = extract(
      "وقالت الهيئة العامة للطيران المدني الأردنية إن المجلس الأعلى للقضاء و"
      "المرصد المغربي لحقوق الطفل أصدرا بيانا، فيما نفت منظمة الصحة العالمية ذلك.");
  EXPECT_THAT(surfaces(x, EntityType::kOrganisation),
              ElementsAre("الهيئة العامة للطيران المدني الأردنية", "المجلس الأعلى للقضاء",
                          "المرصد المغربي لحقوق الطفل", "منظمة الصحة العالمية"));
  // A gazetteer name wins, with its id; a head word with nothing after it is no name.
  EXPECT_EQ(x.mentions.back().gazetteer_id, "WHO");
  EXPECT_TRUE(
      surfaces(extract("قالت الهيئة الأربعاء إن الوزارة لم ترد."), EntityType::kOrganisation)
          .empty());
}

std::vector<std::string> descriptions(const Extraction& x) {
  std::vector<std::string> out;
  for (const Mention& m : x.mentions) {
    if (m.description) out.push_back(m.surface);
  }
  return out;
}

// A body called by what it is stays an organisation, marked as a description, not a name.
TEST(Entities, OrganisationsCalledByWhatTheyAreAreDescriptions) {
  const Extraction x = extract(
      "وقالت الحكومة اللبنانية إن مجلس الوزراء والجيش الإسرائيلي وحزب الليكود ومنظمة الصحة "
      "العالمية والمجلس الأعلى للقضاء أصدروا بيانات.");
  EXPECT_THAT(surfaces(x, EntityType::kOrganisation),
              ::testing::IsSupersetOf({"الحكومة اللبنانية", "مجلس الوزراء", "الجيش الإسرائيلي",
                                       "منظمة الصحة العالمية", "المجلس الأعلى للقضاء"}));
  EXPECT_THAT(descriptions(x), ::testing::UnorderedElementsAre("الحكومة اللبنانية", "مجلس الوزراء",
                                                               "الجيش الإسرائيلي"));
  // The rules alone tell them apart too: a party's head takes a name, a place is a name.
  ExtractOptions rules_alone;
  rules_alone.use_name_tagger = false;
  const Extraction r = Extractor(rules_alone)
                           .extract({.text = "وقال حزب الليكود إن جامعة القاهرة ووزارة الخارجية "
                                             "اتفقتا، كما رحبت الخارجية الروسية."});
  EXPECT_THAT(surfaces(r, EntityType::kOrganisation),
              ::testing::IsSupersetOf(
                  {"حزب الليكود", "جامعة القاهرة", "وزارة الخارجية", "الخارجية الروسية"}));
  EXPECT_THAT(descriptions(r),
              ::testing::UnorderedElementsAre("وزارة الخارجية", "الخارجية الروسية"));
}

TEST(Entities, PlacesAfterAHeadWordButNotCommonWords) {
  const Extraction x = extract("وصل الوفد إلى مدينة زليتن ثم إلى محافظة الكرك قرب بلدة كبيرة.");
  EXPECT_THAT(surfaces(x, EntityType::kPlace), ElementsAre("زليتن", "الكرك"));
}

TEST(Entities, NameParticlesAndFamilyNames) {
  EXPECT_THAT(surfaces(extract("استقبل الأمير عبد الله بن زايد آل نهيان الوفد، ثم غادر."),
                       EntityType::kPerson),
              ElementsAre("عبد الله بن زايد آل نهيان"));
  // After a title that named a country, a nisba-shaped word is a family name.
  EXPECT_THAT(surfaces(extract("وقال وزير النقل العراقي رزاق محيبس السوداني إن الحكومة ستقرر."),
                       EntityType::kPerson),
              ElementsAre("رزاق محيبس السوداني"));
}

// --- Counts ---

const CountFact* count_of(const Extraction& x, double value) {
  for (const CountFact& c : x.counts) {
    if (c.value == value) return &c;
  }
  return nullptr;
}

TEST(Counts, DigitsWordsAndMultipliers) {
  const Extraction x = extract(
      "أعلنت الشرطة اعتقال ٣٥ شخصًا، ولقي ثلاثة آلاف مدني حتفهم، وأصيب عشرات المدنيين، ونزح 1.5 "
      "مليون شخص.");
  const CountFact* arrested = count_of(x, 35);
  ASSERT_NE(arrested, nullptr);
  EXPECT_EQ(arrested->what, "person");
  EXPECT_EQ(arrested->event, "arrested");
  ASSERT_NE(count_of(x, 3000), nullptr);
  EXPECT_EQ(count_of(x, 3000)->event, "killed");
  ASSERT_NE(count_of(x, 10), nullptr);
  EXPECT_TRUE(count_of(x, 10)->approximate);
  EXPECT_EQ(count_of(x, 10)->event, "injured");
  ASSERT_NE(count_of(x, 1500000), nullptr);
  EXPECT_EQ(count_of(x, 1500000)->event, "displaced");
}

TEST(Counts, ANounThatSaysTheEvent) {
  const Extraction x = extract("أسفر الهجوم عن 14 قتيلا و40 جريحا، وأجبر آلاف الأسر على النزوح.");
  ASSERT_NE(count_of(x, 14), nullptr);
  EXPECT_EQ(count_of(x, 14)->event, "killed");
  ASSERT_NE(count_of(x, 40), nullptr);
  EXPECT_EQ(count_of(x, 40)->event, "injured");
  ASSERT_NE(count_of(x, 1000), nullptr);  // a definite noun after a vague number
  EXPECT_EQ(count_of(x, 1000)->event, "displaced");
}

TEST(Counts, NumbersThatCountNothingAreNotCounts) {
  EXPECT_TRUE(extract("في عام 2022 ارتفعت الأسعار بنسبة 15 في المئة.").counts.empty());
}

TEST(Counts, ARepeatedSentenceCountsOnce) {
  const Extraction x = extract("قتل 12 شخصا في الهجوم.\nقتل 12 شخصا في الهجوم.");
  EXPECT_EQ(x.counts.size(), 1u);
}

// --- Dates ---

const DateFact& only_date(const Extraction& x) {
  EXPECT_EQ(x.dates.size(), 1u);
  static const DateFact kNone;
  return x.dates.empty() ? kNone : x.dates[0];
}

TEST(Dates, MonthNamesOfEveryRegion) {
  EXPECT_EQ(only_date(extract("وقع الحادث في 3 شباط 2021.")).value, "2021-02-03");
  EXPECT_EQ(only_date(extract("وقع الحادث في 3 فبراير 2021.")).value, "2021-02-03");
  EXPECT_EQ(only_date(extract("وقع الحادث في 3 فيفري 2021.")).value, "2021-02-03");
  EXPECT_EQ(only_date(extract("وقع الحادث في 3 تشرين الثاني 2021.")).value, "2021-11-03");
}

TEST(Dates, HijriThroughUmmAlQura) {
  // 1 Ramadan 1443 was 2 April 2022 in Saudi Arabia.
  EXPECT_EQ(only_date(extract("بدأ الصيام في 1 رمضان 1443 هـ.")).value, "2022-04-02");
  // Without its year, the Hijri year of publication.
  EXPECT_EQ(only_date(extract("بدأ الصيام في 15 رمضان.", "2022-04-10")).value, "2022-04-16");
}

TEST(Dates, YearFromPublicationNeverAfterItByMuch) {
  // A January article's 28 December is last year's.
  EXPECT_EQ(only_date(extract("وقع الحادث في 28 ديسمبر.", "2022-01-05")).value, "2021-12-28");
  EXPECT_EQ(only_date(extract("وقع الحادث في 28 ديسمبر.")).value, "--12-28");
}

TEST(Dates, TheYearNearestPublication) {
  // A June article looks ahead to October, and back to March.
  EXPECT_EQ(only_date(extract("تجرى الانتخابات في أكتوبر.", "2024-06-16")).value, "2024-10");
  EXPECT_EQ(only_date(extract("جرت الانتخابات في مارس.", "2024-06-16")).value, "2024-03");
  const Extraction since_early = extract("ارتفعت الأسعار منذ مطلع العام.", "2024-06-16");
  const DateFact& early = only_date(since_early);
  EXPECT_EQ(early.range_begin, "2024-01-01");
  EXPECT_EQ(early.range_end, "2024-04-30");
}

TEST(Dates, AWeekdayAloneOrAfterNight) {
  // Published on a Thursday: Saturday is the one before, «ليل الأربعاء» yesterday night.
  EXPECT_EQ(only_date(extract("أفرجت السلطات السبت عن المعتقلين.", "2025-10-02")).value,
            "2025-09-27");
  const DateFact night = only_date(extract("وقع الهجوم ليل الأربعاء.", "2025-10-02"));
  EXPECT_EQ(night.type, "TIME");  // a part of a day: TIMEX3's night of that Wednesday
  EXPECT_EQ(night.value, "2025-10-01TNI");
}

// Each expression of TIMEX3's types, in an article published on Tuesday 2015-08-04.
DateFact timex(const std::string& sentence) {
  return only_date(extract(sentence, "2015-08-04"));
}

// Sentences, in the same article, that name no time at all.
void expect_no_timex(std::initializer_list<const char*> sentences) {
  for (const char* sentence : sentences)
    EXPECT_TRUE(extract(sentence, "2015-08-04").dates.empty()) << sentence;
}

TEST(Dates, LengthsOffsetsAndRepetitions) {
  EXPECT_EQ(timex("استمرت المفاوضات ثلاثة أيام.").value, "P3D");
  EXPECT_EQ(timex("استمرت المفاوضات ثلاثة أيام.").type, "DURATION");
  EXPECT_EQ(timex("سجن لأربع سنوات.").value, "P4Y");
  EXPECT_EQ(timex("بقي في المستشفى يومين.").value, "P2D");
  EXPECT_EQ(timex("تضاعفت الأسعار خلال السنوات الأخيرة.").value, "PXY");
  EXPECT_EQ(timex("انتظر المسافرون 5 ساعات.").value, "PT5H");
  // قبل / بعد with a length: a date that far from the publication date.
  EXPECT_EQ(timex("افتتح المتحف قبل 30 عاما.").value, "1985");
  EXPECT_EQ(timex("تبدأ البطولة بعد ثلاثة أيام.").value, "2015-08-07");
  EXPECT_EQ(timex("تبدأ البطولة بعد ثلاثة أيام.").type, "DATE");
  EXPECT_EQ(timex("زار الوزير المدينة قبل أيام.").value, "PAST_REF");
  // A word too common alone is no length: «العام» is this year's only with its direction.
  expect_no_timex({"قال المدير العام للشركة إن الأرباح ارتفعت.", "دعا الأمين العام إلى التهدئة.",
                   "اجتمع المديرين العامين في الرياض.", "وصل الوفد قبل اليوم الوطني.",
                   "ثورات الربيع العربي غيرت المنطقة.", "افتتح مهرجان الصيف في أبها.",
                   "يبلغ ارتفاع الجبل 2500 م.", "تزوج وهو في الستينيات من عمره."});
  // «قبل شهر رمضان» is before Ramadan, not a month before publication.
  EXPECT_EQ(timex("ترتفع الأسعار قبل شهر رمضان.").surface, "شهر رمضان");
  // «بعد عام 2003» is the year 2003, not a year after publication.
  EXPECT_EQ(timex("عاد العراق إلى الفوضى بعد عام 2003.").value, "2003");
  // Counted from an event, a length: not a date from the publication date.
  const DateFact from_event = timex("توفي بعد ثلاثة أيام من إصابته.");
  EXPECT_EQ(from_event.type, "DURATION");
  EXPECT_EQ(from_event.value, "P3D");
  EXPECT_EQ(timex("تصدر المجلة شهريا.").type, "SET");
  EXPECT_EQ(timex("تصدر المجلة شهريا.").value, "P1M");
  EXPECT_EQ(timex("يقام السوق كل يوم جمعة.").value, "XXXX-WXX-5");
}

TEST(Dates, YearsAloneHijriYearsDecadesSeasonsAndReferences) {
  EXPECT_EQ(timex("تأسست الشركة عام 1998.").value, "1998");
  EXPECT_EQ(timex("تأسست الشركة 1998م.").value, "1998");
  EXPECT_EQ(timex("قتل الآلاف منذ 2009.").value, "2009");
  EXPECT_EQ(timex("توفي سنة 1436هـ.").value, "2014");  // 1 Muharram 1436 is 2014-10-25
  EXPECT_EQ(timex("توفي سنة 1436هـ.").basis, "hijri");
  EXPECT_EQ(timex("توفي سنة 1436هـ.").range_end, "2015-10-13");
  EXPECT_EQ(timex("انتهى العام الدراسي عام 1436.").basis, "hijri");
  EXPECT_EQ(timex("فتح العثمانيون القسطنطينية عام 1453.").value, "1453");  // not Hijri
  EXPECT_EQ(timex("وقع الاتفاق بتاريخ 1436/10/7هـ.").value, "2015-07-23");
  EXPECT_EQ(timex("وقع الاتفاق بتاريخ 7/ 10/ 1436هـ.").value, "2015-07-23");
  EXPECT_EQ(timex("ازدهرت السينما في الثمانينات.").value, "198X");
  EXPECT_EQ(timex("ترتفع الحرارة في الصيف المقبل.").value, "2016-SU");
  EXPECT_EQ(timex("تعمل الشركة حاليا على مشروع جديد.").value, "PRESENT_REF");
  EXPECT_EQ(timex("أعلنت الشركة مؤخرا عن مشروع جديد.").value, "PAST_REF");
  // A number that is not after a preposition or a year word is not a year.
  EXPECT_TRUE(extract("باعت الشركة 1998 سيارة.", "2015-08-04").dates.empty());
}

TEST(Dates, CenturiesByTheirHundreds) {
  EXPECT_EQ(timex("بنيت القلعة في القرن السادس عشر.").value, "15");
  EXPECT_EQ(timex("انتشرت العباءة في نهاية القرن العشرين.").value, "19");
  EXPECT_EQ(timex("انتشرت العباءة في نهاية القرن العشرين.").surface, "القرن العشرين");
  EXPECT_EQ(timex("في النصف الثاني من القرن الـ19 الميلادي.").value, "18");
  EXPECT_EQ(timex("منذ القرن \"19\" وهو قائم.").value, "18");
  EXPECT_EQ(timex("تحديات القرن الحادي والعشرين كثيرة.").value, "20");
  EXPECT_EQ(timex("في سبعينيات القرن الماضي.").value, "19");  // published 2015
  EXPECT_EQ(timex("في سبعينيات القرن الماضي.").basis, "relative");
  // The Horn of Africa, a century before Christ or of the Hijra: no value to give.
  expect_no_timex({"وصلت السفن إلى القرن الأفريقي.", "عاش في القرن السادس قبل الميلاد.",
                   "ألف الكتاب في القرن الرابع الهجري.", "في القرن 25 ستتغير الأرض.",
                   "ازدهرت في القرن الرابع للهجرة.", "عاش في القرن الأول من الهجرة.",
                   "توفي في القرن 14 هـ.", "بني في القرن الخامس ق.م.",
                   "حكم البلاد ربع القرن الماضي.", "عاشت نصف القرن الماضي في المنفى."});
}

TEST(Dates, PartsOfDaySeasonsOfPlayAndLengthsWithoutANumber) {
  // Published in August, in the break: last season is the one that just ended (2014-15).
  EXPECT_EQ(timex("لعب 30 مباراة في الموسم الماضي.").value, "2014");
  EXPECT_EQ(timex("يستعد النادي للموسم الرياضي المقبل.").value, "2015");
  EXPECT_EQ(timex("اكتملت الاستعدادات للعام الدراسي الجديد.").value, "2015");
  // In November the season under way began in 2015; the last one in 2014.
  EXPECT_EQ(only_date(extract("لعب 30 مباراة في الموسم الماضي.", "2015-11-10")).value, "2014");
  EXPECT_EQ(only_date(extract("يتصدر الفريق الموسم الحالي.", "2015-11-10")).value, "2015");
  const Extraction sessions = extract("يتدرب الفريق على فترتين صباحية ومسائية.", "2015-08-04");
  ASSERT_EQ(sessions.dates.size(), 2u);
  EXPECT_EQ(sessions.dates[0].type, "TIME");
  EXPECT_EQ(sessions.dates[0].value, "XXXX-XX-XXTMO");
  EXPECT_EQ(sessions.dates[1].value, "XXXX-XX-XXTEV");
  // Of no day: not a point of the calendar, so neither a timeline's nor a story's signal.
  EXPECT_FALSE(sessions.dates[0].on_calendar());
  EXPECT_EQ(timex("اكتفى المدرب بالفترة المسائية.").value, "XXXX-XX-XXTEV");
  EXPECT_EQ(timex("نجتمع مع الأصدقاء في المساء.").value, "XXXX-XX-XXTEV");
  EXPECT_EQ(timex("سجل ارتفاعا مقارنة بالربع الأول من العام الحالي.").value, "2015-Q1");
  EXPECT_EQ(timex("استمرت المفاوضات أشهرًا.").value, "PXM");
  EXPECT_EQ(timex("يحتاج الإنسان إلى سنوات لإتقان العزف.").value, "PXY");
  EXPECT_EQ(timex("أغلق المعبر لعام كامل.").value, "P1Y");
  EXPECT_EQ(timex("لم يحدث هذا من قبل.").value, "PAST_REF");
  EXPECT_EQ(timex("كانت الأسعار منخفضة في ذلك الوقت.").value, "PAST_REF");
  // Weekdays of a named week, as one expression: Sunday 2015-08-09 starts the week after next
  // (weeks run Saturday to Friday; the publication day, Tuesday 2015-08-04, is in 08-01..07).
  const DateFact nights = timex("تقام الليالي الأحد والإثنين والخميس في الأسبوع المقبل.");
  EXPECT_EQ(nights.value, "2015-08-09");
  EXPECT_EQ(nights.range_end, "2015-08-13");
  EXPECT_EQ(nights.surface, "الأحد والإثنين والخميس في الأسبوع المقبل");
  EXPECT_EQ(timex("يعود الخميس من الأسبوع الجاري.").value, "2015-08-06");
  EXPECT_EQ(timex("تقام الأحد في الأسبوع بعد المقبل.").value, "2015-08-16");
  // Clock times, on the day the words after them name, else of no day.
  EXPECT_EQ(timex("بدأ الاجتماع الساعة العاشرة صباحا.").value, "XXXX-XX-XXT10:00");
  EXPECT_EQ(timex("بدأ الاجتماع الساعة العاشرة صباحا.").type, "TIME");
  EXPECT_EQ(timex("وقع الانفجار الساعة الثامنة والنصف من مساء أمس.").value, "2015-08-03T20:30");
  EXPECT_EQ(timex("وقع الانفجار الساعة الثامنة والنصف من مساء أمس.").surface,
            "الساعة الثامنة والنصف من مساء أمس");
  EXPECT_EQ(timex("تراجع الذهب بحلول الساعة 1902 بتوقيت جرينتش.").value, "XXXX-XX-XXT19:02");
  EXPECT_EQ(timex("تبدأ المباراة الساعة 10:30 ليلا.").value, "XXXX-XX-XXT22:30");
  EXPECT_EQ(timex("يصل الوفد الساعة الثانية بعد الزوال.").value, "XXXX-XX-XXT14:00");
  EXPECT_EQ(timex("يعرض الفيلم الساعة الثانية عشرة ليلا.").value, "XXXX-XX-XXT00:00");
  EXPECT_EQ(timex("وصل الساعة الرابعة إلا ربعا عصرا.").value, "XXXX-XX-XXT15:45");
  // A bare weekday after a verb in the future is the next one, or today; after a noun that
  // starts like one («سيارة», «حزب سيريزا»), the last one.
  EXPECT_EQ(timex("سيعقد الاجتماع يوم الخميس.").value, "2015-08-06");
  EXPECT_EQ(timex("وسوف يصل الوفد الثلاثاء.").value, "2015-08-04");
  EXPECT_EQ(timex("من المقرر عقد جولة جديدة يوم الاثنين.").value, "2015-08-10");
  EXPECT_EQ(timex("عقد الاجتماع يوم الخميس.").value, "2015-07-30");
  EXPECT_EQ(timex("انفجرت سيارة مفخخة يوم الخميس.").value, "2015-07-30");
  EXPECT_EQ(timex("اجتمعت اللجنة المركزية لحزب سيريزا مساء الخميس.").value, "2015-07-30TEV");
  // A family name, an age, a harvest, and «من قبل» saying by whom.
  expect_no_timex({"ترشح حمدين صباحي للرئاسة.", "يعود القصر إلى العصر العباسي.",
                   "حصد المزارعون القمح هذا الموسم.", "اعتقل من قبل الشرطة.",
                   "تمت المراجعة من قبل 29 دولة.", "أعلنت صحيفة الصباح الخبر.",
                   "افتتح المعرض الساعة 2015 في الرياض.", "قال إن الساعة الأولى كانت صعبة."});
}

TEST(Dates, WordsOfTimeThatAreNotTimes) {
  // An outlet's name in the dateline; «قريبا من» is near, not soon.
  EXPECT_TRUE(extract("عين اليوم – جدة\nافتتح المعرض.", "2015-08-04").dates.empty());
  EXPECT_TRUE(extract("بلغ السعر 14 دولارا قريبا من أدنى مستوى.", "2015-08-04").dates.empty());
  // «أمس الجمعة» is one day said twice: one expression.
  const Extraction friday = extract("أدانت الولايات المتحدة أمس الجمعة الهجمات.", "2015-07-25");
  ASSERT_EQ(friday.dates.size(), 1u);
  EXPECT_EQ(friday.dates[0].surface, "أمس الجمعة");
  EXPECT_EQ(friday.dates[0].value, "2015-07-24");
  // In brackets, the weekday is the same day as the relative one, whatever tense it would
  // take alone: «غدا (الخميس)» in a Wednesday paper is tomorrow, not last Thursday.
  const Extraction tomorrow = extract("يخوض الفريق مباراته غدا (الخميس) أمام قطر.", "2015-08-05");
  ASSERT_EQ(tomorrow.dates.size(), 2u);
  EXPECT_EQ(tomorrow.dates[1].value, "2015-08-06");
}

TEST(Dates, HijriMonthsAndHolidaysNearestPublication) {
  const DateFact ramadan = timex("صام المسلمون شهر رمضان.");
  EXPECT_EQ(ramadan.value, "2015-06");  // 1 Ramadan 1436 is 2015-06-18
  EXPECT_EQ(ramadan.range_begin, "2015-06-18");
  EXPECT_EQ(ramadan.range_end, "2015-07-16");
  EXPECT_EQ(timex("يحتفل المسلمون بعيد الفطر.").value, "2015-07-17");
  EXPECT_EQ(timex("سافر خلال عطلة عيد الأضحى.").value, "2015-09-23");
  EXPECT_EQ(timex("زار المرضى في ثاني أيام عيد الفطر.").value, "2015-07-18");
  // The holiday in general is no day.
  EXPECT_TRUE(extract("إن عيد الفطر له وضعه الخاص.", "2015-08-04").dates.empty());
}

// Real news (data/extract/timex): «العيد» placed in time names the Eid nearest publication;
// a Hijri year of history carries its era mark.
TEST(Dates, TheEidNearPublicationAndEarlyYearsWithTheirEra) {
  EXPECT_EQ(extract("زار الأقارب في صباح العيد.", "2015-07-21").dates.at(0).value, "2015-07-17TMO");
  EXPECT_EQ(extract("هبط الذهب يوم 24 من يوليو تموز.", "2015-08-01").dates.at(0).value,
            "2015-07-24");
  EXPECT_EQ(extract("عاد الحجاج في أيام العيد.", "2015-09-20").dates.at(0).value, "2015-09-23");
  EXPECT_EQ(extract("سافر في العيد إلى جدة.", "2015-09-20").dates.at(0).value, "2015-09-23")
      << "«إلى» is no adjective of the feast's";
  EXPECT_EQ(extract("خلال العيد الذي مضى زار أهله.", "2015-07-21").dates.at(0).value, "2015-07-17");
  EXPECT_EQ(extract("وفي ثاني أيام العيد زاروا الأقارب.", "2015-07-21").dates.at(0).value,
            "2015-07-18");
  for (const char* not_a_day :
       {"قال إن العيد فرصة للفرح.", "تستعد البلاد للاحتفال خلال العيد الوطني.",
        "احتفلت الجامعة في العيد الخمسين لتأسيسها."}) {
    EXPECT_TRUE(extract(not_a_day, "2015-07-21").dates.empty()) << not_a_day;
  }
  for (const DateFact& d : extract("زار الأقارب اليوم الثاني من أيام العيد.", "2015-07-21").dates)
    EXPECT_NE(d.value, "2015-07-17") << "a day the words before name, not the first";
  EXPECT_TRUE(extract("زار الأقارب في صباح العيد.", "2015-05-01").dates.empty())
      << "far from both Eids it is another feast";

  const Extraction years =
      extract("ولد سنة 916 هـ وتوفي بسنة 967هـ، وفتحت عام 639م.", "2015-08-01");
  std::vector<std::string> values;
  for (const DateFact& d : years.dates)
    values.push_back(d.value);
  EXPECT_THAT(values, ElementsAre("1510", "1559", "0639"));
  EXPECT_TRUE(extract("على ارتفاع 500 م من سطح البحر.", "2015-08-01").dates.empty());

  // A year standing after a word, ending its phrase; not a count.
  for (const char* year :
       {"تأهل المنتخب إلى كأس العالم 2018، بعد فوزه.", "بلغت الأرباح 5 مليارات بنهاية 2014.",
        "فاز في يورو 1976، على ألمانيا."}) {
    const Extraction x = extract(year, "2015-08-01");
    ASSERT_EQ(x.dates.size(), 1u) << year;
    EXPECT_EQ(x.dates[0].precision, DatePrecision::kYear) << year;
  }
  EXPECT_EQ(extract("اختتم مهرجان «تيميتار» 2015، في أغادير.", "2015-08-01").dates.size(), 1u);
  EXPECT_EQ(extract("توفي الخليفة سنة 639.", "2015-08-01").dates.at(0).value, "0639");
  EXPECT_TRUE(extract("بدأ سوق عكاظ عام 540 قبل الميلاد.", "2015-08-01").dates.empty())
      << "a year before the era has no value here";
  EXPECT_TRUE(extract("قتل عام 300 شخص.", "2015-08-01").dates.empty());
  EXPECT_EQ(extract("ارتفع الذهب لتسليم ديسمبر كانون الأول.", "2015-08-01").dates.at(0).value,
            "2015-12");
  for (const char* count :
       {"قتل 2015 شخصا في الهجوم.", "بلغ عدد الزوار 1950.", "ارتفع المؤشر إلى 2015 نقطة.",
        "قتل 2000 في الهجوم.", "تم اعتقال 1950 من أنصار الحزب.",
        "صدر بموجب القرار 1973، في نيويورك.", "ارتفعت حصيلة قتلى الزلزال إلى 1950."}) {
    EXPECT_TRUE(extract(count, "2015-08-01").dates.empty()) << count;
  }
}

TEST(Dates, RangesOfDaysAndDaysOfTheMonthAroundPublication) {
  const DateFact range = timex("يقام المعرض من 14 إلى 27 يوليو.");
  EXPECT_EQ(range.value, "2015-07-14");
  EXPECT_EQ(range.range_begin, "2015-07-14");
  EXPECT_EQ(range.range_end, "2015-07-27");
  EXPECT_EQ(timex("تقام الدورة بين 10-15 أغسطس المقبل.").range_end, "2015-08-15");
  EXPECT_EQ(timex("تبدأ الدراسة في العاشر من الشهر المقبل.").value, "2015-09-10");
  // Not a range when the first day is not before the last: the date alone.
  EXPECT_EQ(timex("فاز الفريق 27 - 14 أغسطس").value, "2015-08-14");
}

TEST(Dates, DirectionWordsAndTheOtherMonthName) {
  // In an August paper: last January, not next.
  EXPECT_EQ(timex("وقع الحادث في 14 يناير الماضي.").value, "2015-01-14");
  EXPECT_EQ(timex("يبدأ المعرض في مارس المقبل.").value, "2016-03");
  EXPECT_EQ(timex("ارتفعت المبيعات في مارس من العام الماضي.").value, "2014-03");
  EXPECT_EQ(timex("وقع الاتفاق في 23 أيلول/ سبتمبر 2014.").value, "2014-09-23");
  EXPECT_EQ(timex("عاد في حزيران (يونيو) 2014.").value, "2014-06");
  EXPECT_EQ(timex("وقع الانفجار أول من أمس.").value, "2015-08-02");
  // «يناير الماضي» in a January paper is last year's January.
  EXPECT_EQ(only_date(extract("ارتفعت المبيعات في يناير الماضي.", "2015-01-20")).value, "2014-01");
  EXPECT_EQ(only_date(extract("وقع الحادث في 28 ديسمبر الماضي.", "2015-01-03")).value,
            "2014-12-28");
  EXPECT_EQ(only_date(extract("يبدأ العمل في 1 يناير المقبل.", "2015-12-31")).basis, "relative");
  const DateFact evening = timex("وصل الوفد مساء أمس.");
  EXPECT_EQ(evening.type, "TIME");
  EXPECT_EQ(evening.value, "2015-08-03TEV");
  EXPECT_EQ(timex("وصل الوفد مساء الاثنين.").type, "TIME");  // «الاثنين» after a part of day
  // Without a publication date, a part of a weekday is no day on the calendar.
  EXPECT_FALSE(only_date(extract("وقع الهجوم ليل الأربعاء.")).on_calendar());
}

TEST(Dates, RelativeToPublication) {
  EXPECT_EQ(only_date(extract("وقع الانفجار أمس.", "2022-01-10")).value, "2022-01-09");
  // Published on a Monday: last Thursday is four days before.
  EXPECT_EQ(only_date(extract("وقع الانفجار يوم الخميس الماضي.", "2022-01-10")).value,
            "2022-01-06");
  EXPECT_EQ(only_date(extract("ستعقد القمة الخميس المقبل.", "2022-01-10")).value, "2022-01-13");
  const Extraction late_february = extract("يعود الوفد أواخر شباط.", "2022-01-10");
  const DateFact& late = only_date(late_february);
  EXPECT_EQ(late.precision, DatePrecision::kPartOfMonth);
  EXPECT_EQ(late.range_begin, "2022-02-21");
  EXPECT_EQ(late.range_end, "2022-02-28");
  EXPECT_TRUE(only_date(extract("وقع الانفجار أمس.")).value.empty());
}

// A week is written as ISO 8601 writes it; its days are Saturday to Friday, as the Arab world
// counts them, and its ISO week is that of its Monday.
TEST(Dates, WeeksAreIsoWeeks) {
  // Published on Monday 2015-07-20: last week is Saturday 07-11 to Friday 07-17.
  const Extraction x = extract("ارتفعت الأسعار الأسبوع الماضي.", "2015-07-20");
  const DateFact& last = only_date(x);
  EXPECT_EQ(last.precision, DatePrecision::kWeek);
  EXPECT_EQ(last.value, "2015-W29");
  EXPECT_EQ(last.range_begin, "2015-07-11");
  EXPECT_EQ(last.range_end, "2015-07-17");
  // Across a new year: the week of Saturday 2020-12-26 to Friday 2021-01-01 is 2020-W53.
  EXPECT_EQ(only_date(extract("تبدأ الدورة الأسبوع المقبل.", "2020-12-21")).value, "2020-W53");
}

TEST(Dates, HalvesAndQuartersOfAYear) {
  EXPECT_EQ(only_date(extract("ارتفعت المبيعات في النصف الثاني من عام 2014.")).value, "2014-H2");
  EXPECT_EQ(only_date(extract("تراجعت الأرباح في الربع الثاني للعام 2012.")).value, "2012-Q2");
  const Extraction q3 =
      extract("وينتظر أن يكتمل المشروع في الربع الثالث من العام الجاري.", "2015-08-04");
  const DateFact& this_year = only_date(q3);
  EXPECT_EQ(this_year.value, "2015-Q3");
  EXPECT_EQ(this_year.precision, DatePrecision::kPartOfYear);
  // A half of a match is no date.
  EXPECT_TRUE(extract("وسجل هدفا في النصف الثاني من المباراة.", "2015-08-04").dates.empty());
}

TEST(Dates, TheTwoIsNotMonday) {
  EXPECT_TRUE(extract("اتفق الاثنان على الحل وبين الاثنين خلاف.").dates.empty());
}

// --- Quotes, chains ---

TEST(Quotes, DirectQuoteWithTitledSpeaker) {
  const Extraction x =
      extract("وقال وزير الخارجية الروسي سيرغي لافروف: «لن نسمح بتكرار ما حدث في المنطقة».");
  ASSERT_FALSE(x.quotes.empty());
  const Quote& q = x.quotes[0];
  EXPECT_TRUE(q.direct);
  EXPECT_EQ(q.text, "لن نسمح بتكرار ما حدث في المنطقة");
  ASSERT_GE(q.speaker, 0);
  EXPECT_EQ(x.mentions[static_cast<size_t>(q.speaker)].gazetteer_id, "lavrov");
}

TEST(Quotes, ChainsOfSources) {
  const Extraction x = extract("ذكرت قناة الجزيرة نقلا عن وكالة رويترز أن الاتفاق وقع.");
  ASSERT_EQ(x.chains.size(), 1u);
  std::vector<std::string> ids;
  for (const int s : x.chains[0].sources)
    ids.push_back(x.mentions[static_cast<size_t>(s)].gazetteer_id);
  EXPECT_THAT(ids, ElementsAre("ALJAZEERA", "REUTERS"));
}

// --- The story view ---

TEST(StoryFacts, OutletsDisagreeingIsAConflict) {
  const std::vector<ArticleFacts> articles = {
      article("a", "A", "أعلنت الشرطة مقتل 12 شخصا في الهجوم."),
      article("b", "B", "أعلنت الشرطة مقتل 14 شخصا في الهجوم."),
      article("c", "C", "أعلنت الشرطة إصابة 30 شخصا في الهجوم."),
  };
  const StoryFacts facts = build_story_facts(articles);
  ASSERT_EQ(facts.counts.size(), 2u);
  EXPECT_EQ(facts.counts[0].event, "killed");
  EXPECT_TRUE(facts.counts[0].conflict);
  EXPECT_FALSE(facts.counts[0].single_source);
  EXPECT_EQ(facts.counts[1].event, "injured");
  EXPECT_TRUE(facts.counts[1].single_source);
  EXPECT_FALSE(facts.counts[1].conflict);
}

// --- Stored extractions ---

TEST(StoredExtraction, ReadsBackWhatWasWrittenAndNothingDamaged) {
  const std::string text =
      "قال وزير الخارجية الروسي سيرغي لافروف في 10 يناير: «لن نسمح بتكرار ما حدث». وذكرت قناة "
      "الجزيرة نقلا عن وكالة رويترز أن الشرطة اعتقلت 12 شخصا في ألماتي يوم الاثنين، في ما "
      "وصفه الرئيس بأنه هجوم إرهابي.";
  const Extraction x = extract(text, "2022-01-12");
  ASSERT_FALSE(x.mentions.empty());
  ASSERT_FALSE(x.counts.empty());
  ASSERT_FALSE(x.dates.empty());
  ASSERT_FALSE(x.quotes.empty());
  ASSERT_FALSE(x.chains.empty());
  const std::string bytes = encode_extraction(x, text);
  const std::optional<Extraction> back = decode_extraction(bytes, text);
  ASSERT_TRUE(back.has_value());
  EXPECT_EQ(encode_extraction(*back, text), bytes);
  ASSERT_EQ(back->mentions.size(), x.mentions.size());
  for (size_t m = 0; m < x.mentions.size(); ++m) {
    EXPECT_EQ(back->mentions[m].surface, x.mentions[m].surface);
    EXPECT_EQ(back->mentions[m].span.end, x.mentions[m].span.end);
  }
  EXPECT_EQ(back->counts[0].value, x.counts[0].value);
  EXPECT_EQ(back->counts[0].sentence, x.counts[0].sentence);
  EXPECT_EQ(back->quotes[0].speaker, x.quotes[0].speaker);
  EXPECT_LT(bytes.size() + 100, encode_extraction(x, "").size())
      << "quotes and sentences are written as where they are in the text";
  EXPECT_FALSE(decode_extraction(bytes, text.substr(0, text.size() / 2)).has_value())
      << "a text too short for what points into it";

  // Cut short anywhere, or one byte changed: nothing, or an extraction whose indices are in
  // range (story facts index with them).
  for (size_t cut = 0; cut < bytes.size(); ++cut)
    EXPECT_FALSE(decode_extraction(bytes.substr(0, cut), text).has_value()) << cut;
  EXPECT_FALSE(decode_extraction(bytes + "x", text).has_value());
  for (size_t at = 0; at < bytes.size(); ++at) {
    std::string damaged = bytes;
    damaged[at] = static_cast<char>(damaged[at] ^ 0x5a);
    const std::optional<Extraction> read = decode_extraction(damaged, text);
    if (!read) continue;
    const auto in_range = [&](int i, size_t size) {
      return i >= -1 && (i < 0 || static_cast<size_t>(i) < size);
    };
    for (const Quote& q : read->quotes)
      EXPECT_TRUE(in_range(q.speaker, read->mentions.size()));
    for (const CountFact& c : read->counts)
      EXPECT_TRUE(in_range(c.date, read->dates.size()));
    for (const TimelineEntry& t : read->timeline)
      EXPECT_TRUE(in_range(t.date, read->dates.size()) && t.date >= 0);
    (void)build_story_facts({{"a", "A", "2022-01-12", *read}});
    for (const SourceChain& c : read->chains) {
      for (const int s : c.sources)
        EXPECT_TRUE(in_range(s, read->mentions.size()) && s >= 0);
    }
  }
}

// --- Robustness ---

TEST(Extract, SpansStayInsideTheTextWhateverItHolds) {
  const std::string inputs[] = {"",
                                "\"",
                                "«»",
                                "قال",
                                "قال: \"",
                                "١٢٣",
                                "في 31 فبراير 2021",
                                std::string("\xff\xfe قال الرئيس \xc3", 20),
                                "الرئيس الرئيس الرئيس"};
  for (const std::string& text : inputs) {
    const Extraction x = extract(text, "2022-01-10");
    for (const Mention& m : x.mentions)
      EXPECT_LE(m.span.end, text.size());
    for (const Quote& q : x.quotes)
      EXPECT_LE(q.span.end, text.size());
    for (const DateFact& d : x.dates)
      EXPECT_LE(d.span.end, text.size());
  }
}

}  // namespace
}  // namespace khabar
