#include "pipeline/story_tracker.h"

#include <fmt/format.h>
#include <xxhash.h>

#include <algorithm>

#include "khabar/extract.h"
#include "khabar/pipeline.h"
#include "khabar/story_facts.h"
#include "text/bytes.h"
#include "text/spelling.h"

namespace khabar {

namespace {

// A name as stories compare it: its gazetteer entry, or for a person found by a title or a
// speech verb the consonant skeleton of the last word of the name, which outlets' spellings
// share (توكاييف، توكايف), or else its normalised form.
std::string signal_key(const Mention& m) {
  if (!m.gazetteer_id.empty()) return m.gazetteer_id;
  if (m.type == EntityType::kPerson) {
    const std::vector<std::string> words = name_words(m.key);
    if (!words.empty()) {
      return fmt::format("person:{:016x}", text::skeleton_digest(words.back()).hash);
    }
  }
  return m.key;
}

void add_signal(std::string& out, char kind, const std::string& key) {
  if (key.empty() || key.find_first_of("\t\n") != std::string::npos) return;
  out += kind;
  out += '\t';
  out += key;
  out += '\n';
}

}  // namespace

std::string story_signals(const Extraction& extraction) {
  std::string out;
  for (const Mention& m : extraction.mentions) {
    // A title standing for a person named earlier adds nothing the name did not.
    if (m.role_reference) continue;
    add_signal(out, m.type == EntityType::kPlace ? 'p' : 'e', signal_key(m));
  }
  for (const DateFact& d : extraction.dates) {
    // «قبل ثلاثة أيام» is counted, not named: with it, the fine pairwise F1 of 2015-07-27
    // after the days before it fell from 0.721 to 0.708 (docs/method.md, time expressions).
    if (!d.on_calendar() || d.basis == "offset") continue;
    // A part of a day («مساء أمس») is its day here, as before times were read.
    const bool time = d.type == "TIME";
    const std::string value = time ? d.value.substr(0, d.value.find('T')) : d.value;
    const DatePrecision precision = time ? DatePrecision::kDay : d.precision;
    // Days and months tell one day's happening from the next; a bare weekday or year does not.
    if (precision == DatePrecision::kDay || precision == DatePrecision::kPartOfMonth ||
        precision == DatePrecision::kMonth) {
      add_signal(out, 'd', value);
      // A day's month too: «early January» and «10 January» are one happening's dates.
      if (precision == DatePrecision::kDay && value.size() >= 7) {
        add_signal(out, 'd', value.substr(0, value.size() - 3));
      }
    }
  }
  return out;
}

void add_story_signals(std::string_view signals, ClusterInput& input) {
  while (!signals.empty()) {
    const size_t end = std::min(signals.find('\n'), signals.size());
    const std::string_view line = signals.substr(0, end);
    signals.remove_prefix(std::min(end + 1, signals.size()));
    if (line.size() < 3 || line[1] != '\t') continue;  // written by story_signals alone
    switch (line[0]) {
      case 'p':
        input.places.emplace_back(line.substr(2));
        break;
      case 'd':
        input.dates.emplace_back(line.substr(2));
        break;
      default:
        input.entities.emplace_back(line.substr(2));
    }
  }
}

namespace pipeline_internal {

StoryTracker::StoryTracker(Store& store, const ClusterOptions& options,
                           const Normalizer& normalizer)
    : store_(store), normalizer_(normalizer), options_(options), clusterer_(options) {}

ClusterInput StoryTracker::input(const std::string& normalized_body, const std::string& title,
                                 const std::string& published, const std::string& signals) {
  // An undated article takes the time of the clustered article before it: it clusters by
  // ingest order. Only clustered ones count, the ones a replay from the store meets too.
  const std::optional<int64_t> time = iso8601_unix_seconds(published);
  ClusterInput in = cluster_input(analyzer_, normalizer_.normalize(title), normalized_body,
                                  time.value_or(last_time_));
  add_story_signals(signals, in);
  return in;
}

constexpr uint32_t kTrackerFormat = 1;

// One name for each set of options and build data, so that a run never takes a snapshot it cannot
// use; the newest replaces the others (Store::save_snapshot), which were a build's before an
// upgrade or other clustering options'.
std::string StoryTracker::snapshot_name() const {
  const uint64_t parts[] = {kTrackerFormat, normalizer_.options().fold_hamza_carriers ? 1U : 0U,
                            clusterer_.snapshot_fingerprint()};
  return fmt::format("stories:{:016x}", XXH3_64bits(parts, sizeof parts));
}

std::string StoryTracker::snapshot() const {
  std::string out;
  text::ByteWriter w(out);
  w.put(kTrackerFormat);
  w.put(static_cast<uint8_t>(normalizer_.options().fold_hamza_carriers ? 1 : 0));
  w.put(last_time_);
  w.put(static_cast<uint64_t>(store_story_.size()));
  for (const int64_t story : store_story_)
    w.put(story);
  clusterer_.append_snapshot(out);
  return out;
}

Result<bool> StoryTracker::restore_snapshot() {
  Result<std::optional<Store::Snapshot>> saved = store_.snapshot(snapshot_name());
  if (!saved.ok()) return saved.error();
  if (!saved->has_value()) return false;
  const Store::Snapshot& s = **saved;
  text::ByteReader r(s.data);
  const bool same_format = r.get<uint32_t>() == kTrackerFormat;
  const bool same_normalization =
      (r.get<uint8_t>() != 0) == normalizer_.options().fold_hamza_carriers;
  const auto last_time = r.get<int64_t>();
  std::vector<int64_t> store_story(r.count<uint64_t>(sizeof(int64_t)));
  for (int64_t& story : store_story)
    story = r.get<int64_t>();
  if (!r.ok() || !same_format || !same_normalization) {
    return false;  // another build's or other options': replayed instead
  }
  if (!clusterer_.restore(r.rest()).ok() || clusterer_.story_count() != store_story.size()) {
    clusterer_ = StoryClusterer(options_);
    return false;
  }
  store_story_ = std::move(store_story);
  for (size_t number = 0; number < store_story_.size(); ++number) {
    if (store_story_[number] >= 0) number_of_[store_story_[number]] = static_cast<uint32_t>(number);
  }
  last_time_ = last_time;
  known_decision_ = snapshot_decision_ = s.decision;
  return true;
}

Status StoryTracker::save_snapshot_when_due(int64_t decisions_between_snapshots) {
  if (known_decision_ - snapshot_decision_ < decisions_between_snapshots) return {};
  if (Status s = store_.save_snapshot(snapshot_name(), known_decision_, snapshot()); !s.ok()) {
    return s;
  }
  snapshot_decision_ = known_decision_;
  return {};
}

Status StoryTracker::load_stored() {
  if (!started_) {
    started_ = true;
    Result<bool> restored = restore_snapshot();
    if (!restored.ok()) return restored.error();
  }
  return store_.for_each_clustered(
      [&](const ClusteredArticle& a) {
        known_decision_ = a.decision;
        const ClusterInput in =
            input(normalizer_.normalize(a.body), a.title, a.published, a.story_signals);
        last_time_ = in.time;
        const auto [it, first] =
            number_of_.emplace(a.story, static_cast<uint32_t>(store_story_.size()));
        if (first) store_story_.push_back(a.story);
        clusterer_.replay(in, it->second);
      },
      known_decision_);
}

Result<bool> StoryTracker::add(int64_t sequence, int64_t decision,
                               const std::string& normalized_body, const std::string& title,
                               const std::string& published, const std::string& signals) {
  known_decision_ = std::max(known_decision_, decision);
  const ClusterInput in = input(normalized_body, title, published, signals);
  const StoryAssignment assignment = clusterer_.add(in);
  if (assignment.story >= store_story_.size()) store_story_.resize(assignment.story + 1, -1);
  if (assignment.too_short) return false;
  last_time_ = in.time;
  if (assignment.new_story) {
    Result<int64_t> story = store_.new_story();
    if (!story.ok()) return story.error();
    store_story_[assignment.story] = *story;
    number_of_[*story] = static_cast<uint32_t>(assignment.story);
    placements_.push_back({sequence, *story, std::nullopt, published});
  } else {
    placements_.push_back(
        {sequence, store_story_[assignment.story], assignment.probability, published});
  }
  return true;
}

Status StoryTracker::store_placements() {
  Status stored = store_.place_in_stories(placements_);
  placements_.clear();
  return stored;
}

}  // namespace pipeline_internal
}  // namespace khabar
