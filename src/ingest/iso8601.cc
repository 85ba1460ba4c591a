#include <fmt/format.h>

#include <charconv>

#include "khabar/ingest.h"

namespace khabar {
namespace {

bool read_digits(std::string_view s, size_t& i, size_t count, int& value) {
  if (i + count > s.size()) return false;
  auto [end, ec] = std::from_chars(s.data() + i, s.data() + i + count, value);
  if (ec != std::errc() || end != s.data() + i + count) return false;
  i += count;
  return true;
}

bool expect(std::string_view s, size_t& i, char c) {
  if (i >= s.size() || s[i] != c) return false;
  ++i;
  return true;
}

int days_in_month(int year, int month) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return month == 2 && leap ? 29 : kDays[month - 1];
}

Error bad(std::string_view s, std::string_view why) {
  return make_error(ErrorCode::kBadInput, fmt::format("«{}» is not an ISO 8601 date: {}", s, why));
}

}  // namespace

Result<std::string> parse_iso8601(std::string_view s) {
  size_t i = 0;
  int year = 0, month = 0, day = 0;
  if (!read_digits(s, i, 4, year) || !expect(s, i, '-') || !read_digits(s, i, 2, month) ||
      !expect(s, i, '-') || !read_digits(s, i, 2, day)) {
    return bad(s, "expected YYYY-MM-DD");
  }
  if (month < 1 || month > 12) return bad(s, "month out of range");
  if (day < 1 || day > days_in_month(year, month)) return bad(s, "day out of range");
  std::string out = fmt::format("{:04}-{:02}-{:02}", year, month, day);
  if (i == s.size()) return out;

  if (s[i] != 'T' && s[i] != 't' && s[i] != ' ') return bad(s, "expected T after the date");
  ++i;
  int hour = 0, minute = 0, second = 0;
  if (!read_digits(s, i, 2, hour) || !expect(s, i, ':') || !read_digits(s, i, 2, minute)) {
    return bad(s, "expected HH:MM after T");
  }
  if (i < s.size() && s[i] == ':' && !(++i, read_digits(s, i, 2, second))) {
    return bad(s, "expected seconds after HH:MM:");
  }
  if (hour > 23 || minute > 59 || second > 60) return bad(s, "time out of range");
  out += fmt::format("T{:02}:{:02}:{:02}", hour, minute, second);
  if (i < s.size() && (s[i] == '.' || s[i] == ',')) {  // fractions are kept out of the id'd date
    ++i;
    const size_t start = i;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9')
      ++i;
    if (i == start) return bad(s, "expected digits after the decimal mark");
  }
  if (i == s.size()) return out;
  if (s[i] == 'Z' || s[i] == 'z') {
    ++i;
    out += 'Z';
  } else if (s[i] == '+' || s[i] == '-') {
    const char sign = s[i++];
    int zone_hour = 0, zone_minute = 0;
    if (!read_digits(s, i, 2, zone_hour)) return bad(s, "expected a zone offset ±HH:MM");
    if (i < s.size() && s[i] == ':') ++i;
    if (i < s.size() && !read_digits(s, i, 2, zone_minute)) {
      return bad(s, "expected a zone offset ±HH:MM");
    }
    if (zone_hour > 14 || zone_minute > 59) return bad(s, "zone offset out of range");
    out += fmt::format("{}{:02}:{:02}", sign, zone_hour, zone_minute);
  }
  if (i != s.size()) return bad(s, "unexpected characters after the time");
  return out;
}

}  // namespace khabar
