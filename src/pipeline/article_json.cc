#include "khabar/article_json.h"

#include <algorithm>

#include "khabar/normalize.h"
#include "text/nesting.h"
#include "text/utf8.h"

namespace khabar {

std::string removal_excerpt(const StoredArticle& article, const Removal& removal,
                            size_t max_chars) {
  if (removal.begin >= article.raw_text.size() || removal.end <= removal.begin) return {};
  const std::string_view span =
      std::string_view(article.raw_text).substr(removal.begin, removal.end - removal.begin);
  size_t i = 0, chars = 0;
  while (i < span.size() && chars < max_chars) {
    text::next_code_point(span, i);
    ++chars;
  }
  std::string out = text::collapse_spaces(span.substr(0, i));
  if (i < span.size()) out += "…";
  return out;
}

namespace {

// The raw text cut at every removal's edges. Removals may nest or overlap (a paragraph printed
// twice inside a removed block): a piece is removed when any removal covers it, and names the
// first one that does.
nlohmann::json audit_pieces(const StoredArticle& a) {
  std::vector<size_t> cuts{0, a.raw_text.size()};
  for (const Removal& r : a.removals) {
    cuts.push_back(std::min(r.begin, a.raw_text.size()));
    cuts.push_back(std::min(r.end, a.raw_text.size()));
  }
  std::sort(cuts.begin(), cuts.end());
  cuts.erase(std::unique(cuts.begin(), cuts.end()), cuts.end());
  nlohmann::json pieces = nlohmann::json::array();
  for (size_t i = 0; i + 1 < cuts.size(); ++i) {
    const size_t begin = cuts[i], end = cuts[i + 1];
    const Removal* cover = nullptr;
    for (const Removal& r : a.removals) {
      if (r.begin <= begin && r.end >= end) {
        cover = &r;
        break;
      }
    }
    nlohmann::json piece{
        {"text", text::to_valid_utf8(std::string_view(a.raw_text).substr(begin, end - begin))}};
    if (cover != nullptr) {
      piece["kind"] = cover->kind == Removal::Kind::kMovedToMetadata ? "metadata" : "removed";
      piece["rule"] = cover->rule;
      piece["reason"] = cover->reason;
    }
    pieces.push_back(std::move(piece));
  }
  return pieces;
}

}  // namespace

nlohmann::json article_to_json(const StoredArticle& a, const ArticleJsonOptions& options) {
  nlohmann::json removals = nlohmann::json::array();
  for (const Removal& r : a.removals) {
    removals.push_back(
        {{"begin", r.begin},
         {"end", r.end},
         {"kind", r.kind == Removal::Kind::kMovedToMetadata ? "metadata" : "removed"},
         {"rule", r.rule},
         {"reason", r.reason},
         {"excerpt", removal_excerpt(a, r, options.removal_excerpt_chars)}});
  }
  nlohmann::json byline = nullptr;
  if (!a.byline.empty()) {
    byline = {{"agencies", a.byline.agencies},
              {"outlet", text_or_null(a.byline.outlet)},
              {"editor", text_or_null(a.byline.editor)},
              {"line", text_or_null(a.byline.line)}};
  }
  nlohmann::json out = {
      {"id", a.id},
      {"title", text_or_null(a.title)},
      {"text", a.body},
      {"subheads", a.subheads},
      {"byline", byline},
      {"outlet", text_or_null(a.source)},
      {"url", text_or_null(a.url)},
      {"published", text_or_null(a.published)},
      {"lang", a.lang},
      {"lang_confidence", a.lang_confidence},
      {"origin", options.origin_name_only && a.origin.find("://") == std::string::npos
                     ? a.origin.substr(a.origin.find_last_of('/') + 1)
                     : a.origin},
      {"format", a.format},
      {"encoding", a.encoding},
      {"ingested_at", a.ingested_at},
      {"removals", removals},
  };
  out["external_id"] = text_or_null(a.external_id);
  out["metadata"] = nullptr;
  if (!a.metadata_json.empty()) {
    // Ingest refuses deeper metadata, but a store written before it did may hold some: shown
    // as its text, since writing it out as JSON would recurse once a level.
    out["metadata"] = text::json_too_deep(a.metadata_json)
                          ? nlohmann::json(a.metadata_json)
                          : nlohmann::json::parse(a.metadata_json, nullptr, false);
  }
  if (options.include_raw_text) out["raw_text"] = a.raw_text;
  if (options.include_normalized) out["normalized_text"] = Normalizer().normalize(a.body);
  if (options.include_audit_text) out["audit"] = audit_pieces(a);
  return out;
}

nlohmann::json search_hit_to_json(const SearchHit& hit) {
  nlohmann::json highlights = nlohmann::json::array();
  for (const auto& [begin, end] : hit.highlights)
    highlights.push_back({begin, end});
  nlohmann::json out{{"id", hit.article_id},
                     {"title", text_or_null(hit.title)},
                     {"outlet", text_or_null(hit.outlet)},
                     {"published", text_or_null(hit.published)},
                     {"lang", hit.lang},
                     {"story", hit.story > 0 ? nlohmann::json(hit.story) : nlohmann::json(nullptr)},
                     {"score", hit.score},
                     {"snippet", hit.snippet},
                     {"highlights", highlights}};
  out["external_id"] = text_or_null(hit.external_id);
  out["all_words"] = hit.all_words;
  return out;
}

nlohmann::json search_page_to_json(const SearchPage& page) {
  nlohmann::json hits = nlohmann::json::array();
  for (const SearchHit& hit : page.hits)
    hits.push_back(search_hit_to_json(hit));
  return {{"total", page.total},
          {"total_all_words", page.total_all_words},
          {"hits", std::move(hits)},
          {"next_cursor", text_or_null(page.next_cursor)}};
}

nlohmann::json article_summary_to_json(const ArticleSummary& a) {
  return {{"id", a.id},
          {"title", text_or_null(a.title)},
          {"outlet", text_or_null(a.source)},
          {"published", text_or_null(a.published)}};
}

nlohmann::json story_summary_to_json(const StorySummary& s) {
  return {{"id", s.story},
          {"title", text_or_null(s.title)},
          {"outlets", s.outlets},
          {"articles", s.article_count},
          {"first", text_or_null(s.first_time)},
          {"last", text_or_null(s.last_time)}};
}

nlohmann::json story_member_to_json(const StoryMember& m) {
  nlohmann::json out = article_summary_to_json(m.article);
  out["similarity"] = m.similarity;
  out["family"] = m.family;
  return out;
}

nlohmann::json entity_to_json(const StoredEntity& e) {
  return {{"id", e.sequence},
          {"key", e.key},
          {"type", e.type},
          {"name", e.canonical},
          {"role", text_or_null(e.role)},
          {"country", text_or_null(e.country)}};
}

nlohmann::json entity_profile_to_json(const EntityProfile& p) {
  nlohmann::json out = entity_to_json(p.entity);
  out["articles"] = p.articles;
  out["aliases"] = nlohmann::json::array();
  for (const EntityCount& c : p.aliases)
    out["aliases"].push_back({{"text", c.value}, {"mentions", c.count}});
  out["outlets"] = nlohmann::json::array();
  for (const EntityCount& c : p.outlets)
    out["outlets"].push_back({{"outlet", text_or_null(c.value)}, {"articles", c.count}});
  out["stories"] = nlohmann::json::array();
  for (const StorySummary& s : p.stories)
    out["stories"].push_back(story_summary_to_json(s));
  out["recent"] = nlohmann::json::array();
  for (const ArticleSummary& a : p.recent)
    out["recent"].push_back(article_summary_to_json(a));
  return out;
}

}  // namespace khabar
