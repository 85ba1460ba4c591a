#include "khabar/normalize.h"

#include <gtest/gtest.h>
#include <unicode/bytestream.h>
#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>

#include <random>

#include "khabar/fingerprint.h"
#include "normalize/internal/folding_table.h"
#include "normalize/internal/quick_casefold.h"
#include "text/utf8.h"

namespace khabar {
namespace {

struct Case {
  const char* name;
  std::string input;
  std::string expected;
};

void PrintTo(const Case& c, std::ostream* os) {
  *os << c.name;
}

class NormalizeCases : public ::testing::TestWithParam<Case> {};

TEST_P(NormalizeCases, Folds) {
  Normalizer normalizer;
  EXPECT_EQ(normalizer.normalize(GetParam().input), GetParam().expected);
}

INSTANTIATE_TEST_SUITE_P(
    Arabic, NormalizeCases,
    ::testing::Values(Case{"tashkeel", "قَالَ الرَّئِيسُ", "قال الرييس"},
                      Case{"tatweel", "كـــازاخستان", "كازاخستان"},
                      Case{"alef_forms", "أحمد إلى آسيا ٱلله", "احمد الي اسيا الله"},
                      Case{"alef_maksura", "مستشفى", "مستشفي"},
                      Case{"taa_marbuta", "منظمة معاهدة", "منظمه معاهده"},
                      Case{"hamza_carriers", "مسؤول رئيس", "مسوول رييس"},
                      Case{"arabic_indic_digits", "٧٩٣٩ شخصًا", "7939 شخصا"},
                      Case{"persian_digits", "۲۰۳۰", "2030"},
                      Case{"punctuation", "ماذا؟ نعم، لا؛ ٥٪", "ماذا? نعم, لا; 5%"},
                      Case{"curly_quotes", "“توكاييف” «بوتين» ‘x’", "\"توكاييف\" \"بوتين\" 'x'"},
                      Case{"dashes", "وكالات – الثورة — سانا", "وكالات - الثوره - سانا"},
                      Case{"presentation_forms", "ﻻ ﷲ", "لا الله"},
                      Case{"invisible_marks", "توكا\u200cييف\u200f", "توكاييف"},
                      Case{"latin_case", "Reuters AFP", "reuters afp"},
                      Case{"fullwidth_latin", "ＡＢＣ", "abc"},
                      Case{"spaces_collapse", "  a \t b  ", "a b"},
                      Case{"newlines_kept_as_one", "سطر\n\n  سطر\r\nسطر", "سطر\nسطر\nسطر"},
                      Case{"persian_letters", "کتاب فارسی", "كتاب فارسي"}, Case{"empty", "", ""}),
    [](const auto& test_case) { return std::string(test_case.param.name); });

TEST(Normalize, HamzaCarriersAreOptional) {
  Normalizer keep_hamza(NormalizeOptions{.fold_hamza_carriers = false});
  EXPECT_EQ(keep_hamza.normalize("مسؤول رئيس"), "مسؤول رئيس");
  EXPECT_EQ(keep_hamza.normalize("أحمد"), "احمد");  // other families still apply
}

TEST(Normalize, SeedSpellingsStillDifferWhereTheyShould) {
  // Folding is for orthography; توكايف/توكاييف differ by a letter and are merged by the
  // entity stage, not here.
  Normalizer normalizer;
  EXPECT_NE(normalizer.normalize("توكايف"), normalizer.normalize("توكاييف"));
  EXPECT_EQ(normalizer.normalize("ألما آتا"), "الما اتا");
}

TEST(Normalize, InvalidUtf8BecomesReplacementCharacter) {
  Normalizer normalizer;
  const std::string out = normalizer.normalize(
      "ab\xFF"
      "c");
  EXPECT_EQ(out,
            "ab\xEF\xBF\xBD"
            "c");
}

// --- The data table -------------------------------------------------------------------------

TEST(FoldingTable, ReplacementsAreNeverSourcesSoFoldingIsIdempotent) {
  const auto& table = normalize_internal::FoldingTable::embedded();
  for (char32_t source : table.sources()) {
    const auto* rule = table.find(source);
    size_t i = 0;
    while (i < rule->replacement.size()) {
      const int32_t c = text::next_code_point(rule->replacement, i);
      ASSERT_GE(c, 0);
      EXPECT_EQ(table.find(static_cast<char32_t>(c)), nullptr)
          << "U+" << std::hex << static_cast<uint32_t>(source) << " folds to a folded character";
    }
  }
}

TEST(FoldingTable, ParseErrorsNameTheLine) {
  auto bad = normalize_internal::FoldingTable::parse("# header\nU+0623\tU+0627\n");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().message.find("line 2"), std::string::npos) << bad.error().message;
  auto twice = normalize_internal::FoldingTable::parse("U+0623\t\ta\nU+0623\t\tb\n");
  ASSERT_FALSE(twice.ok());
  EXPECT_NE(twice.error().message.find("two rules"), std::string::npos);
  auto ranges = normalize_internal::FoldingTable::parse("U+0660..U+0669\tU+0030..U+0031\td\n");
  ASSERT_FALSE(ranges.ok());
}

// --- Properties -----------------------------------------------------------------------------

TEST(NormalizeProperty, GrowthBoundHoldsForEveryCodePoint) {
  Normalizer normalizer;
  double worst_ratio = 0;
  char32_t worst_code_point = 0;
  for (char32_t c = 1; c <= 0x10FFFF; ++c) {
    if (c >= 0xD800 && c <= 0xDFFF) continue;
    std::string s;
    text::append_code_point(s, c);
    const size_t out = normalizer.normalize(s).size();
    ASSERT_LE(out, kMaxNormalizedGrowth * s.size())
        << "U+" << std::hex << static_cast<uint32_t>(c) << " grows past the documented bound";
    const double ratio = static_cast<double>(out) / static_cast<double>(s.size());
    if (ratio > worst_ratio) {
      worst_ratio = ratio;
      worst_code_point = c;
    }
  }
  // The bound is tight: a looser constant would be noticed here.
  EXPECT_EQ(worst_code_point, char32_t{0xFDFA});
  EXPECT_DOUBLE_EQ(worst_ratio, static_cast<double>(kMaxNormalizedGrowth));
}

// Strings drawn from the characters that exercise every rule and their interactions:
// Arabic letters and marks, tatweel between a Latin base and a combining mark, spaces of all
// kinds, compatibility forms, invisible characters and a few ill-formed bytes.
std::string random_text(std::mt19937& rng) {
  static const std::vector<std::string> pieces = {"ا",
                                                  "أ",
                                                  "إ",
                                                  "آ",
                                                  "ٱ",
                                                  "ى",
                                                  "ي",
                                                  "ة",
                                                  "ه",
                                                  "ؤ",
                                                  "ئ",
                                                  "ء",
                                                  "ك",
                                                  "ک",
                                                  "ی",
                                                  "َ",
                                                  "ً",
                                                  "ّ",
                                                  "ْ",
                                                  "ٓ",
                                                  "ٔ",
                                                  "ٰ",
                                                  "ـ",
                                                  "٠",
                                                  "٩",
                                                  "۵",
                                                  "،",
                                                  "؛",
                                                  "؟",
                                                  "«",
                                                  "»",
                                                  "“",
                                                  "”",
                                                  "‘",
                                                  "’",
                                                  "–",
                                                  "—",
                                                  "e",
                                                  "E",
                                                  "\xCC\x81",
                                                  "\xCC\x88",
                                                  "A",
                                                  "ß",
                                                  " ",
                                                  "  ",
                                                  "\t",
                                                  "\n",
                                                  "\r\n",
                                                  "\xC2\xA0",
                                                  "\xE2\x80\xA8",
                                                  "\xE2\x80\x8C",
                                                  "\xE2\x80\x8F",
                                                  "\xEF\xBB\xBF",
                                                  "ﻻ",
                                                  "ﷺ",
                                                  "ﷲ",
                                                  "ﺋ",
                                                  "Ａ",
                                                  "ﬁ",
                                                  "\xFF",
                                                  "\xC3",
                                                  "\xE2\x80",
                                                  "x",
                                                  "1",
                                                  ".",
                                                  "\"",
                                                  "'"};
  std::uniform_int_distribution<size_t> length(0, 24);
  std::uniform_int_distribution<size_t> pick(0, pieces.size() - 1);
  std::string s;
  for (size_t n = length(rng); n > 0; --n)
    s += pieces[pick(rng)];
  return s;
}

TEST(NormalizeProperty, IdempotentValidAndBounded) {
  Normalizer normalizer;
  Normalizer keep_hamza(NormalizeOptions{.fold_hamza_carriers = false});
  std::mt19937 rng(20261124);
  for (int n = 0; n < 20000; ++n) {
    const std::string input = random_text(rng);
    for (const Normalizer* which : {&normalizer, &keep_hamza}) {
      const std::string once = which->normalize(input);
      ASSERT_EQ(which->normalize(once), once) << "not idempotent on «" << input << "»";
      ASSERT_EQ(text::find_invalid_utf8(once), text::kNoInvalidByte) << input;
      // Each ill-formed byte may become a 3-byte U+FFFD before normalisation.
      ASSERT_LE(once.size(), kMaxNormalizedGrowth * 3 * input.size()) << input;
    }
  }
}

TEST(NormalizeProperty, PlainArabicNeverGrows) {
  Normalizer normalizer;
  std::mt19937 rng(7);
  std::uniform_int_distribution<char32_t> arabic(0x0621, 0x065F);
  for (int n = 0; n < 5000; ++n) {
    std::string s;
    for (int k = 0; k < 40; ++k)
      text::append_code_point(s, arabic(rng));
    ASSERT_LE(normalizer.normalize(s).size(), s.size());
  }
}

// --- A slow reference beside the fast path ---------------------------------------------------
// Written from the rules as the issue states them, with ICU's character properties instead of
// the data table, so a wrong table row or a bug in the fast loop shows up as a difference.
std::u32string reference_fold_once(const std::u32string& in) {
  std::u32string out;
  for (char32_t c : in) {
    const bool arabic_block = (c >= 0x0600 && c <= 0x06FF) || (c >= 0x0870 && c <= 0x08FF);
    if (arabic_block && u_charType(static_cast<UChar32>(c)) == U_NON_SPACING_MARK) continue;
    switch (c) {
      case 0x0640:
        continue;
      case 0x0622:
      case 0x0623:
      case 0x0625:
      case 0x0671:
      case 0x0672:
      case 0x0673:
        out += U'ا';
        continue;
      case 0x0649:
      case 0x06CC:
      case 0x0626:
        out += U'ي';
        continue;
      case 0x0629:
        out += U'ه';
        continue;
      case 0x0624:
        out += U'و';
        continue;
      case 0x06A9:
        out += U'ك';
        continue;
      case 0x060C:
      case 0x066C:
        out += U',';
        continue;
      case 0x061B:
        out += U';';
        continue;
      case 0x061F:
        out += U'?';
        continue;
      case 0x066A:
        out += U'%';
        continue;
      case 0x066B:
      case 0x06D4:
        out += U'.';
        continue;
      default:
        break;
    }
    if ((c >= 0x0660 && c <= 0x0669) || (c >= 0x06F0 && c <= 0x06F9)) {
      out += static_cast<char32_t>(U'0' + u_charDigitValue(static_cast<UChar32>(c)));
      continue;
    }
    const int8_t type = u_charType(static_cast<UChar32>(c));
    if (c == 0x00AB || c == 0x00BB || c == 0x201C || c == 0x201D || c == 0x201E || c == 0x201F ||
        c == 0x301D || c == 0x301E) {
      out += U'"';
    } else if (c == 0x2018 || c == 0x2019 || c == 0x201A || c == 0x201B || c == 0x2039 ||
               c == 0x203A || c == 0x2032 || c == 0x2035) {
      out += U'\'';
    } else if (type == U_DASH_PUNCTUATION && c >= 0x2010 && c <= 0x2015) {
      out += U'-';
    } else if (c == 0x2212) {
      out += U'-';
    } else {
      out += c;
    }
  }
  return out;
}

std::string reference_normalize(const std::string& input) {
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* nfkc_cf = icu::Normalizer2::getNFKCCasefoldInstance(status);
  icu::UnicodeString current = icu::UnicodeString::fromUTF8(input);
  std::u32string folded;
  for (int round = 0; round < 4; ++round) {
    current = nfkc_cf->normalize(current, status);
    std::u32string code_points;
    for (int32_t i = 0; i < current.length(); i = current.moveIndex32(i, 1)) {
      code_points += static_cast<char32_t>(current.char32At(i));
    }
    folded = reference_fold_once(code_points);
    icu::UnicodeString again = icu::UnicodeString::fromUTF32(
        reinterpret_cast<const UChar32*>(folded.data()), static_cast<int32_t>(folded.size()));
    if (nfkc_cf->isNormalized(again, status)) break;
    current = again;
  }
  std::string out;
  bool pending_space = false, pending_newline = false;
  for (char32_t c : folded) {
    if (text::is_space(c)) {
      pending_space = true;
      pending_newline = pending_newline || text::is_line_break(c);
      continue;
    }
    if (pending_space && !out.empty()) out += pending_newline ? '\n' : ' ';
    pending_space = pending_newline = false;
    text::append_code_point(out, c);
  }
  return out;
}

TEST(NormalizeReference, FastPathMatchesTheSlowReference) {
  Normalizer normalizer;
  std::mt19937 rng(42);
  for (int n = 0; n < 20000; ++n) {
    const std::string input = text::to_valid_utf8(random_text(rng));
    ASSERT_EQ(normalizer.normalize(input), reference_normalize(input)) << "input «" << input << "»";
  }
}

TEST(NormalizeReference, EveryArabicBlockCodePointMatchesTheReference) {
  Normalizer normalizer;
  for (char32_t c = 0x0600; c <= 0x08FF; ++c) {
    if (c == 0x0700) c = 0x0870;  // Syriac and Arabic Supplement hold no folded characters
    std::string s = "ب";
    text::append_code_point(s, c);
    s += "ب";
    ASSERT_EQ(normalizer.normalize(s), reference_normalize(s))
        << "U+" << std::hex << static_cast<uint32_t>(c);
  }
}

// --- The quick NFKC_Casefold path against ICU on the whole text ------------------------------

std::string icu_nfkc_casefold(std::string_view in) {
  std::string out;
  icu::StringByteSink<std::string> sink(&out);
  UErrorCode status = U_ZERO_ERROR;
  normalize_internal::QuickCasefold::instance().icu().normalizeUTF8(
      0, icu::StringPiece(in.data(), static_cast<int32_t>(in.size())), sink, nullptr, status);
  EXPECT_TRUE(U_SUCCESS(status));
  return out;
}

std::string quick_nfkc_casefold(std::string_view in) {
  std::string out;
  EXPECT_TRUE(normalize_internal::QuickCasefold::instance().append(in, out));
  return out;
}

TEST(QuickCasefold, MatchesIcuForEveryBmpCodePointInContext) {
  // Contexts that compose or reorder: a base that takes marks, a combining mark, a Hangul
  // leading consonant, an upper-case letter, plain Arabic.
  const std::vector<std::string> before = {"\u0627", "\u0301", "\u1100", "A", "\u0628"};
  const std::vector<std::string> after = {"\u0654", "\u0301", "\u1161", "\u0628"};
  for (char32_t c = 1; c < 0x10000; ++c) {
    if (c >= 0xD800 && c <= 0xDFFF) continue;
    std::string middle;
    text::append_code_point(middle, c);
    for (const std::string& left : before) {
      for (const std::string& right : after) {
        const std::string s = left + middle + right + middle;
        ASSERT_EQ(quick_nfkc_casefold(s), icu_nfkc_casefold(s))
            << "U+" << std::hex << static_cast<uint32_t>(c) << " after «" << left << "»";
        ASSERT_EQ(normalize_internal::QuickCasefold::instance().is_normalized(s),
                  icu_nfkc_casefold(s) == s);
      }
    }
  }
}

TEST(QuickCasefold, MatchesIcuOnRandomMixedText) {
  std::mt19937 rng(11);
  for (int n = 0; n < 20000; ++n) {
    const std::string input = text::to_valid_utf8(random_text(rng));
    ASSERT_EQ(quick_nfkc_casefold(input), icu_nfkc_casefold(input)) << "input «" << input << "»";
  }
}

// Both normalize() and normalize_with_offsets() take a single pass when they can; with
// single_pass off they run the rounds of NFKC_Casefold and folding. Runs of plain letters and
// single spaces, which the single pass copies without looking at them twice, are mixed here
// with everything random_text() makes; text and offsets must be the same both ways.
TEST(NormalizeSinglePass, AgreesWithTheRoundsOnWordyText) {
  const std::vector<std::string> plain = {"ب", "س", "ل", "م",   "b",  "z",
                                          "7", " ", " ", "بس ", "lm "};
  std::mt19937 rng(8);
  std::uniform_int_distribution<size_t> pick(0, plain.size() - 1);
  std::bernoulli_distribution take_plain(0.7);
  for (const bool fold_hamza : {true, false}) {
    const Normalizer normalizer(NormalizeOptions{.fold_hamza_carriers = fold_hamza});
    const Normalizer rounds(
        NormalizeOptions{.fold_hamza_carriers = fold_hamza, .single_pass = false});
    for (int n = 0; n < 20000; ++n) {
      std::string input;
      for (int k = 0; k < 12; ++k)
        input += take_plain(rng) ? plain[pick(rng)] : random_text(rng).substr(0, 6);
      const NormalizedText expected = rounds.normalize_with_offsets(input);
      ASSERT_EQ(normalizer.normalize(input), expected.text) << "input «" << input << "»";
      const NormalizedText fast = normalizer.normalize_with_offsets(input);
      ASSERT_EQ(fast.text, expected.text) << "input «" << input << "»";
      ASSERT_EQ(fast.to_original, expected.to_original) << "input «" << input << "»";
    }
  }
}

TEST(NormalizeProperty, NormalisedWordsCountBySeparators) {
  EXPECT_EQ(count_normalized_words(""), 0u);
  EXPECT_EQ(count_normalized_words("قال\nالرييس توكاييف"), 3u);
  Normalizer normalizer;
  std::mt19937 rng(9);
  for (int n = 0; n < 5000; ++n) {
    const std::string normalized = normalizer.normalize(random_text(rng));
    ASSERT_EQ(count_normalized_words(normalized), text::count_words(normalized)) << normalized;
  }
}

// --- Offsets --------------------------------------------------------------------------------

TEST(NormalizeOffsets, TextMatchesThePlainPathAndMapsBack) {
  Normalizer normalizer;
  std::mt19937 rng(3);
  for (int n = 0; n < 5000; ++n) {
    const std::string input = random_text(rng);
    const NormalizedText with = normalizer.normalize_with_offsets(input);
    ASSERT_EQ(with.text, normalizer.normalize(input)) << input;
    ASSERT_EQ(with.to_original.size(), with.text.size() + 1);
    ASSERT_EQ(with.to_original.back(), input.size());
    for (size_t i = 0; i + 1 < with.to_original.size(); ++i) {
      ASSERT_LE(with.to_original[i], with.to_original[i + 1]) << "offsets must be monotonic";
      ASSERT_LT(with.to_original[i], input.size());
    }
  }
}

TEST(NormalizeOffsets, HighlightsTheOriginalSpelling) {
  Normalizer normalizer;
  const std::string original = "قال «الرَّئيسُ» توكاييف";
  const NormalizedText n = normalizer.normalize_with_offsets(original);
  const size_t begin = n.text.find("الرييس");
  ASSERT_NE(begin, std::string::npos);
  const size_t end = begin + std::string("الرييس").size();
  EXPECT_EQ(original.substr(n.to_original[begin], n.to_original[end] - n.to_original[begin]),
            "الرَّئيسُ");
}

// --- Fingerprint ----------------------------------------------------------------------------

TEST(Fingerprint, IsStableXxh64WithSeedZero) {
  // A stored id never changes: these values are id version 1.
  EXPECT_EQ(article_id(""), "ef46db3751d8e999");
  EXPECT_EQ(article_id("hello"), "26c7827d889f6da3");
  EXPECT_TRUE(is_article_id(article_id("كازاخستان")));
  EXPECT_FALSE(is_article_id("26C7827D889F6DA3"));
  EXPECT_FALSE(is_article_id("26c7827d889f6da"));
}

}  // namespace
}  // namespace khabar
