// robots.txt as RFC 9309 reads it, for one product token.
#include <cctype>
#include <charconv>

#include "khabar/fetch.h"
#include "text/utf8.h"

namespace khabar {
namespace {

// RFC 9309 §2.2.2: octets outside US-ASCII are compared percent-encoded, and %xx is the same
// octet as %XX; both the rules and the paths are put in this one form before matching.
std::string percent_encoded(std::string_view s) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c >= 0x80) {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    } else if (c == '%' && i + 2 < s.size() &&
               std::isxdigit(static_cast<unsigned char>(s[i + 1])) &&
               std::isxdigit(static_cast<unsigned char>(s[i + 2]))) {
      out += '%';
      out += static_cast<char>(std::toupper(static_cast<unsigned char>(s[i + 1])));
      out += static_cast<char>(std::toupper(static_cast<unsigned char>(s[i + 2])));
      i += 2;
    } else {
      out += static_cast<char>(c);
    }
  }
  return out;
}

// Glob matching with `*` (any run of bytes) and a final `$` (the end); without `$` the pattern
// need only match a prefix. The classic two-pointer walk, which backtracks only to the last
// star: time bounded by pattern length × path length, whatever the pattern.
bool pattern_matches(std::string_view pattern, std::string_view path) {
  bool anchored = false;
  if (!pattern.empty() && pattern.back() == '$') {
    anchored = true;
    pattern.remove_suffix(1);
  }
  size_t p = 0;
  size_t s = 0;
  size_t star = std::string_view::npos;
  size_t star_s = 0;
  while (s < path.size()) {
    if (p == pattern.size() && !anchored) return true;
    if (p < pattern.size() && pattern[p] == '*') {
      star = p++;
      star_s = s;
    } else if (p < pattern.size() && pattern[p] == path[s]) {
      ++p;
      ++s;
    } else if (star != std::string_view::npos) {
      p = star + 1;
      s = ++star_s;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '*')
    ++p;
  return p == pattern.size();
}

}  // namespace

RobotsRules RobotsRules::allow_all() {
  return {};
}

RobotsRules RobotsRules::disallow_all() {
  RobotsRules rules;
  rules.rules_.push_back({"/", false});
  return rules;
}

RobotsRules RobotsRules::parse(std::string_view text, std::string_view product) {
  const std::string wanted = text::ascii_lower(product);
  if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);
  // Rules of the groups naming the product, and of the `*` groups, kept apart: the named ones
  // win when there are any.
  RobotsRules named;
  RobotsRules any;
  bool named_seen = false;
  bool in_named = false;
  bool in_any = false;
  bool group_has_rules = false;
  while (!text.empty()) {
    const size_t eol = text.find('\n');
    std::string_view line = text.substr(0, eol);
    text = eol == std::string_view::npos ? std::string_view() : text.substr(eol + 1);
    if (const size_t hash = line.find('#'); hash != std::string_view::npos)
      line = line.substr(0, hash);
    const size_t colon = line.find(':');
    if (colon == std::string_view::npos) continue;
    const std::string field = text::ascii_lower(text::trim(line.substr(0, colon)));
    const std::string_view value = text::trim(line.substr(colon + 1));
    if (field == "user-agent") {
      if (group_has_rules) {  // a user-agent line after rules starts a new group
        in_named = in_any = false;
        group_has_rules = false;
      }
      std::string_view token = value.substr(0, value.find_first_of("/ \t"));
      if (token == "*") {
        in_any = true;
      } else if (text::ascii_lower(token) == wanted) {
        in_named = named_seen = true;
      }
      continue;
    }
    if (field != "allow" && field != "disallow" && field != "crawl-delay") continue;
    group_has_rules = true;
    if (!in_named && !in_any) continue;
    RobotsRules& target = in_named ? named : any;
    if (field == "crawl-delay") {
      double seconds = 0;
      const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), seconds);
      if (ec == std::errc() && seconds >= 0) target.crawl_delay_ = seconds;
      continue;
    }
    if (value.empty()) continue;  // "Disallow:" forbids nothing
    target.rules_.push_back({percent_encoded(value), field == "allow"});
  }
  return named_seen ? named : any;
}

bool RobotsRules::allows(std::string_view raw_path) const {
  if (raw_path == "/robots.txt") return true;
  const std::string path_and_query = percent_encoded(raw_path);
  size_t best_length = 0;
  bool best_allow = true;
  bool matched = false;
  for (const Rule& rule : rules_) {
    if (!pattern_matches(rule.pattern, path_and_query)) continue;
    const size_t length = rule.pattern.size();
    if (!matched || length > best_length || (length == best_length && rule.allow)) {
      best_length = length;
      best_allow = rule.allow;
      matched = true;
    }
  }
  return best_allow;
}

}  // namespace khabar
