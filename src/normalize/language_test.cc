#include "khabar/language.h"

#include <gtest/gtest.h>

namespace khabar {
namespace {

TEST(Language, TellsArabicFromEnglish) {
  const LanguageGuess ar = identify_language(
      "أكد رئيس كازاخستان أن بلاده نجت من محاولة انقلاب، جرى تدبيرها من قبل مجموعة منفردة، "
      "واصفا ما حدث بأعنف اضطرابات تشهدها البلاد منذ سنوات.");
  EXPECT_EQ(ar.code, "ar");
  EXPECT_TRUE(ar.reliable);
  EXPECT_GT(ar.confidence, 0.9);

  const LanguageGuess en = identify_language(
      "Kazakhstan's president said the country had survived an attempted coup organised by a "
      "single group, calling it the worst unrest the country has seen in years.");
  EXPECT_EQ(en.code, "en");
  EXPECT_TRUE(en.reliable);
}

// When the short sample is all numbers and names, CLD2 is asked again with more of the text.
TEST(Language, AnUnreliableShortSampleIsReadAgainLonger) {
  std::string text;
  while (text.size() < kLanguageSampleBytes)
    text += "2022-01-10 12:00 GMT 7939 / 164 ";
  text +=
      "Kazakhstan's president said the country had survived an attempted coup organised by a "
      "single group, calling it the worst unrest the country has seen in years. Officials said "
      "thousands of people had been detained across the country since the protests began.";
  const LanguageGuess guess = identify_language(text);
  EXPECT_EQ(guess.code, "en");
  EXPECT_TRUE(guess.reliable);
}

TEST(Language, AShortLineInArabicScriptIsArabicNotEnglish) {
  // A one-line Arabic feed item came out as English with confidence 0.
  for (const char* line : {"عاجل", "موسكو: انسحاب القوات", "حريق في مصنع بالرياض", "«سابك» 2022"}) {
    const LanguageGuess guess = identify_language(line);
    EXPECT_EQ(guess.code, "ar") << line;
    EXPECT_GT(guess.confidence, 0.0) << line;
  }
  EXPECT_EQ(identify_language("Breaking: fire").code, "en");
}

TEST(Language, EmptyOrSymbolsIsUndetermined) {
  EXPECT_EQ(identify_language("").code, "und");
  EXPECT_EQ(identify_language("   \n ").code, "und");
  EXPECT_FALSE(identify_language("12345 !!!").reliable);
}

TEST(Language, InvalidUtf8DoesNotCrash) {
  EXPECT_NO_FATAL_FAILURE(identify_language("\xFF\xFE\xC3 abc"));
}

}  // namespace
}  // namespace khabar
