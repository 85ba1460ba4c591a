#include <fmt/format.h>

#include <chrono>
#include <ctime>

#include "khabar/fingerprint.h"
#include "khabar/language.h"
#include "khabar/pipeline.h"
#include "text/utf8.h"

namespace khabar {

std::string utc_now_iso8601() {
  const std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm utc{};
  gmtime_r(&now, &utc);
  char buffer[32];
  std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return buffer;
}

ArticleProcessor::ArticleProcessor(NormalizeOptions options) : normalizer_(options) {}

Result<StoredArticle> ArticleProcessor::process(const Document& doc,
                                                std::string* normalized_out) const {
  // PostgreSQL cannot hold U+0000 in text and cut the article there; SQLite kept it. Both refuse
  // it, so that one input gives one result whatever the store.
  for (const auto& [field, value] : {std::pair<const char*, const std::string*>{"text", &doc.text},
                                     {"title", &doc.title},
                                     {"url", &doc.url},
                                     {"source", &doc.source},
                                     {"id", &doc.external_id},
                                     {"metadata", &doc.metadata_json}}) {
    if (const size_t at = value->find('\0'); at != std::string::npos) {
      return make_error(ErrorCode::kBadInput,
                        fmt::format("the {} holds the character U+0000 (byte {}), which no "
                                    "article text has and PostgreSQL cannot store",
                                    field, at));
    }
  }
  CleanArticle clean = cleaner_.clean(doc);
  StoredArticle a;
  a.body = clean.body();
  // The cleaner normalises as the defaults do; a store that keeps hamza carriers has its ids, its
  // duplicates and its stories made from the body normalised its way.
  std::string normalized_body = normalizer_.options().fold_hamza_carriers
                                    ? clean.normalized_body()
                                    : normalizer_.normalize(a.body);
  if (normalized_body.empty()) {
    return make_error(ErrorCode::kBadInput,
                      fmt::format("nothing left after cleaning: all {} removed spans were "
                                  "boilerplate or markup",
                                  clean.removals.size()));
  }
  a.id = article_id(normalized_body);
  if (normalized_out != nullptr) *normalized_out = std::move(normalized_body);
  a.title = std::move(clean.title);
  a.subheads = clean.subheads();
  a.byline = std::move(clean.byline);
  a.removals = std::move(clean.removals);
  a.source = !doc.source.empty() ? doc.source : a.byline.outlet;
  a.url = doc.url;
  a.published = doc.published;
  const LanguageGuess guess = identify_language(a.body);
  if (!doc.declared_lang.empty()) {
    a.lang = doc.declared_lang;
    a.lang_confidence = guess.code == doc.declared_lang ? guess.confidence : 1.0;
  } else {
    a.lang = guess.code;
    a.lang_confidence = guess.confidence;
  }
  a.raw_text = doc.text;
  a.origin = doc.origin;
  a.format = input_format_name(doc.format);
  a.encoding = doc.encoding;
  a.external_id = doc.external_id;
  a.metadata_json = doc.metadata_json;
  a.ingested_at = utc_now_iso8601();
  return a;
}

}  // namespace khabar
