#include <fmt/format.h>

#include <charconv>
#include <chrono>

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

// What an ISO 8601 date or date-time says; fractions of a second are read and dropped.
struct Iso8601 {
  int year = 0, month = 0, day = 0;
  bool has_time = false;
  int hour = 0, minute = 0, second = 0;
  char zone = 0;  // 0: none given; 'Z'; '+' or '-' before zone_hour:zone_minute
  int zone_hour = 0, zone_minute = 0;
};

Result<Iso8601> read_iso8601(std::string_view s) {
  Iso8601 t;
  size_t i = 0;
  if (!read_digits(s, i, 4, t.year) || !expect(s, i, '-') || !read_digits(s, i, 2, t.month) ||
      !expect(s, i, '-') || !read_digits(s, i, 2, t.day)) {
    return bad(s, "expected YYYY-MM-DD");
  }
  if (t.month < 1 || t.month > 12) return bad(s, "month out of range");
  if (t.day < 1 || t.day > days_in_month(t.year, t.month)) return bad(s, "day out of range");
  if (i == s.size()) return t;

  if (s[i] != 'T' && s[i] != 't' && s[i] != ' ') return bad(s, "expected T after the date");
  ++i;
  t.has_time = true;
  if (!read_digits(s, i, 2, t.hour) || !expect(s, i, ':') || !read_digits(s, i, 2, t.minute)) {
    return bad(s, "expected HH:MM after T");
  }
  if (i < s.size() && s[i] == ':' && !(++i, read_digits(s, i, 2, t.second))) {
    return bad(s, "expected seconds after HH:MM:");
  }
  if (t.hour > 23 || t.minute > 59 || t.second > 60) return bad(s, "time out of range");
  if (i < s.size() && (s[i] == '.' || s[i] == ',')) {  // fractions are kept out of the id'd date
    ++i;
    const size_t start = i;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9')
      ++i;
    if (i == start) return bad(s, "expected digits after the decimal mark");
  }
  if (i == s.size()) return t;
  if (s[i] == 'Z' || s[i] == 'z') {
    ++i;
    t.zone = 'Z';
  } else if (s[i] == '+' || s[i] == '-') {
    t.zone = s[i++];
    if (!read_digits(s, i, 2, t.zone_hour)) return bad(s, "expected a zone offset ±HH:MM");
    if (i < s.size() && s[i] == ':') ++i;
    if (i < s.size() && !read_digits(s, i, 2, t.zone_minute)) {
      return bad(s, "expected a zone offset ±HH:MM");
    }
    if (t.zone_hour > 14 || t.zone_minute > 59) return bad(s, "zone offset out of range");
  }
  if (i != s.size()) return bad(s, "unexpected characters after the time");
  return t;
}

std::chrono::year_month_day date_of(const Iso8601& t) {
  return {std::chrono::year{t.year}, std::chrono::month{static_cast<unsigned>(t.month)},
          std::chrono::day{static_cast<unsigned>(t.day)}};
}

}  // namespace

Result<std::string> parse_iso8601(std::string_view s) {
  Result<Iso8601> read = read_iso8601(s);
  if (!read.ok()) return read.error();
  const Iso8601& t = *read;
  std::string out = fmt::format("{:04}-{:02}-{:02}", t.year, t.month, t.day);
  if (!t.has_time) return out;
  out += fmt::format("T{:02}:{:02}:{:02}", t.hour, t.minute, t.second);
  if (t.zone == 'Z') {
    out += 'Z';
  } else if (t.zone != 0) {
    out += fmt::format("{}{:02}:{:02}", t.zone, t.zone_hour, t.zone_minute);
  }
  return out;
}

bool is_iso8601_day(std::string_view s) {
  return s.size() == std::string_view("YYYY-MM-DD").size() && parse_iso8601(s).ok();
}

std::optional<std::chrono::year_month_day> iso8601_date(std::string_view s) {
  Result<Iso8601> read = read_iso8601(s);
  if (!read.ok()) return std::nullopt;
  return date_of(*read);
}

std::optional<int64_t> iso8601_unix_seconds(std::string_view s) {
  Result<Iso8601> read = read_iso8601(s);
  if (!read.ok()) return std::nullopt;
  const Iso8601& t = *read;
  const std::chrono::year_month_day date = date_of(t);
  int64_t seconds = std::chrono::sys_days(date).time_since_epoch().count() * int64_t{86400} +
                    t.hour * 3600 + t.minute * 60 + t.second;
  const int offset = t.zone_hour * 3600 + t.zone_minute * 60;
  if (t.zone == '+') seconds -= offset;  // 10:00+03:00 is 07:00 UTC
  if (t.zone == '-') seconds += offset;
  return seconds;
}

}  // namespace khabar
