#include "khabar/fingerprint.h"

#include <fmt/format.h>
#include <xxhash.h>

#include <algorithm>

namespace khabar {

namespace {
constexpr XXH64_hash_t kArticleIdSeed = 0;  // part of id version 1: never change
}

std::string article_id(std::string_view normalized_body) {
  const XXH64_hash_t hash = XXH64(normalized_body.data(), normalized_body.size(), kArticleIdSeed);
  return fmt::format("{:016x}", hash);
}

bool is_article_id(std::string_view s) {
  if (s.size() != 16) return false;
  return std::all_of(s.begin(), s.end(),
                     [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

}  // namespace khabar
