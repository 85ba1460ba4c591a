#include "text/spelling.h"

#include <gtest/gtest.h>

namespace khabar::text {
namespace {

TEST(Spelling, SkeletonDropsVowelsAndDoublesAndReadsGAsJ) {
  EXPECT_EQ(skeleton(letters_of("توكاييف")), skeleton(letters_of("توكايف")));
  EXPECT_EQ(skeleton(letters_of("سيرغي")), skeleton(letters_of("سيرجي")));
  EXPECT_NE(skeleton(letters_of("كازاخستان")), skeleton(letters_of("كازان")));
}

TEST(Spelling, EditDistanceCountsATranspositionOnce) {
  EXPECT_EQ(edit_distance(letters_of("كازخستان"), letters_of("كازاخستان")), 1u);
  EXPECT_EQ(edit_distance(letters_of("abcd"), letters_of("abdc")), 1u);
  EXPECT_EQ(edit_distance(letters_of(""), letters_of("abc")), 3u);
}

TEST(Spelling, SkeletonDigestIsTheSkeletonsHash) {
  for (const std::string_view word : {"كازخستان", "سيرغي", "توكاييف", "اأ", "", "abc\xff"}) {
    const SkeletonDigest digest = skeleton_digest(word);
    EXPECT_EQ(digest.hash, skeleton_digest_of(skeleton(letters_of(word)))) << word;
    EXPECT_EQ(digest.letters, letters_of(word).size()) << word;
  }
}

}  // namespace
}  // namespace khabar::text
