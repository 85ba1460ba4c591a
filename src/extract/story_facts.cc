#include "khabar/story_facts.h"

#include <algorithm>
#include <map>
#include <set>
#include <tuple>

namespace khabar {

std::string outlet_or_id(const ArticleFacts& article) {
  return article.outlet.empty() ? "(" + article.article_id + ")" : article.outlet;
}

bool is_unnamed_outlet(std::string_view outlet) {
  return outlet.size() == 18 && outlet.front() == '(' && outlet.back() == ')' &&
         std::all_of(outlet.begin() + 1, outlet.end() - 1,
                     [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

namespace {

using EntityOfMention = std::vector<std::vector<int>>;

// The entity of article a's mention m; -1 for no mention (an unattributed quote).
int entity_at(const EntityOfMention& entity_of, size_t a, int m) {
  return m >= 0 ? entity_of[a][static_cast<size_t>(m)] : -1;
}

void add_outlet(std::vector<std::string>& outlets, const std::string& outlet) {
  if (std::find(outlets.begin(), outlets.end(), outlet) == outlets.end()) outlets.push_back(outlet);
}

std::vector<CountGroup> group_counts(const std::vector<ArticleFacts>& articles) {
  std::map<std::pair<std::string, std::string>, CountGroup> groups;
  std::vector<std::pair<std::string, std::string>> order;
  for (const ArticleFacts& article : articles) {
    const std::string outlet = outlet_or_id(article);
    for (const CountFact& count : article.extraction.counts) {
      const auto key = std::make_pair(count.event, count.what);
      auto [it, added] = groups.try_emplace(key);
      if (added) {
        it->second.event = count.event;
        it->second.what = count.what;
        order.push_back(key);
      }
      auto& reports = it->second.reports;
      const bool repeated = std::any_of(reports.begin(), reports.end(), [&](const CountReport& r) {
        return r.outlet == outlet && r.value == count.value;
      });
      if (repeated) continue;
      CountReport report;
      report.outlet = outlet;
      report.article_id = article.article_id;
      report.value = count.value;
      report.approximate = count.approximate;
      if (count.date >= 0)
        report.date = article.extraction.dates[static_cast<size_t>(count.date)].value;
      report.sentence = count.sentence;
      reports.push_back(std::move(report));
    }
  }
  std::vector<CountGroup> out;
  for (const auto& key : order) {
    CountGroup group = std::move(groups[key]);
    std::set<std::string> outlets;
    std::set<double> exact_values;
    for (const CountReport& r : group.reports) {
      outlets.insert(r.outlet);
      if (!r.approximate) exact_values.insert(r.value);
    }
    group.single_source = outlets.size() == 1;
    // Outlets that disagree: two exact values from different outlets. One outlet revising its
    // own figure is a timeline, not a conflict.
    for (const CountReport& a : group.reports) {
      for (const CountReport& b : group.reports) {
        if (a.outlet != b.outlet && !a.approximate && !b.approximate && a.value != b.value) {
          group.conflict = true;
        }
      }
    }
    out.push_back(std::move(group));
  }
  return out;
}

std::vector<EventFact> group_events(const std::vector<ArticleFacts>& articles,
                                    const EntityOfMention& entity_of) {
  std::map<std::pair<std::string, int>, size_t> index;
  std::vector<EventFact> events;
  for (size_t a = 0; a < articles.size(); ++a) {
    for (const EventMention& event : articles[a].extraction.events) {
      std::set<int> entities;
      for (const int m : event.mentions)
        entities.insert(entity_at(entity_of, a, m));
      for (const int entity : entities) {
        if (entity < 0) continue;
        auto [it, added] = index.try_emplace({event.event, entity}, events.size());
        if (added) events.push_back({event.event, entity, {}, false, event.sentence});
        add_outlet(events[it->second].outlets, outlet_or_id(articles[a]));
      }
    }
  }
  for (EventFact& e : events)
    e.shared = e.outlets.size() >= 2;
  std::stable_sort(events.begin(), events.end(), [](const EventFact& x, const EventFact& y) {
    return x.outlets.size() > y.outlets.size();
  });
  return events;
}

std::vector<FramingUse> group_framings(const std::vector<ArticleFacts>& articles,
                                       const EntityOfMention& entity_of) {
  std::map<std::pair<std::string, int>, size_t> index;
  std::vector<FramingUse> framings;
  for (size_t a = 0; a < articles.size(); ++a) {
    for (const Framing& framing : articles[a].extraction.framings) {
      const int speaker = entity_at(entity_of, a, framing.speaker);
      auto [it, added] = index.try_emplace({framing.key, speaker}, framings.size());
      if (added) framings.push_back({framing.phrase, framing.key, speaker, {}, 0});
      FramingUse& use = framings[it->second];
      ++use.uses;
      add_outlet(use.outlets, outlet_or_id(articles[a]));
    }
  }
  // Speakers' words first, and among them the phrases of more than one word: those are the
  // framings («هجوم إرهابي هجين»); a bare «احتجاجات» is description.
  std::stable_sort(framings.begin(), framings.end(), [](const FramingUse& x, const FramingUse& y) {
    const auto rank = [](const FramingUse& f) {
      return std::make_tuple(f.speaker >= 0 ? 0 : 1, f.key.find(' ') != std::string::npos ? 0 : 1);
    };
    return rank(x) < rank(y);
  });
  return framings;
}

std::vector<TimelineItem> timeline_of(const std::vector<ArticleFacts>& articles) {
  std::vector<TimelineItem> timeline;
  for (const ArticleFacts& article : articles) {
    for (const TimelineEntry& entry : article.extraction.timeline) {
      const DateFact& date = article.extraction.dates[static_cast<size_t>(entry.date)];
      timeline.push_back({date.value, date.range_begin, date.range_end,
                          std::string(date_precision_name(date.precision)), outlet_or_id(article),
                          article.article_id, entry.sentence});
    }
  }
  // By the first day each covers; partial dates (no year) after the dated ones.
  std::stable_sort(timeline.begin(), timeline.end(),
                   [](const TimelineItem& x, const TimelineItem& y) {
                     const std::string& a = x.range_begin.empty() ? x.date : x.range_begin;
                     const std::string& b = y.range_begin.empty() ? y.date : y.range_begin;
                     const bool a_partial = a.starts_with("-") || a.find(':') != std::string::npos;
                     const bool b_partial = b.starts_with("-") || b.find(':') != std::string::npos;
                     return std::make_tuple(a_partial, a) < std::make_tuple(b_partial, b);
                   });
  return timeline;
}

}  // namespace

StoryFacts build_story_facts(const std::vector<ArticleFacts>& articles) {
  StoryFacts facts;
  for (const ArticleFacts& article : articles)
    add_outlet(facts.outlets, outlet_or_id(article));
  EntityOfMention entity_of;
  facts.entities = resolve_entities(articles, &entity_of);
  facts.counts = group_counts(articles);
  facts.events = group_events(articles, entity_of);
  facts.framings = group_framings(articles, entity_of);
  for (size_t a = 0; a < articles.size(); ++a) {
    const Extraction& x = articles[a].extraction;
    for (const Quote& quote : x.quotes) {
      const int speaker = entity_at(entity_of, a, quote.speaker);
      facts.quotes.push_back(
          {speaker, outlet_or_id(articles[a]), articles[a].article_id, quote.direct, quote.text});
    }
    for (const SourceChain& chain : x.chains) {
      ChainItem item{outlet_or_id(articles[a]), {}};
      for (const int m : chain.sources)
        item.sources.push_back(entity_at(entity_of, a, m));
      facts.chains.push_back(std::move(item));
    }
  }
  facts.timeline = timeline_of(articles);
  return facts;
}

}  // namespace khabar
