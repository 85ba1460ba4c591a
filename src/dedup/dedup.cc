#include "khabar/dedup.h"

#include <fmt/format.h>
#include <xxhash.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <optional>
#include <unordered_map>

#include "dedup/internal/flat_multimap.h"
#include "dedup/internal/shingles.h"
#include "text/bytes.h"

namespace khabar {
namespace {

using dedup_internal::FlatMultimap;

// A sentence needs this many words before sharing it says one text copies another.
constexpr size_t kMinSentenceWords = 6;
// A sentence or band found in more earlier articles than this is boilerplate or a flood of
// copies; it stops naming candidates (the copies are linked through earlier members).
constexpr size_t kMaxPostings = 64;
// Candidates verified per article, most promising first; the rest are dropped.
constexpr size_t kMaxVerified = 64;
// Share of the shorter article's sentences found in the other before its texts are compared.
constexpr double kSentenceShareToVerify = 0.5;

bool is_ascii_punctuation(char c) {
  const auto byte = static_cast<unsigned char>(c);
  return byte < 0x80 && std::ispunct(byte);
}

// A false positive costs one exact comparison of two texts; a false negative loses a link for
// good. So misses weigh nine times as much as extra candidates when the shape is chosen.
constexpr double kFalsePositiveWeight = 0.1;
constexpr double kFalseNegativeWeight = 0.9;

double lsh_area(size_t bands, size_t rows, double from, double to, bool above) {
  // Trapezoid rule over the S-curve; 200 steps is far finer than the curve's bend.
  constexpr int kSteps = 200;
  const double step = (to - from) / kSteps;
  double area = 0;
  for (int i = 0; i <= kSteps; ++i) {
    const double s = from + step * i;
    double p =
        1.0 - std::pow(1.0 - std::pow(s, static_cast<double>(rows)), static_cast<double>(bands));
    if (above) p = 1.0 - p;
    area += (i == 0 || i == kSteps ? 0.5 : 1.0) * p * step;
  }
  return area;
}

}  // namespace

Status DedupOptions::validate() const {
  auto bad = [](std::string message) { return make_error(ErrorCode::kInvalidArgument, message); };
  if (shingle_words < 1 || shingle_words > 16) {
    return bad(fmt::format("shingle size {} is out of range: 1 to 16 words", shingle_words));
  }
  if (permutations < 16 || permutations > 1024) {
    return bad(fmt::format("{} MinHash permutations is out of range: 16 to 1024", permutations));
  }
  if (!(jaccard_threshold > 0.0 && jaccard_threshold <= 1.0)) {
    return bad(
        fmt::format("Jaccard threshold {} is out of range: above 0, at most 1", jaccard_threshold));
  }
  if (bands > permutations) {
    return bad(fmt::format("{} LSH bands cannot cut {} permutations: at most one band a value",
                           bands, permutations));
  }
  if (!(containment_threshold > 0.0 && containment_threshold <= 1.0)) {
    return bad(fmt::format("containment threshold {} is out of range: above 0, at most 1",
                           containment_threshold));
  }
  if (min_words < 1) return bad("the minimum article length must be at least 1 word");
  return {};
}

LshShape optimal_lsh_shape(size_t permutations, double threshold) {
  LshShape best{1, permutations};
  double best_error = 2.0;
  for (size_t bands = 1; bands <= permutations; ++bands) {
    for (size_t rows = 1; rows * bands <= permutations; ++rows) {
      const double error = kFalsePositiveWeight * lsh_area(bands, rows, 0.0, threshold, false) +
                           kFalseNegativeWeight * lsh_area(bands, rows, threshold, 1.0, true);
      if (error < best_error) {
        best_error = error;
        best = {bands, rows};
      }
    }
  }
  return best;
}

LshShape lsh_shape(const DedupOptions& options) {
  if (options.bands == 0) return optimal_lsh_shape(options.permutations, options.jaccard_threshold);
  return {options.bands, options.permutations / options.bands};
}

std::vector<std::string_view> match_words(std::string_view normalized) {
  std::vector<std::string_view> words;
  size_t i = 0;
  while (i < normalized.size()) {
    while (i < normalized.size() && (normalized[i] == ' ' || normalized[i] == '\n'))
      ++i;
    size_t end = i;
    while (end < normalized.size() && normalized[end] != ' ' && normalized[end] != '\n')
      ++end;
    size_t b = i, e = end;
    while (b < e && is_ascii_punctuation(normalized[b]))
      ++b;
    while (e > b && is_ascii_punctuation(normalized[e - 1]))
      --e;
    if (e > b) words.push_back(normalized.substr(b, e - b));
    i = end;
  }
  return words;
}

const char* duplicate_kind_name(DuplicateLink::Kind kind) {
  switch (kind) {
    case DuplicateLink::Kind::kNearDuplicate:
      return "near-duplicate";
    case DuplicateLink::Kind::kContainedIn:
      return "contained-in";
    case DuplicateLink::Kind::kContains:
      return "contains";
  }
  return "?";
}

struct DuplicateIndex::Impl {
  DedupOptions options;
  LshShape shape;
  FlatMultimap bands;                     // band hash (seeded by band number) → article
  FlatMultimap sentences;                 // sentence hash → article
  std::vector<uint16_t> sentence_counts;  // per article; 0 for a short one
  std::vector<bool> short_articles;

  struct Candidate {
    uint32_t article = 0;
    size_t band_hits = 0;
    size_t shared_sentences = 0;
  };

  std::vector<uint64_t> band_keys(const std::vector<uint32_t>& signature) const {
    std::vector<uint64_t> keys(shape.bands);
    for (size_t b = 0; b < shape.bands; ++b) {
      keys[b] =
          XXH3_64bits_withSeed(signature.data() + b * shape.rows, shape.rows * sizeof(uint32_t), b);
    }
    return keys;
  }

  std::vector<Candidate> candidates(const std::vector<uint64_t>& keys,
                                    const std::vector<uint64_t>& sentence_set) const {
    std::unordered_map<uint32_t, Candidate> found;
    std::vector<uint32_t> postings;
    auto collect = [&](const FlatMultimap& map, uint64_t key, size_t Candidate::*count) {
      postings.clear();
      map.for_each(key, [&](uint32_t article) { postings.push_back(article); });
      if (postings.size() > kMaxPostings) return;
      for (const uint32_t article : postings) {
        Candidate& c = found[article];
        c.article = article;
        ++(c.*count);
      }
    };
    for (const uint64_t key : keys)
      collect(bands, key, &Candidate::band_hits);
    for (const uint64_t key : sentence_set)
      collect(sentences, key, &Candidate::shared_sentences);

    std::vector<Candidate> out;
    for (const auto& [article, c] : found) {
      const size_t fewer = std::min<size_t>(sentence_set.size(), sentence_counts[article]);
      const bool sentences_say_so =
          fewer > 0 && static_cast<double>(c.shared_sentences) >=
                           kSentenceShareToVerify * static_cast<double>(fewer);
      if (c.band_hits > 0 || sentences_say_so) out.push_back(c);
    }
    std::sort(out.begin(), out.end(), [](const Candidate& a, const Candidate& b) {
      if (a.band_hits != b.band_hits) return a.band_hits > b.band_hits;
      if (a.shared_sentences != b.shared_sentences) return a.shared_sentences > b.shared_sentences;
      return a.article < b.article;
    });
    if (out.size() > kMaxVerified) out.resize(kMaxVerified);
    return out;
  }

  std::optional<DuplicateLink> verify(const std::vector<uint64_t>& shingles, uint32_t other,
                                      const std::string& other_text) const {
    const std::vector<uint64_t> other_shingles =
        dedup_internal::shingle_set(match_words(other_text), options.shingle_words);
    if (shingles.empty() || other_shingles.empty()) return std::nullopt;
    const auto shared =
        static_cast<double>(dedup_internal::intersection_size(shingles, other_shingles));
    const auto mine = static_cast<double>(shingles.size());
    const auto theirs = static_cast<double>(other_shingles.size());
    const double jaccard = shared / (mine + theirs - shared);
    if (jaccard >= options.jaccard_threshold) {
      return DuplicateLink{other, DuplicateLink::Kind::kNearDuplicate, jaccard};
    }
    if (mine <= theirs && shared / mine >= options.containment_threshold) {
      return DuplicateLink{other, DuplicateLink::Kind::kContainedIn, shared / mine};
    }
    if (theirs < mine && shared / theirs >= options.containment_threshold) {
      return DuplicateLink{other, DuplicateLink::Kind::kContains, shared / theirs};
    }
    return std::nullopt;
  }
};

DuplicateIndex::DuplicateIndex(DedupOptions options) : impl_(std::make_unique<Impl>()) {
  impl_->options = options;
  impl_->shape = lsh_shape(options);
}
DuplicateIndex::~DuplicateIndex() = default;
DuplicateIndex::DuplicateIndex(DuplicateIndex&&) noexcept = default;
DuplicateIndex& DuplicateIndex::operator=(DuplicateIndex&&) noexcept = default;

struct DuplicateIndex::Prepared {
  std::vector<std::string_view> words;
  std::vector<uint64_t> band_keys;
  std::vector<uint64_t> sentences;
  bool too_short = false;
};

DuplicateIndex::Prepared DuplicateIndex::prepare(std::string_view normalized_body) const {
  const Impl& d = *impl_;
  Prepared p;
  p.words = match_words(normalized_body);
  if (p.words.size() < d.options.min_words) {
    p.too_short = true;
    return p;
  }
  p.band_keys = d.band_keys(dedup_internal::minhash_signature(
      dedup_internal::shingle_hashes(p.words, d.options.shingle_words), d.options.permutations));
  p.sentences = dedup_internal::sentence_hashes(normalized_body, kMinSentenceWords);
  return p;
}

namespace {

// What keys depend on besides the text: their format and the options that make them.
uint64_t keys_fingerprint(const DedupOptions& options, const LshShape& shape) {
  constexpr uint64_t kFormat = 1;
  const uint64_t parts[] = {kFormat,    options.shingle_words, options.permutations, shape.bands,
                            shape.rows, options.min_words,     kMinSentenceWords};
  return XXH3_64bits(parts, sizeof parts);
}

}  // namespace

// The fingerprint, then for an indexed article its band keys and its sentence hashes, each a
// count and 64-bit values; nothing more for a short one.
void DuplicateIndex::write_keys(const Prepared& p, std::string& out) const {
  out.clear();
  text::ByteWriter w(out);
  w.put(keys_fingerprint(impl_->options, impl_->shape));
  if (p.too_short) return;
  for (const std::vector<uint64_t>* keys : {&p.band_keys, &p.sentences}) {
    w.put(static_cast<uint64_t>(keys->size()));
    for (const uint64_t key : *keys)
      w.put(key);
  }
}

bool DuplicateIndex::add_keys(std::string_view keys) {
  text::ByteReader r(keys);
  const auto fingerprint = r.get<uint64_t>();
  if (!r.ok() || fingerprint != keys_fingerprint(impl_->options, impl_->shape)) return false;
  Prepared p;
  p.too_short = r.done();
  if (!p.too_short) {
    for (std::vector<uint64_t>* out : {&p.band_keys, &p.sentences}) {
      out->resize(r.count<uint64_t>(sizeof(uint64_t)));
      for (uint64_t& key : *out)
        key = r.get<uint64_t>();
    }
    if (!r.done() || p.band_keys.size() != impl_->shape.bands) return false;
  }
  index(p);
  return true;
}

void DuplicateIndex::index(const Prepared& p) {
  Impl& d = *impl_;
  const auto number = static_cast<uint32_t>(d.short_articles.size());
  d.short_articles.push_back(p.too_short);
  d.sentence_counts.push_back(static_cast<uint16_t>(std::min<size_t>(p.sentences.size(), 65535)));
  for (const uint64_t key : p.band_keys)
    d.bands.insert(key, number);
  for (const uint64_t key : p.sentences)
    d.sentences.insert(key, number);
}

std::vector<DuplicateLink> DuplicateIndex::add(std::string_view normalized_body,
                                               const TextOf& text_of, std::string* keys) {
  const Impl& d = *impl_;
  const Prepared p = prepare(normalized_body);
  std::vector<DuplicateLink> links;
  if (!p.too_short) {
    std::vector<uint64_t> shingles;  // the exact set, made only when there is a candidate
    for (const Impl::Candidate& c : d.candidates(p.band_keys, p.sentences)) {
      if (shingles.empty())
        shingles = dedup_internal::shingle_set(p.words, d.options.shingle_words);
      if (std::optional<DuplicateLink> link = d.verify(shingles, c.article, text_of(c.article))) {
        links.push_back(*link);
      }
    }
    std::sort(links.begin(), links.end(), [](const DuplicateLink& a, const DuplicateLink& b) {
      return a.score != b.score ? a.score > b.score : a.other < b.other;
    });
  }
  index(p);
  if (keys != nullptr) write_keys(p, *keys);
  return links;
}

void DuplicateIndex::add_without_links(std::string_view normalized_body, std::string* keys) {
  const Prepared p = prepare(normalized_body);
  index(p);
  if (keys != nullptr) write_keys(p, *keys);
}

size_t DuplicateIndex::size() const {
  return impl_->short_articles.size();
}

bool DuplicateIndex::too_short(uint32_t article) const {
  return article < impl_->short_articles.size() && impl_->short_articles[article];
}

size_t DuplicateIndex::memory_bytes() const {
  return impl_->bands.memory_bytes() + impl_->sentences.memory_bytes() +
         impl_->sentence_counts.capacity() * sizeof(uint16_t) +
         impl_->short_articles.capacity() / 8;
}

}  // namespace khabar
