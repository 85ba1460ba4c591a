#include <cstdint>
#include <cstdlib>
#include <optional>
#include <string_view>

#include "khabar/extract.h"
#include "khabar/story_facts.h"

namespace {

// What the extraction's quotes and sentences may point into.
constexpr std::string_view kText =
    "قال وزير الخارجية سيرغي لافروف في 10 يناير: «لن نسمح بتكرار ما حدث». واعتقلت الشرطة 12 "
    "شخصا في ألماتي.";

bool in_range(int i, size_t size) {
  return i >= -1 && (i < 0 || static_cast<size_t>(i) < size);
}

}  // namespace

// Any bytes as a stored extraction (the store's articles.extraction) of kText: decoded, every
// index points into its list, as story facts assume, and writing it again reads back the same.
extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const std::optional<khabar::Extraction> x = khabar::decode_extraction(input, kText);
  if (!x) return 0;
  const size_t mentions = x->mentions.size(), dates = x->dates.size();
  for (const khabar::Quote& q : x->quotes)
    if (!in_range(q.speaker, mentions)) std::abort();
  for (const khabar::Framing& f : x->framings)
    if (!in_range(f.speaker, mentions)) std::abort();
  for (const khabar::CountFact& c : x->counts)
    if (!in_range(c.date, dates)) std::abort();
  for (const khabar::TimelineEntry& t : x->timeline)
    if (t.date < 0 || !in_range(t.date, dates)) std::abort();
  for (const khabar::SourceChain& c : x->chains)
    for (const int s : c.sources)
      if (s < 0 || !in_range(s, mentions)) std::abort();
  for (const khabar::EventMention& e : x->events)
    for (const int m : e.mentions)
      if (m < 0 || !in_range(m, mentions)) std::abort();
  // What a story's facts do with a stored extraction.
  (void)khabar::build_story_facts({{"a", "outlet", "2022-01-12", *x}, {"b", "", "", *x}});
  const std::string again = khabar::encode_extraction(*x, kText);
  const std::optional<khabar::Extraction> back = khabar::decode_extraction(again, kText);
  if (!back || khabar::encode_extraction(*back, kText) != again) std::abort();
  return 0;
}
