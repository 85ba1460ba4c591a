// Dates in the text, resolved against the publication date when there is one and left partial
// when there is not: «العاشر من يناير» is 2022-01-10 in an article of 2022-01-10 and --01-10 in
// an undated one; «اليوم الاثنين» is the publication day, or just "a Monday".
#include <fmt/format.h>
#include <unicode/calendar.h>
#include <unicode/gregocal.h>
#include <unicode/locid.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <chrono>
#include <cstdio>
#include <initializer_list>
#include <limits>
#include <memory>
#include <string>

#include "extract/internal/passes.h"
#include "text/utf8.h"

namespace khabar::extract_internal {
namespace {

// A year with a year word but no era mark («عام 1436») is Hijri when it is this near the
// Hijri year of publication; further, a Gregorian year of history («عام 1453»).
constexpr int kUnmarkedHijriYears = 5;

using std::chrono::day;
using std::chrono::days;
using std::chrono::month;
using std::chrono::sys_days;
using std::chrono::weekday;
using std::chrono::year;
using std::chrono::year_month_day;

std::string iso(const year_month_day& date) {
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, "%04d-%02u-%02u", static_cast<int>(date.year()),
                static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()));
  return buffer;
}

std::string iso_month(int y, int m) {
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, "%04d-%02d", y, m);
  return buffer;
}

// The ISO 8601 week of a day (2015-W29): weeks run Monday to Sunday, and a week belongs to the
// year that holds its Thursday.
std::string iso_week(sys_days date) {
  const sys_days thursday = date + days(4 - static_cast<int>(weekday(date).iso_encoding()));
  const year y = year_month_day(thursday).year();
  const int week = static_cast<int>((thursday - sys_days(y / 1 / 1)).count()) / 7 + 1;
  return fmt::format("{:04}-W{:02}", static_cast<int>(y), week);
}

std::string partial_month(int m) {
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, "--%02d", m);
  return buffer;
}

year_month_day ymd(int y, int m, int d) {
  return year_month_day{year(y), month(static_cast<unsigned>(m)), day(static_cast<unsigned>(d))};
}

std::string partial_day(int m, int d) {
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, "--%02d-%02d", m, d);
  return buffer;
}

// A day and month without a year take the year that puts them nearest the publication date:
// a January article's «28 ديسمبر» is last December, a June article's «أكتوبر» is this October
// (news looks ahead to elections and summits as often as back).
year_month_day with_inferred_year(const year_month_day& published, int m, int d) {
  year_month_day date = ymd(static_cast<int>(published.year()), m, d);
  if (sys_days(date) > sys_days(published) + days(183)) {
    date = year_month_day{published.year() - std::chrono::years(1), date.month(), date.day()};
  } else if (sys_days(date) < sys_days(published) - days(183)) {
    date = year_month_day{published.year() + std::chrono::years(1), date.month(), date.day()};
  }
  return date;
}

int last_day_of(int y, int m) {
  return static_cast<int>(static_cast<unsigned>(std::chrono::year_month_day_last{
      year(y), std::chrono::month_day_last{
                   month(static_cast<unsigned>(m))}}.day()));
}

// A whole month: its value and the days it covers.
void set_month(DateFact& date, int y, int m) {
  date.value = iso_month(y, m);
  date.range_begin = iso(ymd(y, m, 1));
  date.range_end = iso(ymd(y, m, last_day_of(y, m)));
}

// Hijri to Gregorian through ICU's Umm al-Qura calendar (Saudi Arabia's official one, and the
// usual reckoning in Gulf news).
std::optional<year_month_day> from_hijri(int hijri_year, int hijri_month, int hijri_day) {
  UErrorCode status = U_ZERO_ERROR;
  // In GMT, as the Gregorian side below: in a process's own zone east of it (Asia/Riyadh) the
  // Hijri midnight would fall on the Gregorian day before.
  std::unique_ptr<icu::Calendar> hijri(icu::Calendar::createInstance(
      icu::TimeZone::getGMT()->clone(), icu::Locale("ar@calendar=islamic-umalqura"), status));
  if (U_FAILURE(status)) return std::nullopt;
  hijri->clear();
  hijri->set(hijri_year, hijri_month - 1, hijri_day);
  const UDate time = hijri->getTime(status);
  icu::GregorianCalendar gregorian(icu::TimeZone::getGMT()->clone(), status);
  gregorian.setTime(time, status);
  if (U_FAILURE(status)) return std::nullopt;
  return year_month_day{year(gregorian.get(UCAL_YEAR, status)),
                        month(static_cast<unsigned>(gregorian.get(UCAL_MONTH, status) + 1)),
                        day(static_cast<unsigned>(gregorian.get(UCAL_DATE, status)))};
}

std::optional<int> hijri_year_of(const year_month_day& date) {
  UErrorCode status = U_ZERO_ERROR;
  std::unique_ptr<icu::Calendar> hijri(icu::Calendar::createInstance(
      icu::TimeZone::getGMT()->clone(), icu::Locale("ar@calendar=islamic-umalqura"), status));
  if (U_FAILURE(status)) return std::nullopt;
  const auto seconds = sys_days(date).time_since_epoch() / std::chrono::seconds(1);
  hijri->setTime(static_cast<UDate>(seconds) * 1000.0, status);
  const int y = hijri->get(UCAL_YEAR, status);
  if (U_FAILURE(status)) return std::nullopt;
  return y;
}

std::optional<int> small_number(const Token& token, int low, int high) {
  if (token.kind != Token::Kind::kNumber || token.text.size() > 4) return std::nullopt;
  int value = 0;
  for (const char c : token.text) {
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + (c - '0');
  }
  if (value < low || value > high) return std::nullopt;
  return value;
}

class DateReader {
 public:
  DateReader(const Context& context, const FoundMentions& found)
      : context_(context), found_(found), text_(context.text) {}

  std::vector<DateFact> read(std::vector<std::pair<size_t, size_t>>& ranges) {
    for (size_t i = 0; i < text_.size();) {
      // «عين اليوم», «الربيع العربي»: a name, read past whole.
      if (const LexMatch* name = match(i, Category::kNotDate)) {
        i += name->tokens;
        continue;
      }
      const size_t end = read_at(i);
      if (end > i) {
        ranges.emplace_back(i, end);
        dates_.back().span = text_.span(i, end);
        dates_.back().surface = std::string(text_.original_of(dates_.back().span));
        i = end;
      } else {
        ++i;
      }
    }
    return std::move(dates_);
  }

 private:
  bool word_at(size_t i, std::string_view word) const {
    return i < text_.size() && text_.token(i).is_word() && text_.token(i).text == word;
  }
  // Is the word at `i` one of `words`?
  bool word_in(size_t i, std::initializer_list<std::string_view> words) const {
    return std::any_of(words.begin(), words.end(),
                       [&](std::string_view w) { return word_at(i, w); });
  }
  // Is the word before `i` one of `words`?
  bool after_word(size_t i, std::initializer_list<std::string_view> words) const {
    return i > 0 && word_in(i - 1, words);
  }
  const LexMatch* match(size_t i, Category category) const {
    if (i >= text_.size() || found_.at_token[i] >= 0) return nullptr;
    const LexMatch* m = context_.matches.longest(i, category);
    // A clitic is a preposition or conjunction here: «وفي العاشر»، «بيناير» are rare; allow و,
    // and ب or ل on a length («لأربع سنوات», «لسنوات») or a named time («مقارنة بالربع الأول من
    // العام», «بالفترة المسائية», «للموسم المقبل»).
    const bool length = category == Category::kNumberWord || category == Category::kDateUnit;
    const bool named = category == Category::kDateNamed;
    const std::string_view word = text_.token(i).text;
    if (m != nullptr && m->clitic_bytes > 0 && !word.starts_with("و") &&
        !(length && word.starts_with("ل")) &&
        !(named && (word.starts_with("ب") || word.starts_with("ل"))))
      return nullptr;
    return m;
  }
  std::optional<int> year_at(size_t i) const {
    if (i >= text_.size()) return std::nullopt;
    return small_number(text_.token(i), 1000, 2999);
  }

  size_t read_at(size_t i) {
    if (size_t end = day_range(i)) return end;
    if (size_t end = day_month(i)) return end;
    if (size_t end = numeric_date(i)) return end;
    if (size_t end = part_of_month_or_year(i)) return end;
    if (size_t end = clock_time(i)) return end;
    if (size_t end = part_of_day(i)) return end;
    if (size_t end = weekday_at(i)) return end;
    if (size_t end = month_year(i)) return end;
    if (size_t end = year_alone(i)) return end;
    if (size_t end = century(i)) return end;
    if (size_t end = holiday(i)) return end;
    if (size_t end = offset_or_duration(i)) return end;
    if (size_t end = repetition(i)) return end;
    if (size_t end = named_value(i)) return end;
    if (size_t end = period_at(i)) return end;
    if (size_t end = relative_day(i)) return end;
    return i;
  }

  // A number of 1 to 9999 in digits or words at `i`: its value and the tokens it takes.
  std::optional<std::pair<int, size_t>> number_at(size_t i) const {
    if (std::optional<int> n = small_number(text_.token(i), 1, 9999)) return std::pair{*n, 1};
    if (const LexMatch* word = match(i, Category::kNumberWord)) {
      const NumberWord& n = context_.lexicon.number_words[word->index];
      if (n.approximate || n.value < 1 || n.value > 9999) return std::nullopt;
      return std::pair{static_cast<int>(n.value), static_cast<size_t>(word->tokens)};
    }
    return std::nullopt;
  }

  // A unit of time at `i`: its ISO letter, its count when the form says one (1 for the
  // singular, 2 for the dual, 0 for a plural), and the tokens it takes.
  struct Unit {
    std::string_view letter;
    int count = 0;
    size_t tokens = 0;
  };
  std::optional<Unit> unit_at(size_t i) const {
    const LexMatch* m = match(i, Category::kDateUnit);
    if (m == nullptr) return std::nullopt;
    const DateUnit& unit = context_.lexicon.date_units[m->index];
    return Unit{unit.letter, unit.count, m->tokens};
  }

  static DatePrecision precision_of(std::string_view letter) {
    return letter == "Y"   ? DatePrecision::kYear
           : letter == "M" ? DatePrecision::kMonth
           : letter == "W" ? DatePrecision::kWeek
           : letter == "D" ? DatePrecision::kDay
                           : DatePrecision::kTime;
  }

  // «قبل 30 عاما», «بعد ثلاثة أيام», «قبل عامين»: a date that far from the publication date;
  // «قبل سنوات»: some time ago. «ثلاثة أيام», «لمدة عامين»: a length of time.
  size_t offset_or_duration(size_t i) {
    size_t j = i;
    int direction = 0;
    if (const LexMatch* offset = match(j, Category::kDateOffset)) {
      direction = context_.lexicon.date_offsets[offset->index];
      j += offset->tokens;
    }
    if (j >= text_.size()) return 0;
    std::optional<std::pair<int, size_t>> number = number_at(j);
    if (number) j += number->second;
    if (j >= text_.size()) return 0;
    const std::optional<Unit> unit = unit_at(j);
    if (!unit) return 0;
    // A number with a unit counts it; a dual is two; a singular alone is one only after
    // قبل/بعد («قبل عام»), and otherwise too common a word («العام») to be a length.
    int count = number ? number->first : unit->count;
    if (number && unit->count == 2) return 0;  // «3 يومين» is no Arabic
    // «لعام كامل», «يوما كاملا»: one, said whole.
    const size_t after_unit = j + unit->tokens;
    if (!number && unit->count == 1 && direction == 0 &&
        word_in(after_unit, {"كامل", "كامله", "كاملا", "باكمله"})) {
      DateFact whole;
      whole.type = "DURATION";
      whole.basis = "explicit";
      whole.precision = precision_of(unit->letter);
      const bool clock = unit->letter == "H" || unit->letter == "MIN";
      whole.value =
          fmt::format("P{}1{}", clock ? "T" : "", unit->letter == "MIN" ? "M" : unit->letter);
      dates_.push_back(std::move(whole));
      return after_unit + 1;
    }
    if (!number && unit->count == 1 && direction == 0) return 0;
    // «بعد عام 2003», «قبل شهر رمضان», «قبل يوم الجمعة», «قبل اليوم الوطني»: the unit heads
    // a name or a date, and is no length.
    if (!number && unit->count == 1) {
      const size_t next = j + unit->tokens;
      if (text_.token(j).text.starts_with("ال") || year_at(next) ||
          match(next, Category::kMonth) != nullptr || match(next, Category::kWeekday) != nullptr ||
          (next < text_.size() && text_.token(next).is_word() &&
           text_.token(next).text.starts_with("ال") && !word_at(next, "الماضي")))
        return 0;
    }
    // «المديرين العامين»: a dual after a plural in ـين is its adjective.
    if (!number && unit->count == 2 && i > 0 && text_.token(i - 1).is_word() &&
        text_.token(i - 1).text.ends_with("ين"))
      return 0;
    j += unit->tokens;
    if (!number && unit->count == 0 && direction == 0) {
      // A plural alone is a length of some when something says so: «السنوات الماضية»,
      // «لسنوات», «منذ سنوات», «سنوات عديدة»; «أيام العيد» is not one.
      const bool adjective = word_in(j, {"الماضيه", "الاخيره", "المقبله", "القادمه", "عديده",
                                         "قليله", "طويله", "متتاليه", "مضت"});
      const bool before = after_word(i, {"منذ", "لمده", "طوال", "خلال", "عده", "بضعه", "بضع", "الي",
                                         "عبر", "طيله", "مدي", "مدار"});
      const bool clitic = text_.token(i).text.starts_with("ل");
      // «استمرت أشهرًا»: the accusative plural says how long by itself.
      const bool accusative = word_in(i, {"اشهرا", "اياما", "اعواما", "واشهرا", "واياما"});
      if (!adjective && !before && !clitic && !accusative) return 0;
      // «لأيام العيد», «منذ أيام الدراسة»: the days of something, not a length. A preposition
      // after the plural ends it: «إلى سنوات لإتقانه», «منذ سنوات في القاهرة».
      if (!adjective && !accusative && j < text_.size() && text_.token(j).is_word() &&
          !text_.token(j).text.starts_with("عد") && !word_at(j, "قليله") &&
          !word_in(j, {"من", "في", "علي", "الي", "عن", "مع", "حتي"}) &&
          !(text_.token(j).text.starts_with("ل") && !text_.token(j).text.starts_with("لل") &&
            !word_at(j, "لا")))
        return 0;
      if (adjective) ++j;
      DateFact some;
      some.type = "DURATION";
      some.basis = "explicit";
      some.precision = DatePrecision::kVague;
      const bool clock = unit->letter == "H" || unit->letter == "MIN";
      some.value =
          fmt::format("P{}X{}", clock ? "T" : "", unit->letter == "MIN" ? "M" : unit->letter);
      dates_.push_back(std::move(some));
      return j;
    }
    // «اليومين الماضيين»: the dual with its adjective.
    if (!number && unit->count == 2 && word_in(j, {"الماضيين", "الاخيرين", "المقبلين", "القادمين"}))
      ++j;
    DateFact date;
    if (direction == 0) {
      date.type = "DURATION";
      date.basis = "explicit";
      date.precision = precision_of(unit->letter);
      const bool clock = unit->letter == "H" || unit->letter == "MIN";
      date.value = fmt::format("P{}{}{}", clock ? "T" : "", count,
                               unit->letter == "MIN" ? "M" : unit->letter);
      dates_.push_back(std::move(date));
      return j;
    }
    if (unit->letter == "H" || unit->letter == "MIN") return 0;  // the hour is seldom known
    // «بعد ثلاثة أيام من إصابته»: counted from an event, not from the publication date; a
    // length of time.
    if (word_at(j, "من") && count > 0) {
      date.type = "DURATION";
      date.basis = "explicit";
      date.precision = precision_of(unit->letter);
      date.value = fmt::format("P{}{}", count, unit->letter);
      dates_.push_back(std::move(date));
      return j;
    }
    date.basis = "offset";
    if (count == 0) {  // «قبل أيام», «قبل سنوات»
      date.precision = DatePrecision::kVague;
      date.value = direction < 0 ? "PAST_REF" : "FUTURE_REF";
      dates_.push_back(std::move(date));
      return j;
    }
    date.precision = precision_of(unit->letter);
    if (!context_.published) {
      date.basis = "no publication date";
      date.value = "";
      dates_.push_back(std::move(date));
      return j;
    }
    const year_month_day published = *context_.published;
    const int shift = direction * count;
    if (unit->letter == "Y") {
      date.value = std::to_string(static_cast<int>(published.year()) + shift);
    } else if (unit->letter == "M") {
      const auto ym =
          std::chrono::year_month(published.year(), published.month()) + std::chrono::months(shift);
      date.value = iso_month(static_cast<int>(ym.year()),
                             static_cast<int>(static_cast<unsigned>(ym.month())));
    } else {
      const int length = unit->letter == "W" ? 7 * shift : shift;
      date.value = iso(year_month_day(sys_days(published) + days(length)));
    }
    dates_.push_back(std::move(date));
    return j;
  }

  // «يورو 1976،», «الحرب الأهلية 2015،», «مهرجان «تيميتار» 2015 في أغادير»: a number of the
  // years news speaks of, after a word, that ends its phrase; a count is followed by what it
  // counts («2000 جندي») or follows a word of quantity («بلغ 2015», «نحو 1950»).
  bool standing_year(size_t i, size_t next, int y) const {
    if (y < 1900 || y > 2099 || i == 0) return false;
    // After a word, or a name in quotes («مهرجان «تيميتار» 2015»); not after a lone «و»
    // joining it to another number («بين 2013 و2015»).
    size_t word = i - 1;
    if (text_.token(word).is_quote() || text_.token(word).is_punct(U'»')) {
      if (word == 0) return false;
      --word;
    }
    if (!text_.token(word).is_word() || text_.token(word).text.size() <= 2) return false;
    // A number a word labels: «القرار 1973» (a resolution), «العدد 1950», «الساعة 1930».
    if (word_in(word, {"القرار", "قرار", "رقم", "الرقم", "العدد", "عدد", "الماده", "ماده", "الساعه",
                       "الساعة", "طراز", "الطراز", "صفحه", "الصفحه", "الفصل"}))
      return false;
    // A word of quantity earlier in the clause: «بلغ عدد الزوار 1950», «ارتفعت حصيلة قتلى
    // الزلزال إلى 1950».
    for (size_t back = 1; back <= 6 && back <= i; ++back) {
      if (!text_.token(i - back).is_word()) break;
      if (word_in(i - back,
                  {"بلغ",    "بلغت",   "نحو",   "حوالي", "قرابه",  "اكثر",  "اقل",    "عدد",
                   "عددهم",  "اجمالي", "مجموع", "بنحو",  "بحوالي", "بمعدل", "بقيمه",  "سعر",
                   "مستوي",  "يبلغ",   "تبلغ",  "وصل",   "وصلت",   "ارتفع", "ارتفعت", "انخفض",
                   "انخفضت", "قدره",   "قدرها", "حصيله", "عند",    "يقارب", "زهاء",   "تجاوز",
                   "يتجاوز", "تجاوزت", "يزيد",  "يناهز"}))
        return false;
    }
    // Only where the phrase ends: «قتل 2000 في الهجوم», «اعتقال 1950 من أنصاره» count.
    if (next >= text_.size()) return true;
    return !text_.token(next).is_word() && ends_phrase(next);
  }

  // Nothing, a mark that ends a phrase or a preposition at `next`: what follows a number that
  // counts nothing («… 2018، بعد», «… 2014.»), where a count would be followed by its noun.
  // Nothing, a line break or a mark that ends a clause at `next`.
  bool ends_clause(size_t next) const {
    if (next >= text_.size()) return true;
    const Token& after = text_.token(next);
    return after.kind == Token::Kind::kBreak || after.is_punct(',') || after.is_punct('.') ||
           after.is_punct(U'،') || after.is_punct(U'؛') || after.is_punct(':') ||
           after.is_punct('!') || after.is_punct(U'؟') || after.is_punct('?');
  }

  bool ends_phrase(size_t next) const {
    if (next >= text_.size()) return true;
    const Token& after = text_.token(next);
    if (!after.is_word()) {
      return after.kind == Token::Kind::kBreak || after.is_quote() || after.is_punct(',') ||
             after.is_punct('.') || after.is_punct(')') || after.is_punct(U'،') ||
             after.is_punct(U'؛') || after.is_punct(U'»');
    }
    return word_in(next, {"في", "من", "علي", "عن", "حيث", "بعد", "قبل", "حين", "عندما"});
  }

  // «عام 1998», «سنة 2011», «2011م», «1436هـ», «عام 1436 هـ», and a year after «في», «منذ»,
  // «حتى»: a year standing alone. A Hijri year's value is the Gregorian year it begins in.
  size_t year_alone(size_t i) {
    size_t j = i;
    const LexMatch* year_word = match(j, Category::kYearWord);
    if (year_word != nullptr) j += year_word->tokens;
    if (j < text_.size() && text_.token(j).is_punct('(')) ++j;
    std::optional<int> y = year_at(j);
    // A year of the first millennium only with its era mark: «سنة 967هـ», «676هـ», «عام
    // 639م»; a number alone that small is no year.
    const std::optional<int> early =
        y || j >= text_.size() ? std::nullopt : small_number(text_.token(j), 1, 999);
    if (!y && !early) return 0;
    // «القرن 14 هـ» numbers a century (century()), not a year.
    if (early && year_word == nullptr && after_word(i, {"القرن", "ال"})) return 0;
    if (!y) y = early;
    ++j;
    if (j < text_.size() && text_.token(j).is_punct(')')) ++j;
    const bool hijri = word_at(j, "ه") || word_at(j, "هـ");
    // «م» is also metres («على ارتفاع 2500 م»): the era only for years up to 2099.
    const bool gregorian = word_at(j, "م") && *y <= 2099;
    // «500 م» is as often metres: an early Gregorian year needs its year word too, and
    // without its era («سنة 639») the phrase must end with it, as no count's would.
    if (early && !hijri && year_word == nullptr) return 0;
    if (early && !hijri && !gregorian && (*early < 100 || !ends_phrase(j))) return 0;
    if (hijri || gregorian) ++j;
    // «عام 540 قبل الميلاد»: a year before the era, which this reading has no value for.
    if (word_at(j, "قبل") && word_at(j + 1, "الميلاد")) return 0;
    const bool after_preposition = after_word(i, {"في", "منذ", "حتي", "خلال", "وفي", "بين"});
    // A bare number is a year only in the years news speaks of, after a preposition, and not
    // when a unit counts it («منذ 2000 عام»).
    if (year_word == nullptr && !hijri && !gregorian &&
        !(after_preposition && *y >= 1900 && *y <= 2099 && !unit_at(j)) &&
        !(!early && standing_year(i, j, *y)))
      return 0;
    DateFact date;
    date.precision = DatePrecision::kYear;
    // Without its era mark, a year is Hijri only near the Hijri year of publication: «عام
    // 1436» in 2015, not «عام 1453» (Constantinople).
    std::optional<int> hijri_now;
    if (context_.published) hijri_now = hijri_year_of(*context_.published);
    const bool unmarked_hijri = year_word != nullptr && !gregorian && hijri_now &&
                                std::abs(*y - *hijri_now) <= kUnmarkedHijriYears;
    if (hijri || unmarked_hijri) {
      const std::optional<year_month_day> start = from_hijri(*y, 1, 1);
      const std::optional<year_month_day> next = from_hijri(*y + 1, 1, 1);
      if (!start || !next) return 0;
      date.basis = "hijri";
      date.value = fmt::format("{:04}", static_cast<int>(start->year()));
      date.range_begin = iso(*start);
      date.range_end = iso(year_month_day(sys_days(*next) - days(1)));
    } else {
      date.basis = "explicit";
      date.value = fmt::format("{:04}", *y);  // TIMEX3's four digits: «سنة 639» is 0639
    }
    dates_.push_back(std::move(date));
    return j;
  }

  // «القرن العشرين», «القرن السادس عشر», «القرن الـ19», «القرن "19"», «القرن الماضي»: TIMEX3
  // writes a century by its hundreds, the twentieth (the 1900s) as 19. Not a century before
  // Christ or of the Hijra, which that value cannot say, and not the Horn («القرن الأفريقي»).
  size_t century(size_t i) {
    if (!word_in(i, {"القرن", "بالقرن", "للقرن", "والقرن", "وبالقرن", "وللقرن", "فالقرن"}))
      return 0;
    size_t j = i + 1;
    std::optional<int> number;
    bool relative = false;
    if (const LexMatch* ordinal = match(j, Category::kOrdinalDay)) {
      number = context_.lexicon.ordinal_days[ordinal->index];
      j += ordinal->tokens;
    } else if (word_in(j, {"الماضي", "المنصرم", "الحالي", "الجاري"})) {
      // «ربع القرن الماضي», «نصف قرن»: the last 25 or 50 years, not a century of the calendar.
      if (!context_.published ||
          after_word(i, {"ربع", "نصف", "ثلث", "وربع", "ونصف", "لربع", "لنصف", "بربع", "بنصف"}))
        return 0;
      relative = true;
      const int now = static_cast<int>(context_.published->year()) / 100 + 1;
      number = word_in(j, {"الماضي", "المنصرم"}) ? now - 1 : now;
      ++j;
    } else {
      if (word_at(j, "ال")) ++j;  // «الـ19», the tatweel gone
      const bool quoted = j < text_.size() && text_.token(j).is_quote();
      if (quoted) ++j;
      if (j >= text_.size() || !(number = small_number(text_.token(j), 1, 21))) return 0;
      ++j;
      if (quoted && !(j < text_.size() && text_.token(j).is_quote())) return 0;
      if (quoted) ++j;
    }
    if (*number < 1 || *number > 21) return 0;
    if (word_in(j, {"الميلادي", "للميلاد"})) ++j;
    // Of the Hijra («الهجري», «للهجرة», «من الهجرة», «14 هـ») or before Christ («قبل الميلاد»,
    // «ق.م»).
    const bool hijri = word_in(j, {"الهجري", "هجري", "للهجره", "ه"}) ||
                       (word_at(j, "من") && word_at(j + 1, "الهجره"));
    const bool before_christ = (word_at(j, "قبل") && word_in(j + 1, {"الميلاد", "الميلادي"})) ||
                               (word_at(j, "ق") && j + 2 < text_.size() &&
                                text_.token(j + 1).is_punct('.') && word_at(j + 2, "م"));
    if (hijri || before_christ) return 0;
    DateFact date;
    date.precision = DatePrecision::kYear;
    date.basis = relative ? "relative" : "explicit";
    date.value = fmt::format("{:02}", *number - 1);
    dates_.push_back(std::move(date));
    return j;
  }

  // «حاليا», «مؤخرا», «قريبا» (TIMEX3's references to now, the past and the future);
  // «الثمانينات»; «الصيف», «الصيف الماضي».
  size_t named_value(size_t i) {
    DateFact date;
    date.basis = "relative";
    size_t end = 0;
    const LexMatch* named = match(i, Category::kDateNamed);
    if (named == nullptr) return 0;
    const NamedDate& what = context_.lexicon.named_dates[named->index];
    if (what.kind == NamedDate::Kind::kClockHour) return 0;  // clock_time's
    end = i + named->tokens;
    if (what.kind == NamedDate::Kind::kReference) {
      if (word_at(end, "من")) return 0;  // «قريبا من»: near, not soon
      // «من قبل الشرطة», «من قبل 29 دولة», «من قبل «داعش»» say by whom; «لم يحدث من قبل.» says
      // when: only at the end of a clause.
      if (word_at(i, "من") && !ends_clause(end)) return 0;
      date.precision = DatePrecision::kVague;
      date.value = what.value;
    } else if (what.kind == NamedDate::Kind::kDayPart) {
      date.type = "TIME";
      date.basis = "explicit";
      date.precision = DatePrecision::kTime;
      date.value = "XXXX-XX-XXT" + what.value;
    } else if (what.kind == NamedDate::Kind::kDayPartNoun) {
      // «في المساء», «حتى الصباح»; «إلى العصر العباسي» is an age, «الصباح» alone a name.
      if (!after_word(i, {"في", "وفي", "حتي", "الي", "عند", "منذ", "طوال", "خلال"}) ||
          (end < text_.size() && text_.token(end).is_word() &&
           text_.token(end).text.starts_with("ال")))
        return 0;
      date.type = "TIME";
      date.basis = "explicit";
      date.precision = DatePrecision::kTime;
      date.value = "XXXX-XX-XXT" + what.value;
    } else if (what.kind == NamedDate::Kind::kPlayingSeason) {
      const std::optional<int> y = playing_season(end);
      if (!y) return 0;
      ++end;
      date.precision = DatePrecision::kYear;
      date.value = *y == 0 ? "" : std::to_string(*y);
    } else if (what.kind == NamedDate::Kind::kDecade) {
      // «الستينيات من عمره» is an age.
      if (word_at(end, "من") && end + 1 < text_.size() &&
          text_.token(end + 1).text.starts_with("عمر"))
        return 0;
      date.precision = DatePrecision::kYear;
      date.basis = "explicit";
      date.value = what.value;
    } else {
      date.precision = DatePrecision::kPartOfYear;
      std::optional<int> y = year_at(end);
      int shift = 0;
      bool said = true;  // a year or a direction says it is the season of a year
      if (y) {
        ++end;
        date.basis = "explicit";
      } else if (word_at(end, "الماضي")) {
        shift = -1;
        ++end;
      } else if (word_at(end, "المقبل") || word_at(end, "القادم")) {
        shift = 1;
        ++end;
      } else if (word_at(end, "الحالي") || word_at(end, "الجاري")) {
        ++end;
      } else {
        said = false;
      }
      // «مهرجان الصيف» names a festival: alone, a season is one after «في», «خلال», «فصل».
      const bool placed =
          named->tokens > 1 || after_word(i, {"في", "خلال", "وفي", "حتي", "منذ", "طوال"});
      if (!said && !placed) return 0;
      if (!y && context_.published) y = static_cast<int>(context_.published->year()) + shift;
      date.value = y ? fmt::format("{}-{}", *y, what.value) : "";
    }
    dates_.push_back(std::move(date));
    return end;
  }

  // The year a sports season or school year starts in, from the direction word at `i`
  // («الماضي», «المقبل», «الحالي»); 0 without a publication date; nothing without a direction,
  // since «الموسم» alone is as often a harvest or a pilgrimage. Seasons run from about September
  // to May: in the break between them, the last season is the one that just ended and the next
  // one starts this year.
  std::optional<int> playing_season(size_t i) const {
    int shift = 0;
    if (word_in(i, {"الماضي", "المنصرم", "الفائت", "السابق", "الماضيه", "المنصرمه", "السابقه"})) {
      shift = -1;
    } else if (word_in(i, {"المقبل", "القادم", "الجديد", "المقبله", "القادمه", "الجديده"})) {
      shift = 1;
    } else if (!word_in(i, {"الحالي", "الجاري", "الحاليه", "الجاريه"})) {
      return std::nullopt;
    }
    if (!context_.published) return 0;
    const int y = static_cast<int>(context_.published->year());
    const auto m = static_cast<unsigned>(context_.published->month());
    const int current = m >= 9 ? y : y - 1;  // the season under way, or just ended
    const bool break_between = m >= 6 && m <= 8;
    if (shift < 0) return break_between ? current : current - 1;
    return current + shift;
  }

  std::optional<int> weekday_without_article(size_t i) const {
    if (!text_.token(i).is_word()) return std::nullopt;
    const std::vector<LexMatch>* matches =
        context_.lexicon.phrase("ال" + std::string(text_.token(i).text));
    if (matches == nullptr) return std::nullopt;
    for (const LexMatch& m : *matches) {
      if (m.category == Category::kWeekday) return context_.lexicon.weekdays[m.index];
    }
    return std::nullopt;
  }

  // «يوميا», «كل عام», «كل يوم جمعة»: a repetition.
  size_t repetition(size_t i) {
    size_t j = i;
    if (word_at(j, "كل") && word_at(j + 1, "يوم") && j + 2 < text_.size()) {
      // «كل يوم جمعة»: the weekday without its article, which alone («أحد», «سبت») is too
      // often another word to be listed as one.
      if (const std::optional<int> iso_weekday = weekday_without_article(j + 2)) {
        DateFact date;
        date.type = "SET";
        date.basis = "explicit";
        date.precision = DatePrecision::kWeekday;
        date.value = fmt::format("XXXX-WXX-{}", *iso_weekday);
        dates_.push_back(std::move(date));
        return j + 3;
      }
    }
    const LexMatch* set = match(j, Category::kDateSet);
    if (set == nullptr) return 0;
    DateFact date;
    date.type = "SET";
    date.basis = "explicit";
    const std::string& value = context_.lexicon.date_sets[set->index];
    date.precision = precision_of(std::string_view(value).substr(value.size() - 1));
    date.value = value;
    dates_.push_back(std::move(date));
    return j + set->tokens;
  }

  // The hour and minute of «الساعة العاشرة», «الساعة 10:30», «الساعة 1902 بتوقيت جرينتش» at
  // `i`, and the token after them; the four digits only with «بتوقيت» after them, or they are
  // a year («الساعة 2015» is no time).
  struct Clock {
    int hour = 0;
    int minute = 0;
    size_t end = 0;
  };
  std::optional<Clock> clock_at(size_t i) const {
    if (const LexMatch* named = match(i, Category::kDateNamed)) {
      const NamedDate& what = context_.lexicon.named_dates[named->index];
      if (what.kind == NamedDate::Kind::kClockHour)
        return Clock{std::stoi(what.value), 0, i + named->tokens};
    }
    if (!word_in(i, {"الساعه", "والساعه"}) || i + 1 >= text_.size()) return std::nullopt;
    const Token& number = text_.token(i + 1);
    if (number.kind != Token::Kind::kNumber) return std::nullopt;
    if (number.text.size() == 4 && word_at(i + 2, "بتوقيت")) {
      const std::optional<int> hhmm = small_number(number, 0, 2359);
      if (!hhmm || *hhmm % 100 > 59) return std::nullopt;
      return Clock{*hhmm / 100, *hhmm % 100, i + 2};
    }
    const std::optional<int> hour = small_number(number, 0, 23);
    // «الساعة 24 الماضية» is a length of time.
    if (!hour || word_in(i + 2, {"الماضيه", "الاخيره", "المقبله", "القادمه"})) return std::nullopt;
    if (i + 3 < text_.size() && text_.token(i + 2).is_punct(':')) {
      if (const std::optional<int> minute = small_number(text_.token(i + 3), 0, 59))
        return Clock{*hour, *minute, i + 4};
    }
    return Clock{*hour, 0, i + 2};
  }

  // «الساعة العاشرة صباحا», «الساعة الثامنة والنصف من مساء أمس», «الساعة 10:30 صباح الخميس»,
  // «الساعة الثانية بعد الزوال»: a time of the clock, TIMEX3's "2015-08-03T20:30" when the words
  // after it name the day, else of no day ("XXXX-XX-XXT10:00": a report's «الساعة العاشرة»
  // is often another day's).
  size_t clock_time(size_t i) {
    std::optional<Clock> clock = clock_at(i);
    if (!clock) return 0;
    size_t j = clock->end;
    if (word_at(j, "والنصف")) {
      clock->minute = 30;
      ++j;
    } else if (word_at(j, "والربع")) {
      clock->minute = 15;
      ++j;
    } else if (word_at(j, "الا") && word_in(j + 1, {"ربعا", "ربع", "الربع"})) {
      clock->minute = 45;
      clock->hour = (clock->hour + 23) % 24;
      j += 2;
    }
    // The part of the day: a word of its own («صباحا»), or «من صباح اليوم», «مساء أمس».
    std::string_view part;
    if (word_in(j, {"صباحا", "فجرا"})) {
      part = "MO";
      ++j;
    } else if (word_in(j, {"مساء", "مساءا"}) &&
               !(j + 1 < text_.size() && match(j + 1, Category::kDateRelative) != nullptr) &&
               !(j + 1 < text_.size() && match(j + 1, Category::kWeekday) != nullptr)) {
      part = "EV";  // and «مساء أمس» is read below, as a day
      ++j;
    } else if (word_at(j, "ليلا")) {
      part = "NI";
      ++j;
    } else if (word_in(j, {"ظهرا", "عصرا"})) {
      part = "AF";
      ++j;
    } else if (word_at(j, "بعد") && word_in(j + 1, {"الظهر", "الزوال", "الظهيره"})) {
      part = "AF";
      j += 2;
    }
    std::string day = "XXXX-XX-XX";
    const size_t before = dates_.size();
    const size_t at = word_at(j, "من") ? j + 1 : j;
    size_t end = part_of_day(at);
    if (end == 0) end = relative_day(at);
    if (end == 0) end = weekday_at(at);
    if (end == 0 && word_at(at, "يوم")) end = day_month(at + 1);  // «مساء يوم 8 أيلول»
    if (end != 0 && dates_.size() == before + 1) {
      const std::string said = dates_.back().value;
      dates_.pop_back();
      if (said.size() >= 10 && std::isdigit(static_cast<unsigned char>(said[0]))) {
        day = said.substr(0, 10);
        if (said.size() > 11 && part.empty()) {
          const std::string_view letters = std::string_view(said).substr(11, 2);
          part = letters == "MO" ? "MO" : letters == "AF" ? "AF" : letters == "NI" ? "NI" : "EV";
        }
        j = end;
      }
    } else if (end != 0) {
      dates_.resize(before);
    }
    // «بتوقيت جرينتش», «بتوقيت مكة المكرمة», «بالتوقيت المحلي»: the zone, read past.
    if (word_at(j, "بالتوقيت") && word_in(j + 1, {"المحلي", "الصيفي", "الشتوي"})) {
      j += 2;
    } else if (word_at(j, "بتوقيت")) {
      j += 1;
      if (j < text_.size() && text_.token(j).is_word()) ++j;
      if (word_in(j, {"المكرمه", "المحلي", "الصيفي"})) ++j;
    }
    int hour = clock->hour;
    if (hour > 24) return 0;
    // In the afternoon, evening or night an hour before noon is after it: «الثامنة مساء» is 20,
    // «الثانية بعد الظهر» 14; but «الثانية عشرة ظهرا» is noon, «الثانية ليلا» 2 in the morning.
    const bool after_noon =
        part == "EV" || (part == "AF" && hour < 11) || (part == "NI" && hour >= 5);
    if (after_noon && hour < 12) hour += 12;
    if ((part == "MO" || part == "NI") && hour == 12) hour = 0;  // «الثانية عشرة ليلا»
    DateFact time;
    time.type = "TIME";
    time.basis = day.starts_with("X") ? "explicit" : "relative";
    time.precision = DatePrecision::kTime;
    time.value = fmt::format("{}T{:02}:{:02}", day, hour % 24, clock->minute);
    dates_.push_back(std::move(time));
    return j;
  }

  // «مساء أمس», «صباح اليوم», «ليلة الخميس»: a part of a day, TIMEX3's "2015-08-03TEV".
  size_t part_of_day(size_t i) {
    const LexMatch* part = match(i, Category::kPartOfDay);
    if (part == nullptr) return 0;
    const size_t j = i + part->tokens;
    const size_t before = dates_.size();
    size_t end = relative_day(j);
    if (end == 0) end = weekday_at(j);
    if (end == 0) end = the_eid(j);  // «صباح العيد»
    if (end == 0 || dates_.size() != before + 1) return 0;
    DateFact& date = dates_.back();
    date.type = "TIME";
    date.precision = DatePrecision::kTime;
    if (!date.value.empty() && !date.value.starts_with("weekday:"))
      date.value += "T" + context_.lexicon.parts_of_day[part->index];
    return end;
  }

  void add_day(int m, int d, std::optional<int> y, bool hijri) {
    DateFact date;
    date.precision = DatePrecision::kDay;
    if (hijri) {
      date.basis = "hijri";
      if (!y && context_.published) y = hijri_year_of(*context_.published);
      std::optional<year_month_day> gregorian;
      if (y) gregorian = from_hijri(*y, m, d);
      if (gregorian) {
        date.value = iso(*gregorian);
      } else {
        char buffer[24];
        std::snprintf(buffer, sizeof buffer, "hijri:--%02d-%02d", m, d);
        date.value = buffer;
      }
    } else if (y) {
      date.basis = "explicit";
      const year_month_day given = ymd(*y, m, d);
      date.value = given.ok() ? iso(given) : std::string();
    } else if (context_.published) {
      date.basis = "publication date";
      const year_month_day inferred = with_inferred_year(*context_.published, m, d);
      date.value = inferred.ok() ? iso(inferred) : std::string();
    } else {
      date.basis = "no year";
      date.value = partial_day(m, d);
    }
    dates_.push_back(std::move(date));
  }

  // What follows a month name and says its year: «آب/ أغسطس», «حزيران (يونيو)» (the other
  // calendar's name, skipped), «2014», «(1990)», «عام 2002», «الماضي», «من العام الماضي».
  struct YearOfMonth {
    std::optional<int> year;       // written
    int direction = kNoDirection;  // -1 the last one, 0 this year's, 1 the next one
    int year_shift = 0;            // «العام الماضي»: -1, with direction kYearShift
  };
  static constexpr int kNoDirection = 2;
  static constexpr int kYearShift = 3;

  YearOfMonth year_of_month(size_t& j, int month_number) const {
    // The same month in the other naming system: «يوليو/تموز», «حزيران (يونيو)», «أكتوبر
    // تشرين الأول».
    size_t k = j;
    const bool opened =
        k < text_.size() && (text_.token(k).is_punct('/') || text_.token(k).is_punct('('));
    if (opened) ++k;
    if (const LexMatch* alias = match(k, Category::kMonth);
        alias != nullptr && context_.lexicon.months[alias->index].number == month_number &&
        !context_.lexicon.months[alias->index].hijri) {
      k += alias->tokens;
      if (k < text_.size() && text_.token(k).is_punct(')')) ++k;
      j = k;
    }
    YearOfMonth out;
    k = j;
    const bool parenthesis = k < text_.size() && text_.token(k).is_punct('(');
    if (parenthesis) ++k;
    if (const LexMatch* year_word = match(k, Category::kYearWord);
        year_word != nullptr && year_at(k + year_word->tokens)) {
      k += year_word->tokens;
    }
    if ((out.year = year_at(k))) {
      ++k;
      if (parenthesis && k < text_.size() && text_.token(k).is_punct(')')) ++k;
      j = k;
      return out;
    }
    k = j;
    if (word_at(k, "الماضي") || word_at(k, "المنصرم") || word_at(k, "الفايت") ||
        word_at(k, "السابق")) {
      out.direction = -1;
    } else if (word_at(k, "الجاري") || word_at(k, "الحالي")) {
      out.direction = 0;
    } else if (word_at(k, "المقبل") || word_at(k, "القادم")) {
      out.direction = 1;
    }
    if (out.direction != kNoDirection) {
      j = k + 1;
      return out;
    }
    if (word_at(k, "من")) ++k;
    if (const LexMatch* period = match(k, Category::kDatePeriod)) {
      const std::string& name = context_.lexicon.periods[period->index];
      if (name.ends_with("-year")) {
        out.direction = kYearShift;
        out.year_shift = name == "last-year" ? -1 : name == "next-year" ? 1 : 0;
        j = k + period->tokens;
      }
    }
    return out;
  }

  // The year of a month (and day) that `year_of_month` found no year for but a direction.
  // `d` is 0 for a whole month: «يناير الماضي» in a January paper is last year's.
  std::optional<int> resolved_year(const YearOfMonth& spec, int m, int d) const {
    if (!context_.published || spec.direction == kNoDirection) return std::nullopt;
    const year_month_day published = *context_.published;
    const int y = static_cast<int>(published.year());
    if (spec.direction == kYearShift) return y + spec.year_shift;
    if (spec.direction == 0) return y;
    const int published_month = static_cast<int>(static_cast<unsigned>(published.month()));
    if (d == 0) {
      if (spec.direction < 0) return m < published_month ? y : y - 1;
      return m > published_month ? y : y + 1;
    }
    const sys_days date = sys_days(ymd(y, m, d));
    if (spec.direction < 0) return date <= sys_days(published) ? y : y - 1;
    return date > sys_days(published) ? y : y + 1;
  }

  // «من 14 إلى 27 يوليو», «بين 10-15 أغسطس», «من السادس حتى 15 أغسطس»: days of one month, as
  // a range whose value is its first day.
  size_t day_range(size_t i) {
    std::optional<int> first = small_number(text_.token(i), 1, 31);
    size_t j = i + 1;
    if (!first) {
      const LexMatch* ordinal = match(i, Category::kOrdinalDay);
      if (ordinal == nullptr) return 0;
      first = context_.lexicon.ordinal_days[ordinal->index];
      j = i + ordinal->tokens;
    }
    if (!(word_at(j, "الي") || word_at(j, "حتي") ||
          (j < text_.size() && text_.token(j).is_punct('-'))))
      return 0;
    const size_t before = dates_.size();
    const size_t end = day_month(j + 1);
    if (end == 0) return 0;
    DateFact& last = dates_.back();
    const std::string& value = last.value;
    const bool full_day = value.size() == 10 && value[4] == '-' && value[7] == '-';
    if (dates_.size() != before + 1 || !full_day || std::stoi(value.substr(8)) <= *first) {
      dates_.resize(before);  // not a range: the day and month are read where they start
      return 0;
    }
    last.range_end = value;
    last.range_begin = fmt::format("{}-{:02}", value.substr(0, 7), *first);
    last.value = last.range_begin;
    return end;
  }

  // «10 يناير 2022»، «العاشر من يناير»، «الأول من كانون الثاني»، «15 رمضان 1443 هـ».
  size_t day_month(size_t i) {
    std::optional<int> d;
    size_t j = i;
    if (i < text_.size()) d = small_number(text_.token(i), 1, 31);
    if (d) {
      j = i + 1;
      // «24 من يوليو»: as with an ordinal, when a month follows.
      if (word_at(j, "من") && match(j + 1, Category::kMonth) != nullptr) ++j;
    } else if (const LexMatch* ordinal = match(i, Category::kOrdinalDay)) {
      d = context_.lexicon.ordinal_days[ordinal->index];
      j = i + ordinal->tokens;
      if (word_at(j, "من")) ++j;
    } else {
      return 0;
    }
    if (word_at(j, "شهر")) ++j;
    const LexMatch* month_match = match(j, Category::kMonth);
    if (month_match == nullptr) return day_of_relative_month(j, *d);
    const Month m = context_.lexicon.months[month_match->index];
    j += month_match->tokens;
    std::optional<int> y;
    bool directed = false;
    if (m.hijri) {
      if ((y = year_at(j))) ++j;
    } else {
      const YearOfMonth spec = year_of_month(j, m.number);
      y = spec.year ? spec.year : resolved_year(spec, m.number, *d);
      directed = !spec.year && y.has_value();
    }
    if (y && (word_at(j, "ه") || word_at(j, "م"))) ++j;  // هـ (Hijri), م (Gregorian)
    add_day(m.number, *d, y, m.hijri);
    if (directed) dates_.back().basis = "relative";  // the year from «الماضي», not written
    return j;
  }

  // «العاشر من الشهر الجاري», «15 من الشهر المقبل»: a day of the month the publication date
  // is in, or of the one before or after it.
  size_t day_of_relative_month(size_t j, int d) {
    if (word_at(j, "من")) ++j;
    const LexMatch* period = match(j, Category::kDatePeriod);
    if (period == nullptr || !context_.published) return 0;
    const std::string& name = context_.lexicon.periods[period->index];
    if (!name.ends_with("-month")) return 0;
    const int shift = name.starts_with("last") ? -1 : name.starts_with("next") ? 1 : 0;
    const auto ym =
        std::chrono::year_month(context_.published->year(), context_.published->month()) +
        std::chrono::months(shift);
    const year_month_day date{ym.year(), ym.month(), day(static_cast<unsigned>(d))};
    if (!date.ok()) return 0;
    DateFact fact;
    fact.precision = DatePrecision::kDay;
    fact.basis = "relative month";
    fact.value = iso(date);
    dates_.push_back(std::move(fact));
    return j + period->tokens;
  }

  // «24/11/2024», day first as Arabic news writes it; «2022-01-10».
  size_t numeric_date(size_t i) {
    if (i + 4 >= text_.size()) return 0;
    const Token& a = text_.token(i);
    const Token& s1 = text_.token(i + 1);
    const Token& c = text_.token(i + 4);
    const Token& s2 = text_.token(i + 3);
    const char32_t separator = s1.punct;
    if (s1.kind != Token::Kind::kPunct || (separator != '/' && separator != '-') ||
        !s2.is_punct(separator)) {
      return 0;
    }
    std::optional<int> first = small_number(a, 1, 2999),
                       middle = small_number(text_.token(i + 2), 1, 12),
                       last = small_number(c, 1, 2999);
    if (!first || !middle || !last) return 0;
    // «7/ 10/ 1436هـ»: a Hijri date, by its era mark or its year.
    const bool hijri_mark = word_at(i + 5, "ه") || word_at(i + 5, "هـ");
    if (*last >= 1300 && *last <= 1500 && *first <= 30) {
      add_day(*middle, *first, *last, true);
      return i + (hijri_mark ? 6 : 5);
    }
    if (*first >= 1300 && *first <= 1500 && *last <= 30) {  // «1436/10/7هـ»
      add_day(*middle, *last, *first, true);
      return i + (hijri_mark ? 6 : 5);
    }
    int y = 0, d = 0;
    if (*first >= 1000 && *last <= 31) {
      y = *first;
      d = *last;
    } else if (*last >= 1000 && *first <= 31) {
      y = *last;
      d = *first;
    } else {
      return 0;
    }
    add_day(*middle, d, y, false);
    return i + 5;
  }

  // «أوائل كانون الثاني»، «منتصف شهر مارس 2021»، «مطلع العام الجاري»، «أواخر 2021».
  size_t part_of_month_or_year(size_t i) {
    const LexMatch* part_match = match(i, Category::kDatePart);
    if (part_match == nullptr) return 0;
    const DatePart part = context_.lexicon.date_parts[part_match->index];
    size_t j = i + part_match->tokens;
    if (word_at(j, "شهر")) ++j;
    if (const LexMatch* month_match = match(j, Category::kMonth)) {
      const Month m = context_.lexicon.months[month_match->index];
      if (m.hijri) return 0;
      j += month_match->tokens;
      const YearOfMonth spec = year_of_month(j, m.number);
      const int first_day = part == DatePart::kEarly ? 1 : part == DatePart::kMid ? 11 : 21;
      add_part_of_month(part, m.number,
                        spec.year ? spec.year : resolved_year(spec, m.number, first_day));
      return j;
    }
    std::optional<int> y;
    if (word_at(j, "عام") || word_at(j, "العام") || word_at(j, "سنه")) {
      if ((y = year_at(j + 1))) {
        j += 2;
      }
    } else if ((y = year_at(j))) {
      ++j;
    }
    if (!y) {
      const LexMatch* period = match(j, Category::kDatePeriod);
      if (period == nullptr && word_at(j, "العام")) {  // «منذ مطلع العام»: this year's
        if (context_.published) y = static_cast<int>(context_.published->year());
        add_part_of_year(part, y, "relative");
        return j + 1;
      }
      if (period == nullptr) return 0;
      const std::string& name = context_.lexicon.periods[period->index];
      if (!name.ends_with("-year")) return 0;
      j += period->tokens;
      if (context_.published) {
        y = static_cast<int>(context_.published->year()) + (name == "last-year"   ? -1
                                                            : name == "next-year" ? 1
                                                                                  : 0);
      }
      add_part_of_year(part, y, "relative");
      return j;
    }
    add_part_of_year(part, y, "explicit");
    return j;
  }

  void add_part_of_month(DatePart part, int m, std::optional<int> y) {
    DateFact date;
    date.precision = DatePrecision::kPartOfMonth;
    const int first_day = part == DatePart::kEarly ? 1 : part == DatePart::kMid ? 11 : 21;
    if (!y && context_.published) {
      y = static_cast<int>(with_inferred_year(*context_.published, m, first_day).year());
      date.basis = "publication date";
    } else {
      date.basis = y ? "explicit" : "no year";
    }
    const int last_day = part == DatePart::kEarly ? 10
                         : part == DatePart::kMid ? 20
                         : y                      ? last_day_of(*y, m)
                                                  : 31;
    if (y) {
      date.value = iso_month(*y, m);
      date.range_begin = iso(ymd(*y, m, first_day));
      date.range_end = iso(ymd(*y, m, last_day));
    } else {
      date.value = partial_month(m);
      date.range_begin = partial_day(m, first_day);
      date.range_end = partial_day(m, last_day);
    }
    dates_.push_back(std::move(date));
  }

  void add_part_of_year(DatePart part, std::optional<int> y, std::string basis) {
    DateFact date;
    date.precision = DatePrecision::kPartOfYear;
    date.basis = std::move(basis);
    const int first_month = part == DatePart::kEarly ? 1 : part == DatePart::kMid ? 5 : 9;
    if (y) {
      date.value = std::to_string(*y);
      date.range_begin = iso(ymd(*y, first_month, 1));
      date.range_end = iso(ymd(*y, first_month + 3, last_day_of(*y, first_month + 3)));
    } else {
      date.value = "";
      date.basis = "no year";
    }
    dates_.push_back(std::move(date));
  }

  // «اليوم الاثنين»، «يوم الأربعاء الماضي»، «الخميس المقبل».
  size_t weekday_at(size_t i) {
    size_t j = i;
    bool today = false, anchored = false;
    if (word_at(j, "اليوم")) {
      today = true;
      anchored = true;
      ++j;
    } else if (word_at(j, "يوم") || word_at(j, "مساء") || word_at(j, "صباح") ||
               word_at(j, "ليله") || word_at(j, "ليل") || word_at(j, "فجر") || word_at(j, "ظهر")) {
      anchored = true;
      ++j;
    }
    const LexMatch* weekday_match = match(j, Category::kWeekday);
    if (weekday_match == nullptr) return 0;
    const int iso_weekday = context_.lexicon.weekdays[weekday_match->index];
    j += weekday_match->tokens;
    int direction = 0;  // -1 last, +1 next, 0 the latest on or before publication
    if (word_at(j, "الماضي") || word_at(j, "المنصرم") || word_at(j, "الفايت")) {
      direction = -1;
      ++j;
    } else if (word_at(j, "المقبل") || word_at(j, "القادم")) {
      direction = 1;
      ++j;
    } else if (!anchored && iso_weekday == 1) {
      // «الاثنين» alone is also "the two": take it only after a preposition or comma.
      const bool after_preposition = after_word(i, {"في", "منذ", "حتي", "وفي"}) ||
                                     (i > 0 && (text_.token(i - 1).is_punct(',') ||
                                                match(i - 1, Category::kPartOfDay) != nullptr)) ||
                                     i == same_day_at_.first;
      if (!after_preposition) return 0;
    }
    if (direction == 0) {
      if (const size_t end = weekdays_of_a_week(j, iso_weekday)) return end;
    }
    DateFact date;
    date.precision = DatePrecision::kDay;
    if (i == same_day_at_.first && !anchored && direction == 0) {
      date.basis = "relative";
      date.value = same_day_at_.second;
    } else if (!context_.published) {
      date.precision = DatePrecision::kWeekday;
      date.basis = "no publication date";
      date.value = "weekday:" + std::to_string(iso_weekday);
    } else {
      const sys_days published = sys_days(*context_.published);
      const int published_weekday = static_cast<int>(weekday(published).iso_encoding());
      int offset = iso_weekday - published_weekday;  // in (-7, 7)
      // «سيعقد الاجتماع يوم الخميس»: a bare weekday after a verb in the future is the next one,
      // or today (a paper is often crawled a day after it is printed).
      if (direction == 0 && !today && future_before(i)) {
        if (offset < 0) offset += 7;
      } else if (direction > 0) {
        if (offset <= 0) offset += 7;
      } else if (direction < 0 || !today) {
        if (direction < 0 ? offset >= 0 : offset > 0) offset -= 7;
      } else if (offset > 0) {
        offset -= 7;  // «اليوم الاثنين» in a Tuesday paper: yesterday's Monday
      }
      date.basis = "publication date";
      date.value = iso(year_month_day(published + days(offset)));
    }
    dates_.push_back(std::move(date));
    return j;
  }

  // Whether the clause before `i` says the future: «سوف», «لن», «من المقرر», or a verb with the
  // future's «سـ» («سيعقد», «ستبدأ», «سنعلن») within five words, back to the last mark
  // that ends a clause. Words that merely start with those letters are nouns («سيارة», «سياسة»,
  // «سنة», «ستة», «سيطرة»), left out by their first letters.
  bool future_before(size_t i) const {
    constexpr size_t kWords = 5;
    size_t words = 0;
    for (size_t k = i; k > 0 && words < kWords; --k) {
      const Token& token = text_.token(k - 1);
      if (!token.is_word()) {
        if (ends_clause(k - 1)) return false;
        continue;
      }
      ++words;
      if (found_.at_token[k - 1] >= 0) continue;  // a name: «حزب سيريزا»
      std::string_view word = token.text;
      if (word.starts_with("و") || word.starts_with("ف")) word.remove_prefix(2);  // «وسيعقد»
      if (word == "سوف" || word == "لن" || word == "المقرر" || word == "المنتظر" ||
          word == "يعتزم" || word == "تعتزم")
        return true;
      if (word.size() < 8) continue;  // four letters at least: «سيعقد», not «سنة»
      const bool future_prefix =
          word.starts_with("سي") || word.starts_with("ست") || word.starts_with("سن");
      // Not «سيدعو» or «ستاتي» («ستأتي»): the nouns by as many letters as tell them apart.
      constexpr std::array<std::string_view, 27> kNouns = {
          "سيار", "سياس", "سياح", "سياق", "سيطره", "سيده", "سيدي", "سيدات", "سيره",
          "سيول", "سينا", "سينم", "ستاد", "ستار",  "ستال", "ستوك", "ستودي", "ستيف",
          "سته",  "ستين", "سنو",  "سنه",  "سنتي",  "سنات", "سنغ",  "سنتين", "سيري"};
      if (future_prefix && std::none_of(kNouns.begin(), kNouns.end(), [&](std::string_view noun) {
            return word.starts_with(noun);
          }))
        return true;
    }
    return false;
  }

  // «الأحد والإثنين في الأسبوع المقبل», «الخميس من الأسبوع الجاري», «الأحد والخميس في الأسبوع
  // بعد المقبل»: weekdays (the first read already, ending before `j`) of a week the text names,
  // as one expression: the first day, with the days as a range. Weeks run Saturday to Friday.
  size_t weekdays_of_a_week(size_t j, int first_weekday) {
    if (!context_.published) return 0;
    auto from_saturday = [](int iso_weekday) { return (iso_weekday + 1) % 7; };
    int first = from_saturday(first_weekday), last = first;
    size_t k = j;
    while (k < text_.size() && text_.token(k).text.starts_with("و")) {
      const LexMatch* more = match(k, Category::kWeekday);
      if (more == nullptr) break;
      const int day = from_saturday(context_.lexicon.weekdays[more->index]);
      first = std::min(first, day);
      last = std::max(last, day);
      k += more->tokens;
    }
    if (word_in(k, {"في", "من"})) ++k;
    int shift = 0;
    size_t end = 0;
    if (word_at(k, "الاسبوع") && word_at(k + 1, "بعد") && word_in(k + 2, {"المقبل", "القادم"})) {
      shift = 2;
      end = k + 3;
    } else if (const LexMatch* period = match(k, Category::kDatePeriod)) {
      const std::string& name = context_.lexicon.periods[period->index];
      if (!name.ends_with("week")) return 0;
      shift = name.starts_with("last") ? -1 : name.starts_with("next") ? 1 : 0;
      end = k + period->tokens;
    } else {
      return 0;
    }
    const sys_days published = sys_days(*context_.published);
    const int since_saturday =
        static_cast<int>((weekday(published) - std::chrono::Saturday).count());
    const sys_days saturday = published - days(since_saturday) + days(7 * shift);
    DateFact date;
    date.precision = DatePrecision::kDay;
    date.basis = "publication date";
    date.value = iso(year_month_day(saturday + days(first)));
    if (last > first) {
      date.range_begin = date.value;
      date.range_end = iso(year_month_day(saturday + days(last)));
    }
    dates_.push_back(std::move(date));
    return end;
  }

  // «شهر رمضان», «في رمضان 1436»: a Hijri month, valued as the Gregorian month it begins in;
  // without a year, the one nearest the publication date.
  size_t hijri_month(size_t i, size_t j, int month_number, bool after_month_word) {
    std::optional<int> y = year_at(j);
    if (y) {
      ++j;
      if (word_at(j, "ه") || word_at(j, "هـ")) ++j;
    }
    const bool after_preposition = after_word(i, {"في", "خلال", "منذ", "حتي"});
    if (!y && !after_month_word && !after_preposition) return 0;
    std::optional<year_month_day> start = hijri_start(month_number, 1, y);
    DateFact date;
    date.precision = DatePrecision::kMonth;
    date.basis = "hijri";
    if (start) {
      const int m = static_cast<int>(static_cast<unsigned>(start->month()));
      date.value = iso_month(static_cast<int>(start->year()), m);
      // Its days: to the day before the next Hijri month begins.
      const std::optional<int> hijri_y = y ? y : hijri_year_of(*start);
      const std::optional<year_month_day> next =
          hijri_y ? (month_number == 12 ? from_hijri(*hijri_y + 1, 1, 1)
                                        : from_hijri(*hijri_y, month_number + 1, 1))
                  : std::nullopt;
      if (next) {
        date.range_begin = iso(*start);
        date.range_end = iso(year_month_day(sys_days(*next) - days(1)));
      }
    } else {
      date.value = "";
    }
    dates_.push_back(std::move(date));
    return j;
  }

  // The Gregorian day of a Hijri month and day, in year `y`, else in the Hijri year that puts
  // it nearest the publication date.
  std::optional<year_month_day> hijri_start(int month_number, int d, std::optional<int> y) const {
    if (y) return from_hijri(*y, month_number, d);
    if (!context_.published) return std::nullopt;
    const std::optional<int> now = hijri_year_of(*context_.published);
    if (!now) return std::nullopt;
    std::optional<year_month_day> best;
    for (const int candidate : {*now - 1, *now, *now + 1}) {
      const std::optional<year_month_day> g = from_hijri(candidate, month_number, d);
      if (!g) continue;
      const auto distance = [&](const year_month_day& x) {
        return std::abs((sys_days(x) - sys_days(*context_.published)).count());
      };
      if (!best || distance(*g) < distance(*best)) best = g;
    }
    return best;
  }

  // «ثاني أيام …» before the feast's name at `i`: how many days after its first (0 without).
  int days_into_feast(size_t i) const {
    if (i < 2 || !word_at(i - 1, "ايام")) return 0;
    const LexMatch* ordinal = match(i - 2, Category::kOrdinalDay);
    if (ordinal == nullptr || i - 2 + ordinal->tokens != i - 1) return 0;
    return context_.lexicon.ordinal_days[ordinal->index] - 1;
  }

  // «أيام العيد», «صباح العيد», «خلال العيد»: around publication, the Eid nearest it (al-Fitr
  // or al-Adha). Only placed in time by the word before it: «احتفلوا بالعيد», «فالعيد فرصة»
  // speak of the feast, not of when; and further from both Eids it is another feast.
  size_t the_eid(size_t i) {
    constexpr int kNearEidDays = 20;
    if (i >= text_.size() || found_.at_token[i] >= 0 || !text_.token(i).is_word() ||
        text_.token(i).text != "العيد" ||
        !after_word(i, {"في",   "خلال",  "ايام", "قبل",  "بعد",  "منذ",   "حتي",   "صباح",
                        "مساء", "ليله",  "يوم",  "اول",  "ثاني", "فتره",  "اجازه", "عطله",
                        "هذا",  "وخلال", "وفي",  "وبعد", "وقبل", "وايام", "وصباح", "ومساء"}))
      return 0;
    // «اليوم الثاني من أيام العيد»: a day the words before name, not the feast's first.
    if (i >= 2 && word_at(i - 1, "ايام") && word_at(i - 2, "من")) return 0;
    // «العيد الوطني», «العيد الميلادي», «العيد الذهبي»: another feast; «العيد الخمسين»،
    // «العيد العاشر», «العيد الـ50»: an anniversary.
    if (i + 1 < text_.size()) {
      const Token& next = text_.token(i + 1);
      if (next.kind == Token::Kind::kNumber || word_at(i + 1, "ال") ||
          match(i + 1, Category::kOrdinalDay) != nullptr ||
          (next.is_word() && next.text.starts_with("ال") &&
           (next.text.ends_with("ي") || next.text.ends_with("ين") || next.text.ends_with("ون")) &&
           !word_in(i + 1, {"الي", "الذي", "التي"})) ||  // «إلى», «الذي»: no adjective
          word_at(i + 1, "الميلاد") ||
          word_at(i + 1, "ميلاد"))
        return 0;
    }
    if (!context_.published) return 0;
    std::optional<year_month_day> nearest;
    int distance = 0;
    for (const auto& [month_number, d] : {std::pair{10, 1}, std::pair{12, 10}}) {
      const std::optional<year_month_day> start = hijri_start(month_number, d, std::nullopt);
      if (!start) continue;
      const int apart =
          static_cast<int>(std::abs((sys_days(*start) - sys_days(*context_.published)).count()));
      if (!nearest || apart < distance) {
        nearest = start;
        distance = apart;
      }
    }
    if (!nearest || distance > kNearEidDays) return 0;
    year_month_day day = *nearest;
    // «ثاني أيام العيد»: the holiday's second day.
    day = year_month_day(sys_days(day) + days(days_into_feast(i)));
    DateFact date;
    date.precision = DatePrecision::kDay;
    date.basis = "hijri";
    date.value = iso(day);
    dates_.push_back(std::move(date));
    return i + 1;
  }

  // «عيد الفطر», «عيد الأضحى»: the holiday's first day in the Hijri year nearest publication.
  size_t holiday(size_t i) {
    if (size_t end = the_eid(i)) return end;
    int month_number = 0, d = 0;
    size_t end = i;
    // «بعيد الفطر», «وعيد الأضحى»: with its clitic (alone, «بعيد» is "far").
    const bool eid = i < text_.size() && text_.token(i).is_word() &&
                     (text_.token(i).text == "عيد" || text_.token(i).text == "بعيد" ||
                      text_.token(i).text == "وعيد" || text_.token(i).text == "لعيد");
    if (!eid) return 0;
    // The holiday in general («إن عيد الفطر له وضعه الخاص») is no day: only a holiday placed
    // in time, by a clitic or a word before it.
    const bool placed = text_.token(i).text != "عيد" ||
                        after_word(i, {"في", "خلال", "عطله", "اجازه", "ايام", "قبل", "بعد", "منذ",
                                       "حتي", "صباح", "مساء", "ليله", "يوم", "اول", "ثاني"});
    if (!placed) return 0;
    if (word_at(i + 1, "الفطر")) {
      month_number = 10;
      d = 1;
      end = i + 2;
    } else if (word_at(i + 1, "الاضحي")) {
      month_number = 12;
      d = 10;
      end = i + 2;
    } else {
      return 0;
    }
    std::optional<int> y = year_at(end);
    if (y) ++end;
    // «ثاني أيام عيد الفطر»: the holiday's second day.
    d += days_into_feast(i);
    const std::optional<year_month_day> day_of = hijri_start(month_number, d, y);
    DateFact date;
    date.precision = DatePrecision::kDay;
    date.basis = "hijri";
    date.value = day_of ? iso(*day_of) : "";
    dates_.push_back(std::move(date));
    return end;
  }

  // «يناير 2022»; «في يناير» and «شهر مارس» without a year.
  size_t month_year(size_t i) {
    size_t j = i;
    const bool after_month_word = word_at(j, "شهر");
    if (after_month_word) ++j;
    const LexMatch* month_match = match(j, Category::kMonth);
    if (month_match == nullptr) return 0;
    const Month m = context_.lexicon.months[month_match->index];
    if (m.hijri) return hijri_month(i, j + month_match->tokens, m.number, after_month_word);
    j += month_match->tokens;
    const YearOfMonth spec = year_of_month(j, m.number);
    std::optional<int> y = spec.year;
    // «لتسليم ديسمبر»: a futures contract's delivery month is a month too.
    const bool after_preposition = after_word(i, {"في", "منذ", "حتي", "خلال", "تسليم", "لتسليم"});
    if (!y && spec.direction == kNoDirection && !after_month_word && !after_preposition) return 0;
    DateFact date;
    date.precision = DatePrecision::kMonth;
    if (y) {
      date.basis = "explicit";
    } else if (std::optional<int> directed = resolved_year(spec, m.number, 0)) {
      y = directed;
      date.basis = "relative";
    } else if (context_.published) {
      y = static_cast<int>(with_inferred_year(*context_.published, m.number, 1).year());
      date.basis = "publication date";
    } else {
      date.basis = "no year";
    }
    if (y) {
      set_month(date, *y, m.number);
    } else {
      date.value = partial_month(m.number);
    }
    dates_.push_back(std::move(date));
    return j;
  }

  // «الأسبوع الماضي»، «الشهر الجاري»، «العام الماضي».
  size_t period_at(size_t i) {
    const LexMatch* period = match(i, Category::kDatePeriod);
    if (period == nullptr) return 0;
    const std::string& name = context_.lexicon.periods[period->index];
    DateFact date;
    date.basis = "relative";
    if (!context_.published) {
      date.basis = "no publication date";
      date.precision = name.ends_with("week")    ? DatePrecision::kWeek
                       : name.ends_with("month") ? DatePrecision::kMonth
                                                 : DatePrecision::kYear;
      date.value = "";
      dates_.push_back(std::move(date));
      return i + period->tokens;
    }
    const sys_days published = sys_days(*context_.published);
    const int shift = name.starts_with("last") ? -1 : name.starts_with("next") ? 1 : 0;
    if (name.ends_with("week")) {
      // Weeks as the Arab world counts them, Saturday to Friday.
      const int since_saturday =
          static_cast<int>((weekday(published) - std::chrono::Saturday).count());
      const sys_days start = published - days(since_saturday) + days(7 * shift);
      date.precision = DatePrecision::kWeek;
      date.range_begin = iso(year_month_day(start));
      date.range_end = iso(year_month_day(start + days(6)));
      // TIMEX3 writes a week as ISO 8601 does (2015-W29), Monday to Sunday: the ISO week of
      // its Monday holds five of its seven days.
      date.value = iso_week(start + days(2));
    } else if (name.ends_with("month")) {
      const auto ym =
          std::chrono::year_month(context_.published->year(), context_.published->month()) +
          std::chrono::months(shift);
      const int y = static_cast<int>(ym.year()),
                m = static_cast<int>(static_cast<unsigned>(ym.month()));
      date.precision = DatePrecision::kMonth;
      set_month(date, y, m);
    } else {
      const int y = static_cast<int>(context_.published->year()) + shift;
      date.precision = DatePrecision::kYear;
      date.value = std::to_string(y);
      date.range_begin = date.value + "-01-01";
      date.range_end = date.value + "-12-31";
    }
    dates_.push_back(std::move(date));
    return i + period->tokens;
  }

  // «أمس»، «غدا»، «اليوم» (not inside a name: «روسيا اليوم» is an outlet).
  size_t relative_day(size_t i) {
    const LexMatch* relative = match(i, Category::kDateRelative);
    if (relative == nullptr) return 0;
    const int offset = context_.lexicon.relative_days[relative->index];
    size_t end = i + relative->tokens;
    // «أمس الجمعة»: the weekday says the same day again, and is part of it. In brackets,
    // «غدا (الخميس)», it is an expression of its own.
    if (const LexMatch* weekday_match = match(end, Category::kWeekday))
      end += weekday_match->tokens;
    DateFact date;
    date.precision = DatePrecision::kDay;
    if (context_.published) {
      date.basis = "relative";
      date.value = iso(year_month_day(sys_days(*context_.published) + days(offset)));
      // The bracketed weekday is that same day, whatever its tense would say.
      if (end + 1 < text_.size() && text_.token(end).is_punct('('))
        same_day_at_ = {end + 1, date.value};
    } else {
      date.basis = "no publication date";
      date.value = "";
    }
    dates_.push_back(std::move(date));
    return end;
  }

  // «غدا (الخميس)»: the token of the weekday in brackets after a relative day, and that day.
  std::pair<size_t, std::string> same_day_at_{std::numeric_limits<size_t>::max(), ""};

  const Context& context_;
  const FoundMentions& found_;
  const TextView& text_;
  std::vector<DateFact> dates_;
};

}  // namespace

std::vector<DateFact> find_dates(const Context& context, const FoundMentions& found,
                                 std::vector<std::pair<size_t, size_t>>& token_ranges) {
  return DateReader(context, found).read(token_ranges);
}

}  // namespace khabar::extract_internal
