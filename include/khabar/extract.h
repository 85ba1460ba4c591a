// khabar/extract.h — who, where, how many, when and who said what, from one article's text.
//
// Extraction is rules over khabar's normalised text, with the rules as data (data/extract/):
// gazetteers of places, organisations and public figures with the spellings outlets use; titles
// and speech verbs that put a person's name after them; words that say what a number counts
// and what happened to it; month names in the Egyptian/Gulf, Levantine and Maghreb systems and
// the Hijri calendar; weekdays, ordinal day words and relative expressions. No model, nothing
// downloaded. Arabic's Hunspell dictionary (Debian's hunspell-ar, read at run time when present)
// tells a name from a common word at a name's edge: «قاسم جومارت توكايف بدء» stops before بدء.
//
//   khabar::Extractor extractor;
//   khabar::Extraction x = extractor.extract({.text = article.body,
//                                            .published = "2022-01-10"});
//   for (const khabar::Mention& m : x.mentions)   // people, places, organisations
//     std::cout << khabar::entity_type_name(m.type) << " " << m.surface << "\n";
//   x.counts;   // {7939, "person", "arrested"}, with the sentence's date when it has one
//   x.dates;    // «العاشر من يناير» → 2022-01-10; without a publication date, --01-10
//   x.quotes;   // direct and reported speech, with the speaker's mention
//
// Every span is a byte range in ExtractInput::text, so a page can highlight the original. Text
// that is not valid UTF-8 is read with U+FFFD in place of bad bytes, as everywhere in khabar.
// An Extractor is immutable after construction and can be shared by threads.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace khabar {

enum class EntityType { kPerson, kPlace, kOrganisation };
std::string_view entity_type_name(EntityType type);  // "person", "place", "organisation"

struct ByteSpan {
  size_t begin = 0;
  size_t end = 0;
};

struct Mention {
  EntityType type = EntityType::kPerson;
  std::string surface;  // as printed, quotes and clitics (و، ب، ل) left out
  std::string key;      // normalised form, the basis of alias merging
  // The gazetteer entry it matched ("KZ", "CSTO", "RU-MFA", "lavrov"); empty for a name found
  // by a title or a speech verb.
  std::string gazetteer_id;
  std::string canonical;  // the gazetteer's canonical name, or the surface
  std::string role;  // a person's title as printed: «نائب وزير الخارجية الروسي»
  std::string country;   // a person's or body's country (ISO code), from its title or entry
  std::string evidence;  // why: "gazetteer", "title «الرئيس»", "speech verb «أكد»", ...
  ByteSpan span;         // in ExtractInput::text, or in its title when in_title
  bool in_title = false;
  // A title standing for a person named earlier («وشدد رئيس كازاخستان»): its key is that
  // person's, and its surface is the title, not a spelling of the name.
  bool role_reference = false;
  // An organisation called by what it is, not by a name of its own: «الحكومة اللبنانية»،
  // «وزارة الخارجية»، «الجيش الإسرائيلي» (ACE's nominal mentions). Linked and counted like a
  // name; name taggers' conventions (ANERcorp, CoNLL) leave them out.
  bool description = false;
};

struct CountFact {
  double value = 0;
  bool approximate = false;  // عشرات، مئات: "at least" value
  std::string what;          // class from counted_nouns.tsv: person, soldier, day ...
  std::string noun;          // the counted noun as printed
  std::string event;         // from count_events.tsv: arrested, killed ...; "" when unsaid
  std::string trigger;       // the word that gave the event
  int date = -1;             // index in Extraction::dates of the sentence's date
  std::string sentence;      // the sentence it was read from, as printed
  ByteSpan span;             // the number and its noun
};

enum class DatePrecision {
  kDay,
  kPartOfMonth,
  kMonth,
  kWeek,
  kPartOfYear,
  kYear,
  kWeekday,
  kTime,   // a part of a day or an hour
  kVague,  // «قبل سنوات»: some time ago, PAST_REF
};
std::string_view date_precision_name(DatePrecision precision);

struct DateFact {
  // TimeML's TIMEX3 type: "DATE", "TIME" (a part of a day: "2022-01-10TEV"), "DURATION"
  // ("P3D", "P2Y"; "PXY" for «سنوات») or "SET" (a repetition: «يوميا» is "P1D").
  std::string type = "DATE";
  // ISO 8601, as much as is known: "2022-01-10"; "--01-10" (day and month, no year);
  // "2022-01"; "2022". A weekday without a publication date is "weekday:1" (Monday).
  // «قبل سنوات» is "PAST_REF".
  std::string value;
  std::string range_begin;  // the days it covers, when it is a range (early January)
  std::string range_end;
  DatePrecision precision = DatePrecision::kDay;
  // How it was resolved: "explicit", "publication date" (year or day taken from it),
  // "relative" (اليوم، أمس، الأسبوع الماضي، يناير الماضي), "relative month" (العاشر من الشهر
  // الجاري), "offset" (قبل ثلاثة أيام), "hijri".
  std::string basis;
  std::string surface;
  ByteSpan span;

  // A point or stretch of the calendar (a DATE or TIME with a value that names one): what a
  // timeline and a count's date can use. Not a length, a repetition or «حاليا».
  bool on_calendar() const {
    return (type == "DATE" || type == "TIME") && !value.empty() && !value.ends_with("_REF") &&
           !value.starts_with("weekday:") && !value.starts_with("X");  // XXXX-XX-XXT10:00
  }
};

struct Quote {
  std::string text;  // without its quote marks
  bool direct = true;
  // Index in Extraction::mentions of the speaker, or -1 when none was found. A speech verb
  // with no subject of its own (وتابع:) continues the previous speaker.
  int speaker = -1;
  std::string verb;  // the speech verb or participle as printed
  ByteSpan span;
};

// «ذكرت روسيا اليوم نقلا عن وكالة نوفوستي»: the sources in the order given, reporter first.
struct SourceChain {
  std::vector<int> sources;  // indices in Extraction::mentions
  ByteSpan span;
};

// What an actor or the outlet calls the event: «هجوم إرهابي هجين».
struct Framing {
  std::string phrase;  // as printed
  std::string key;     // normalised, accusative endings taken off: هجوم ارهابي هجين
  int speaker = -1;    // mention index; -1 when the outlet's own words
  ByteSpan span;
};

// A dated statement for the timeline: the sentence holding a date.
struct TimelineEntry {
  int date = -1;  // index in Extraction::dates
  std::string sentence;
  ByteSpan span;
};

// Something happening to a named body or place, from a trigger word and the names in its
// sentence: «إرسال قوات حفظ سلام … منظمة معاهدة الأمن الجماعي» (deployed, CSTO). Triggers are
// count_events.tsv's, with or without a number.
struct EventMention {
  std::string event;
  std::string trigger;        // as printed
  std::vector<int> mentions;  // places and organisations in the sentence
  std::string sentence;
  ByteSpan span;  // the trigger
};

struct Extraction {
  std::vector<Mention> mentions;
  std::vector<EventMention> events;
  std::vector<CountFact> counts;
  std::vector<DateFact> dates;
  std::vector<Quote> quotes;
  std::vector<SourceChain> chains;
  std::vector<Framing> framings;
  std::vector<TimelineEntry> timeline;
};

// An extraction as bytes, which the store keeps with its article (written at ingest) so that
// story facts are read instead of extracted again. `text` is what it was extracted from
// (ExtractInput::text): quotes and sentences are written as where they are in it, and read
// back from the same text. The bytes name their format: those of another format or byte
// order, damaged ones and ones pointing outside `text` decode to nullopt, and the article is
// then extracted again.
std::string encode_extraction(const Extraction& extraction, std::string_view text);
std::optional<Extraction> decode_extraction(std::string_view bytes, std::string_view text);

struct ExtractInput {
  std::string_view text{};  // the article body as displayed (paragraphs on lines)
  // Names in the title are mentions too («موسكو: …»); the rest is read from the body alone.
  std::string_view title{};
  std::string_view published{};  // ISO 8601 date or date-time, or empty: no date is guessed
  std::string_view lang = "ar";
};

struct ExtractOptions {
  // Debian's hunspell-ar. Without it names are still found, but their right edge is less sure.
  std::string hunspell_affix = "/usr/share/hunspell/ar.aff";
  std::string hunspell_dictionary = "/usr/share/hunspell/ar.dic";
  bool use_dictionary = true;
  // People, places and organisations found first by a tagger learnt from ANERcorp
  // (eval/ner_tagger), the rules adding roles, gazetteer ids and what it misses. Off: the rules
  // alone find names (faster, but they take «فتح» in «وفتح الطرق» for the movement).
  bool use_name_tagger = true;
  // The tagger's model, written by eval/ner_tagger; empty: the one built into khabar. Given, it
  // turns the tagger on. Extractor's constructor throws std::runtime_error, naming the file and
  // line, when it cannot be read or is of another version.
  std::string name_model;
};

class Extractor {
 public:
  explicit Extractor(ExtractOptions options = {});
  ~Extractor();
  Extractor(Extractor&&) noexcept;
  Extractor& operator=(Extractor&&) noexcept;

  Extraction extract(const ExtractInput& input) const;
  bool has_dictionary() const;

 private:
  void add_title_mentions(const ExtractInput& input, Extraction& out) const;

  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace khabar
