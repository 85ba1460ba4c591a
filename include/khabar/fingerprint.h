// khabar/fingerprint.h — the article id.
//
// An article's id is 16 lowercase hex digits: XXH64 with seed 0 over the bytes of its
// normalised body (khabar/normalize.h). Ids are stored and shared, so this is a file format:
// the hash function, the seed and the normalisation are fixed for "id version 1", and any
// change to them must come with a new version and a migration. The same article read from two
// files, or from a file and a feed, gets the same id and is stored once.
//
//   khabar::article_id("hello")  // "26c7827d889f6da3"
#pragma once

#include <string>
#include <string_view>

namespace khabar {

inline constexpr int kArticleIdVersion = 1;

std::string article_id(std::string_view normalized_body);

// True for 16 lowercase hex digits.
bool is_article_id(std::string_view s);

}  // namespace khabar
