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
#include "khabar/store.h"
#include "khabar/story_facts.h"

namespace khabar {

nlohmann::json extraction_to_json(const Extraction& extraction);
// Entities carry, as `id` and `key`, the stored entity's (read_story_facts gives them, in the
// order of facts.entities), so that /api/entities/{id} and /api/entities/{key} name the same
// one; while an entity is not stored yet, `id` is null and `key` the story's own. An article
// without an outlet has null for it.
nlohmann::json story_facts_to_json(const StoryFacts& facts,
                                   const std::vector<StoredEntity>& stored_entities = {});

}  // namespace khabar
