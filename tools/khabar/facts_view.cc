#include "facts_view.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <cmath>

namespace khabar::cli {
namespace {

// Quotes and sentences are cut for the terminal; --json has them whole.
constexpr size_t kMaxQuoteChars = 160;

std::string cut(const std::string& text, size_t max_chars) {
  size_t chars = 0, i = 0;
  while (i < text.size()) {
    if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80 && ++chars > max_chars) {
      return text.substr(0, i) + "…";
    }
    ++i;
  }
  return text;
}

std::string number(double value) {
  if (value == std::floor(value) && std::fabs(value) < 1e15)
    return fmt::format("{}", static_cast<int64_t>(value));
  return fmt::format("{}", value);
}

std::string name(const StoryFacts& facts, int entity, const std::string& otherwise) {
  return entity >= 0 ? facts.entities[static_cast<size_t>(entity)].canonical : otherwise;
}

void print_entities(const StoryFacts& facts, std::ostream& out) {
  out << "Entities\n";
  for (const Entity& e : facts.entities) {
    std::string detail;
    if (!e.role.empty()) detail += " — " + e.role;
    if (!e.country.empty()) detail += " (" + e.country + ")";
    out << fmt::format("  {:<12} {}{}  [{} mention{}; {}]\n", entity_type_name(e.type), e.canonical,
                       detail, e.mentions.size(), e.mentions.size() == 1 ? "" : "s",
                       fmt::join(e.outlets, ", "));
    std::vector<std::string> others;
    for (const EntityAlias& a : e.aliases) {
      if (a.surface != e.canonical) others.push_back(a.surface);
    }
    if (!others.empty())
      out << fmt::format("               also written: {}\n", fmt::join(others, "، "));
    for (const MergeEvidence& m : e.merges) {
      out << fmt::format("               «{}»: {}\n", m.alias, m.reason);
    }
  }
}

void print_counts(const StoryFacts& facts, std::ostream& out) {
  out << "\nCounts\n";
  if (facts.counts.empty()) out << "  none found\n";
  for (const CountGroup& g : facts.counts) {
    std::vector<std::string> values;
    for (const CountReport& r : g.reports) {
      values.push_back(fmt::format("{}{} ({}{})", r.approximate ? "≥" : "", number(r.value),
                                   r.outlet, r.date.empty() ? "" : ", " + r.date));
    }
    const std::string mark = g.conflict        ? "  CONFLICT between outlets"
                             : g.single_source ? "  single source"
                                               : "  agreed";
    out << fmt::format("  {} · {}: {}{}\n", g.event.empty() ? "(unsaid)" : g.event, g.what,
                       fmt::join(values, "; "), mark);
  }
}

void print_events(const StoryFacts& facts, std::ostream& out) {
  out << "\nWhat happened, by outlet\n";
  if (facts.events.empty()) out << "  none found\n";
  for (const EventFact& e : facts.events) {
    out << fmt::format("  {} · {}: {}{}\n", e.event, name(facts, e.entity, "?"),
                       fmt::join(e.outlets, ", "), e.shared ? "  shared" : "  single source");
  }
}

void print_framings(const StoryFacts& facts, std::ostream& out) {
  out << "\nFramings\n";
  if (facts.framings.empty()) out << "  none found\n";
  for (const FramingUse& f : facts.framings) {
    out << fmt::format("  «{}» — {} [{}]\n", f.phrase,
                       name(facts, f.speaker, "the outlet's own words"),
                       fmt::join(f.outlets, ", "));
  }
}

void print_quotes(const StoryFacts& facts, std::ostream& out) {
  out << "\nQuotes and statements\n";
  if (facts.quotes.empty()) out << "  none found\n";
  for (const QuoteItem& q : facts.quotes) {
    out << fmt::format("  {} ({}, {}): {}\n", name(facts, q.speaker, "unattributed"), q.outlet,
                       q.direct ? "quoted" : "reported", cut(q.text, kMaxQuoteChars));
  }
  for (const ChainItem& c : facts.chains) {
    std::vector<std::string> sources{c.outlet};
    for (const int s : c.sources)
      sources.push_back(name(facts, s, "?"));
    out << fmt::format("  source chain: {}\n", fmt::join(sources, " ← "));
  }
}

void print_timeline(const StoryFacts& facts, std::ostream& out) {
  out << "\nTimeline\n";
  if (facts.timeline.empty()) out << "  no dated statements\n";
  for (const TimelineItem& t : facts.timeline) {
    const std::string when = t.range_begin.empty() ? t.date : t.range_begin + " … " + t.range_end;
    out << fmt::format("  {:<24} {:<12} {}\n", when, t.outlet, cut(t.sentence, kMaxQuoteChars));
  }
}

}  // namespace

void print_story_facts(const StoryFacts& facts, std::ostream& out) {
  print_entities(facts, out);
  print_counts(facts, out);
  print_events(facts, out);
  print_framings(facts, out);
  print_quotes(facts, out);
  print_timeline(facts, out);
}

}  // namespace khabar::cli
