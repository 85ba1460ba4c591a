// One entity per person, place or body across a story's articles: see khabar/story_facts.h for
// the rules and their guards.
#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <unordered_map>

#include "khabar/story_facts.h"
#include "text/spelling.h"
#include "text/utf8.h"

namespace khabar {
namespace {

using text::edit_distance;
using text::letters_of;
using text::skeleton;

// Names of up to this many letters may differ by one edit; longer ones by two.
constexpr size_t kShortNameLetters = 6;
// Shorter tokens must match exactly: علي and عالي are different names.
constexpr size_t kMinVariantLetters = 4;

NameMatch match_tokens(const std::string& a, const std::string& b) {
  if (a == b) return NameMatch::kSame;
  const std::u32string la = letters_of(a), lb = letters_of(b);
  if (std::min(la.size(), lb.size()) < kMinVariantLetters) return NameMatch::kNone;
  if (skeleton(la) != skeleton(lb)) return NameMatch::kNone;
  // A letter added at the end makes another name: كريم، كريمي; حسن، حسني.
  if (la.back() != lb.back()) return NameMatch::kNone;
  const size_t allowed = std::max(la.size(), lb.size()) <= kShortNameLetters ? 1 : 2;
  return edit_distance(la, lb) <= allowed ? NameMatch::kVariant : NameMatch::kNone;
}

// A person's distinct spelling in the story, with its mentions.
struct Name {
  std::string key;
  std::vector<std::string> words;
  std::string surface;  // as first printed
  std::string country;
  std::vector<std::pair<size_t, size_t>> mentions;  // (article, mention)
};

struct PersonCluster {
  std::vector<std::string> words;  // the longest name's
  std::string country;
  std::vector<size_t> names;
};

std::string_view reason_of(NameMatch match) {
  switch (match) {
    case NameMatch::kSame:
      return "the same name";
    case NameMatch::kVariant:
      return "a spelling variant: the same consonants, within the edits allowed for its length";
    case NameMatch::kPartial:
      return "a partial name: its words match the longer name's, ending with the family name";
    case NameMatch::kNone:
      break;
  }
  return "";
}

struct Resolver {
  const std::vector<ArticleFacts>& articles;
  std::vector<Entity> entities;
  std::vector<std::vector<int>> entity_of;
  std::unordered_map<std::string, size_t> by_id;

  explicit Resolver(const std::vector<ArticleFacts>& a) : articles(a) {
    entity_of.resize(articles.size());
    for (size_t i = 0; i < articles.size(); ++i) {
      entity_of[i].assign(articles[i].extraction.mentions.size(), -1);
    }
  }

  size_t entity_for(const std::string& id, EntityType type, const std::string& canonical) {
    auto [it, added] = by_id.try_emplace(id, entities.size());
    if (added) {
      Entity entity;
      entity.id = id;
      entity.type = type;
      entity.canonical = canonical;
      entities.push_back(std::move(entity));
    }
    return it->second;
  }

  void attach(size_t entity, size_t article, size_t m) {
    const Mention& mention = articles[article].extraction.mentions[m];
    Entity& e = entities[entity];
    entity_of[article][m] = static_cast<int>(entity);
    e.mentions.push_back({article, mention.span, mention.in_title});
    if (e.role.empty()) e.role = mention.role;
    if (e.country.empty()) e.country = mention.country;
    const std::string outlet = outlet_or_id(articles[article]);
    if (std::find(e.outlets.begin(), e.outlets.end(), outlet) == e.outlets.end()) {
      e.outlets.push_back(outlet);
    }
    if (mention.role_reference) {
      // A title standing for the person is evidence, not a spelling of the name.
      const bool known = std::any_of(e.merges.begin(), e.merges.end(), [&](const MergeEvidence& x) {
        return x.alias == mention.surface && x.reason == mention.evidence;
      });
      if (!known) e.merges.push_back({mention.surface, e.canonical, mention.evidence});
      return;
    }
    auto alias = std::find_if(e.aliases.begin(), e.aliases.end(),
                              [&](const EntityAlias& a) { return a.surface == mention.surface; });
    if (alias != e.aliases.end()) {
      ++alias->mentions;
      return;
    }
    e.aliases.push_back({mention.surface, 1});
    // People found by patterns are merged in resolve_people, with reasons of their own.
    if (mention.surface != e.canonical && !mention.gazetteer_id.empty()) {
      e.merges.push_back({mention.surface, e.canonical,
                          mention.evidence.find("gazetteer") != std::string::npos
                              ? "a spelling of the gazetteer entry " + mention.gazetteer_id
                              : mention.evidence});
    }
  }

  void resolve_gazetteer() {
    for (size_t a = 0; a < articles.size(); ++a) {
      const auto& mentions = articles[a].extraction.mentions;
      for (size_t m = 0; m < mentions.size(); ++m) {
        if (mentions[m].gazetteer_id.empty()) continue;
        const std::string id =
            std::string(entity_type_name(mentions[m].type)) + ":" + mentions[m].gazetteer_id;
        const size_t entity = entity_for(id, mentions[m].type, mentions[m].canonical);
        entities[entity].gazetteer_id = mentions[m].gazetteer_id;
        if (entities[entity].key.empty()) entities[entity].key = mentions[m].key;
        attach(entity, a, m);
      }
    }
  }

  std::vector<Name> person_names() const {
    std::vector<Name> names;
    std::unordered_map<std::string, size_t> by_key;
    for (size_t a = 0; a < articles.size(); ++a) {
      const auto& mentions = articles[a].extraction.mentions;
      for (size_t m = 0; m < mentions.size(); ++m) {
        const Mention& mention = mentions[m];
        if (mention.type != EntityType::kPerson || !mention.gazetteer_id.empty()) continue;
        // Two people of one name and different countries are two names.
        auto [it, added] = by_key.try_emplace(mention.key + "\t" + mention.country, names.size());
        if (added) names.push_back({mention.key, name_words(mention.key), "", "", {}});
        Name& name = names[it->second];
        // A title standing for a person carries that person's key; its surface is the title.
        if (name.surface.empty() && !mention.role_reference) name.surface = mention.surface;
        if (name.country.empty()) name.country = mention.country;
        name.mentions.emplace_back(a, m);
      }
    }
    return names;
  }

  void resolve_people() {
    std::vector<Name> names = person_names();
    std::stable_sort(names.begin(), names.end(), [](const Name& x, const Name& y) {
      if (x.words.size() != y.words.size()) return x.words.size() > y.words.size();
      return x.mentions.size() > y.mentions.size();
    });
    std::vector<PersonCluster> clusters;
    std::vector<std::vector<MergeEvidence>> evidence;
    // Two names match only when their family names have one skeleton (match_person_names):
    // the clusters by that skeleton's hash, in creation order, are the only ones to try. A
    // story of hundreds of reports names thousands of people.
    std::unordered_map<uint64_t, std::vector<size_t>> clusters_by_family;
    const auto family = [](const std::vector<std::string>& words) {
      return words.empty() ? 0 : text::skeleton_digest(words.back()).hash;
    };
    static const std::vector<size_t> kNoClusters;
    for (size_t n = 0; n < names.size(); ++n) {
      const Name& name = names[n];
      std::vector<std::pair<size_t, NameMatch>> fits;
      const auto same_family = clusters_by_family.find(family(name.words));
      for (const size_t c :
           same_family == clusters_by_family.end() ? kNoClusters : same_family->second) {
        if (!countries_agree(name.country, clusters[c].country)) continue;
        const NameMatch match = match_person_names(name.words, clusters[c].words);
        if (match != NameMatch::kNone) fits.emplace_back(c, match);
      }
      if (fits.size() == 1) {
        PersonCluster& cluster = clusters[fits[0].first];
        cluster.names.push_back(n);
        if (cluster.country.empty()) cluster.country = name.country;
        evidence[fits[0].first].push_back({name.surface, names[cluster.names.front()].surface,
                                           std::string(reason_of(fits[0].second))});
        continue;
      }
      clusters_by_family[family(name.words)].push_back(clusters.size());
      clusters.push_back({name.words, name.country, {n}});
      evidence.emplace_back();
      if (fits.size() > 1) {
        std::string candidates;
        for (const auto& [c, match] : fits) {
          candidates += (candidates.empty() ? "" : ", ") + names[clusters[c].names.front()].surface;
        }
        evidence.back().push_back(
            {name.surface, "", "not merged: it fits several people (" + candidates + ")"});
      }
    }
    for (size_t c = 0; c < clusters.size(); ++c) {
      const Name& longest = names[clusters[c].names.front()];
      const std::string canonical = longest.surface.empty() ? longest.key : longest.surface;
      // Namesakes of different countries, or a partial name left alone, need ids of their own.
      std::string id = person_entity_id(longest.words, clusters[c].country);
      for (int suffix = 2; by_id.contains(id); ++suffix) {
        id = id.substr(0, id.rfind('#')) + "#" + std::to_string(suffix);
      }
      const size_t entity = entity_for(id, EntityType::kPerson, canonical);
      entities[entity].key = longest.key;
      for (const size_t n : clusters[c].names) {
        for (const auto& [a, m] : names[n].mentions)
          attach(entity, a, m);
      }
      for (MergeEvidence& e : evidence[c]) {
        if (e.alias != canonical || e.into.empty()) entities[entity].merges.push_back(std::move(e));
      }
    }
  }

  void sort_by_mentions() {
    std::vector<size_t> order(entities.size());
    for (size_t i = 0; i < order.size(); ++i)
      order[i] = i;
    std::stable_sort(order.begin(), order.end(), [&](size_t x, size_t y) {
      return entities[x].mentions.size() > entities[y].mentions.size();
    });
    std::vector<int> new_index(entities.size());
    std::vector<Entity> sorted;
    for (size_t i = 0; i < order.size(); ++i) {
      new_index[order[i]] = static_cast<int>(i);
      sorted.push_back(std::move(entities[order[i]]));
    }
    entities = std::move(sorted);
    for (auto& article : entity_of) {
      for (int& e : article) {
        if (e >= 0) e = new_index[static_cast<size_t>(e)];
      }
    }
    for (Entity& e : entities) {
      std::stable_sort(
          e.aliases.begin(), e.aliases.end(),
          [](const EntityAlias& x, const EntityAlias& y) { return x.mentions > y.mentions; });
    }
  }
};

}  // namespace

bool countries_agree(const std::string& a, const std::string& b) {
  return a.empty() || b.empty() || a == b;
}

std::vector<std::string> name_words(std::string_view key) {
  std::vector<std::string> words;
  size_t start = 0;
  while (start <= key.size()) {
    size_t end = key.find(' ', start);
    if (end == std::string_view::npos) end = key.size();
    if (end > start) words.emplace_back(key.substr(start, end - start));
    start = end + 1;
  }
  return words;
}

std::string person_entity_id(const std::vector<std::string>& words, const std::string& country) {
  std::string id = "person:";
  for (size_t i = 0; i < words.size(); ++i) {
    if (i > 0) id += '_';
    id += words[i];
  }
  if (!country.empty()) id += "." + country;
  return id;
}

NameMatch match_person_names(const std::vector<std::string>& shorter,
                             const std::vector<std::string>& longer) {
  if (shorter.empty() || longer.empty() || shorter.size() > longer.size()) return NameMatch::kNone;
  // Right to left: the family name first, then each earlier word of the shorter name in order.
  NameMatch worst = NameMatch::kSame;
  size_t j = longer.size();
  for (size_t i = shorter.size(); i-- > 0;) {
    bool found = false;
    while (j > 0) {
      --j;
      const NameMatch m = match_tokens(shorter[i], longer[j]);
      if (m != NameMatch::kNone) {
        if (m == NameMatch::kVariant) worst = NameMatch::kVariant;
        found = true;
        break;
      }
      // The family names must match: «محمد بن سلمان» is not «محمد بن زايد».
      if (i == shorter.size() - 1) return NameMatch::kNone;
      // Full names of equal length must match word for word.
      if (shorter.size() == longer.size()) return NameMatch::kNone;
    }
    if (!found) return NameMatch::kNone;
  }
  if (shorter.size() < longer.size()) return NameMatch::kPartial;
  return worst;
}

std::vector<Entity> resolve_entities(const std::vector<ArticleFacts>& articles,
                                     std::vector<std::vector<int>>* entity_of_mention) {
  Resolver resolver(articles);
  resolver.resolve_gazetteer();
  resolver.resolve_people();
  resolver.sort_by_mentions();
  if (entity_of_mention != nullptr) *entity_of_mention = std::move(resolver.entity_of);
  return std::move(resolver.entities);
}

}  // namespace khabar
