#include "facts_view.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <array>
#include <cmath>
#include <cstdlib>
#include <string_view>

#include "commands.h"

namespace khabar::cli {
namespace {

// A date as extraction writes it, in words where it is not a plain ISO date: a weekday with no
// publication date to place it (weekday:1), or a day or month whose year the text did not say
// (--01-10, --01).
std::string date_label(const std::string& value) {
  static constexpr std::array<std::string_view, 7> kWeekdays = {
      "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"};
  static constexpr std::array<std::string_view, 12> kMonths = {
      "January", "February", "March",     "April",   "May",      "June",
      "July",    "August",   "September", "October", "November", "December"};
  if (value.size() == 9 && value.starts_with("weekday:") && value[8] >= '1' && value[8] <= '7')
    return fmt::format("a {} (no publication date to place it)", kWeekdays[value[8] - '1']);
  if (value.starts_with("--") && value.size() >= 4) {
    const int month = std::atoi(value.substr(2, 2).c_str());
    if (month < 1 || month > 12) return value;
    if (value.size() == 7 && value[4] == '-')
      return fmt::format("{} {} (year not said)", std::atoi(value.substr(5, 2).c_str()),
                         kMonths[static_cast<size_t>(month - 1)]);
    if (value.size() == 4)
      return fmt::format("{} (year not said)", kMonths[static_cast<size_t>(month - 1)]);
  }
  return value;
}

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
                       isolated_list(e.outlets));
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
                                   isolated(r.outlet),
                                   r.date.empty() ? "" : ", " + date_label(r.date)));
    }
    const std::string mark = g.conflict        ? "  CONFLICT between outlets"
                             : g.single_source ? "  single source"
                                               : "  agreed";
    // A count with no event named ("12 hours") is shown as what it counts alone.
    const std::string counted = g.event.empty() ? g.what : g.event + " · " + g.what;
    out << fmt::format("  {}: {}{}\n", counted, fmt::join(values, "; "), mark);
  }
}

void print_events(const StoryFacts& facts, std::ostream& out) {
  out << "\nWhat happened, by outlet\n";
  if (facts.events.empty()) out << "  none found\n";
  for (const EventFact& e : facts.events) {
    out << fmt::format("  {} · {}: {}{}\n", e.event, isolated(name(facts, e.entity, "?")),
                       isolated_list(e.outlets), e.shared ? "  shared" : "  single source");
  }
}

void print_framings(const StoryFacts& facts, std::ostream& out) {
  out << "\nFramings\n";
  if (facts.framings.empty()) out << "  none found\n";
  for (const FramingUse& f : facts.framings) {
    out << fmt::format("  «{}» — {} [{}]\n", f.phrase,
                       isolated(name(facts, f.speaker, "the outlet's own words")),
                       isolated_list(f.outlets));
  }
}

void print_quotes(const StoryFacts& facts, std::ostream& out) {
  out << "\nQuotes and statements\n";
  if (facts.quotes.empty()) out << "  none found\n";
  for (const QuoteItem& q : facts.quotes) {
    out << fmt::format("  {} ({}, {}): {}\n", isolated(name(facts, q.speaker, "unattributed")),
                       isolated(q.outlet), q.direct ? "quoted" : "reported",
                       isolated(cut(q.text, kMaxQuoteChars)));
  }
  for (const ChainItem& c : facts.chains) {
    std::vector<std::string> sources{isolated(c.outlet)};
    for (const int s : c.sources)
      sources.push_back(isolated(name(facts, s, "?")));
    out << fmt::format("  source chain: {}\n", fmt::join(sources, " ← "));
  }
}

void print_timeline(const StoryFacts& facts, std::ostream& out) {
  out << "\nTimeline\n";
  if (facts.timeline.empty()) out << "  no dated statements\n";
  for (const TimelineItem& t : facts.timeline) {
    const std::string when = t.range_begin.empty()
                                 ? date_label(t.date)
                                 : date_label(t.range_begin) + " … " + date_label(t.range_end);
    out << fmt::format("  {:<24} {} {}\n", when, or_dash(t.outlet, 12),
                       isolated(cut(t.sentence, kMaxQuoteChars)));
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
