#include "khabar/cluster.h"

#include <fmt/format.h>
#include <xxhash.h>

#include <algorithm>
#include <cmath>
#include <unordered_map>

namespace khabar {
namespace {

using TermVector = std::vector<std::pair<uint32_t, float>>;  // sorted by term id

constexpr uint64_t kTextSeed = 0;
constexpr uint64_t kEntitySeed = 0x656e7469'74790001ull;
constexpr uint64_t kNumberSeed = 0x6e756d62'65720001ull;
// Centroid terms under which a story is found (it stays under those it had before).
constexpr size_t kIndexedTerms = 32;

double norm(const TermVector& v) {
  double sum = 0;
  for (const auto& [term, weight] : v)
    sum += static_cast<double>(weight) * weight;
  return std::sqrt(sum);
}

// Keeps the `keep` heaviest entries, sorted by term id again.
void keep_heaviest(TermVector& v, size_t keep) {
  if (v.size() > keep) {
    std::nth_element(v.begin(), v.begin() + static_cast<ptrdiff_t>(keep), v.end(),
                     [](const auto& a, const auto& b) {
                       return a.second != b.second ? a.second > b.second : a.first < b.first;
                     });
    v.resize(keep);
  }
  std::sort(v.begin(), v.end());
}

struct Story {
  TermVector centroid;  // the sum of its members' unit vectors, pruned; empty once inactive
  double centroid_norm = 0;
  int64_t first_time = 0;
  int64_t last_time = 0;
  uint32_t size = 0;
  std::vector<uint32_t> indexed_terms;  // sorted: the terms under which it is in the postings
};

}  // namespace

Status ClusterOptions::validate() const {
  auto bad = [](std::string message) { return make_error(ErrorCode::kInvalidArgument, message); };
  if (!(similarity_threshold > 0.0 && similarity_threshold <= 1.0)) {
    return bad(fmt::format("similarity threshold {} is out of range: above 0, at most 1",
                           similarity_threshold));
  }
  if (active_window_seconds <= 0) {
    return bad(fmt::format("the active window of {} s must be positive", active_window_seconds));
  }
  if (article_terms < 1 || story_terms < article_terms) {
    return bad(fmt::format("{} terms a story cannot hold {} terms an article", story_terms,
                           article_terms));
  }
  for (const double weight : {title_weight, entity_weight, number_weight}) {
    if (!(weight >= 0.0 && weight <= 100.0)) {
      return bad(fmt::format("field weight {} is out of range: 0 to 100", weight));
    }
  }
  return {};
}

struct StoryClusterer::Impl {
  ClusterOptions options;
  // Terms by their 64-bit hash: no string is kept or compared, and a collision between two
  // terms (odds of 1 in 10^7 for a million terms) only merges their counts.
  std::unordered_map<uint64_t, uint32_t> term_ids;
  std::vector<uint32_t> document_frequency;
  uint64_t articles = 0;
  std::vector<Story> stories;
  std::unordered_map<uint32_t, std::vector<uint32_t>> postings;  // term → stories
  std::vector<uint64_t> seen_in_search;  // per story: the last search that met it
  uint64_t search = 0;
  // The article being placed, dense by term id (zero elsewhere, and between searches): each
  // candidate's cosine is then one pass over its centroid with no comparisons, summing the
  // same products in the same order as a sorted merge would.
  std::vector<float> article_weight;

  uint32_t term_id(std::string_view term, uint64_t field_seed) {
    const uint64_t hash = XXH3_64bits_withSeed(term.data(), term.size(), field_seed);
    const auto [it, inserted] = term_ids.emplace(hash, static_cast<uint32_t>(term_ids.size()));
    if (inserted) document_frequency.push_back(0);
    return it->second;
  }

  // Unit TF-IDF vector of the article's terms, heaviest `article_terms` kept.
  TermVector vectorize(const ClusterInput& in) {
    std::vector<std::pair<uint32_t, double>> occurrences;
    auto count = [&](const std::vector<std::string>& terms, uint64_t field_seed, double weight) {
      for (const std::string& t : terms)
        occurrences.emplace_back(term_id(t, field_seed), weight);
    };
    // Hooked fields hash with seeds of their own, so a name never matches a common word.
    count(in.terms, kTextSeed, 1.0);
    count(in.title_terms, kTextSeed, options.title_weight);
    count(in.entities, kEntitySeed, options.entity_weight);
    count(in.numbers, kNumberSeed, options.number_weight);

    // Sorted by term, equal terms summed: the weighted term frequencies.
    std::sort(occurrences.begin(), occurrences.end());
    std::vector<std::pair<uint32_t, double>> field_tf;
    for (const auto& [term, weight] : occurrences) {
      if (!field_tf.empty() && field_tf.back().first == term) {
        field_tf.back().second += weight;
      } else {
        field_tf.emplace_back(term, weight);
      }
    }
    ++articles;
    for (const auto& [term, tf] : field_tf)
      ++document_frequency[term];
    TermVector v;
    v.reserve(field_tf.size());
    const double n = static_cast<double>(articles);
    for (const auto& [term, tf] : field_tf) {
      const double idf = std::log((n + 1.0) / (document_frequency[term] + 1.0)) + 1.0;
      v.emplace_back(term, static_cast<float>((1.0 + std::log(tf)) * idf));
    }
    keep_heaviest(v, options.article_terms);
    const double length = norm(v);
    for (auto& entry : v)
      entry.second = static_cast<float>(entry.second / length);
    return v;
  }

  bool active(const Story& s, int64_t time) const {
    return !s.centroid.empty() && time <= s.last_time + options.active_window_seconds &&
           time >= s.first_time - options.active_window_seconds;
  }

  // Stories that share a top term with the article and are still active, scored exactly.
  std::pair<int64_t, double> best_story(const TermVector& v, int64_t time) {
    ++search;
    seen_in_search.resize(stories.size(), 0);
    std::vector<uint32_t> candidates;
    for (const auto& [term, weight] : v) {
      auto it = postings.find(term);
      if (it == postings.end()) continue;
      std::vector<uint32_t>& list = it->second;
      // Stories that went inactive leave the postings as they are met.
      std::erase_if(list, [&](uint32_t s) {
        if (time > stories[s].last_time + options.active_window_seconds) {
          retire(stories[s]);
          return true;
        }
        return false;
      });
      for (const uint32_t story : list) {
        // A story under several of the article's terms is a candidate once.
        if (seen_in_search[story] == search) continue;
        seen_in_search[story] = search;
        candidates.push_back(story);
      }
    }
    std::sort(candidates.begin(), candidates.end());
    article_weight.resize(document_frequency.size(), 0.0F);
    for (const auto& [term, weight] : v)
      article_weight[term] = weight;
    int64_t best = -1;
    double best_similarity = 0;
    for (const uint32_t s : candidates) {  // ascending ids: ties go to the older story
      if (!active(stories[s], time)) continue;
      double product = 0;
      for (const auto& [term, weight] : stories[s].centroid)
        product += static_cast<double>(article_weight[term]) * static_cast<double>(weight);
      const double similarity = product / stories[s].centroid_norm;
      if (similarity > best_similarity) {
        best = s;
        best_similarity = similarity;
      }
    }
    for (const auto& entry : v)
      article_weight[entry.first] = 0.0F;
    return {best, best_similarity};
  }

  // An inactive story takes no more articles: its centroid's memory goes back.
  static void retire(Story& s) {
    TermVector().swap(s.centroid);
    std::vector<uint32_t>().swap(s.indexed_terms);
  }

  void add_to_story(uint32_t id, const TermVector& v, int64_t time) {
    Story& s = stories[id];
    TermVector merged;
    merged.reserve(s.centroid.size() + v.size());
    std::merge(s.centroid.begin(), s.centroid.end(), v.begin(), v.end(),
               std::back_inserter(merged));
    // Sum the weights of equal terms, which merge() put side by side.
    TermVector summed;
    for (const auto& entry : merged) {
      if (!summed.empty() && summed.back().first == entry.first) {
        summed.back().second += entry.second;
      } else {
        summed.push_back(entry);
      }
    }
    keep_heaviest(summed, options.story_terms);
    s.centroid = std::move(summed);
    s.centroid_norm = norm(s.centroid);
    s.first_time = s.size == 0 ? time : std::min(s.first_time, time);
    s.last_time = s.size == 0 ? time : std::max(s.last_time, time);
    ++s.size;
    index_story(id);
  }

  // A story is found under its heaviest centroid terms only: its names and places, not the
  // common words every centroid holds, which would make every active story a candidate.
  void index_story(uint32_t id) {
    Story& s = stories[id];
    TermVector heaviest = s.centroid;
    keep_heaviest(heaviest, kIndexedTerms);
    for (const auto& [term, weight] : heaviest) {
      if (std::binary_search(s.indexed_terms.begin(), s.indexed_terms.end(), term)) continue;
      postings[term].push_back(id);
      s.indexed_terms.insert(std::upper_bound(s.indexed_terms.begin(), s.indexed_terms.end(), term),
                             term);
    }
  }
};

StoryClusterer::StoryClusterer(ClusterOptions options) : impl_(std::make_unique<Impl>()) {
  impl_->options = options;
}
StoryClusterer::~StoryClusterer() = default;
StoryClusterer::StoryClusterer(StoryClusterer&&) noexcept = default;
StoryClusterer& StoryClusterer::operator=(StoryClusterer&&) noexcept = default;

StoryAssignment StoryClusterer::add(const ClusterInput& article) {
  Impl& d = *impl_;
  const TermVector v = d.vectorize(article);
  StoryAssignment out;
  if (v.size() < d.options.min_terms) {
    out.story = static_cast<uint32_t>(d.stories.size());
    out.too_short = true;
    Story alone;
    alone.first_time = alone.last_time = article.time;
    alone.size = 1;
    d.stories.push_back(std::move(alone));  // no centroid: it never takes another article
    return out;
  }
  const auto [best, similarity] = d.best_story(v, article.time);
  if (best >= 0 && similarity >= d.options.similarity_threshold) {
    out.story = static_cast<uint32_t>(best);
    out.new_story = false;
    out.similarity = similarity;
  } else {
    out.story = static_cast<uint32_t>(d.stories.size());
    d.stories.emplace_back();
  }
  d.add_to_story(out.story, v, article.time);
  return out;
}

void StoryClusterer::replay(const ClusterInput& article, uint32_t story) {
  Impl& d = *impl_;
  const TermVector v = d.vectorize(article);
  while (d.stories.size() <= story)
    d.stories.emplace_back();
  d.add_to_story(story, v, article.time);
}

size_t StoryClusterer::story_count() const {
  return impl_->stories.size();
}
size_t StoryClusterer::article_count() const {
  return impl_->articles;
}

size_t StoryClusterer::memory_bytes() const {
  const Impl& d = *impl_;
  // A node of an unordered_map: the pair, a next pointer and a cached hash; a bucket pointer.
  constexpr size_t kNodeOverhead = 3 * sizeof(void*);
  size_t bytes = d.document_frequency.capacity() * sizeof(uint32_t) +
                 d.stories.capacity() * sizeof(Story) + d.article_weight.capacity() * sizeof(float);
  bytes += d.term_ids.size() * (kNodeOverhead + sizeof(uint64_t) + sizeof(uint32_t));
  for (const Story& s : d.stories) {
    bytes += s.centroid.capacity() * sizeof(s.centroid[0]) +
             s.indexed_terms.capacity() * sizeof(uint32_t);
  }
  for (const auto& [term, list] : d.postings) {
    bytes += kNodeOverhead + sizeof(uint32_t) + sizeof(list) + list.capacity() * sizeof(uint32_t);
  }
  return bytes;
}

}  // namespace khabar
