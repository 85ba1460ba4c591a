#include "khabar/facts_json.h"

namespace khabar {
namespace {

nlohmann::json span_json(const ByteSpan& span) {
  return {span.begin, span.end};
}

nlohmann::json mention_json(const Mention& m) {
  nlohmann::json out{{"type", entity_type_name(m.type)},
                     {"text", m.surface},
                     {"canonical", m.canonical},
                     {"span", span_json(m.span)},
                     {"evidence", m.evidence}};
  if (!m.gazetteer_id.empty()) out["gazetteer_id"] = m.gazetteer_id;
  if (!m.role.empty()) out["role"] = m.role;
  if (!m.country.empty()) out["country"] = m.country;
  if (m.in_title) out["in_title"] = true;
  if (m.role_reference) out["role_reference"] = true;
  if (m.description) out["description"] = true;
  return out;
}

nlohmann::json date_json(const DateFact& d) {
  nlohmann::json out{{"text", d.surface}, {"type", d.type},
                     {"value", d.value},  {"precision", date_precision_name(d.precision)},
                     {"basis", d.basis},  {"span", span_json(d.span)}};
  if (!d.range_begin.empty()) out["range"] = {d.range_begin, d.range_end};
  return out;
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
    nlohmann::json count{{"value", c.value}, {"what", c.what},       {"noun", c.noun},
                         {"event", c.event}, {"trigger", c.trigger}, {"span", span_json(c.span)}};
    if (c.approximate) count["approximate"] = true;
    if (c.date >= 0) count["date"] = x.dates[static_cast<size_t>(c.date)].value;
    out["counts"].push_back(std::move(count));
  }
  for (const DateFact& d : x.dates)
    out["dates"].push_back(date_json(d));
  for (const Quote& q : x.quotes) {
    out["quotes"].push_back({{"text", q.text},
                             {"direct", q.direct},
                             {"speaker", name_of(x.mentions, q.speaker)},
                             {"verb", q.verb},
                             {"span", span_json(q.span)}});
  }
  for (const SourceChain& c : x.chains) {
    nlohmann::json sources = nlohmann::json::array();
    for (const int s : c.sources)
      sources.push_back(name_of(x.mentions, s));
    out["chains"].push_back({{"sources", sources}, {"span", span_json(c.span)}});
  }
  for (const Framing& f : x.framings) {
    out["framings"].push_back({{"phrase", f.phrase},
                               {"key", f.key},
                               {"speaker", name_of(x.mentions, f.speaker)},
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

nlohmann::json story_facts_to_json(const StoryFacts& facts) {
  nlohmann::json out{{"outlets", facts.outlets},
                     {"entities", nlohmann::json::array()},
                     {"counts", nlohmann::json::array()},
                     {"events", nlohmann::json::array()},
                     {"framings", nlohmann::json::array()},
                     {"quotes", nlohmann::json::array()},
                     {"chains", nlohmann::json::array()},
                     {"timeline", nlohmann::json::array()}};
  for (const Entity& e : facts.entities) {
    nlohmann::json aliases = nlohmann::json::array(), merges = nlohmann::json::array();
    for (const EntityAlias& a : e.aliases)
      aliases.push_back({{"text", a.surface}, {"mentions", a.mentions}});
    for (const MergeEvidence& m : e.merges) {
      merges.push_back({{"alias", m.alias}, {"into", m.into}, {"reason", m.reason}});
    }
    nlohmann::json entity{{"id", e.id},          {"type", entity_type_name(e.type)},
                          {"name", e.canonical}, {"aliases", aliases},
                          {"merges", merges},    {"mentions", e.mentions.size()},
                          {"outlets", e.outlets}};
    if (!e.role.empty()) entity["role"] = e.role;
    if (!e.country.empty()) entity["country"] = e.country;
    out["entities"].push_back(std::move(entity));
  }
  for (const CountGroup& g : facts.counts) {
    nlohmann::json reports = nlohmann::json::array();
    for (const CountReport& r : g.reports) {
      nlohmann::json report{{"outlet", r.outlet},
                            {"article", r.article_id},
                            {"value", r.value},
                            {"sentence", r.sentence}};
      if (r.approximate) report["approximate"] = true;
      if (!r.date.empty()) report["date"] = r.date;
      reports.push_back(std::move(report));
    }
    out["counts"].push_back({{"event", g.event},
                             {"what", g.what},
                             {"reports", reports},
                             {"single_source", g.single_source},
                             {"conflict", g.conflict}});
  }
  for (const EventFact& e : facts.events) {
    out["events"].push_back({{"event", e.event},
                             {"about", entity_name(facts, e.entity)},
                             {"outlets", e.outlets},
                             {"shared", e.shared},
                             {"sentence", e.sentence}});
  }
  for (const FramingUse& f : facts.framings) {
    out["framings"].push_back({{"phrase", f.phrase},
                               {"key", f.key},
                               {"speaker", entity_name(facts, f.speaker)},
                               {"outlets", f.outlets},
                               {"uses", f.uses}});
  }
  for (const QuoteItem& q : facts.quotes) {
    out["quotes"].push_back({{"speaker", entity_name(facts, q.speaker)},
                             {"outlet", q.outlet},
                             {"article", q.article_id},
                             {"direct", q.direct},
                             {"text", q.text}});
  }
  for (const ChainItem& c : facts.chains) {
    nlohmann::json sources = nlohmann::json::array({c.outlet});
    for (const int s : c.sources)
      sources.push_back(entity_name(facts, s));
    out["chains"].push_back(sources);
  }
  for (const TimelineItem& t : facts.timeline) {
    nlohmann::json item{{"date", t.date},
                        {"precision", t.precision},
                        {"outlet", t.outlet},
                        {"article", t.article_id},
                        {"sentence", t.sentence}};
    if (!t.range_begin.empty()) item["range"] = {t.range_begin, t.range_end};
    out["timeline"].push_back(std::move(item));
  }
  return out;
}

}  // namespace khabar
