#include "khabar/facts_json.h"

#include <cmath>
#include <utility>

#include "khabar/article_json.h"

namespace khabar {
namespace {

nlohmann::json outlet_json(const std::string& outlet) {
  return outlet.empty() || is_unnamed_outlet(outlet) ? nlohmann::json(nullptr)
                                                     : nlohmann::json(outlet);
}

// Articles without an outlet are one null in a list of outlets, however many there are.
nlohmann::json outlets_json(const std::vector<std::string>& outlets) {
  nlohmann::json out = nlohmann::json::array();
  bool unnamed = false;
  for (const std::string& o : outlets) {
    nlohmann::json outlet = outlet_json(o);
    if (outlet.is_null() && std::exchange(unnamed, true)) continue;
    out.push_back(std::move(outlet));
  }
  return out;
}

// A count of people or things is a whole number; a share or a sum of money may not be.
nlohmann::json number_json(double value) {
  if (std::trunc(value) == value && std::fabs(value) < 9.0e15) return static_cast<int64_t>(value);
  return value;
}

nlohmann::json span_json(const ByteSpan& span) {
  return {span.begin, span.end};
}

nlohmann::json mention_json(const Mention& m) {
  return {{"type", entity_type_name(m.type)},
          {"text", m.surface},
          {"name", m.canonical},
          {"span", span_json(m.span)},
          {"evidence", m.evidence},
          {"gazetteer_id", text_or_null(m.gazetteer_id)},
          {"role", text_or_null(m.role)},
          {"country", text_or_null(m.country)},
          {"in_title", m.in_title},
          {"role_reference", m.role_reference},
          {"description", m.description}};
}

nlohmann::json date_json(const DateFact& d) {
  return {{"text", d.surface},
          {"type", d.type},
          {"value", d.value},
          {"precision", date_precision_name(d.precision)},
          {"basis", d.basis},
          {"span", span_json(d.span)},
          {"range", d.range_begin.empty() ? nlohmann::json(nullptr)
                                          : nlohmann::json::array({d.range_begin, d.range_end})}};
}

std::string name_of(const std::vector<Mention>& mentions, int index) {
  return index >= 0 ? mentions[static_cast<size_t>(index)].canonical : std::string();
}

std::string entity_name(const StoryFacts& facts, int index) {
  return index >= 0 ? facts.entities[static_cast<size_t>(index)].canonical : std::string();
}

}  // namespace

nlohmann::json extraction_to_json(const Extraction& x) {
  nlohmann::json out{{"mentions", nlohmann::json::array()}, {"counts", nlohmann::json::array()},
                     {"dates", nlohmann::json::array()},    {"quotes", nlohmann::json::array()},
                     {"chains", nlohmann::json::array()},   {"framings", nlohmann::json::array()},
                     {"events", nlohmann::json::array()}};
  for (const Mention& m : x.mentions)
    out["mentions"].push_back(mention_json(m));
  for (const CountFact& c : x.counts) {
    nlohmann::json count{
        {"value", number_json(c.value)},
        {"what", c.what},
        {"noun", c.noun},
        {"event", c.event},
        {"trigger", c.trigger},
        {"span", span_json(c.span)},
        {"approximate", c.approximate},
        {"date", c.date >= 0 ? nlohmann::json(x.dates[static_cast<size_t>(c.date)].value)
                             : nlohmann::json(nullptr)}};
    out["counts"].push_back(std::move(count));
  }
  for (const DateFact& d : x.dates)
    out["dates"].push_back(date_json(d));
  for (const Quote& q : x.quotes) {
    out["quotes"].push_back({{"text", q.text},
                             {"direct", q.direct},
                             {"speaker", text_or_null(name_of(x.mentions, q.speaker))},
                             {"verb", q.verb},
                             {"span", span_json(q.span)}});
  }
  for (const SourceChain& c : x.chains) {
    nlohmann::json sources = nlohmann::json::array();
    for (const int s : c.sources)
      sources.push_back(text_or_null(name_of(x.mentions, s)));
    out["chains"].push_back({{"sources", sources}, {"span", span_json(c.span)}});
  }
  for (const Framing& f : x.framings) {
    out["framings"].push_back({{"phrase", f.phrase},
                               {"key", f.key},
                               {"speaker", text_or_null(name_of(x.mentions, f.speaker))},
                               {"span", span_json(f.span)}});
  }
  for (const EventMention& e : x.events) {
    nlohmann::json names = nlohmann::json::array();
    for (const int m : e.mentions)
      names.push_back(name_of(x.mentions, m));
    out["events"].push_back({{"event", e.event}, {"trigger", e.trigger}, {"about", names}});
  }
  return out;
}

nlohmann::json story_facts_to_json(const StoryFacts& facts,
                                   const std::vector<StoredEntity>& stored_entities) {
  nlohmann::json out{
      {"outlets", outlets_json(facts.outlets)}, {"entities", nlohmann::json::array()},
      {"counts", nlohmann::json::array()},      {"events", nlohmann::json::array()},
      {"framings", nlohmann::json::array()},    {"quotes", nlohmann::json::array()},
      {"chains", nlohmann::json::array()},      {"timeline", nlohmann::json::array()}};
  for (const Entity& e : facts.entities) {
    nlohmann::json aliases = nlohmann::json::array(), merges = nlohmann::json::array();
    for (const EntityAlias& a : e.aliases)
      aliases.push_back({{"text", a.surface}, {"mentions", a.mentions}});
    for (const MergeEvidence& m : e.merges) {
      merges.push_back({{"alias", m.alias}, {"into", m.into}, {"reason", m.reason}});
    }
    const size_t i = out["entities"].size();
    const StoredEntity* stored = i < stored_entities.size() && stored_entities[i].sequence > 0
                                     ? &stored_entities[i]
                                     : nullptr;
    nlohmann::json entity{
        {"id", stored ? nlohmann::json(stored->sequence) : nlohmann::json(nullptr)},
        {"key", stored ? stored->key : e.id},
        {"type", entity_type_name(e.type)},
        {"name", e.canonical},
        {"role", text_or_null(e.role)},
        {"country", text_or_null(e.country)},
        {"aliases", aliases},
        {"merges", merges},
        {"mentions", e.mentions.size()},
        {"outlets", outlets_json(e.outlets)}};
    out["entities"].push_back(std::move(entity));
  }
  for (const CountGroup& g : facts.counts) {
    nlohmann::json reports = nlohmann::json::array();
    for (const CountReport& r : g.reports) {
      reports.push_back({{"outlet", outlet_json(r.outlet)},
                         {"article", r.article_id},
                         {"value", number_json(r.value)},
                         {"approximate", r.approximate},
                         {"date", text_or_null(r.date)},
                         {"sentence", r.sentence}});
    }
    out["counts"].push_back({{"event", g.event},
                             {"what", g.what},
                             {"reports", reports},
                             {"single_source", g.single_source},
                             {"conflict", g.conflict}});
  }
  for (const EventFact& e : facts.events) {
    out["events"].push_back({{"event", e.event},
                             {"about", text_or_null(entity_name(facts, e.entity))},
                             {"outlets", outlets_json(e.outlets)},
                             {"shared", e.shared},
                             {"sentence", e.sentence}});
  }
  for (const FramingUse& f : facts.framings) {
    out["framings"].push_back({{"phrase", f.phrase},
                               {"key", f.key},
                               {"speaker", text_or_null(entity_name(facts, f.speaker))},
                               {"outlets", outlets_json(f.outlets)},
                               {"uses", f.uses}});
  }
  for (const QuoteItem& q : facts.quotes) {
    out["quotes"].push_back({{"speaker", text_or_null(entity_name(facts, q.speaker))},
                             {"outlet", outlet_json(q.outlet)},
                             {"article", q.article_id},
                             {"direct", q.direct},
                             {"text", q.text}});
  }
  for (const ChainItem& c : facts.chains) {
    nlohmann::json sources = nlohmann::json::array({outlet_json(c.outlet)});
    for (const int s : c.sources)
      sources.push_back(text_or_null(entity_name(facts, s)));
    out["chains"].push_back(sources);
  }
  for (const TimelineItem& t : facts.timeline) {
    nlohmann::json item{{"date", t.date},
                        {"precision", t.precision},
                        {"outlet", outlet_json(t.outlet)},
                        {"article", t.article_id},
                        {"sentence", t.sentence}};
    item["range"] = t.range_begin.empty() ? nlohmann::json(nullptr)
                                          : nlohmann::json::array({t.range_begin, t.range_end});
    out["timeline"].push_back(std::move(item));
  }
  return out;
}

}  // namespace khabar
