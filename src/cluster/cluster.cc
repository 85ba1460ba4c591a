#include "khabar/cluster.h"

#include <fmt/format.h>
#include <xxhash.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <limits>
#include <optional>
#include <unordered_map>

#include "khabar_data/document_frequencies_ar_tsv.h"
#include "khabar_data/stopwords_ar_txt.h"
#include "khabar_data/stopwords_en_txt.h"
#include "text/bytes.h"
#include "text/utf8.h"

namespace khabar {
namespace {

// The vectors an article is compared on: one a field, each in a term space of its own.
enum Field : size_t {
  kBody,
  kHead,
  kTitle,
  kNumbers,
  kLeadNumbers,
  kPlaces,
  kEntities,
  kDates,
  kFields
};

// Terms by the top bits of their 64-bit hash, seeded by field: no string is kept, and memory
// stays bounded however large the vocabulary grows. Two terms in one slot share a document
// frequency, which moves a rare term's weight only when it meets a common one, about one rare
// term in a hundred at a million terms.
constexpr unsigned kSlotBits = 22;
constexpr uint64_t kFieldSeed[kFields] = {
    0x626f6479'00000001ull, 0x68656164'00000001ull, 0x7469746c'00000001ull, 0x6e756d62'65720001ull,
    0x6c656164'6e756d01ull, 0x706c6163'65730001ull, 0x656e7469'74790001ull, 0x64617465'73000001ull};
// Terms kept per field, heaviest first: the distinctive ones carry the cosine.
constexpr size_t kKeptTerms[kFields] = {100, 60, 24, 32, 16, 16, 32, 16};
// Terms a story's body and head centroids keep.
constexpr size_t kCentroidTerms[2] = {160, 100};
// Terms of a member under which its story is found: its rarest body and head words.
constexpr size_t kIndexedTerms = 10;
// Terms of an article, per field, looked up in those postings.
constexpr size_t kQueryTerms = 24;
// A story is retired once the newest article is this many active windows past its last one:
// late arrivals within that still find it, and memory stays bounded by time.
constexpr int64_t kRetiredAfterWindows = 3;

using TermVector = std::vector<std::pair<uint32_t, float>>;  // sorted by slot

// An article's unit vectors, how rare each of its places and names is, and their sum.
struct ArticleVectors {
  std::array<TermVector, kFields> fields;
  TermVector name_rarity;
  double total_name_rarity = 0;
};

struct Member {
  std::array<TermVector, kFields> fields;
  int64_t time = 0;
  double name_rarity = 0;  // the sum over its places and names
};

struct Story {
  // Its first member and its most recent ones; empty once the story is inactive.
  std::vector<Member> compared;
  // The sums of all its members' body and head vectors, pruned, and their lengths.
  std::array<TermVector, 2> centroid;
  std::array<double, 2> centroid_norm{1.0, 1.0};
  int64_t first_time = 0;
  int64_t last_time = 0;
  uint32_t size = 0;
  std::vector<uint32_t> indexed_terms;  // sorted: the slots under which it is in the postings
};

// Marks, among a field's slots while they are counted, a term the prior knows the frequency of
// (slots take kSlotBits).
constexpr uint32_t kWithPrior = uint32_t{1} << 31;
constexpr uint32_t kSlotMask = (uint32_t{1} << kSlotBits) - 1;

// Document frequencies of Arabic terms and of the extractor's names over real news
// (data/cluster/), which the clusterer's own counts are added to: a new store has seen too few
// articles to tell a common word or place from a rare one, and two reports of one event would
// otherwise share only "rare" words. Latin-script terms and numbers have no prior and are
// weighed by what the store has seen alone.
struct DocumentFrequencyPrior {
  double articles = 0;
  std::vector<std::tuple<Field, std::string_view, uint32_t>> terms;  // words: kBody
};

const DocumentFrequencyPrior& prior() {
  static const DocumentFrequencyPrior loaded = [] {
    DocumentFrequencyPrior p;
    const std::string_view data = data::document_frequencies_ar_tsv;
    static constexpr std::string_view kArticles = "# articles\t";
    if (const size_t at = data.find(kArticles); at != std::string_view::npos) {
      p.articles =
          std::strtod(std::string(data.substr(at + kArticles.size(), 20)).c_str(), nullptr);
    }
    for (const text::DataLine& line : text::data_lines(data)) {
      const size_t tab = line.text.find('\t');
      if (tab == std::string_view::npos) continue;
      std::string_view term = line.text.substr(0, tab);
      Field field = kBody;
      if (term.starts_with("p:") || term.starts_with("e:")) {
        field = term[0] == 'p' ? kPlaces : kEntities;
        term.remove_prefix(2);
      }
      p.terms.emplace_back(field, term,
                           static_cast<uint32_t>(std::strtoul(
                               std::string(line.text.substr(tab + 1)).c_str(), nullptr, 10)));
    }
    return p;
  }();
  return loaded;
}

uint32_t slot(std::string_view term, Field field) {
  return static_cast<uint32_t>(XXH3_64bits_withSeed(term.data(), term.size(), kFieldSeed[field]) >>
                               (64 - kSlotBits));
}

// Keeps the `keep` heaviest entries, sorted by slot again.
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

double norm(const TermVector& v) {
  double sum = 0;
  for (const auto& entry : v)
    sum += static_cast<double>(entry.second) * entry.second;
  return std::sqrt(sum);
}

void make_unit(TermVector& v) {
  const double length = norm(v);
  if (length == 0) return;
  for (auto& entry : v)
    entry.second = static_cast<float>(entry.second / length);
}

// The article being placed, by slot, for the cosines with each compared member: an open
// addressing table of a few KiB that stays in cache, where a vocabulary-wide array would not.
class ArticleTable {
 public:
  // The article's vectors, and each of its places' and names' log(N / df) under a field of its
  // own.
  void fill(const ArticleVectors& article) {
    const std::array<TermVector, kFields>& fields = article.fields;
    const TermVector& name_rarity = article.name_rarity;
    total_name_rarity_ = article.total_name_rarity;
    size_t entries = name_rarity.size();
    for (const TermVector& v : fields)
      entries += v.size();
    size_t capacity = 64;
    while (capacity < 4 * entries)
      capacity *= 2;
    keys_.assign(capacity, kEmpty);
    weights_.assign(capacity, 0.0F);
    for (size_t f = 0; f < kFields; ++f) {
      has_[f] = !fields[f].empty();
      for (const auto& [term, weight] : fields[f]) {
        size_t at = position(key(term, f));
        keys_[at] = key(term, f);
        weights_[at] = weight;
      }
    }
    for (const auto& [term, rarity] : name_rarity) {
      const size_t at = position(key(term, kFields));
      if (keys_[at] == key(term, kFields)) continue;  // a place and a name in one slot
      keys_[at] = key(term, kFields);
      weights_[at] = rarity;
    }
  }

  bool has(size_t field) const { return has_[field]; }
  double total_name_rarity() const { return total_name_rarity_; }

  double dot(const TermVector& member, size_t field) const {
    double sum = 0;
    for (const auto& [term, weight] : member) {
      const size_t at = position(key(term, field));
      if (keys_[at] != kEmpty) sum += static_cast<double>(weights_[at]) * weight;
    }
    return sum;
  }

  // How rare, together, the places and names a member shares with the article are: reports of
  // one happening share its rare names (Kazakhstan, the CSTO, Tokayev), reports of one beat
  // its common ones.
  double shared_rarity(const TermVector& member_names) const {
    double sum = 0;
    for (const auto& entry : member_names) {
      const size_t at = position(key(entry.first, kFields));
      if (keys_[at] != kEmpty) sum += weights_[at];
    }
    return sum;
  }

 private:
  static constexpr uint64_t kEmpty = ~uint64_t{0};
  static uint64_t key(uint32_t term, size_t field) { return (uint64_t{field} << 32) | term; }
  size_t position(uint64_t k) const {
    size_t at = static_cast<size_t>((k * 0x9E3779B97F4A7C15ull) >> 20) & (keys_.size() - 1);
    while (keys_[at] != kEmpty && keys_[at] != k)
      at = (at + 1) & (keys_.size() - 1);
    return at;
  }
  std::vector<uint64_t> keys_;
  std::vector<float> weights_;
  std::array<bool, kFields> has_{};
  double total_name_rarity_ = 0;
};

void put_terms(text::ByteWriter& w, const TermVector& v) {
  w.put(static_cast<uint32_t>(v.size()));
  for (const auto& [term, weight] : v) {
    w.put(term);
    w.put(weight);
  }
}

TermVector get_terms(text::ByteReader& r) {
  TermVector v(r.count<uint32_t>(8));
  for (auto& [term, weight] : v) {
    term = r.get<uint32_t>() & kSlotMask;
    weight = r.get<float>();
  }
  return v;
}

// What a snapshot depends on besides the articles: its format, the options that shape the
// stories kept, and the data compiled in that the terms and their weights come from (the
// prior document frequencies, the stop words). Bump kFormat when the code that makes an
// article's vectors changes (cluster_input, the analyzer, the fields' sizes): a snapshot of
// another format is not used, and the store is replayed instead.
uint64_t fingerprint_of(const ClusterOptions& options) {
  constexpr uint32_t kFormat = 1;
  auto hash = [](std::string_view data) { return XXH3_64bits(data.data(), data.size()); };
  const uint64_t parts[] = {kFormat,
                            kSlotBits,
                            kRetiredAfterWindows,
                            static_cast<uint64_t>(options.active_window_seconds),
                            options.compared_members,
                            options.min_terms,
                            hash(data::document_frequencies_ar_tsv),
                            hash(data::stopwords_ar_txt),
                            hash(data::stopwords_en_txt)};
  return XXH3_64bits(parts, sizeof parts);
}

struct FreeDeleter {
  void operator()(uint32_t* p) const { std::free(p); }
};

}  // namespace

Status ClusterOptions::validate() const {
  auto bad = [](std::string message) { return make_error(ErrorCode::kInvalidArgument, message); };
  if (!(join_threshold > 0.0 && join_threshold < 1.0)) {
    return bad(fmt::format("story threshold {} is out of range: a probability above 0 and below 1",
                           join_threshold));
  }
  if (active_window_seconds <= 0) {
    return bad(fmt::format("the active window of {} s must be positive", active_window_seconds));
  }
  if (compared_members < 1 || compared_stories < 1) {
    return bad("at least one story and one member of it must be compared");
  }
  return {};
}

struct StoryClusterer::Impl {
  ClusterOptions options;
  const JoinModel* model = nullptr;
  // Document frequency by slot, for every field; calloc'd, so untouched pages cost nothing.
  std::unique_ptr<uint32_t[], FreeDeleter> document_frequency{
      static_cast<uint32_t*>(std::calloc(size_t{1} << kSlotBits, sizeof(uint32_t)))};
  uint64_t articles = 0;
  std::array<int64_t, 3> newest_times{std::numeric_limits<int64_t>::min() / 2,
                                      std::numeric_limits<int64_t>::min() / 2,
                                      std::numeric_limits<int64_t>::min() / 2};
  std::vector<Story> stories;
  std::unordered_map<uint32_t, std::vector<uint32_t>> postings;  // slot → stories
  std::vector<double> shared_weight;  // per story: the article's weight of the terms it shares
  std::vector<uint32_t> met;          // stories met in this search
  ArticleTable table;

  // Unit TF-IDF vectors of each field, heaviest terms kept; the document frequencies learn
  // the article first. Nothing for an article too short to cluster, which is never stored in a
  // story and so must not count in the frequencies that a replay from the store rebuilds.
  std::optional<ArticleVectors> vectorize(const ClusterInput& in) {
    std::array<std::vector<uint32_t>, kFields> occurrences;
    auto words = [&](const std::vector<std::string>& terms, Field field) {
      const bool names = field == kPlaces || field == kEntities;
      const bool arabic_words = field == kBody || field == kHead || field == kTitle;
      for (const std::string& t : terms) {
        const bool known = names || (arabic_words && text::starts_in_arabic_block(t));
        occurrences[field].push_back(slot(t, field) | (known ? kWithPrior : 0));
      }
    };
    words(in.terms, kBody);
    std::vector<uint32_t>& body = occurrences[kBody];
    std::sort(body.begin(), body.end());
    size_t distinct = 0;
    for (size_t i = 0; i < body.size(); ++i)
      distinct += i == 0 || body[i] != body[i - 1] ? 1 : 0;
    if (distinct < options.min_terms) return std::nullopt;
    words(in.title_terms, kHead);
    words(in.lead_terms, kHead);
    words(in.title_terms, kTitle);
    words(in.numbers, kNumbers);
    words(in.lead_numbers, kLeadNumbers);
    words(in.places, kPlaces);
    words(in.entities, kEntities);
    words(in.dates, kDates);

    ++articles;
    const double n = static_cast<double>(articles);
    ArticleVectors out;
    for (size_t f = 0; f < kFields; ++f) {
      std::vector<uint32_t>& slots = occurrences[f];
      std::sort(slots.begin(), slots.end());
      TermVector& v = out.fields[f];
      for (size_t i = 0; i < slots.size();) {
        size_t j = i;
        while (j < slots.size() && slots[j] == slots[i])
          ++j;
        const uint32_t term = slots[i] & kSlotMask;
        const double seen = n + ((slots[i] & kWithPrior) != 0 ? prior().articles : 0.0);
        const double rarity = std::log((seen + 1.0) / (++document_frequency[term] + 1.0));
        const double idf = rarity + 1.0;
        if (f == kPlaces || f == kEntities) {
          out.name_rarity.emplace_back(term, static_cast<float>(rarity));
          out.total_name_rarity += out.name_rarity.back().second;
        }
        v.emplace_back(term,
                       static_cast<float>((1.0 + std::log(static_cast<double>(j - i))) * idf));
        i = j;
      }
      keep_heaviest(v, kKeptTerms[f]);
      make_unit(v);
    }
    return out;
  }

  // Retirement depends on the articles seen, in their order, and on nothing else (not on which
  // searches met the story): a clusterer replayed from a store and one that placed the same
  // articles itself retire the same stories, and so place the next article alike.
  bool retired(const Story& s) const {
    return s.last_time < clock() - kRetiredAfterWindows * options.active_window_seconds;
  }

  // The third newest article time: one or two misdated articles (a year 2100 typed for 2010)
  // cannot retire every story at once.
  int64_t clock() const { return newest_times[2]; }

  bool active(const Story& s, int64_t time) const {
    return !s.compared.empty() && !retired(s) &&
           time <= s.last_time + options.active_window_seconds &&
           time >= s.first_time - options.active_window_seconds;
  }

  // Keeps the three newest times of the articles placed so far, newest first.
  void saw(int64_t time) {
    for (int64_t& t : newest_times) {
      if (time > t) std::swap(time, t);
    }
  }

  // An inactive story takes no more articles: its members' memory goes back.
  static void retire(Story& s) {
    std::vector<Member>().swap(s.compared);
    for (TermVector& c : s.centroid)
      TermVector().swap(c);
    std::vector<uint32_t>().swap(s.indexed_terms);
  }

  // Active stories sharing a distinctive term with the article, best first by the article's
  // weight of the terms they share; the first `compared_stories` of them.
  std::vector<uint32_t> candidates(const std::array<TermVector, kFields>& article, int64_t time) {
    shared_weight.resize(stories.size(), 0.0);
    met.clear();
    for (const Field field : {kBody, kHead}) {
      // The article's rarest terms find its stories; its common ones would meet every story of
      // the window and cost a long postings walk each.
      TermVector query = article[field];
      keep_heaviest(query, kQueryTerms);
      for (const auto& [term, weight] : query) {
        auto it = postings.find(term);
        if (it == postings.end()) continue;
        // Retired stories leave the postings as they are met.
        std::erase_if(it->second, [&](uint32_t s) {
          if (retired(stories[s])) {
            retire(stories[s]);
            return true;
          }
          return false;
        });
        for (const uint32_t s : it->second) {
          if (shared_weight[s] == 0.0) met.push_back(s);
          shared_weight[s] += weight;
        }
      }
    }
    std::vector<uint32_t> out;
    for (const uint32_t s : met) {
      if (active(stories[s], time)) out.push_back(s);
    }
    const auto by_weight = [&](uint32_t a, uint32_t b) {
      return shared_weight[a] != shared_weight[b] ? shared_weight[a] > shared_weight[b] : a < b;
    };
    if (out.size() > options.compared_stories) {
      std::partial_sort(out.begin(), out.begin() + static_cast<ptrdiff_t>(options.compared_stories),
                        out.end(), by_weight);
      out.resize(options.compared_stories);
    }
    std::sort(out.begin(), out.end());  // ascending ids: ties go to the older story
    for (const uint32_t s : met)
      shared_weight[s] = 0.0;
    return out;
  }

  // A candidate story's features: each member-level signal at its best over the compared
  // members (the closest report of the happening), the story-level ones against its centroids.
  JoinFeatures features(const Story& s, int64_t time) const {
    JoinFeatures f{};
    auto at = [&f](JoinFeature feature) -> double& { return f[static_cast<size_t>(feature)]; };
    at(JoinFeature::kStoryBody) = table.dot(s.centroid[0], kBody) / s.centroid_norm[0];
    at(JoinFeature::kStoryHead) = table.dot(s.centroid[1], kHead) / s.centroid_norm[1];
    at(JoinFeature::kDaysApart) = static_cast<double>(options.active_window_seconds) / 86400.0;
    // Both print numbers in their titles and leads, and not one of them the same: a market's
    // other day, a region's other tally. Any member sharing one clears it.
    bool numbers_disjoint = table.has(kLeadNumbers);
    for (const Member& m : s.compared) {
      auto best = [&](JoinFeature feature, Field field) {
        at(feature) = std::max(at(feature), table.dot(m.fields[field], field));
      };
      best(JoinFeature::kHead, kHead);
      best(JoinFeature::kTitle, kTitle);
      best(JoinFeature::kNumbers, kNumbers);
      best(JoinFeature::kEntities, kEntities);
      best(JoinFeature::kPlaces, kPlaces);
      best(JoinFeature::kDates, kDates);
      const double shared =
          table.shared_rarity(m.fields[kPlaces]) + table.shared_rarity(m.fields[kEntities]);
      at(JoinFeature::kSharedNames) = std::max(at(JoinFeature::kSharedNames), shared);
      // The share of the fewer names that the other names too: one report's names all found in
      // the other's, however many more it names.
      const double fewer = std::min(table.total_name_rarity(), m.name_rarity);
      if (fewer > 0) {
        at(JoinFeature::kNamesContained) =
            std::max(at(JoinFeature::kNamesContained), shared / fewer);
      }
      if (m.fields[kLeadNumbers].empty() || table.dot(m.fields[kLeadNumbers], kLeadNumbers) > 0) {
        numbers_disjoint = false;
      }
      const double seconds = static_cast<double>(
          std::min<int64_t>(std::abs(time - m.time), options.active_window_seconds));
      at(JoinFeature::kDaysApart) = std::min(at(JoinFeature::kDaysApart), seconds / 86400.0);
    }
    at(JoinFeature::kLeadNumbersDisjoint) = numbers_disjoint ? 1.0 : 0.0;
    // In tens of nats, at most 3: five names each rarer than one article in ten thousand.
    at(JoinFeature::kSharedNames) = std::min(at(JoinFeature::kSharedNames) / 10.0, 3.0);
    return f;
  }

  // Each candidate with its features; the article's vectors must be in `table`.
  template <typename Visit>
  void for_each_compared(const std::vector<uint32_t>& candidates, int64_t time, Visit visit) {
    for (const uint32_t s : candidates) {
      JoinFeatures f = features(stories[s], time);
      // How many stories the article could join: with none beside it, a story sharing the
      // article's names is more likely its happening than on a day of many.
      f[static_cast<size_t>(JoinFeature::kCompeting)] =
          std::log(static_cast<double>(candidates.size()));
      visit(s, f);
    }
  }

  void add_to_story(uint32_t id, ArticleVectors vectors, int64_t time) {
    std::array<TermVector, kFields>& fields = vectors.fields;
    Story& s = stories[id];
    s.first_time = s.size == 0 ? time : std::min(s.first_time, time);
    s.last_time = s.size == 0 ? time : std::max(s.last_time, time);
    ++s.size;
    index_member(id, fields);
    add_to_centroid(s.centroid[0], s.centroid_norm[0], fields[kBody], kCentroidTerms[0]);
    add_to_centroid(s.centroid[1], s.centroid_norm[1], fields[kHead], kCentroidTerms[1]);
    // The first member stays; the most recent ones follow it.
    if (s.compared.size() >= options.compared_members) {
      s.compared.erase(s.compared.begin() + (options.compared_members > 1 ? 1 : 0));
    }
    // A member's body counts in the centroid alone: no need to keep it.
    TermVector().swap(fields[kBody]);
    s.compared.push_back({std::move(fields), time, vectors.total_name_rarity});
  }

  static void add_to_centroid(TermVector& centroid, double& length, const TermVector& v,
                              size_t keep) {
    TermVector merged;
    merged.reserve(centroid.size() + v.size());
    std::merge(centroid.begin(), centroid.end(), v.begin(), v.end(), std::back_inserter(merged));
    // Sum the weights of equal terms, which merge() put side by side.
    TermVector summed;
    summed.reserve(merged.size());
    for (const auto& entry : merged) {
      if (!summed.empty() && summed.back().first == entry.first) {
        summed.back().second += entry.second;
      } else {
        summed.push_back(entry);
      }
    }
    keep_heaviest(summed, keep);
    centroid = std::move(summed);
    const double n = norm(centroid);
    length = n > 0 ? n : 1.0;
  }

  // A story is found under its members' rarest words: its names and places, not the common
  // words every report holds, which would make every active story a candidate.
  void index_member(uint32_t id, const std::array<TermVector, kFields>& fields) {
    Story& s = stories[id];
    for (const Field field : {kBody, kHead}) {
      TermVector heaviest = fields[field];
      keep_heaviest(heaviest, kIndexedTerms);
      for (const auto& [term, weight] : heaviest) {
        const auto at = std::lower_bound(s.indexed_terms.begin(), s.indexed_terms.end(), term);
        if (at != s.indexed_terms.end() && *at == term) continue;
        postings[term].push_back(id);
        s.indexed_terms.insert(at, term);
      }
    }
  }

  uint32_t new_story() {
    stories.emplace_back();
    return static_cast<uint32_t>(stories.size() - 1);
  }
};

StoryClusterer::StoryClusterer(ClusterOptions options) : impl_(std::make_unique<Impl>()) {
  if (!impl_->document_frequency) {
    std::cerr << "khabar: out of memory for the clusterer's document frequencies\n";
    std::abort();
  }
  for (const auto& [field, term, frequency] : prior().terms) {
    if (field != kBody) {
      impl_->document_frequency[slot(term, field)] += frequency;
      continue;
    }
    for (const Field words : {kBody, kHead, kTitle})
      impl_->document_frequency[slot(term, words)] += frequency;
  }
  impl_->options = std::move(options);
  impl_->model = impl_->options.model ? impl_->options.model.get() : &JoinModel::built_in();
}
StoryClusterer::~StoryClusterer() = default;
StoryClusterer::StoryClusterer(StoryClusterer&&) noexcept = default;
StoryClusterer& StoryClusterer::operator=(StoryClusterer&&) noexcept = default;

StoryAssignment StoryClusterer::add(const ClusterInput& article,
                                    std::vector<CandidateStory>* compared) {
  Impl& d = *impl_;
  std::optional<ArticleVectors> vectors = d.vectorize(article);
  StoryAssignment out;
  if (!vectors) {
    out.story = d.new_story();  // nothing to compare: it never takes another article
    out.too_short = true;
    d.stories[out.story].first_time = d.stories[out.story].last_time = article.time;
    d.stories[out.story].size = 1;
    return out;
  }
  d.saw(article.time);
  const std::vector<uint32_t> candidates = d.candidates(vectors->fields, article.time);
  d.table.fill(*vectors);
  int64_t best = -1;
  d.for_each_compared(candidates, article.time, [&](uint32_t s, const JoinFeatures& f) {
    const double p = d.model->probability(f);
    if (compared != nullptr) compared->push_back({s, f});
    if (p > out.probability) {
      out.probability = p;
      best = s;
    }
  });
  if (best >= 0 && out.probability >= d.options.join_threshold) {
    out.story = static_cast<uint32_t>(best);
    out.new_story = false;
  } else {
    out.story = d.new_story();
  }
  d.add_to_story(out.story, std::move(*vectors), article.time);
  return out;
}

void StoryClusterer::replay(const ClusterInput& article, uint32_t story) {
  (void)replay_with_candidates(article, story, false);
}

std::vector<CandidateStory> StoryClusterer::replay_with_candidates(const ClusterInput& article,
                                                                   uint32_t story) {
  return replay_with_candidates(article, story, true);
}

std::vector<CandidateStory> StoryClusterer::replay_with_candidates(const ClusterInput& article,
                                                                   uint32_t story, bool compare) {
  Impl& d = *impl_;
  std::optional<ArticleVectors> vectors = d.vectorize(article);
  while (d.stories.size() <= story)
    d.new_story();
  std::vector<CandidateStory> out;
  if (!vectors) return out;  // stored in no story: a replay never meets one
  d.saw(article.time);
  if (compare) {
    const std::vector<uint32_t> candidates = d.candidates(vectors->fields, article.time);
    d.table.fill(*vectors);
    d.for_each_compared(candidates, article.time, [&](uint32_t s, const JoinFeatures& f) {
      out.push_back({s, f});
    });
  }
  d.add_to_story(story, std::move(*vectors), article.time);
  return out;
}

std::string StoryClusterer::snapshot() const {
  std::string out;
  append_snapshot(out);
  return out;
}

void StoryClusterer::append_snapshot(std::string& out) const {
  const Impl& d = *impl_;
  const size_t start = out.size();
  text::ByteWriter w(out);
  w.put(fingerprint_of(d.options));
  w.put(d.articles);
  for (const int64_t t : d.newest_times)
    w.put(t);
  uint32_t counted = 0;
  for (size_t slot = 0; slot < (size_t{1} << kSlotBits); ++slot)
    counted += d.document_frequency[slot] != 0 ? 1 : 0;
  w.put(counted);
  for (uint32_t slot = 0; slot < (uint32_t{1} << kSlotBits); ++slot) {
    if (d.document_frequency[slot] == 0) continue;
    w.put(slot);
    w.put(d.document_frequency[slot]);
  }
  w.put(static_cast<uint32_t>(d.stories.size()));
  for (const Story& s : d.stories) {
    w.put(s.first_time);
    w.put(s.last_time);
    w.put(s.size);
    // A retired story never takes another article: its number is all that matters.
    const bool live = !s.compared.empty() && !d.retired(s);
    w.put(static_cast<uint8_t>(live ? 1 : 0));
    if (!live) continue;
    for (size_t c = 0; c < 2; ++c) {
      put_terms(w, s.centroid[c]);
      w.put(s.centroid_norm[c]);
    }
    w.put(static_cast<uint32_t>(s.indexed_terms.size()));
    for (const uint32_t term : s.indexed_terms)
      w.put(term);
    w.put(static_cast<uint32_t>(s.compared.size()));
    for (const Member& m : s.compared) {
      for (const TermVector& v : m.fields)
        put_terms(w, v);
      w.put(m.time);
      w.put(m.name_rarity);
    }
  }
  // A damaged snapshot that still parses (a NaN weight) must not be taken.
  const uint64_t checksum = XXH3_64bits(out.data() + start, out.size() - start);
  out.append(reinterpret_cast<const char*>(&checksum), sizeof checksum);
}

uint64_t StoryClusterer::snapshot_fingerprint() const {
  return fingerprint_of(impl_->options);
}

Status StoryClusterer::restore(std::string_view snapshot) {
  Impl& d = *impl_;
  auto refuse = [](std::string_view why) {
    return make_error(ErrorCode::kInvalidArgument, fmt::format("story snapshot: {}", why));
  };
  if (d.articles != 0 || !d.stories.empty()) return refuse("the clusterer has seen articles");
  uint64_t checksum = 0;
  if (snapshot.size() < sizeof checksum) return refuse("cut short or damaged");
  std::memcpy(&checksum, snapshot.data() + snapshot.size() - sizeof checksum, sizeof checksum);
  snapshot.remove_suffix(sizeof checksum);
  if (XXH3_64bits(snapshot.data(), snapshot.size()) != checksum) {
    return refuse("cut short or damaged");
  }
  text::ByteReader r(snapshot);
  if (r.get<uint64_t>() != fingerprint_of(d.options) || !r.ok()) {
    return refuse("made with other options, data or format");
  }
  Impl loaded;
  loaded.articles = r.get<uint64_t>();
  for (int64_t& t : loaded.newest_times)
    t = r.get<int64_t>();
  std::vector<std::pair<uint32_t, uint32_t>> frequencies(r.count<uint32_t>(8));
  for (auto& [slot, frequency] : frequencies) {
    slot = r.get<uint32_t>() & kSlotMask;
    frequency = r.get<uint32_t>();
  }
  loaded.stories.resize(r.count<uint32_t>(21));
  for (uint32_t id = 0; id < loaded.stories.size() && r.ok(); ++id) {
    Story& s = loaded.stories[id];
    s.first_time = r.get<int64_t>();
    s.last_time = r.get<int64_t>();
    s.size = r.get<uint32_t>();
    if (r.get<uint8_t>() == 0) continue;
    for (size_t c = 0; c < 2; ++c) {
      s.centroid[c] = get_terms(r);
      s.centroid_norm[c] = r.get<double>();
    }
    s.indexed_terms.resize(r.count<uint32_t>(4));
    for (uint32_t& term : s.indexed_terms) {
      term = r.get<uint32_t>() & kSlotMask;
      loaded.postings[term].push_back(id);
    }
    s.compared.resize(
        r.count<uint32_t>(kFields * 4 + 16));  // each member's counts, time and rarity
    for (Member& m : s.compared) {
      for (TermVector& v : m.fields)
        v = get_terms(r);
      m.time = r.get<int64_t>();
      m.name_rarity = r.get<double>();
    }
  }
  if (!r.done()) return refuse("cut short or damaged");
  std::fill_n(d.document_frequency.get(), size_t{1} << kSlotBits, 0U);
  for (const auto& [slot, frequency] : frequencies)
    d.document_frequency[slot] = frequency;
  d.articles = loaded.articles;
  d.newest_times = loaded.newest_times;
  d.stories = std::move(loaded.stories);
  d.postings = std::move(loaded.postings);
  return {};
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
  size_t bytes = (size_t{1} << kSlotBits) * sizeof(uint32_t) +
                 d.stories.capacity() * sizeof(Story) + d.shared_weight.capacity() * sizeof(double);
  for (const Story& s : d.stories) {
    bytes += s.compared.capacity() * sizeof(Member) + s.indexed_terms.capacity() * sizeof(uint32_t);
    for (const TermVector& c : s.centroid)
      bytes += c.capacity() * sizeof(c[0]);
    for (const Member& m : s.compared) {
      for (const TermVector& v : m.fields)
        bytes += v.capacity() * sizeof(v[0]);
    }
  }
  for (const auto& [term, list] : d.postings) {
    bytes += kNodeOverhead + sizeof(uint32_t) + sizeof(list) + list.capacity() * sizeof(uint32_t);
  }
  return bytes;
}

}  // namespace khabar
