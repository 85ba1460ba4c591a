#include "extract/internal/tagger.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <stdexcept>
#include <string>

#include "khabar/extract.h"
#include "khabar/normalize.h"
#include "text/utf8.h"

namespace khabar::extract_internal {
namespace {

using ::testing::HasSubstr;

std::string parse_error(const std::string& model) {
  try {
    NameTagger::parse(model, "m.model");
  } catch (const std::runtime_error& e) {
    return e.what();
  }
  return "";
}

TEST(NameTagger, RefusesModelsOfAnotherFormatOrWithBadLines) {
  EXPECT_THAT(parse_error("khabar-name-tagger 1\n"), HasSubstr("m.model:1: not a name tagger"));
  EXPECT_THAT(parse_error(""), HasSubstr("m.model:1"));
  const std::string header = std::string(NameTagger::kFormat) + "\n# a note\n";
  const std::string weights = "\t0\t0\t0\t0\t0\t0\t0\t0\t0\n";
  EXPECT_THAT(parse_error(header + "00ff" + weights.substr(0, 6) + "\n"),
              HasSubstr("m.model:3: a feature line has a hash and 9 weights"));
  EXPECT_THAT(parse_error(header + "zz" + weights), HasSubstr("m.model:3: the feature hash"));
  EXPECT_THAT(parse_error(header + "123456789abcdef01" + weights), HasSubstr("m.model:3"));
  EXPECT_THAT(parse_error(header + "ff\tnan\t0\t0\t0\t0\t0\t0\t0\t0\n"),
              HasSubstr("m.model:3: a weight is not a finite number"));
  EXPECT_THAT(parse_error(header + "ff\t1e30\t0\t0\t0\t0\t0\t0\t0\t0\n"),
              HasSubstr("m.model:3: a weight is not a finite number of at most 10,000"));
  EXPECT_THAT(parse_error(header + "ff" + weights + "ff" + weights),
              HasSubstr("m.model:4: feature listed twice"));
  EXPECT_THAT(parse_error(header), HasSubstr("no features"));
  EXPECT_EQ(NameTagger::parse(header + "ff" + weights, "m.model").features(), 1U);
}

}  // namespace

// Tagging adds up each word's share of the weights ahead of time (remembered per word); here the
// sums are checked against the weights of the features training sees, word by word and for
// each tag before, on sentences with edges, clitics and lexicon phrases.
struct NameTaggerInternals {
  static void expect_sums_are_training_features(const NameTagger& tagger, const Context& context) {
    const WordClues clues(context);
    std::vector<std::vector<uint64_t>> features;
    std::vector<PreviousTagKeys> keys;
    for (const Sentence& sentence : context.text.sentences()) {
      std::vector<const NameTagger::WordWeights*> words(sentence.end - sentence.begin);
      const std::vector<NameTagger::Scores> sums =
          tagger.word_scores(context, clues, sentence, words);
      sentence_features(context, clues, sentence, features, keys);
      ASSERT_EQ(sums.size(), features.size());
      for (size_t k = 0; k < features.size(); ++k) {
        NameTagger::Scores expected{};
        for (const uint64_t f : features[k]) {
          if (const float* w = tagger.row(f)) {
            for (size_t c = 0; c < kNameTags; ++c)
              expected[c] += w[c];
          }
        }
        for (size_t c = 0; c < kNameTags; ++c)
          EXPECT_NEAR(sums[k][c], expected[c], 1e-4) << "token " << sentence.begin + k;
        for (size_t p = 0; p <= kNameTags; ++p) {
          const std::optional<NameTag> previous =
              p == kNameTags ? std::nullopt : std::optional(static_cast<NameTag>(p));
          NameTagger::Scores transition{};
          for (const uint64_t f : previous_tag_features(previous, keys[k])) {
            if (const float* w = tagger.row(f)) {
              for (size_t c = 0; c < kNameTags; ++c)
                transition[c] += w[c];
            }
          }
          for (size_t c = 0; c < kNameTags; ++c) {
            EXPECT_NEAR(-std::log(words[k]->odds_after[p][c]), transition[c], 1e-4)
                << "token " << sentence.begin + k << ", tag before " << p;
          }
        }
      }
    }
  }
};

namespace {

TEST(NameTagger, WhatTaggingAddsUpIsWhatTrainingSees) {
  const Normalizer normalizer;
  const Lexicon lexicon(normalizer);
  const ExtractOptions options;
  const Dictionary dictionary(options.hunspell_affix, options.hunspell_dictionary);
  const TextView text(
      "قال الرئيس الكازاخستاني قاسم جومارت توكايف في ألما آتا إن الأمم المتحدة وروسيا "
      "ستساعدان.\nوفتح الجيش الطرق أمام الدول العربية، وقال سامح شكري «الوضع مستقر».\nالقاهرة",
      normalizer);
  const MatchTable matches(text, lexicon);
  const Context context{text, lexicon, dictionary, matches, std::nullopt};
  // Twice: the second time every word comes from the memory.
  NameTaggerInternals::expect_sums_are_training_features(NameTagger::built_in(), context);
  NameTaggerInternals::expect_sums_are_training_features(NameTagger::built_in(), context);
}

TEST(NameTagger, TheBuiltInModelLoads) {
  EXPECT_GT(NameTagger::built_in().features(), 100000U);
}

TEST(NameTagger, CliticsComeOffANameOnlyWhenTheRestIsTheCommonerWord) {
  EXPECT_EQ(name_clitic_bytes("واسراييل"), std::string_view("و").size());
  EXPECT_EQ(name_clitic_bytes("بوتين"), 0U);
  EXPECT_EQ(name_clitic_bytes("وليد"), 0U);
  EXPECT_EQ(name_clitic_bytes("وا"), 0U);
}

std::vector<std::string> names_of(const Extraction& x, EntityType type) {
  std::vector<std::string> out;
  for (const Mention& m : x.mentions)
    if (m.type == type && !m.role_reference) out.push_back(m.surface);
  return out;
}

// With the tagger on, a word that is a gazetteer name only sometimes is taken by its context.
TEST(NameTagger, TheExtractorWithTheTaggerReadsAmbiguousWordsByTheirContext) {
  ExtractOptions on;
  on.use_name_tagger = true;
  const Extractor tagged(on);
  ExtractOptions off;
  off.use_name_tagger = false;
  const Extractor rules(off);
  const std::string_view text = "وفتح الجيش الطرق أمام الدول العربية، وقال سامح شكري في القاهرة.";
  const Extraction with_tagger = tagged.extract({.text = text});
  const Extraction without = rules.extract({.text = text});
  EXPECT_THAT(names_of(with_tagger, EntityType::kOrganisation),
              ::testing::Not(::testing::Contains("فتح")));
  EXPECT_THAT(names_of(without, EntityType::kOrganisation), ::testing::Contains("فتح"));
  EXPECT_THAT(names_of(with_tagger, EntityType::kPerson), ::testing::ElementsAre("سامح شكري"));
  EXPECT_THAT(names_of(with_tagger, EntityType::kPlace), ::testing::ElementsAre("القاهرة"));
}

// The rules complete the tagger's names: a family name Hunspell does not know, a title's role,
// a place the gazetteer spells in two words, a family name used alone later.
TEST(NameTagger, RulesCompleteTheTaggersNames) {
  ExtractOptions on;
  on.use_name_tagger = true;
  const Extractor tagged(on);
  const Extraction x = tagged.extract(
      {.text = "وصل الرئيس الكازاخستاني قاسم جومارت توكايف إلى ألما آتا. وقال توكايف إن الوضع "
               "مستقر."});
  EXPECT_THAT(names_of(x, EntityType::kPerson), ::testing::Contains("قاسم جومارت توكايف"));
  EXPECT_THAT(names_of(x, EntityType::kPlace), ::testing::ElementsAre("ألما آتا"));
  for (const Mention& m : x.mentions) {
    if (m.surface == "قاسم جومارت توكايف") {
      EXPECT_EQ(m.role, "الرئيس الكازاخستاني");
      EXPECT_EQ(m.country, "KZ");
    }
    if (m.surface == "توكايف") {
      EXPECT_EQ(m.type, EntityType::kPerson);
    }
  }
}

// With the tagger on, a definite word it took for no name is not a misspelt place; a phrase the
// gazetteer lists as a place is one, whatever kind the tagger gave it.
TEST(NameTagger, CommonWordsNearAPlaceNameStayCommonWords) {
  ExtractOptions on;
  on.use_name_tagger = true;
  const Extractor tagged(on);
  EXPECT_THAT(names_of(tagged.extract({.text = "وحصل الفريق على الجائزة بعد الرابط الأخير."}),
                       EntityType::kPlace),
              ::testing::IsEmpty());
  EXPECT_THAT(names_of(tagged.extract({.text = "وصل الوفد إلى كازخستان أمس."}), EntityType::kPlace),
              ::testing::ElementsAre("كازخستان"));
  const Extraction x = tagged.extract({.text = "تعد الجزيرة العربية مهد العرب."});
  EXPECT_THAT(names_of(x, EntityType::kPlace), ::testing::ElementsAre("الجزيرة العربية"));
}

// With the tagger on, a family name that is also a word Hunspell knows («شكري», thanks) is
// still the person when it is used alone later; a definite common word never is.
TEST(NameTagger, AFamilyNameUsedAloneIsThePersonEvenWhenItIsAWord) {
  const std::string_view text =
      "قال وزير الخارجية المصري سامح شكري إن المحادثات كانت مثمرة. والتقى شكري نظيره الأمريكي "
      "أمس، ثم غادر شكري القاهرة.";
  EXPECT_THAT(names_of(Extractor().extract({.text = text}), EntityType::kPerson),
              ::testing::ElementsAre("سامح شكري", "شكري", "شكري"));
  ExtractOptions off;
  off.use_name_tagger = false;
  EXPECT_THAT(names_of(Extractor(off).extract({.text = text}), EntityType::kPerson),
              ::testing::ElementsAre("سامح شكري"));
}

// A text without punctuation is one sentence: tagged in pieces, with more distinct words than
// the tagger remembers, and still a whole answer.
TEST(NameTagger, ASentenceOfTensOfThousandsOfDistinctWordsIsTagged) {
  const std::u32string letters = U"بتثجحخدذرزسشصضطظعغفقكلمنهوي";
  std::string text;
  for (size_t i = 0; i < 20500; ++i) {  // the name is in the middle of the last piece
    text::append_code_point(text, letters[i % letters.size()]);
    text::append_code_point(text, letters[(i / letters.size()) % letters.size()]);
    text::append_code_point(text, letters[(i / letters.size() / letters.size()) % letters.size()]);
    text += ' ';
  }
  text += "وقال سامح شكري في القاهرة";
  ExtractOptions on;
  on.use_name_tagger = true;
  const Extractor tagged(on);
  const Extraction x = tagged.extract({.text = text});
  EXPECT_THAT(names_of(x, EntityType::kPerson), ::testing::Contains("سامح شكري"));
}

TEST(NameTagger, AModelFileThatCannotBeReadIsAClearError) {
  ExtractOptions options;
  options.name_model = "/nonexistent/tagger.model";
  EXPECT_THROW(
      {
        try {
          const Extractor extractor(options);
        } catch (const std::runtime_error& e) {
          EXPECT_THAT(e.what(), HasSubstr("/nonexistent/tagger.model"));
          throw;
        }
      },
      std::runtime_error);
}

}  // namespace
}  // namespace khabar::extract_internal
