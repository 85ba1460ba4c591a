#include "khabar/article_json.h"

#include "khabar/normalize.h"
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
  nlohmann::json byline = nlohmann::json::object();
  if (!a.byline.empty()) {
    byline = {{"agencies", a.byline.agencies},
              {"outlet", a.byline.outlet},
              {"editor", a.byline.editor},
              {"line", a.byline.line}};
  }
  nlohmann::json out = {
      {"id", a.id},
      {"title", a.title},
      {"text", a.body},
      {"subheads", a.subheads},
      {"byline", byline},
      {"source", a.source},
      {"url", a.url},
      {"published", a.published.empty() ? nlohmann::json(nullptr) : nlohmann::json(a.published)},
      {"lang", a.lang},
      {"lang_confidence", a.lang_confidence},
      {"origin", a.origin},
      {"format", a.format},
      {"encoding", a.encoding},
      {"ingested_at", a.ingested_at},
      {"removals", removals},
  };
  if (!a.external_id.empty()) out["external_id"] = a.external_id;
  if (!a.metadata_json.empty()) {
    out["metadata"] = nlohmann::json::parse(a.metadata_json, nullptr, false);
  }
  if (options.include_raw_text) out["raw_text"] = a.raw_text;
  if (options.include_normalized) out["normalized_text"] = Normalizer().normalize(a.body);
  return out;
}

nlohmann::json search_hit_to_json(const SearchHit& hit) {
  nlohmann::json highlights = nlohmann::json::array();
  for (const auto& [begin, end] : hit.highlights)
    highlights.push_back({begin, end});
  nlohmann::json out{
      {"id", hit.article_id},       {"title", hit.title},     {"source", hit.outlet},
      {"published", hit.published}, {"lang", hit.lang},       {"story", hit.story},
      {"score", hit.score},         {"snippet", hit.snippet}, {"highlights", highlights}};
  if (!hit.external_id.empty()) out["external_id"] = hit.external_id;
  if (!hit.all_words) out["all_words"] = false;
  return out;
}

}  // namespace khabar
