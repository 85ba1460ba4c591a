#include "text/nesting.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <iterator>
#include <string>
#include <vector>

namespace khabar::text {

size_t json_string_end(std::string_view json, size_t quote) {
  for (size_t i = quote + 1; i < json.size(); ++i) {
    if (json[i] == '\\') {
      ++i;
    } else if (json[i] == '"') {
      return i + 1;
    }
  }
  return json.size();
}

std::optional<size_t> json_too_deep(std::string_view json, size_t max_depth) {
  size_t depth = 0;
  for (size_t i = 0; i < json.size(); ++i) {
    const char c = json[i];
    if (c == '"') {
      i = json_string_end(json, i) - 1;
    } else if (c == '[' || c == '{') {
      if (++depth > max_depth) return i;
    } else if ((c == ']' || c == '}') && depth > 0) {
      --depth;
    }
  }
  return std::nullopt;
}

namespace {

// Elements with no end tag, and elements whose end tag the HTML parser implies when a sibling
// or the parent closes: neither nests when its end tag is left out.
bool never_nests(std::string_view name) {
  // Not rt and rp: they close each other only inside <ruby>, and nest outside it.
  static constexpr std::array<std::string_view, 32> kNames = {
      "area",  "base",  "br",       "col",      "embed", "hr",     "img",      "input",
      "link",  "meta",  "param",    "source",   "track", "wbr",    "p",        "li",
      "dt",    "dd",    "option",   "optgroup", "tr",    "td",     "th",       "tbody",
      "thead", "tfoot", "colgroup", "caption",  "frame", "keygen", "basefont", "bgsound"};
  return std::find(kNames.begin(), kNames.end(), name) != kNames.end();
}

// Elements whose content is text up to their own end tag.
bool raw_text(std::string_view name) {
  return name == "script" || name == "style" || name == "textarea" || name == "title" ||
         name == "xmp" || name == "iframe" || name == "noembed" || name == "noframes" ||
         name == "plaintext";
}

bool name_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '-' || c == ':' || c == '_';
}

std::string lower_name(std::string_view html, size_t& i) {
  std::string name;
  while (i < html.size() && name_char(html[i]) && name.size() < 32) {
    name += static_cast<char>(std::tolower(static_cast<unsigned char>(html[i])));
    ++i;
  }
  return name;
}

// Past the '>' ending the tag that continues at i. A quote opens an attribute value only right
// after its '=', as HTML's tokenizer reads it: a stray quote elsewhere cannot hide the tags
// after it.
size_t tag_end(std::string_view html, size_t i, bool& self_closing) {
  char quote = 0;
  char last = 0;  // the last character outside a value that is not a space
  for (; i < html.size(); ++i) {
    const char c = html[i];
    if (quote != 0) {
      if (c == quote) quote = 0;
    } else if ((c == '"' || c == '\'') && last == '=') {
      quote = c;
      last = c;
    } else if (c == '>') {
      self_closing = last == '/';
      return i + 1;
    } else if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
      last = c;
    }
  }
  return html.size();
}

}  // namespace

// Past the comment opening at `start` ("<!--"): HTML ends it at "-->" or "--!>", and reads
// "<!-->" and "<!--->" as whole comments.
size_t comment_end(std::string_view html, size_t start) {
  const size_t body = start + 4;
  if (html.substr(body, 1) == ">") return body + 1;
  if (html.substr(body, 2) == "->") return body + 2;
  const size_t dashes = html.find("--", body);
  for (size_t at = dashes; at != std::string_view::npos; at = html.find("--", at + 1)) {
    if (html.substr(at, 3) == "-->") return at + 3;
    if (html.substr(at, 4) == "--!>") return at + 4;
  }
  return html.size();
}

std::optional<size_t> html_too_deep(std::string_view html, size_t max_depth) {
  // The open elements, as names: an end tag closes the nearest open element of its name and
  // those inside it, and one with no open element of its name closes nothing.
  std::vector<std::string> open;
  size_t i = 0;
  while ((i = html.find('<', i)) != std::string_view::npos) {
    const size_t start = i;
    ++i;
    if (html.substr(start, 4) == "<!--") {
      i = comment_end(html, start);
      continue;
    }
    const bool closing = i < html.size() && html[i] == '/';
    if (closing) ++i;
    if (i >= html.size() || std::isalpha(static_cast<unsigned char>(html[i])) == 0) continue;
    const std::string name = lower_name(html, i);
    bool self_closing = false;
    i = tag_end(html, i, self_closing);
    if (never_nests(name)) continue;
    if (closing) {
      const auto at = std::find(open.rbegin(), open.rend(), name);
      if (at != open.rend()) open.erase(std::prev(at.base()), open.end());
      continue;
    }
    if (raw_text(name)) {
      // Its text is not markup; an unclosed raw-text element runs to the end of the page.
      const std::string end_tag = "</" + name;
      size_t at = i;
      while (at < html.size()) {
        at = html.find("</", at);
        if (at == std::string_view::npos) return std::nullopt;
        std::string candidate(html.substr(at, end_tag.size()));
        std::transform(candidate.begin(), candidate.end(), candidate.begin(),
                       [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
        if (candidate == end_tag) break;
        at += 2;
      }
      i = at + end_tag.size();  // past its end tag's name; the tag's '>' is skipped as text
      continue;
    }
    if (self_closing) continue;
    open.push_back(name);
    if (open.size() > max_depth) return start;
  }
  return std::nullopt;
}

}  // namespace khabar::text
