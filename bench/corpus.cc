#include "bench/corpus.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <nlohmann/json.hpp>
#include <random>
#include <string_view>

#include "khabar_data/vocabulary_ar_txt.h"
#include "khabar_data/vocabulary_en_txt.h"
#include "text/utf8.h"

namespace khabar::bench {
namespace {

std::vector<std::string> words_of(std::string_view data) {
  std::vector<std::string> words;
  for (const text::DataLine& line : text::data_lines(data)) {
    std::string_view rest = line.text;
    while (!rest.empty()) {
      const size_t space = rest.find(' ');
      if (space != 0) words.emplace_back(rest.substr(0, space));
      if (space == std::string_view::npos) break;
      rest.remove_prefix(space + 1);
    }
  }
  return words;
}

const std::vector<std::string> kOutlets = {"الثورة",       "الأهرام",    "الجزيرة", "العربية",
                                           "الشرق الأوسط", "سانا",       "Reuters", "AFP",
                                           "The Guardian", "Al-Monitor", "الخليج",  "النهار"};
const std::vector<std::string> kNames = {"ريم صالح",  "أحمد علي",   "سارة حسن",
                                         "محمد خالد", "Jane Smith", "John Doe"};

class Generator {
 public:
  explicit Generator(const CorpusOptions& options)
      : options_(options),
        rng_(options.seed),
        arabic_(words_of(data::vocabulary_ar_txt)),
        english_(words_of(data::vocabulary_en_txt)) {}

  std::vector<GeneratedArticle> run() {
    std::vector<GeneratedArticle> out;
    day_step_ = 365.0 / static_cast<double>(std::max<size_t>(1, options_.articles));
    out.reserve(options_.articles);
    for (size_t n = 0; n < options_.articles; ++n) {
      const double roll = uniform();
      if (!out.empty() && roll < options_.exact_duplicate_share) {
        out.push_back(out[pick(out.size())]);
      } else if (!out.empty() &&
                 roll < options_.exact_duplicate_share + options_.near_duplicate_share) {
        out.push_back(near_copy(out[pick(out.size())]));
      } else {
        choose_story(n);
        out.push_back(article(stories_[story_].arabic));
      }
    }
    return out;
  }

  // A story: its language, its own names and places, and the day it happens.
  struct Story {
    bool arabic = true;
    std::vector<std::string> names;
    size_t day = 0;
  };

  std::string made_up_name(bool arabic) {
    static const std::vector<std::string> ar = {"كا", "زا", "خس", "تان", "مو", "رو", "بي", "لا",
                                                "سا", "نو", "دي", "ما",  "را", "جو", "تو", "في"};
    static const std::vector<std::string> en = {"ka", "zo",  "mir",  "tan", "vel", "dor", "sen",
                                                "lu", "bra", "quin", "ost", "rek", "ami", "pol"};
    const auto& syllables = arabic ? ar : en;
    std::string name;
    for (size_t i = between(2, 4); i > 0; --i)
      name += syllables[pick(syllables.size())];
    return name;
  }

  void choose_story(size_t n) {
    constexpr size_t kRecentStories = 50;
    if (stories_.empty() || uniform() < options_.new_story_share) {
      Story s;
      s.arabic = uniform() < options_.arabic_share;
      for (int i = 0; i < 8; ++i)
        s.names.push_back(made_up_name(s.arabic));
      s.day = static_cast<size_t>(static_cast<double>(n) * day_step_);
      stories_.push_back(std::move(s));
      story_ = stories_.size() - 1;
      return;
    }
    const size_t recent = std::min(stories_.size(), kRecentStories);
    story_ = stories_.size() - 1 - pick(recent);
  }

 private:
  double uniform() { return std::uniform_real_distribution<double>(0, 1)(rng_); }
  size_t pick(size_t n) { return std::uniform_int_distribution<size_t>(0, n - 1)(rng_); }
  size_t between(size_t lo, size_t hi) {
    return std::uniform_int_distribution<size_t>(lo, hi)(rng_);
  }

  std::string word(bool arabic) {
    const auto& pool = arabic ? arabic_ : english_;
    // A quarter of the words are the story's own names, which tell stories apart.
    const bool named = !stories_.empty() && stories_[story_].arabic == arabic && uniform() < 0.25;
    std::string w = named ? stories_[story_].names[pick(stories_[story_].names.size())]
                          : pool[pick(pool.size())];
    if (arabic && uniform() < 0.03) w += "َ";  // a little tashkeel, as some outlets print it
    return w;
  }

  std::string number(bool arabic) {
    std::string n = std::to_string(between(2, 9999));
    if (!arabic || uniform() < 0.7) return n;
    std::string indic;  // Arabic-Indic digits: U+0660..U+0669 are D9 A0..D9 A9 in UTF-8
    for (char c : n) {
      indic += '\xD9';
      indic += static_cast<char>(0xA0 + (c - '0'));
    }
    return indic;
  }

  std::string words(bool arabic, size_t count) {
    std::string s;
    for (size_t i = 0; i < count; ++i) {
      if (i > 0) s += ' ';
      s += uniform() < 0.05 ? number(arabic) : word(arabic);
    }
    return s;
  }

  std::string sentence(bool arabic) {
    std::string s;
    const size_t clauses = between(1, 3);
    for (size_t c = 0; c < clauses; ++c) {
      if (c > 0) s += arabic ? "، " : ", ";
      s += words(arabic, between(5, 9));
    }
    return s + ".";
  }

  std::string paragraph(bool arabic) {
    std::string p;
    for (size_t n = between(2, 4); n > 0; --n) {
      if (!p.empty()) p += ' ';
      p += sentence(arabic);
    }
    return p;
  }

  std::string boilerplate_tail(bool arabic) {
    const double roll = uniform();
    if (roll < 0.3) {
      std::string run;
      for (int i = 0; i < 25; ++i)
        run += words(arabic, between(5, 10)) + " ";
      return std::string(arabic ? "آخر الأخبار" : "Latest news") + "\n" + run;
    }
    if (roll < 0.5) {
      return words(arabic, 7) + (arabic ? "؟\n" : "?\n") + words(arabic, 5) + ".. " +
             words(arabic, 4) + (arabic ? "؟" : "?");
    }
    if (roll < 0.6) {
      return std::string(arabic ? "شارك على فيسبوك\n© 2024 جميع الحقوق محفوظة"
                                : "Share on Facebook\n© 2024 All rights reserved");
    }
    return {};
  }

  GeneratedArticle article(bool arabic) {
    GeneratedArticle a;
    a.lang = arabic ? "ar" : "en";
    a.source = kOutlets[pick(kOutlets.size())];
    a.story = story_;
    // Within a day or two of the story's day, in 2022.
    const size_t day_of_year = std::min<size_t>(364, stories_[story_].day + between(0, 2));
    const std::chrono::year_month_day date{std::chrono::sys_days(std::chrono::year{2022} / 1 / 1) +
                                           std::chrono::days(static_cast<int>(day_of_year))};
    a.published = fmt::format("2022-{:02}-{:02}", static_cast<unsigned>(date.month()),
                              static_cast<unsigned>(date.day()));
    a.title = words(arabic, between(6, 10));
    std::vector<std::string> lines;
    if (uniform() < 0.3) {
      lines.push_back(arabic ? fmt::format("وكالات – {} – كتب {}:", a.source, kNames[pick(4)])
                             : fmt::format("Reuters | By {}", kNames[4 + pick(2)]));
    }
    const size_t paragraphs = between(5, 10);
    std::string pull_quote;
    for (size_t i = 0; i < paragraphs; ++i) {
      std::string p = paragraph(arabic);
      if (i == 2 && uniform() < 0.1) pull_quote = p.substr(0, p.find('.') + 1);
      if (i > 0 && uniform() < 0.1) lines.push_back(words(arabic, 2));  // a subhead
      lines.push_back(std::move(p));
    }
    if (!pull_quote.empty())
      lines.insert(lines.begin() + 1, "[two-column]\n" + pull_quote + "\n[/two-column]");
    std::string tail = boilerplate_tail(arabic);
    if (!tail.empty()) lines.push_back(std::move(tail));
    for (const std::string& line : lines)
      a.text += line + "\n";
    return a;
  }

  GeneratedArticle near_copy(GeneratedArticle a) {
    // Change a few words far apart, as an outlet re-editing an agency wire does.
    for (int edits = 0; edits < 3; ++edits) {
      const size_t at = a.text.find(' ', pick(a.text.size()));
      if (at == std::string::npos) continue;
      a.text.insert(at + 1, word(a.lang == "ar") + " ");
    }
    a.source = kOutlets[pick(kOutlets.size())];
    return a;
  }

  CorpusOptions options_;
  std::vector<Story> stories_;
  size_t story_ = 0;
  double day_step_ = 0;
  std::mt19937_64 rng_;
  std::vector<std::string> arabic_;
  std::vector<std::string> english_;
};

}  // namespace

std::vector<GeneratedArticle> generate_corpus(const CorpusOptions& options) {
  return Generator(options).run();
}

std::string to_jsonl(const std::vector<GeneratedArticle>& articles) {
  std::string out;
  for (const GeneratedArticle& a : articles) {
    out +=
        nlohmann::json{
            {"text", a.text}, {"title", a.title}, {"source", a.source}, {"published", a.published}}
            .dump();
    out += '\n';
  }
  return out;
}

}  // namespace khabar::bench
