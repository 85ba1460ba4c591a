#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>

#include "clean/internal/clean_internal.h"
#include "text/utf8.h"

namespace khabar::clean_internal {
namespace {

bool is_name_char(char c) {
  return std::islower(static_cast<unsigned char>(c)) ||
         std::isdigit(static_cast<unsigned char>(c)) || c == '-' || c == '_';
}

// A WordPress-style shortcode at s[i] ('['): "[name attrs]" or "[/name]". Returns its length
// and name, or 0. Only ASCII lowercase names count, so bracketed Arabic text is left alone.
size_t match_shortcode(std::string_view s, size_t i, std::string_view& name, bool& closing) {
  size_t j = i + 1;
  closing = j < s.size() && s[j] == '/';
  if (closing) ++j;
  const size_t name_begin = j;
  while (j < s.size() && is_name_char(s[j]))
    ++j;
  if (j == name_begin || !std::islower(static_cast<unsigned char>(s[name_begin]))) return 0;
  name = s.substr(name_begin, j - name_begin);
  const size_t close = s.find(']', j);
  if (close == std::string_view::npos || (s[j] != ']' && s[j] != ' ')) return 0;
  if (s.substr(j, close - j).find('[') != std::string_view::npos) return 0;
  return close + 1 - i;
}

// A tag at s[i] ('<'): "<p>", "</div>", "<br/>", "<a href=...>", or an HTML comment.
size_t match_tag(std::string_view s, size_t i) {
  if (s.substr(i, 4) == "<!--") {
    const size_t end = s.find("-->", i + 4);
    return end == std::string_view::npos ? 0 : end + 3 - i;
  }
  size_t j = i + 1;
  if (j < s.size() && s[j] == '/') ++j;
  if (j >= s.size() || !std::isalpha(static_cast<unsigned char>(s[j]))) return 0;
  const size_t close = s.find_first_of("<>", j);
  if (close == std::string_view::npos || s[close] != '>') return 0;
  return close + 1 - i;
}

// An entity at s[i] ('&'); appends its character to out.
size_t decode_entity(std::string_view s, size_t i, std::string& out) {
  const size_t semicolon = s.find(';', i);
  if (semicolon == std::string_view::npos || semicolon - i > 10) return 0;
  const std::string_view name = s.substr(i + 1, semicolon - i - 1);
  struct Named {
    std::string_view name;
    char32_t code_point;
  };
  static constexpr Named kNamed[] = {{"amp", '&'},      {"lt", '<'},        {"gt", '>'},
                                     {"quot", '"'},     {"apos", '\''},     {"nbsp", 0xA0},
                                     {"laquo", 0xAB},   {"raquo", 0xBB},    {"ndash", 0x2013},
                                     {"mdash", 0x2014}, {"hellip", 0x2026}, {"rsquo", 0x2019},
                                     {"lsquo", 0x2018}, {"rdquo", 0x201D},  {"ldquo", 0x201C}};
  for (const Named& entity : kNamed) {
    if (entity.name == name) {
      text::append_code_point(out, entity.code_point);
      return name.size() + 2;
    }
  }
  if (name.size() >= 2 && name[0] == '#') {
    const bool hex = name[1] == 'x' || name[1] == 'X';
    const std::string_view digits = name.substr(hex ? 2 : 1);
    uint32_t value = 0;
    auto [end, ec] =
        std::from_chars(digits.data(), digits.data() + digits.size(), value, hex ? 16 : 10);
    if (ec == std::errc() && end == digits.data() + digits.size() && value > 0 &&
        value <= 0x10FFFF && (value < 0xD800 || value > 0xDFFF)) {
      text::append_code_point(out, value);
      return name.size() + 2;
    }
  }
  return 0;
}

// Where the next '[', '<' or '&' is: memchr for each, remembered until passed, because most
// paragraphs hold none and the rest only a few.
class MarkupOpeners {
 public:
  explicit MarkupOpeners(std::string_view text) : text_(text) {}
  size_t next(size_t from) {
    size_t nearest = std::string_view::npos;
    for (size_t k = 0; k < kOpeners.size(); ++k) {
      if (found_[k] != std::string_view::npos && found_[k] < from) {
        found_[k] = text_.find(kOpeners[k], from);
      }
      nearest = std::min(nearest, found_[k]);
    }
    return nearest;
  }

 private:
  static constexpr std::array<char, 3> kOpeners = {'[', '<', '&'};
  std::string_view text_;
  // The next occurrence of each at or after the last `from`, npos when there is none.
  std::array<size_t, 3> found_ = {text_.find('['), text_.find('<'), text_.find('&')};
};

}  // namespace

std::string strip_markup(std::string_view text, size_t base, std::vector<Removal>& removals) {
  MarkupOpeners openers(text);
  if (openers.next(0) == std::string_view::npos) return std::string(text::trim(text));
  std::string out;
  out.reserve(text.size());
  size_t i = 0;
  while (i < text.size()) {
    // Plain text is copied in runs up to the next character that may open markup.
    const size_t plain_end = std::min(openers.next(i), text.size());
    out.append(text.substr(i, plain_end - i));
    i = plain_end;
    if (i == text.size()) break;
    const char c = text[i];
    if (c == '[') {
      std::string_view name;
      bool closing = false;
      if (const size_t length = match_shortcode(text, i, name, closing); length > 0) {
        size_t end = i + length;
        std::string reason = fmt::format(
            "shortcode [{}{}] left in the text by the publishing "
            "system",
            closing ? "/" : "", name);
        if (!closing && name == "caption") {  // a caption is about an image, not the story
          const size_t close = text.find("[/caption]", end);
          if (close != std::string_view::npos) {
            end = close + 10;
            reason = "image caption inside a [caption] shortcode";
          }
        }
        removals.push_back({base + i, base + end, Removal::Kind::kRemoved, "shortcode", reason});
        i = end;
        continue;
      }
    } else if (c == '<') {
      if (const size_t length = match_tag(text, i); length > 0) {
        removals.push_back({base + i, base + i + length, Removal::Kind::kRemoved, "markup",
                            "HTML tag left in the text"});
        i += length;
        continue;
      }
    } else if (c == '&') {
      if (const size_t length = decode_entity(text, i, out); length > 0) {
        i += length;
        continue;
      }
    }
    out.push_back(c);
    ++i;
  }
  return std::string(text::trim(out));
}

}  // namespace khabar::clean_internal
