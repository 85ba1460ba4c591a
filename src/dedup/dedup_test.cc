#include "khabar/dedup.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "dedup/internal/shingles.h"

namespace khabar {
namespace {

using ::testing::HasSubstr;

// Prose-like text: words drawn from a vocabulary of 3000, a full stop every 8 to 20 words.
std::string random_article(std::mt19937& rng, size_t words) {
  std::uniform_int_distribution<int> word(0, 2999);
  std::uniform_int_distribution<int> sentence(8, 20);
  std::string out;
  int until_stop = sentence(rng);
  for (size_t i = 0; i < words; ++i) {
    if (!out.empty()) out += ' ';
    out += "w" + std::to_string(word(rng));
    if (--until_stop == 0) {
      out += '.';
      until_stop = sentence(rng);
    }
  }
  return out + ".";
}

// Replaces every n-th word, as a light edit would, keeping the full stops.
std::string edit_every(const std::string& text, size_t n, std::mt19937& rng) {
  std::string out;
  size_t i = 0, begin = 0;
  while (begin < text.size()) {
    const size_t end = std::min(text.find(' ', begin), text.size());
    std::string word = text.substr(begin, end - begin);
    if (i++ % n == n - 1) {
      const bool stop = word.back() == '.';
      word = "edit" + std::to_string(rng() % 100000) + (stop ? "." : "");
    }
    if (!out.empty()) out += ' ';
    out += word;
    begin = end + 1;
  }
  return out;
}

struct Corpus {
  std::vector<std::string> texts;
  DuplicateIndex index{DedupOptions{}};
  std::vector<DuplicateLink> add(std::string text) {
    texts.push_back(std::move(text));
    return index.add(texts.back(), [this](uint32_t k) { return texts.at(k); });
  }
};

TEST(DedupOptions, OutOfRangeValuesAreRejectedByName) {
  EXPECT_TRUE(DedupOptions{}.validate().ok());
  EXPECT_THAT(DedupOptions{.shingle_words = 0}.validate().error().message,
              HasSubstr("shingle size 0 is out of range"));
  EXPECT_THAT(DedupOptions{.permutations = 8}.validate().error().message,
              HasSubstr("8 MinHash permutations is out of range"));
  EXPECT_THAT(DedupOptions{.jaccard_threshold = 1.5}.validate().error().message,
              HasSubstr("Jaccard threshold 1.5"));
  EXPECT_THAT(DedupOptions{.jaccard_threshold = std::nan("")}.validate().error().message,
              HasSubstr("Jaccard threshold"));
  EXPECT_THAT(DedupOptions{.bands = 200}.validate().error().message,
              HasSubstr("200 LSH bands cannot cut 128"));
  EXPECT_THAT(DedupOptions{.containment_threshold = 0}.validate().error().message,
              HasSubstr("containment threshold 0"));
}

TEST(Lsh, OptimalShapeSeparatesAroundTheThreshold) {
  const LshShape shape = optimal_lsh_shape(128, 0.8);
  ASSERT_LE(shape.bands * shape.rows, 128u);
  auto p = [&](double s) {
    return 1.0 - std::pow(1.0 - std::pow(s, static_cast<double>(shape.rows)),
                          static_cast<double>(shape.bands));
  };
  EXPECT_GT(p(0.9), 0.99);
  EXPECT_GT(p(0.8), 0.85);
  EXPECT_LT(p(0.5), 0.05);
  EXPECT_EQ(lsh_shape(DedupOptions{.bands = 32}).rows, 4u);
}

TEST(MatchWords, StripPunctuationAtTheEdgesOnly) {
  const std::vector<std::string_view> words = match_words("قال, \"توكاييف\" 7,939 شخصا.\nنعم");
  EXPECT_THAT(words, ::testing::ElementsAre("قال", "توكاييف", "7,939", "شخصا", "نعم"));
  EXPECT_TRUE(match_words(" ... , ").empty());
}

TEST(MinHash, SignatureAgreementEstimatesJaccard) {
  std::mt19937_64 rng(1);
  for (const double target : {0.2, 0.5, 0.8, 0.95}) {
    // Two sets of 600 with `shared` in common have Jaccard shared / (1200 - shared).
    const auto shared = static_cast<size_t>(std::round(1200 * target / (1 + target)));
    std::vector<uint64_t> a, b;
    for (size_t i = 0; i < shared; ++i) {
      const uint64_t h = rng();
      a.push_back(h);
      b.push_back(h);
    }
    while (a.size() < 600)
      a.push_back(rng());
    while (b.size() < 600)
      b.push_back(rng());
    std::sort(a.begin(), a.end());
    std::sort(b.begin(), b.end());
    const double jaccard = static_cast<double>(shared) / static_cast<double>(1200 - shared);
    const auto sa = dedup_internal::minhash_signature(a, 128);
    const auto sb = dedup_internal::minhash_signature(b, 128);
    size_t agree = 0;
    for (size_t i = 0; i < sa.size(); ++i)
      agree += sa[i] == sb[i] ? 1 : 0;
    // Four standard errors of a 128-slot estimate: this fails once in ~15,000 seeds.
    const double tolerance = 4 * std::sqrt(jaccard * (1 - jaccard) / 128) + 0.01;
    EXPECT_NEAR(static_cast<double>(agree) / 128.0, jaccard, tolerance) << target;
  }
}

TEST(MinHash, SparseSetsFillEverySlot) {
  const auto signature = dedup_internal::minhash_signature({42, 4242}, 128);
  EXPECT_EQ(std::count(signature.begin(), signature.end(), 0xFFFFFFFFu), 0);
}

TEST(DuplicateIndex, LightlyEditedCopyIsANearDuplicate) {
  std::mt19937 rng(2);
  Corpus corpus;
  const std::string wire = random_article(rng, 400);
  EXPECT_TRUE(corpus.add(wire).empty());
  EXPECT_TRUE(corpus.add(random_article(rng, 400)).empty());  // unrelated
  const std::vector<DuplicateLink> links = corpus.add(edit_every(wire, 60, rng));
  ASSERT_EQ(links.size(), 1u);
  EXPECT_EQ(links[0].other, 0u);
  EXPECT_EQ(links[0].kind, DuplicateLink::Kind::kNearDuplicate);
  EXPECT_GT(links[0].score, 0.8);
  EXPECT_LT(links[0].score, 1.0);
}

TEST(DuplicateIndex, BelowTheThresholdIsNeverReportedEvenWhenLshCollides) {
  std::mt19937 rng(3);
  for (int trial = 0; trial < 20; ++trial) {
    Corpus corpus;
    const std::string wire = random_article(rng, 400);
    corpus.add(wire);
    // One word in 12 changed: each 5-word shingle survives with p ≈ 0.65, Jaccard ≈ 0.5-0.6.
    for (const DuplicateLink& link : corpus.add(edit_every(wire, 12, rng))) {
      EXPECT_GE(link.score, 0.8) << "reported below the threshold";
    }
  }
}

TEST(DuplicateIndex, AgencyItemInsideALongerReportIsContained) {
  std::mt19937 rng(4);
  Corpus corpus;
  const std::string agency = random_article(rng, 150);
  const std::string report =
      random_article(rng, 250) + "\n" + agency + "\n" + random_article(rng, 200);
  EXPECT_TRUE(corpus.add(agency).empty());
  const std::vector<DuplicateLink> links = corpus.add(report);
  ASSERT_EQ(links.size(), 1u);
  EXPECT_EQ(links[0].kind, DuplicateLink::Kind::kContains);
  EXPECT_GT(links[0].score, 0.95);

  // The other way round: the report first, then the item it quotes.
  Corpus reversed;
  reversed.add(report);
  const std::vector<DuplicateLink> back = reversed.add(agency);
  ASSERT_EQ(back.size(), 1u);
  EXPECT_EQ(back[0].kind, DuplicateLink::Kind::kContainedIn);
}

TEST(DuplicateIndex, ShortArticlesAreNumberedButNeverCompared) {
  Corpus corpus;
  EXPECT_TRUE(corpus.add("").empty());
  EXPECT_TRUE(corpus.add("عاجل").empty());
  EXPECT_TRUE(corpus.add("عاجل").empty());
  EXPECT_EQ(corpus.index.size(), 3u);
  EXPECT_TRUE(corpus.index.too_short(1));
  EXPECT_TRUE(corpus.index.too_short(2));
}

TEST(DuplicateIndex, SharedBoilerplateSentencesDoNotLinkArticles) {
  std::mt19937 rng(5);
  Corpus corpus;
  const std::string footer = "\nتابعونا على مواقع التواصل الاجتماعي لمعرفة آخر الأخبار العاجلة.";
  for (int i = 0; i < 100; ++i) {
    EXPECT_TRUE(corpus.add(random_article(rng, 300) + footer).empty()) << i;
  }
}

// An index rebuilt from the keys add gave links every later article as the index that hashed
// the texts itself: wires, edited copies, contained items, short articles.
TEST(DuplicateIndex, AnIndexRebuiltFromKeysLinksLikeTheOriginal) {
  std::mt19937 rng(6);
  std::vector<std::string> texts;
  for (int i = 0; i < 40; ++i) {
    size_t pick = texts.empty() ? 0 : rng() % texts.size();
    while (pick > 0 && pick % 5 == 0)  // a long one to copy
      --pick;
    switch (i % 5) {
      case 0:
        texts.push_back("عاجل");
        break;
      case 1:
        texts.push_back(edit_every(texts[pick], 60, rng));
        break;
      case 2:
        texts.push_back(random_article(rng, 120) + "\n" + texts[pick]);
        break;
      default:
        texts.push_back(random_article(rng, 200));
    }
  }
  auto text_of = [&texts](uint32_t k) { return texts.at(k); };
  DuplicateIndex original{DedupOptions{}};
  std::vector<std::string> keys(texts.size());
  std::vector<std::vector<DuplicateLink>> links;
  for (size_t i = 0; i < texts.size(); ++i)
    links.push_back(original.add(texts[i], text_of, &keys[i]));
  for (size_t split = 0; split < texts.size(); split += 7) {
    DuplicateIndex rebuilt{DedupOptions{}};
    for (size_t i = 0; i < split; ++i)
      ASSERT_TRUE(rebuilt.add_keys(keys[i])) << i;
    for (size_t i = split; i < texts.size(); ++i) {
      const std::vector<DuplicateLink> again = rebuilt.add(texts[i], text_of);
      ASSERT_EQ(again.size(), links[i].size()) << "split " << split << ", article " << i;
      for (size_t l = 0; l < again.size(); ++l) {
        EXPECT_EQ(again[l].other, links[i][l].other);
        EXPECT_EQ(again[l].kind, links[i][l].kind);
        EXPECT_EQ(again[l].score, links[i][l].score);
      }
    }
    EXPECT_EQ(rebuilt.size(), texts.size());
  }
  size_t linked = 0;
  for (const auto& l : links)
    linked += l.empty() ? 0 : 1;
  EXPECT_GE(linked, 12u);  // the test compares links, not only their absence

  // Keys of other options, or damaged, number nothing.
  DedupOptions other;
  other.shingle_words = 4;
  DuplicateIndex wrong{other};
  EXPECT_FALSE(wrong.add_keys(keys[3]));
  DuplicateIndex fresh{DedupOptions{}};
  EXPECT_FALSE(fresh.add_keys(keys[3].substr(0, keys[3].size() - 1)));
  EXPECT_FALSE(fresh.add_keys(""));
  EXPECT_EQ(fresh.size(), 0u);
}

}  // namespace
}  // namespace khabar
