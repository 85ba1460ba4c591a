// khabar/facts_json.h — the JSON form of an article's extraction and of a story's facts, shared
// by `khabar extract`, `khabar story --facts --json` and the HTTP API.
//
// Spans are byte offsets into the article's body as stored ("body" in `khabar show --json`).
// Indices between lists (a quote's speaker, a count's date) become the referenced object's
// name or value, so that each line reads on its own.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <vector>

#include "khabar/extract.h"
#include "khabar/story_facts.h"

namespace khabar {

nlohmann::json extraction_to_json(const Extraction& extraction);
// Entities carry their stable `key` (place:KZ) and, as `id`, their store-wide id from
// `stored_entities` (read_story_facts gives it, in the order of facts.entities; 0 or absent:
// null, not yet extracted or not stored). An article without an outlet has null for it.
nlohmann::json story_facts_to_json(const StoryFacts& facts,
                                   const std::vector<int64_t>& stored_entities = {});

}  // namespace khabar
