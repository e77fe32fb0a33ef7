#include "domain/time.h"

#include <algorithm>
#include <cstdio>

namespace beian {
namespace {

using std::chrono::days;
using std::chrono::floor;
using std::chrono::hours;
using std::chrono::minutes;
using std::chrono::seconds;
using std::chrono::sys_days;
using std::chrono::year_month_day;

// Reads exactly `width` decimal digits at `pos`; advances `pos`. False on anything else.
bool ReadDigits(std::string_view s, std::size_t& pos, int width, int& out) {
  if (pos + static_cast<std::size_t>(width) > s.size()) return false;
  int v = 0;
  for (int i = 0; i < width; ++i) {
    const char c = s[pos + static_cast<std::size_t>(i)];
    if (c < '0' || c > '9') return false;
    v = v * 10 + (c - '0');
  }
  pos += static_cast<std::size_t>(width);
  out = v;
  return true;
}

bool Expect(std::string_view s, std::size_t& pos, char a, char b = '\0') {
  if (pos >= s.size() || (s[pos] != a && (b == '\0' || s[pos] != b))) return false;
  ++pos;
  return true;
}

// Parses "Z" or "+HH:MM" / "-HH:MM" at `pos`, the rest of the text.
std::optional<seconds> ParseOffset(std::string_view s, std::size_t pos) {
  if (pos + 1 == s.size() && (s[pos] == 'Z' || s[pos] == 'z')) return seconds{0};
  if (pos >= s.size() || (s[pos] != '+' && s[pos] != '-')) return std::nullopt;
  const int sign = s[pos] == '-' ? -1 : 1;
  ++pos;
  int oh = 0;
  int om = 0;
  if (!ReadDigits(s, pos, 2, oh) || !Expect(s, pos, ':') || !ReadDigits(s, pos, 2, om)) {
    return std::nullopt;
  }
  if (pos != s.size() || oh > 23 || om > 59) return std::nullopt;
  return seconds{sign * (oh * 3600 + om * 60)};
}

struct Civil {
  year_month_day date;
  seconds time_of_day;
};

Civil ToCivil(Time t, seconds offset) {
  const auto local = t + offset;
  const sys_days day = floor<days>(local);
  return {year_month_day{day}, local - day};
}

// Writes `v` (0 ≤ v < 10^width) as exactly `width` decimal digits.
void PutDigits(char* out, int width, unsigned v) {
  for (int i = width - 1; i >= 0; --i) {
    out[i] = static_cast<char>('0' + v % 10);
    v /= 10;
  }
}

std::string Format(Time t, seconds offset, std::string_view zone) {
  const Civil c = ToCivil(t, offset);
  const auto hms = std::chrono::hh_mm_ss<seconds>(c.time_of_day);
  const int year = static_cast<int>(c.date.year());
  if (year >= 0 && year <= 9999) {
    // The common case without snprintf (which parses its format on every call): the same text.
    std::string out(19 + zone.size(), '\0');  // "YYYY-MM-DDTHH:MM:SS" + zone
    char* p = out.data();
    PutDigits(p, 4, static_cast<unsigned>(year));
    p[4] = '-';
    PutDigits(p + 5, 2, static_cast<unsigned>(c.date.month()));
    p[7] = '-';
    PutDigits(p + 8, 2, static_cast<unsigned>(c.date.day()));
    p[10] = 'T';
    PutDigits(p + 11, 2, static_cast<unsigned>(hms.hours().count()));
    p[13] = ':';
    PutDigits(p + 14, 2, static_cast<unsigned>(hms.minutes().count()));
    p[16] = ':';
    PutDigits(p + 17, 2, static_cast<unsigned>(hms.seconds().count()));
    zone.copy(p + 19, zone.size());
    return out;
  }
  const std::string z(zone);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02d:%02d:%02d%s", static_cast<int>(c.date.year()),
                static_cast<unsigned>(c.date.month()), static_cast<unsigned>(c.date.day()),
                static_cast<int>(hms.hours().count()), static_cast<int>(hms.minutes().count()),
                static_cast<int>(hms.seconds().count()), z.c_str());
  return buf;
}

}  // namespace

Time AddMonthsCst(Time t, int months) {
  const Civil c = ToCivil(t, kCstOffset);
  const auto ym = c.date.year() / c.date.month() + std::chrono::months{months};
  const auto last = (ym / std::chrono::last).day();
  const auto day = std::min(c.date.day(), last);
  return Time{sys_days{ym / day}} + c.time_of_day - kCstOffset;
}

std::optional<Time> ParseRfc3339(std::string_view s) {
  std::size_t pos = 0;
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, sec = 0;
  if (!ReadDigits(s, pos, 4, y) || !Expect(s, pos, '-') || !ReadDigits(s, pos, 2, mo) ||
      !Expect(s, pos, '-') || !ReadDigits(s, pos, 2, d) || !Expect(s, pos, 'T', 't') ||
      !ReadDigits(s, pos, 2, h) || !Expect(s, pos, ':') || !ReadDigits(s, pos, 2, mi) ||
      !Expect(s, pos, ':') || !ReadDigits(s, pos, 2, sec)) {
    return std::nullopt;
  }
  if (pos < s.size() && s[pos] == '.') {
    const std::size_t start = ++pos;
    while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') ++pos;
    if (pos == start) return std::nullopt;
  }
  const auto offset = ParseOffset(s, pos);
  if (!offset) return std::nullopt;
  const year_month_day date{std::chrono::year{y}, std::chrono::month{static_cast<unsigned>(mo)},
                            std::chrono::day{static_cast<unsigned>(d)}};
  if (!date.ok() || h > 23 || mi > 59 || sec > 59) return std::nullopt;
  return Time{sys_days{date}} + hours{h} + minutes{mi} + seconds{sec} - *offset;
}

std::string FormatRfc3339Cst(Time t) { return Format(t, kCstOffset, "+08:00"); }

std::string FormatRfc3339Utc(Time t) { return Format(t, seconds{0}, "Z"); }

std::string FormatDateCst(Time t) { return FormatRfc3339Cst(t).substr(0, 10); }

}  // namespace beian
