// People, places and organisations in one article.
//
// In order: the names the learnt tagger finds (tagger.h; when it is on), linked to the gazetteer
// entry they spell, or one edit from (كازخستان); organisations named by a head word (وزارة الصحة،
// الهيئة العامة للإحصاء) and gazetteer phrases of two words or more where the tagger found nothing,
// since khabar counts a government or an army as an organisation and ANERcorp does not; a
// place after a head word (مدينة الكوت); the title before a person as that person's role, and
// the name after a title where the tagger found none («الرئيس الكازاخستاني قاسم جومارت
// توكايف»); names after a speech verb («وأضاف سيرومولوتوف أن», «أكد “جومارت توكاييف”»); a
// title in apposition after a name («توكاييف، رئيس كازاخستان») as that person's role; later
// bare uses of a found name; and misspelt places the tagger missed.
#include <algorithm>
#include <string>
#include <unordered_map>

#include "extract/internal/passes.h"
#include "extract/internal/tagger.h"
#include "text/spelling.h"
#include "text/utf8.h"

namespace khabar::extract_internal {
namespace {

using text::edit_distance;
using text::letters_of;
using text::skeleton;
using text::skeleton_digest;
using text::skeleton_digest_of;
using text::SkeletonDigest;

constexpr size_t kMaxNameTokens = 4;  // not counting particles (بن، آل) and the words they join
constexpr size_t kMaxOrganisationTokens = 7;
constexpr size_t kMaxTitleComplementTokens = 6;
// A place spelling must be this long (in letters) to match one edit away: short names sit one
// edit from common words.
constexpr size_t kMinFuzzyLetters = 6;

struct Builder {
  const Context& context;
  FoundMentions found;
  bool tagged = false;      // the name tagger ran first
  size_t tagged_names = 0;  // its mentions, the first ones added

  explicit Builder(const Context& c) : context(c) { found.at_token.assign(c.text.size(), -1); }

  bool free(size_t first, size_t last) const {
    for (size_t i = first; i < last; ++i) {
      if (found.at_token[i] >= 0) return false;
    }
    return true;
  }

  int add(Mention mention, size_t first, size_t last, size_t clitic_bytes) {
    mention.span = context.text.span(first, last, clitic_bytes);
    mention.surface = std::string(context.text.original_of(mention.span));
    mention.key = context.text.normalized_phrase(first, last, clitic_bytes);
    if (mention.canonical.empty()) mention.canonical = mention.surface;
    const int index = static_cast<int>(found.mentions.size());
    found.mentions.push_back(std::move(mention));
    found.tokens.emplace_back(first, last);
    found.role_keys.emplace_back();
    for (size_t i = first; i < last; ++i)
      found.at_token[i] = index;
    return index;
  }
};

bool in_categories(const Context& context, size_t token, std::initializer_list<Category> list) {
  return context.matches.has_any(token, categories(list));
}

std::string_view original_word(const Context& context, size_t token) {
  return context.text.original_of(context.text.span(token, token + 1));
}

// Words of these kinds are never part of a person's name.
constexpr uint32_t kNotNameWords = categories(
    {Category::kTitle, Category::kSpeechVerb, Category::kSpeechAdverbial, Category::kCountEvent,
     Category::kMonth, Category::kWeekday, Category::kNisba, Category::kDateRelative,
     Category::kDatePeriod, Category::kNumberWord, Category::kVia, Category::kAccording});

// «للصحفيين»: the preposition ل fused with the article, which no name begins with.
bool fused_preposition_and_article(std::string_view word) {
  return word.starts_with("لل");
}

// What any word of a name is, whatever the dictionary says: a free word of two Arabic letters
// or more (four bytes; two Latin letters are too few), no stop word, of no kNotNameWords kind.
bool name_shaped(const Context& context, const Builder& builder, size_t token) {
  const Token& t = context.text.token(token);
  return t.is_word() && builder.found.at_token[token] < 0 && t.text.size() >= 4 &&
         !fused_preposition_and_article(t.text) && !is_stop_word(context, token) &&
         !context.matches.has_any(token, kNotNameWords);
}

// Could this token be part of a person's name? `position` is its place in the name so far.
bool name_like(const Context& context, const Builder& builder, size_t token, size_t position) {
  if (!name_shaped(context, builder, token)) return false;
  const Token& t = context.text.token(token);
  const bool given_name = context.matches.has(token, Category::kGivenName);
  if (starts_with_article(t.text) && (position == 0 || given_name)) return false;
  return given_name || !context.dictionary.knows(original_word(context, token));
}

// Would the word at `token` start a name but for the dictionary knowing it? Not a head word
// either: «وزير النقل العراقي مدينة …» starts no name.
bool name_like_but_known(const Context& context, const Builder& builder, size_t token) {
  return name_shaped(context, builder, token) &&
         !starts_with_article(context.text.token(token).text) &&
         !in_categories(context, token, {Category::kOrganisationHead, Category::kPlaceHead});
}

bool ends_name(const Context& context, size_t token) {
  if (token >= context.text.size()) return true;
  const Token& t = context.text.token(token);
  return t.kind != Token::Kind::kWord || is_stop_word(context, token) ||
         fused_preposition_and_article(t.text) ||
         in_categories(context, token,
                       {Category::kSpeechVerb, Category::kDateRelative, Category::kWeekday});
}

// «بن سلمان»، «آل ثاني»، «عبد الرحمن»: a particle at `token` and the word it joins to the name,
// whatever that word is. Returns the tokens taken: 2, 1 when the word is itself a particle
// («بن عبد الرحمن»: the next pair follows), 0 when `token` is no particle.
size_t particle_pair(const Context& context, const Builder& builder, size_t token) {
  if (token + 1 >= context.text.size() || !context.matches.has(token, Category::kNameParticle))
    return 0;
  const size_t joined = token + 1;
  const Token& t = context.text.token(joined);
  if (!t.is_word() || builder.found.at_token[joined] >= 0 || is_stop_word(context, joined))
    return 0;
  return context.matches.has(joined, Category::kNameParticle) ? 1 : 2;
}

// May the word at `token` end a name of `taken` tokens that began with `first`, although
// name_like refused it? A family name that is also a common word (بوتين, a word to Hunspell),
// one with the article after a given name (أشرف القدرة), or, after a title that named a
// country, a nisba-shaped one (رئيس الوزراء العراقي محمد شياع السوداني); each only when what
// follows plainly ends the name: «فلاديمير بوتين أمس», but not «توكايف بدء عملية».
bool takes_family_name(const Context& context, const Builder& builder, size_t first, size_t token,
                       bool after_country_title) {
  if (token >= context.text.size() || !context.text.token(token).is_word() ||
      ends_name(context, token) || builder.found.at_token[token] >= 0) {
    return false;
  }
  // The title named the person's country: a nisba after the name is the family name, whatever
  // follows (رئيس الوزراء العراقي محمد شياع السوداني بتشكيل لجنة).
  if (context.matches.has(token, Category::kNisba)) return after_country_title;
  if (in_categories(context, token,
                    {Category::kTitle, Category::kCountEvent, Category::kMonth,
                     Category::kNumberWord, Category::kOrganisationHead, Category::kPlaceHead}) ||
      !(ends_name(context, token + 1) || builder.found.at_token[token + 1] >= 0)) {
    return false;
  }
  // A common word after two or more name words is more often the sentence going on
  // («أرييل هنري استقالته»).
  if (token - first > 2 ||
      (token - first == 2 && !context.matches.has(first, Category::kNameParticle) &&
       !context.matches.has(first + 1, Category::kNameParticle))) {
    return false;
  }
  if (!starts_with_article(context.text.token(token).text)) return true;
  return context.matches.has(first, Category::kGivenName);
}

// Name tokens from `first`: as many as are name-like, up to kMaxNameTokens, with the words
// particles join, and a family name takes_family_name allows.
size_t name_end(const Context& context, const Builder& builder, size_t first,
                bool after_country_title = false) {
  size_t end = first, plain = 0;
  // After «وزير النقل العراقي» a name follows, even one that is also a word (رزاق، أسعد): the
  // first word is taken if the name goes on past it.
  if (after_country_title && first < context.text.size() &&
      !name_like(context, builder, first, 0) && name_like_but_known(context, builder, first)) {
    const size_t rest = name_end(context, builder, first + 1, true);
    return rest > first + 1 ? rest : first;
  }
  while (end < context.text.size() && plain < kMaxNameTokens) {
    if (end > first || context.matches.has(end, Category::kGivenName)) {  // عبد الفتاح
      if (const size_t pair = particle_pair(context, builder, end)) {
        end += pair;
        continue;
      }
    }
    if (!name_like(context, builder, end, end - first)) break;
    ++end;
    ++plain;
  }
  if (end > first && plain < kMaxNameTokens &&
      takes_family_name(context, builder, first, end, after_country_title)) {
    ++end;
  }
  return end;
}

// A quoted name: «أكد “جومارت توكاييف”». Returns the tokens inside, or {0, 0}.
std::pair<size_t, size_t> quoted_name(const Context& context, const Builder& builder, size_t open) {
  if (open >= context.text.size() || !context.text.token(open).is_quote()) return {0, 0};
  size_t close = open + 1;
  while (close < context.text.size() && close - open <= kMaxNameTokens &&
         context.text.token(close).is_word()) {
    ++close;
  }
  if (close == open + 1 || close >= context.text.size() || !context.text.token(close).is_quote())
    return {0, 0};
  for (size_t i = open + 1; i < close; ++i) {
    const Token& t = context.text.token(i);
    if (builder.found.at_token[i] >= 0 || is_stop_word(context, i) || starts_with_article(t.text) ||
        in_categories(context, i, {Category::kTitle, Category::kNisba})) {
      return {0, 0};
    }
  }
  return {open + 1, close};
}

// Words that say what a body is rather than name it: a nationality («اللبنانية») or a definite
// common word Hunspell knows («الخارجية», «الوزراء»), at most two of them, after a head word.
// «المنظمة العالمية للملكية الفكرية» and «جامعة القاهرة» (a place) are names; «مجلس الوزراء» and
// «الحكومة السودانية» are descriptions. Hunspell knows «الليكود» too: a party's head
// (kNamingHead) always takes a name.
bool describes(const Context& context, size_t first, size_t last) {
  constexpr size_t kMaxDescribingWords = 2;
  if (last <= first || last - first > kMaxDescribingWords) return false;
  for (size_t i = first; i < last;) {
    if (const LexMatch* nisba = context.matches.longest(i, Category::kNisba)) {
      i += nisba->tokens;
      continue;
    }
    if (!starts_with_article(context.text.token(i).text) ||
        !context.dictionary.knows(original_word(context, i)) ||
        in_categories(context, i, {Category::kPlace, Category::kOrganisation})) {
      return false;
    }
    ++i;
  }
  return true;
}

// Is [first, last), which may start with an organisation's head word, a description?
bool headed_description(const Context& context, size_t first, size_t last) {
  const LexMatch* head = context.matches.longest(first, Category::kOrganisationHead);
  return head != nullptr && head->index != kNamingHead &&
         describes(context, first + head->tokens, last);
}

// A gazetteer body named by its function and country: the ministries, governments and armies
// of ministries.tsv («الخارجية الروسية», «الحكومة اللبنانية»), and the armies of
// organisations.tsv («الجيش الإسرائيلي»). «المرصد السوري» is a name.
bool named_by_function(const GazetteerEntry& entry) {
  return entry.kind == "ministry" || entry.kind == "security";
}

void add_gazetteer_mentions(Builder& builder) {
  const Context& context = builder.context;
  for (size_t i = 0; i < context.text.size();) {
    const LexMatch* best = nullptr;
    for (const LexMatch& match : context.matches.at(i)) {
      if (match.category != Category::kPlace && match.category != Category::kOrganisation &&
          match.category != Category::kKnownPerson) {
        continue;
      }
      if (longer_than(match, best)) best = &match;
    }
    // A one-word Arabic entry is often a common word too (فتح، العربية، كيف، الحدث): the
    // tagger, which reads its context, has taken it already where it is a name. The tagger
    // reads Arabic only: «NATO» is the gazetteer's.
    const bool ambiguous = builder.tagged && best != nullptr && best->tokens < 2 &&
                           text::starts_in_arabic_block(context.text.token(i).text);
    if (best == nullptr || ambiguous || !builder.free(i, i + best->tokens)) {
      ++i;
      continue;
    }
    const GazetteerEntry& entry = context.lexicon.entities[best->index];
    Mention mention;
    mention.type = entry.type;
    mention.gazetteer_id = entry.id;
    mention.canonical = entry.canonical;
    mention.country = entry.country;
    mention.evidence = "gazetteer";
    mention.description = named_by_function(entry);
    builder.add(std::move(mention), i, i + best->tokens, best->clitic_bytes);
    i += best->tokens;
  }
}

// Where the words that complete a title or an organisation's head end, and the country they
// name. After a title: a body or country (covered by a gazetteer mention), a nisba, definite
// common nouns (الخارجية، العام), one comma or opening quote before the name.
struct TitleEnd {
  size_t end = 0;  // first token after the complements
  std::string country;
};

// The longest gazetteer place or organisation starting at `token`, or null.
const LexMatch* gazetteer_body(const Context& context, size_t token) {
  const LexMatch* best = nullptr;
  for (const LexMatch& match : context.matches.at(token)) {
    if ((match.category == Category::kPlace || match.category == Category::kOrganisation) &&
        longer_than(match, best)) {
      best = &match;
    }
  }
  return best;
}

bool completes_organisation(const Context& context, size_t token) {
  const Token& t = context.text.token(token);
  if (!t.is_word() || is_stop_word(context, token) ||
      in_categories(context, token,
                    {Category::kWeekday, Category::kMonth, Category::kDateRelative,
                     Category::kDatePeriod, Category::kTitle, Category::kSpeechVerb,
                     Category::kNumberWord, Category::kOrganisationHead})) {
    return false;
  }
  return starts_with_article(t.text) || t.text.starts_with("لل") || t.text.starts_with("وال");
}

// Where an organisation headed at `head` ends (entity_heads.tsv says what completes it), and
// the country its nisba names; end == after_head when nothing completes it.
TitleEnd organisation_end(const Context& context, size_t after_head) {
  TitleEnd result{after_head, {}};
  size_t i = after_head;
  if (i < context.text.size()) {
    if (const LexMatch* body = gazetteer_body(context, i)) {  // مصرف ليبيا، بعثة الأمم المتحدة
      result.country = context.lexicon.entities[body->index].country;
      i += body->tokens;
    }
  }
  bool after_nisba = false;
  while (i < context.text.size() && i - after_head < kMaxOrganisationTokens) {
    const Token& t = context.text.token(i);
    if (const LexMatch* nisba =
            after_nisba ? nullptr : context.matches.longest(i, Category::kNisba)) {
      if (result.country.empty()) {
        result.country = context.lexicon.entities[context.lexicon.nisba_country[nisba->index]].id;
      }
      i += nisba->tokens;
      after_nisba = true;  // only «للعلوم»-like words may follow: the name is done
      continue;
    }
    if (!completes_organisation(context, i) || (after_nisba && !t.text.starts_with("لل"))) {
      // «لحقوق الإنسان»: ل and a word, then a definite word.
      if (t.is_word() && t.text.starts_with("ل") && !is_stop_word(context, i) &&
          i + 1 < context.text.size() && completes_organisation(context, i + 1) &&
          starts_with_article(context.text.token(i + 1).text)) {
        i += 2;
        continue;
      }
      break;
    }
    ++i;
  }
  result.end = i;
  return result;
}

void add_headed_organisations(Builder& builder) {
  const Context& context = builder.context;
  for (size_t i = 0; i < context.text.size(); ++i) {
    const LexMatch* head = context.matches.longest(i, Category::kOrganisationHead);
    if (head == nullptr) continue;
    const TitleEnd name = organisation_end(context, i + head->tokens);
    if (name.end == i + head->tokens || !builder.free(i, name.end)) continue;
    const LexMatch* gazetteer = gazetteer_body(context, i);
    if (gazetteer != nullptr && gazetteer->tokens >= name.end - i) continue;
    // «منظمة أطباء بلا حدود»: a generic head before a name of its own is not part of it.
    const LexMatch* body = gazetteer_body(context, i + head->tokens);
    if (body != nullptr && body->category == Category::kOrganisation &&
        i + head->tokens + body->tokens == name.end) {
      continue;
    }
    Mention mention;
    mention.type = EntityType::kOrganisation;
    mention.country = name.country;
    mention.description = headed_description(context, i, name.end);
    mention.evidence =
        "head «" + std::string(context.text.original_of(context.text.span(i, i + head->tokens))) +
        "»";
    builder.add(std::move(mention), i, name.end, head->clitic_bytes);
    i = name.end - 1;
  }
}

// «مدينة الكوت»، «محافظة واسط»، «في مدينة درنة»: the name after a place head word.
void add_headed_places(Builder& builder) {
  const Context& context = builder.context;
  auto place_word = [&](size_t token, bool idafa_allowed) {
    if (token >= context.text.size() || builder.found.at_token[token] >= 0) return false;
    const Token& t = context.text.token(token);
    if (!t.is_word() || t.text.size() < 4 || is_stop_word(context, token) ||
        in_categories(
            context, token,
            {Category::kWeekday, Category::kMonth, Category::kDateRelative, Category::kDatePeriod,
             Category::kTitle, Category::kNisba, Category::kNumberWord, Category::kCountEvent,
             Category::kCountedNoun, Category::kOrganisationHead, Category::kPlaceHead})) {
      return false;
    }
    if (idafa_allowed && starts_with_article(t.text)) return true;
    return !starts_with_article(t.text) && !context.dictionary.knows(original_word(context, token));
  };
  for (size_t i = 0; i < context.text.size(); ++i) {
    const LexMatch* head = context.matches.longest(i, Category::kPlaceHead);
    if (head == nullptr || !builder.free(i, i + head->tokens)) continue;
    const size_t first = i + head->tokens;
    if (!place_word(first, true)) continue;
    size_t last = first + 1;
    if (!starts_with_article(context.text.token(first).text) && place_word(last, false)) ++last;
    Mention mention;
    mention.type = EntityType::kPlace;
    mention.evidence =
        "after «" + std::string(context.text.original_of(context.text.span(i, first))) + "»";
    builder.add(std::move(mention), first, last, 0);
    i = last - 1;
  }
}

TitleEnd title_complements(const Context& context, const Builder& builder, size_t after_title) {
  TitleEnd result{after_title, {}};
  size_t i = after_title;
  while (i < context.text.size() && i - after_title < kMaxTitleComplementTokens) {
    const int mention = builder.found.at_token[i];
    if (mention >= 0 && builder.found.mentions[mention].type != EntityType::kPerson) {
      if (result.country.empty()) result.country = builder.found.mentions[mention].country;
      i = builder.found.tokens[mention].second;
      result.end = i;
      continue;
    }
    if (const LexMatch* nisba = context.matches.longest(i, Category::kNisba)) {
      if (result.country.empty()) {
        result.country = context.lexicon.entities[context.lexicon.nisba_country[nisba->index]].id;
      }
      i += nisba->tokens;
      result.end = i;
      continue;
    }
    if (const LexMatch* rank = context.matches.longest(i, Category::kTitle)) {  // قائد … الفريق أول
      i += rank->tokens;
      result.end = i;
      continue;
    }
    const Token& t = context.text.token(i);
    if (t.is_word() && starts_with_article(t.text) && !is_stop_word(context, i) &&
        context.dictionary.knows(original_word(context, i))) {
      ++i;
      result.end = i;
      continue;
    }
    if (t.is_word() && t.text.starts_with("لل") && !is_stop_word(context, i)) {  // للمنظمة
      ++i;
      result.end = i;
      continue;
    }
    if (t.is_word() && (t.text == "باسم" || t.text == "في")) {  // المتحدث باسم، السفير في
      ++i;
      continue;
    }
    break;
  }
  return result;
}

// Does the word after a tagged person finish the name the tagger cut short? Only a word
// Hunspell does not know, with no conjunction before it: the tagger has read the context, and
// what it left out is mostly a common word a name can be (أمين السر، امام، خليفة) or a
// spelling Hunspell misses (واعوانه، بانشاء). On ANERcorp, letting those in made 24 names
// wrong and 3 right.
bool finishes_tagged_name(const Context& context, const Builder& builder, size_t token) {
  const Token& t = context.text.token(token);
  return name_shaped(context, builder, token) && !starts_with_article(t.text) &&
         !t.text.starts_with("و") && !context.matches.has(token, Category::kGivenName) &&
         !context.dictionary.knows(original_word(context, token));
}

// A person the tagger cut short takes the name-like words after it: «قاسم جومارت» + «توكايف»,
// which Hunspell does not know.
void extend_tagged_people(Builder& builder, size_t first_tagged) {
  const Context& context = builder.context;
  for (size_t m = first_tagged; m < builder.found.mentions.size(); ++m) {
    if (builder.found.mentions[m].type != EntityType::kPerson) continue;
    auto& [first, last] = builder.found.tokens[m];
    const size_t before = last;
    while (last - first < kMaxNameTokens && last < context.text.size() &&
           finishes_tagged_name(context, builder, last)) {
      builder.found.at_token[last] = static_cast<int>(m);
      ++last;
    }
    if (last == before) continue;
    Mention& person = builder.found.mentions[m];
    const ByteSpan extended = context.text.span(first, last);
    person.span.end = extended.end;
    person.surface = std::string(context.text.original_of(person.span));
    person.canonical = person.gazetteer_id.empty() ? person.surface : person.canonical;
    person.key += " " + context.text.normalized_phrase(before, last);
  }
}

// One word the tagger took for a place or an organisation that is the last word of a person
// named in the same text is that person: «توكاييف» after «جومارت توكاييف».
void agree_on_people(Builder& builder) {
  std::unordered_map<std::string_view, size_t> family_names;
  for (size_t m = 0; m < builder.tagged_names; ++m) {
    const Mention& person = builder.found.mentions[m];
    if (person.type != EntityType::kPerson) continue;
    const std::string_view key = person.key;
    family_names.try_emplace(key.substr(key.rfind(' ') + 1), m);
  }
  for (size_t m = 0; m < builder.tagged_names; ++m) {
    Mention& name = builder.found.mentions[m];
    if (name.type == EntityType::kPerson || !name.gazetteer_id.empty() ||
        name.key.find(' ') != std::string::npos || !family_names.contains(name.key)) {
      continue;
    }
    name.type = EntityType::kPerson;
    name.evidence += ", the family name of a person named in the text";
  }
}

// The person the tagger found starting at `token`, or -1: a title before it gives its role.
int tagged_person_at(const Builder& builder, size_t token) {
  if (token >= builder.found.at_token.size()) return -1;
  const int m = builder.found.at_token[token];
  if (m < 0) return -1;
  const auto index = static_cast<size_t>(m);
  if (index >= builder.tagged_names) return -1;  // a rule's: a known person keeps its entry
  const bool starts_here = builder.found.tokens[index].first == token;
  return starts_here && builder.found.mentions[index].type == EntityType::kPerson ? m : -1;
}

// A name after a title that the tagger missed: words unknown to the dictionary, or between
// quote marks, up to where a name ends. Returns the token after the name, or 0 when there is
// none.
size_t add_titled_name(Builder& builder, size_t title_token, const LexMatch* title,
                       const TitleEnd& complements, size_t name) {
  const Context& context = builder.context;
  auto [first, last] = quoted_name(context, builder, name);
  // With the tagger on, an unquoted word after a title that it did not take for a name, glued
  // to و or ل, is no name («الملك وامبراطور»، «الرئيس واخوه»، «لانفاق»): in ANERcorp, 5 of the
  // 27 names the title rule added to the tagger's were right, none of those glued ones.
  const std::string_view next = name < context.text.size() ? context.text.token(name).text : "";
  const bool glued = next.starts_with("و") || next.starts_with("ل");
  if (first == last && !(builder.tagged && glued)) {
    first = name;
    last = name_end(context, builder, name, !complements.country.empty());
  }
  if (first == last) return 0;
  Mention mention;
  mention.type = EntityType::kPerson;
  mention.role =
      std::string(context.text.original_of(context.text.span(title_token, complements.end)));
  mention.country = complements.country;
  mention.evidence = "title «" + context.lexicon.titles[title->index] + "»";
  const int added = builder.add(std::move(mention), first, last, 0);
  builder.found.role_keys[static_cast<size_t>(added)] =
      context.text.normalized_phrase(title_token, complements.end);
  return last;
}

// A title before a person gives the person's role and country («الرئيس الكازاخستاني قاسم
// جومارت توكايف»); the person is the tagger's, or the name after the title when the tagger
// found none there.
void add_titled_roles(Builder& builder) {
  const Context& context = builder.context;
  for (size_t i = 0; i < context.text.size(); ++i) {
    const LexMatch* title = context.matches.longest(i, Category::kTitle);
    if (title == nullptr || !builder.free(i, i + title->tokens)) continue;
    const TitleEnd complements = title_complements(context, builder, i + title->tokens);
    size_t name = complements.end;
    if (name < context.text.size() && context.text.token(name).is_punct(',')) ++name;
    // «الرئيس الروسي، “فلاديمير بوتين”»: the tagger's name may stand in quotes.
    const bool quoted = name < context.text.size() && context.text.token(name).is_quote();
    const int tagged = tagged_person_at(builder, quoted ? name + 1 : name);
    if (tagged < 0) {
      i = std::max(i, add_titled_name(builder, i, title, complements, name));
      continue;
    }
    const auto m = static_cast<size_t>(tagged);
    Mention& person = builder.found.mentions[m];
    person.role = std::string(context.text.original_of(context.text.span(i, complements.end)));
    if (person.country.empty()) person.country = complements.country;
    person.evidence += ", title «" + context.lexicon.titles[title->index] + "»";
    builder.found.role_keys[m] = context.text.normalized_phrase(i, complements.end);
    i = builder.found.tokens[m].second - 1;
  }
}

bool ends_reported_subject(const Context& context, size_t token) {
  if (token >= context.text.size()) return true;
  const Token& t = context.text.token(token);
  // Whom it was said to may come first: «قال لوهرمان للصحفيين إن».
  if (t.is_word() && fused_preposition_and_article(t.text)) {
    return ends_reported_subject(context, token + 1);
  }
  return t.kind != Token::Kind::kWord || is_stop_word(context, token);
}

void add_speakers(Builder& builder) {
  const Context& context = builder.context;
  for (size_t i = 0; i + 1 < context.text.size(); ++i) {
    const LexMatch* verb = context.matches.longest(i, Category::kSpeechVerb);
    if (verb == nullptr) continue;
    const size_t after = i + verb->tokens;
    auto [first, last] = quoted_name(context, builder, after);
    if (first == last) {
      // Unquoted, the first word must be unknown to the dictionary or a given name, and the
      // name must end where the speech begins: أن، إن، a comma, a colon.
      first = after;
      last = name_end(context, builder, after);
      if (!ends_reported_subject(context, last)) continue;
    }
    if (first == last) continue;
    Mention mention;
    mention.type = EntityType::kPerson;
    mention.evidence =
        "speech verb «" + std::string(context.text.original_of(context.text.span(i, i + 1))) + "»";
    builder.add(std::move(mention), first, last, 0);
  }
}

// «“جومارت توكاييف”، رئيس كازاخستان،»: the title after a name is its role.
void add_appositive_roles(Builder& builder) {
  const Context& context = builder.context;
  for (size_t m = 0; m < builder.found.mentions.size(); ++m) {
    Mention& person = builder.found.mentions[m];
    if (person.type != EntityType::kPerson || !person.role.empty()) continue;
    size_t i = builder.found.tokens[m].second;
    if (i < context.text.size() && context.text.token(i).is_quote()) ++i;
    if (i >= context.text.size() || !context.text.token(i).is_punct(',')) continue;
    ++i;
    const LexMatch* title =
        i < context.text.size() ? context.matches.longest(i, Category::kTitle) : nullptr;
    if (title == nullptr) continue;
    const TitleEnd complements = title_complements(context, builder, i + title->tokens);
    person.role = std::string(context.text.original_of(context.text.span(i, complements.end)));
    builder.found.role_keys[m] = context.text.normalized_phrase(i, complements.end);
    if (person.country.empty()) person.country = complements.country;
  }
}

// Does the title at `title` follow a name as its apposition: «توكاييف، رئيس كازاخستان»?
bool is_appositive(const Builder& builder, size_t title) {
  const TextView& text = builder.context.text;
  if (title < 2 || !text.token(title - 1).is_punct(',')) return false;
  size_t before = title - 2;
  if (text.token(before).is_quote() && before > 0) --before;
  const int m = builder.found.at_token[before];
  return m >= 0 && builder.found.mentions[m].type == EntityType::kPerson;
}

// «وشدد رئيس كازاخستان»: a title with no name after it refers to the person named earlier
// with that role (توكاييف، رئيس كازاخستان) or with that title and country. The mention covers
// the title's words and takes the person's key, so the two merge.
void add_role_references(Builder& builder) {
  const Context& context = builder.context;
  for (size_t i = 0; i < context.text.size(); ++i) {
    const LexMatch* title = context.matches.longest(i, Category::kTitle);
    if (title == nullptr || !builder.free(i, i + title->tokens) || is_appositive(builder, i))
      continue;
    const TitleEnd complements = title_complements(context, builder, i + title->tokens);
    const std::string role = context.text.normalized_phrase(i, complements.end);
    const std::string_view title_words = context.lexicon.titles[title->index];
    int referent = -1;
    for (size_t m = 0; m < builder.found.mentions.size(); ++m) {
      const Mention& person = builder.found.mentions[m];
      if (person.type != EntityType::kPerson || builder.found.tokens[m].first >= i) continue;
      const bool same_role = !person.role.empty() && builder.found.role_keys[m] == role;
      const bool same_title_and_country =
          !complements.country.empty() && person.country == complements.country &&
          builder.found.role_keys[m].find(context.text.normalized_phrase(i, i + title->tokens)) !=
              std::string::npos;
      if (same_role || same_title_and_country) referent = static_cast<int>(m);
    }
    if (referent < 0) continue;
    Mention mention;
    mention.type = EntityType::kPerson;
    mention.role = std::string(context.text.original_of(context.text.span(i, complements.end)));
    mention.country = complements.country;
    mention.role_reference = true;
    mention.evidence = "title «" + std::string(title_words) + "» refers to «" +
                       builder.found.mentions[referent].surface + "»";
    const std::string key = builder.found.mentions[referent].key;
    const int added = builder.add(std::move(mention), i, i + title->tokens, 0);
    builder.found.mentions[added].key = key;
    i += title->tokens - 1;
  }
}

std::string_view without_clitics(std::string_view word) {
  for (const std::string_view clitic : {"وب", "ول", "فب", "فل", "و", "ف", "ب", "ل"}) {
    if (word.starts_with(clitic) && word.size() >= clitic.size() + 6)
      return word.substr(clitic.size());
  }
  return word;
}

// A found person's family name used alone later: «وأكد “بوتين”» after «فلاديمير بوتين» is
// found by its verb, but «التقى بوتين نظيره» is found only here. A word the dictionary knows
// (صالح) is taken only between quote marks, where it is plainly a name.
void add_repeated_names(Builder& builder) {
  const Context& context = builder.context;
  std::unordered_map<std::string_view, size_t> family_names;  // normalised → mention
  for (size_t m = 0; m < builder.found.mentions.size(); ++m) {
    if (builder.found.mentions[m].type != EntityType::kPerson) continue;
    const auto [first, last] = builder.found.tokens[m];
    family_names.try_emplace(context.text.token(last - 1).text, m);
  }
  if (family_names.empty()) return;
  for (size_t i = 0; i < context.text.size(); ++i) {
    const Token& t = context.text.token(i);
    if (!t.is_word() || builder.found.at_token[i] >= 0) continue;
    const std::string_view word = without_clitics(t.text);
    const auto it = family_names.find(word);
    if (it == family_names.end() && family_names.find(t.text) == family_names.end()) continue;
    const std::string_view matched = it != family_names.end() ? word : t.text;
    const bool quoted = i > 0 && context.text.token(i - 1).is_quote();
    // With the tagger on, the names it found are surer than the rules': a word Hunspell knows
    // (إسماعيل، زيدان) repeats one of them too, unless it is definite (common nouns, «الوزراء»،
    // «العام», end too many names in real news) or a word no name is used as alone (a stop
    // word: «على» is «علي» normalised; «الله» of «عبد الله»). In ANERcorp's CV this found 86
    // more names and 33 wrong ones (definite words too: 23 more and 37 wrong).
    const bool sure = builder.tagged && name_shaped(context, builder, i) &&
                      !starts_with_article(matched) && matched != "الله";
    if (!quoted && !sure && context.dictionary.knows(original_word(context, i))) continue;
    Mention mention;
    mention.type = EntityType::kPerson;
    mention.evidence = "repeats a name found earlier";
    builder.add(std::move(mention), i, i + 1, t.text.size() - matched.size());
  }
}

// The longest gazetteer entry of `type` covering exactly tokens [first, last), or null.
const LexMatch* gazetteer_entry(const Context& context, size_t first, size_t last,
                                EntityType type) {
  const LexMatch* best = nullptr;
  for (const LexMatch& match : context.matches.at(first)) {
    if ((match.category == Category::kPlace || match.category == Category::kOrganisation ||
         match.category == Category::kKnownPerson) &&
        first + match.tokens == last && context.lexicon.entities[match.index].type == type &&
        longer_than(match, best)) {
      best = &match;
    }
  }
  return best;
}

// A place the tagger found that is one edit from a gazetteer spelling (كازخستان) is that place.
void link_misspelt_place(const Context& context, size_t token, const FuzzyPlaces& places,
                         Mention& mention, size_t& clitic_bytes) {
  const Token& t = context.text.token(token);
  const std::string_view word = without_clitics(t.text);
  if (!places.may_be_near(word)) return;
  const FuzzyPlaces::Candidate* candidate = places.near(letters_of(word));
  if (candidate == nullptr) return;
  const GazetteerEntry& entry = context.lexicon.entities[candidate->entity];
  mention.gazetteer_id = entry.id;
  mention.canonical = entry.canonical;
  mention.country = entry.country;
  mention.evidence = "name tagger, one edit from the spelling «" + candidate->spelling + "»";
  clitic_bytes = t.text.size() - word.size();
}

// The longest gazetteer phrase holding [first, last) and longer than it, or null; `entry_first`
// is its first token.
const LexMatch* longer_entry_around(const Context& context, size_t first, size_t last,
                                    size_t& entry_first) {
  constexpr size_t kLongestEntry = 6;
  const LexMatch* best = nullptr;
  for (size_t at = first >= kLongestEntry ? first - kLongestEntry : 0; at <= first; ++at) {
    for (const LexMatch& match : context.matches.at(at)) {
      const bool entry = match.category == Category::kPlace ||
                         match.category == Category::kOrganisation ||
                         match.category == Category::kKnownPerson;
      if (entry && at + match.tokens >= last && match.tokens > last - first &&
          longer_than(match, best)) {
        best = &match;
        entry_first = at;
      }
    }
  }
  return best;
}

EntityType entity_type_of(NameTag tag) {
  return tag == NameTag::kBPers  ? EntityType::kPerson
         : tag == NameTag::kBLoc ? EntityType::kPlace
                                 : EntityType::kOrganisation;
}

// Does a longer gazetteer phrase take the tagged name's words? A person inside one («آتا» of
// «ألما آتا»); a name of another kind than the phrase («السويس» organisation in «قناة السويس»,
// «الخليج العربية» place in «مجلس التعاون لدول الخليج العربية»); a phrase the tagger cut in two
// («جمهورية» and «مصر العربية»). Otherwise the tagger's name stays as it is: «مكة» of «مكة
// المكرمة», «غزة» of «قطاع غزة» (on ANERcorp, giving them all to the gazetteer cost 1.3 points
// of F1).
bool entry_takes_name(const Builder& builder, const std::vector<TaggedName>& names,
                      const TaggedName& name) {
  const Context& context = builder.context;
  size_t entry_first = 0;
  const LexMatch* entry = longer_entry_around(context, name.first, name.last, entry_first);
  const size_t entry_last = entry_first + (entry != nullptr ? entry->tokens : 0);
  // The gazetteer pass can take only a phrase whose words are still free.
  if (entry == nullptr || !builder.free(entry_first, entry_last)) return false;
  if (name.tag == NameTag::kBPers ||
      context.lexicon.entities[entry->index].type != entity_type_of(name.tag)) {
    return true;
  }
  const auto pieces = std::count_if(names.begin(), names.end(), [&](const TaggedName& other) {
    return other.tag != NameTag::kBMisc && entry_first <= other.first && other.last <= entry_last;
  });
  return pieces > 1;
}

// The names the tagger finds, first: which words are names, and of what kind, is decided by the
// context the tagger reads, so that «فتح» in «وفتح الطرق» and «العربية» in «الدول العربية» are
// not taken for the movement and the outlet. A name that is a gazetteer entry takes the entry
// (its id, canonical name and country); rules then add titles, roles and the names it missed.
// Other names (MISC: nationalities, events, works) are not mentions.
void add_tagged_names(Builder& builder, const std::vector<TaggedName>& names,
                      const FuzzyPlaces& places) {
  const Context& context = builder.context;
  for (const TaggedName& name : names) {
    if (name.tag == NameTag::kBMisc || !builder.free(name.first, name.last) ||
        entry_takes_name(builder, names, name)) {
      continue;
    }
    Mention mention;
    mention.type = entity_type_of(name.tag);
    mention.evidence = "name tagger";
    size_t clitic_bytes = name_clitic_bytes(context.text.token(name.first).text);
    const LexMatch* entry = gazetteer_entry(context, name.first, name.last, mention.type);
    // A phrase of two words or more that is an entry of another kind is that entry: the
    // tagger's «الجزيرة العربية» organisation is the peninsula. (One word is often two things.)
    if (entry == nullptr && name.last - name.first >= 2) {
      for (const EntityType other :
           {EntityType::kPlace, EntityType::kOrganisation, EntityType::kPerson}) {
        if ((entry = gazetteer_entry(context, name.first, name.last, other))) {
          mention.type = other;
          break;
        }
      }
    }
    if (entry != nullptr) {
      const GazetteerEntry& e = context.lexicon.entities[entry->index];
      mention.gazetteer_id = e.id;
      mention.canonical = e.canonical;
      mention.country = e.country;
      mention.evidence = "name tagger, gazetteer";
      mention.description = named_by_function(e);
      clitic_bytes = entry->clitic_bytes;
    } else if (mention.type == EntityType::kPlace && name.last == name.first + 1) {
      link_misspelt_place(context, name.first, places, mention, clitic_bytes);
    } else if (mention.type == EntityType::kOrganisation) {
      mention.description = headed_description(context, name.first, name.last);
    }
    builder.add(std::move(mention), name.first, name.last, clitic_bytes);
  }
}

// A misspelt place the tagger missed: the seeds' «كازخستان» stands alone after «إلى».
void add_misspelt_places(Builder& builder, const FuzzyPlaces& places) {
  const Context& context = builder.context;
  for (size_t i = 0; i < context.text.size(); ++i) {
    const Token& t = context.text.token(i);
    if (!t.is_word() || builder.found.at_token[i] >= 0) continue;
    const std::string_view word = without_clitics(t.text);
    // A definite word the tagger, reading its context, took for no name is a common noun one
    // edit from a place («الجائزة» الجيزة, «الرابط» الرباط): 4 of 42 such words were places in
    // ANERcorp's cross-validation.
    const bool definite = starts_with_article(word) || t.text.starts_with("لل");
    if (!places.may_be_near(word) || (builder.tagged && definite)) continue;
    const std::u32string letters = letters_of(word);
    const FuzzyPlaces::Candidate* candidate = places.near(letters);
    if (candidate == nullptr || in_categories(context, i, {Category::kNisba, Category::kStopWord}))
      continue;
    const GazetteerEntry& entry = context.lexicon.entities[candidate->entity];
    Mention mention;
    mention.type = EntityType::kPlace;
    mention.gazetteer_id = entry.id;
    mention.canonical = entry.canonical;
    mention.country = entry.country;
    mention.evidence = "one edit from the spelling «" + candidate->spelling + "»";
    builder.add(std::move(mention), i, i + 1, t.text.size() - word.size());
  }
}

}  // namespace

FuzzyPlaces::FuzzyPlaces(const Lexicon& lexicon) {
  for (const auto& [spelling, entity] : lexicon.single_word_places()) {
    std::u32string letters = letters_of(spelling);
    if (letters.size() < kMinFuzzyLetters) continue;
    std::u32string consonants = skeleton(letters);
    skeleton_digests_.insert(skeleton_digest_of(consonants));
    by_skeleton_.emplace(std::move(consonants), static_cast<uint32_t>(candidates_.size()));
    candidates_.push_back({std::string(spelling), std::move(letters), entity});
  }
}

bool FuzzyPlaces::may_be_near(std::string_view word) const {
  const SkeletonDigest digest = skeleton_digest(word);
  return digest.letters >= kMinFuzzyLetters && skeleton_digests_.contains(digest.hash);
}

// A misspelling keeps the consonants («الماضي» is one edit from «الماتي», but not a vowel
// away) and both ends (a nisba, الجزائري, or a feminine, إيطالية, differs there), so the
// candidates are the spellings of the same skeleton, checked by the real distance. Hunspell is
// no guard here: it accepts كازخستان.
const FuzzyPlaces::Candidate* FuzzyPlaces::near(const std::u32string& letters) const {
  const auto [begin, end] = by_skeleton_.equal_range(skeleton(letters));
  for (auto it = begin; it != end; ++it) {
    const Candidate& candidate = candidates_[it->second];
    if (candidate.letters == letters) return nullptr;  // an exact spelling: not a misspelling
    if (candidate.letters.back() == letters.back() &&
        edit_distance(candidate.letters, letters) == 1) {
      return &candidate;
    }
  }
  return nullptr;
}

FoundMentions find_mentions(const Context& context, const FuzzyPlaces& places,
                            const NameTagger* tagger) {
  Builder builder(context);
  if (tagger != nullptr) {
    builder.tagged = true;
    add_tagged_names(builder, tagger->tag(context), places);
    builder.tagged_names = builder.found.mentions.size();
    extend_tagged_people(builder, 0);
    agree_on_people(builder);
  }
  add_headed_organisations(builder);
  add_gazetteer_mentions(builder);
  add_headed_places(builder);
  add_titled_roles(builder);
  add_speakers(builder);
  add_appositive_roles(builder);
  add_role_references(builder);
  add_repeated_names(builder);
  add_misspelt_places(builder, places);

  // In text order, so that later passes can walk them with the tokens.
  std::vector<size_t> order(builder.found.mentions.size());
  for (size_t i = 0; i < order.size(); ++i)
    order[i] = i;
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    return builder.found.tokens[a].first < builder.found.tokens[b].first;
  });
  FoundMentions sorted;
  sorted.at_token.assign(context.text.size(), -1);
  for (const size_t old : order) {
    const int index = static_cast<int>(sorted.mentions.size());
    sorted.mentions.push_back(std::move(builder.found.mentions[old]));
    sorted.tokens.push_back(builder.found.tokens[old]);
    sorted.role_keys.push_back(std::move(builder.found.role_keys[old]));
    for (size_t i = sorted.tokens.back().first; i < sorted.tokens.back().second; ++i) {
      sorted.at_token[i] = index;
    }
  }
  return sorted;
}

}  // namespace khabar::extract_internal
