// Who said what: direct quotes, reported speech after a speech verb (قال … إن …), the chains
// that attribute a report to its sources (روسيا اليوم نقلا عن وكالة نوفوستي), and the phrases
// each speaker uses to name the event.
#include <algorithm>
#include <string>

#include "extract/internal/passes.h"
#include "text/utf8.h"

namespace khabar::extract_internal {
namespace {

// A quoted span shorter than this is a name or a scare-quoted term, not a quote.
constexpr size_t kMinQuoteWords = 3;
// How far after a speech verb its subject may start, and before it (الوزير قال).
constexpr size_t kSubjectWindowAfter = 8;
constexpr size_t kSubjectWindowBefore = 6;
constexpr size_t kMaxFramingAdjectives = 2;
constexpr size_t kChainWindow = 3;

// People and bodies speak; so do countries (أعلنت كازاخستان), not cities.
bool is_speaker(const Mention& mention) {
  return mention.type != EntityType::kPlace || mention.gazetteer_id.size() == 2;
}

bool is_complementizer(const Token& token) {
  return token.is_word() && (token.text == "ان" || token.text == "بان" || token.text == "انه" ||
                             token.text == "انها" || token.text == "بانه");
}

struct QuotePair {
  size_t open = 0;  // token of the opening mark
  size_t close = 0;
};

bool glued(const TextView& text, size_t a, size_t b) {
  return text.token(a).end == text.token(b).begin;
}

// Is the quote mark at `i` an opening one? “ and « are; ” and " are read from what touches
// them, because outlets open with ” too (و”بؤر ساخنة” in the seeds): a mark glued to the word
// after it, with a space or a one-letter clitic (و، لـ) before it, opens.
bool opens_quote(const TextView& text, size_t i) {
  const std::string_view mark = text.original_of(text.span(i, i + 1));
  if (mark.starts_with("“") || mark.starts_with("«") || mark.starts_with("„")) return true;
  if (mark.starts_with("»")) return false;
  const bool word_after =
      i + 1 < text.size() && glued(text, i, i + 1) &&
      (text.token(i + 1).is_word() || text.token(i + 1).kind == Token::Kind::kNumber);
  if (!word_after) return false;
  if (i == 0 || !glued(text, i - 1, i)) return true;
  const Token& before = text.token(i - 1);
  return before.is_word() && before.text.size() <= 2;  // one Arabic letter
}

// Quote marks paired within each paragraph, nesting allowed; an opening left unclosed at the
// paragraph's end closes there (outlets drop the outer closing mark when an inner one ends
// the quote), and a closing mark with nothing open is ignored.
std::vector<QuotePair> quote_pairs(const TextView& text) {
  std::vector<QuotePair> pairs;
  std::vector<size_t> open;
  auto close_all = [&](size_t at) {
    while (!open.empty()) {
      pairs.push_back({open.back(), at});
      open.pop_back();
    }
  };
  for (size_t i = 0; i < text.size(); ++i) {
    const Token& token = text.token(i);
    if (token.kind == Token::Kind::kBreak) {
      close_all(i);
    } else if (token.is_punct('"')) {
      if (opens_quote(text, i)) {
        open.push_back(i);
      } else if (!open.empty()) {
        pairs.push_back({open.back(), i});
        open.pop_back();
      }
    }
  }
  close_all(text.size());
  std::sort(pairs.begin(), pairs.end(),
            [](const QuotePair& a, const QuotePair& b) { return a.open < b.open; });
  return pairs;
}

size_t words_between(const TextView& text, size_t first, size_t last) {
  size_t words = 0;
  for (size_t i = first; i < last; ++i)
    words += text.token(i).is_word() ? 1 : 0;
  return words;
}

class SpeechReader {
 public:
  SpeechReader(const Context& context, const FoundMentions& found, Extraction& out)
      : context_(context), text_(context.text), found_(found), out_(out) {}

  void read() {
    find_verbs();
    add_direct_quotes();
    add_reported_speech();
    add_chains();
    add_framings();
  }

 private:
  struct Verb {
    size_t token = 0;
    size_t end = 0;
    int speaker = -1;
    bool adverbial = false;
  };

  // The subject of the verb at `verb`: the first person or body after it (VSO, the usual
  // order), or the nearest before it in the sentence; with neither, the previous speaker.
  int subject_of(size_t verb_token, size_t verb_end) const {
    const Sentence& sentence = text_.sentence_of(verb_token);
    for (size_t i = verb_end; i < sentence.end && i < verb_end + kSubjectWindowAfter; ++i) {
      const Token& token = text_.token(i);
      if (is_complementizer(token) || token.is_punct(':')) break;
      const int m = found_.at_token[i];
      if (m >= 0 && is_speaker(found_.mentions[m])) return m;
    }
    for (size_t back = 1; back <= kSubjectWindowBefore && verb_token >= sentence.begin + back;
         ++back) {
      const int m = found_.at_token[verb_token - back];
      if (m >= 0 && is_speaker(found_.mentions[m])) return m;
    }
    return -1;
  }

  void find_verbs() {
    int previous = -1;
    for (size_t i = 0; i < text_.size(); ++i) {
      if (found_.at_token[i] >= 0) continue;
      const LexMatch* verb = context_.matches.longest(i, Category::kSpeechVerb);
      const LexMatch* adverbial = context_.matches.longest(i, Category::kSpeechAdverbial);
      if (verb == nullptr && adverbial == nullptr) continue;
      Verb v;
      v.token = i;
      v.end = i + (verb != nullptr ? verb->tokens : adverbial->tokens);
      v.adverbial = verb == nullptr;
      v.speaker = v.adverbial ? -1 : subject_of(i, v.end);
      // «وقال:»، «وتابع:»، «مشيرا إلى أن»: the speaker of the sentence, or the one before.
      if (v.speaker < 0) v.speaker = previous;
      previous = v.speaker;
      verbs_.push_back(v);
    }
  }

  // The nearest speech verb before `token` in its sentence («وقال: "…"»: a colon does not end
  // one).
  const Verb* verb_before(size_t token) const {
    const Sentence& sentence = text_.sentence_of(token);
    for (auto it = verbs_.rbegin(); it != verbs_.rend(); ++it) {
      if (it->token >= token) continue;
      if (it->token >= sentence.begin) return &*it;
      break;
    }
    return nullptr;
  }

  std::string verb_text(const Verb& verb) const {
    return std::string(text_.original_of(text_.span(verb.token, verb.end)));
  }

  void add_direct_quotes() {
    for (const QuotePair& pair : quote_pairs(text_)) {
      if (words_between(text_, pair.open + 1, pair.close) < kMinQuoteWords) continue;
      Quote quote;
      quote.direct = true;
      quote.span = text_.span(pair.open + 1, pair.close);
      quote.text = std::string(text::trim(text_.original_of(quote.span)));
      if (const Verb* verb = verb_before(pair.open)) {
        quote.speaker = verb->speaker;
        quote.verb = verb_text(*verb);
      }
      quote_tokens_.emplace_back(pair.open + 1, pair.close);
      out_.quotes.push_back(std::move(quote));
    }
  }

  bool inside_direct_quote(size_t token) const {
    for (const auto& [first, last] : quote_tokens_) {
      if (token >= first && token < last) return true;
    }
    return false;
  }

  // قال X إن …: what follows the complementizer, to the end of the sentence.
  void add_reported_speech() {
    for (const Verb& verb : verbs_) {
      if (verb.adverbial || inside_direct_quote(verb.token)) continue;
      const Sentence& sentence = text_.sentence_of(verb.token);
      size_t start = verb.end;
      while (start < sentence.end && !is_complementizer(text_.token(start)))
        ++start;
      if (start + 1 >= sentence.end) continue;
      size_t first = start + 1;
      if (text_.token(first).is_quote() && inside_direct_quote(first + 1)) continue;
      size_t last = sentence.end;
      while (last > first && text_.token(last - 1).kind != Token::Kind::kWord &&
             text_.token(last - 1).kind != Token::Kind::kNumber &&
             !text_.token(last - 1).is_quote()) {
        --last;
      }
      if (words_between(text_, first, last) < kMinQuoteWords) continue;
      Quote quote;
      quote.direct = false;
      quote.speaker = verb.speaker;
      quote.verb = verb_text(verb);
      quote.span = text_.span(first, last);
      quote.text = std::string(text_.original_of(quote.span));
      reported_tokens_.push_back({first, last, verb.speaker});
      out_.quotes.push_back(std::move(quote));
    }
  }

  int mention_near(size_t from, int step) const {
    for (size_t distance = 0; distance < kChainWindow; ++distance) {
      const auto at = static_cast<ptrdiff_t>(from) + step * static_cast<ptrdiff_t>(distance);
      if (at < 0 || static_cast<size_t>(at) >= text_.size()) return -1;
      const int m = found_.at_token[static_cast<size_t>(at)];
      if (m >= 0) return found_.mentions[m].type == EntityType::kOrganisation ? m : -1;
      const Token& token = text_.token(static_cast<size_t>(at));
      if (token.is_word() && token.text != "وكاله" && token.text != "صحيفه" &&
          token.text != "قناه") {
        return -1;
      }
    }
    return -1;
  }

  // X نقلا عن Y [نقلا عن Z]; بحسب Y.
  void add_chains() {
    for (size_t i = 0; i < text_.size(); ++i) {
      const LexMatch* via = context_.matches.longest(i, Category::kVia);
      const LexMatch* according = via ? nullptr : context_.matches.longest(i, Category::kAccording);
      if (via == nullptr && according == nullptr) continue;
      const size_t after = i + (via ? via->tokens : according->tokens);
      const int source = mention_near(after, 1);
      if (source < 0) continue;
      SourceChain chain;
      if (via != nullptr && i > 0) {
        const int reporter = mention_near(i - 1, -1);
        if (reporter >= 0) {
          // Extend the previous chain when it ended with this reporter: X عن Y عن Z.
          if (!out_.chains.empty() && out_.chains.back().sources.back() == reporter) {
            out_.chains.back().sources.push_back(source);
            out_.chains.back().span.end = found_.mentions[source].span.end;
            i = found_.tokens[source].second - 1;
            continue;
          }
          chain.sources.push_back(reporter);
        }
      }
      chain.sources.push_back(source);
      chain.span = {found_.mentions[chain.sources.front()].span.begin,
                    found_.mentions[source].span.end};
      if (chain.span.begin > found_.mentions[source].span.begin)
        chain.span.begin = text_.span(i, i + 1).begin;
      out_.chains.push_back(std::move(chain));
      i = found_.tokens[source].second - 1;
    }
  }

  int speaker_of_token(size_t token) const {
    for (size_t q = 0; q < quote_tokens_.size(); ++q) {
      if (token >= quote_tokens_[q].first && token < quote_tokens_[q].second) {
        // Direct quotes were pushed first, in the order of quote_tokens_.
        return out_.quotes[q].speaker;
      }
    }
    for (const Reported& r : reported_tokens_) {
      if (token >= r.first && token < r.last) return r.speaker;
    }
    return -1;
  }

  bool adjective_like(size_t token, bool definite, bool accusative) const {
    const Token& t = text_.token(token);
    if (!t.is_word() || is_stop_word(context_, token)) return false;
    const int m = found_.at_token[token];
    if (m >= 0) return false;
    if (context_.matches.has(token, Category::kSpeechVerb) ||
        context_.matches.has(token, Category::kFramingHead))
      return false;
    if (definite) return starts_with_article(t.text);
    if (starts_with_article(t.text)) return false;
    if (accusative) return t.text.ends_with("ا") && t.text.size() > 4;
    return t.text.ends_with("ي") || t.text.ends_with("يه") || t.text.ends_with("ين") ||
           t.text.ends_with("ه");
  }

  // The head with its adjectives: «هجوما إرهابيا هجينا», «الإرهاب العالمي», «ثورات ملونة».
  void add_framings() {
    for (size_t i = 0; i < text_.size(); ++i) {
      const LexMatch* head = context_.matches.longest(i, Category::kFramingHead);
      if (head == nullptr || found_.at_token[i] >= 0) continue;
      const std::string_view head_word = text_.token(i + head->tokens - 1).text;
      const bool definite = starts_with_article(text_.token(i).text);
      const bool accusative = !definite && head_word.ends_with("ا");
      size_t end = i + head->tokens;
      while (end < text_.size() && end - i - head->tokens < kMaxFramingAdjectives &&
             adjective_like(end, definite, accusative)) {
        ++end;
      }
      Framing framing;
      framing.span = text_.span(i, end, head->clitic_bytes);
      framing.phrase = std::string(text_.original_of(framing.span));
      for (size_t t = i; t < end; ++t) {
        std::string_view word = text_.token(t).text;
        if (t == i) {
          word.remove_prefix(head->clitic_bytes);
          // لل + word was matched as ال + word, one ل short of what the text holds.
          if (text_.token(t).text.starts_with("لل") && !starts_with_article(word))
            word.remove_prefix(std::string_view("ل").size());
        }
        if (starts_with_article(word)) word.remove_prefix(std::string_view("ال").size());
        if (accusative) word = without_accusative_alef(word);
        if (!framing.key.empty()) framing.key += ' ';
        framing.key += word;
      }
      framing.speaker = speaker_of_token(i);
      out_.framings.push_back(std::move(framing));
      i = end - 1;
    }
  }

  struct Reported {
    size_t first = 0;
    size_t last = 0;
    int speaker = -1;
  };

  const Context& context_;
  const TextView& text_;
  const FoundMentions& found_;
  Extraction& out_;
  std::vector<Verb> verbs_;
  std::vector<std::pair<size_t, size_t>> quote_tokens_;
  std::vector<Reported> reported_tokens_;
};

}  // namespace

void find_speech(const Context& context, const FoundMentions& found, Extraction& out) {
  SpeechReader(context, found, out).read();
}

}  // namespace khabar::extract_internal
