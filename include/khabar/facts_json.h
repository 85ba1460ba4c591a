// khabar/facts_json.h — the JSON form of an article's extraction and of a story's facts, shared
// by `khabar extract`, `khabar story --facts --json` and the HTTP API.
//
// Spans are byte offsets into the article's body as stored ("body" in `khabar show --json`).
// Indices between lists (a quote's speaker, a count's date) become the referenced object's
// name or value, so that each line reads on its own.
#pragma once

#include <nlohmann/json.hpp>

#include "khabar/extract.h"
#include "khabar/story_facts.h"

namespace khabar {

nlohmann::json extraction_to_json(const Extraction& extraction);
nlohmann::json story_facts_to_json(const StoryFacts& facts);

}  // namespace khabar
