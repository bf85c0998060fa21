#include "util/time.h"

#include <charconv>
#include <chrono>
#include <cstdio>

namespace nearhub::util {
namespace {

using namespace std::chrono;

constexpr std::int64_t kMicrosPerSecond = 1'000'000;
constexpr std::int64_t kMicrosPerDay = 86'400 * kMicrosPerSecond;

// Reads exactly `width` ASCII digits at `pos`, advancing it.
std::optional<int> read_digits(std::string_view text, std::size_t& pos, std::size_t width) {
  if (pos + width > text.size()) return std::nullopt;
  int value = 0;
  for (std::size_t i = 0; i < width; ++i) {
    const char c = text[pos + i];
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + (c - '0');
  }
  pos += width;
  return value;
}

bool consume(std::string_view text, std::size_t& pos, char expected) {
  if (pos < text.size() && text[pos] == expected) {
    ++pos;
    return true;
  }
  return false;
}

// "HH:MM[:SS[.ffffff]]" → microseconds since midnight.
std::optional<std::int64_t> parse_time_of_day(std::string_view text, std::size_t& pos) {
  const auto hour = read_digits(text, pos, 2);
  if (!hour || *hour > 23 || !consume(text, pos, ':')) return std::nullopt;
  const auto minute = read_digits(text, pos, 2);
  if (!minute || *minute > 59) return std::nullopt;
  int second = 0;
  std::int64_t micros = 0;
  if (consume(text, pos, ':')) {
    const auto parsed_second = read_digits(text, pos, 2);
    if (!parsed_second || *parsed_second > 59) return std::nullopt;
    second = *parsed_second;
    if (consume(text, pos, '.')) {
      std::size_t digits = 0;
      for (; pos < text.size() && text[pos] >= '0' && text[pos] <= '9'; ++pos, ++digits) {
        if (digits == 6) return std::nullopt;
        micros = micros * 10 + (text[pos] - '0');
      }
      if (digits == 0) return std::nullopt;
      for (; digits < 6; ++digits) micros *= 10;
    }
  }
  return ((*hour * 60 + *minute) * 60 + second) * kMicrosPerSecond + micros;
}

// "Z", "±hh:mm" or "±hhmm" → offset east of UTC in microseconds.
std::optional<std::int64_t> parse_offset(std::string_view text, std::size_t& pos) {
  if (consume(text, pos, 'Z') || consume(text, pos, 'z')) return 0;
  int sign = 0;
  if (consume(text, pos, '+')) sign = 1;
  if (sign == 0 && consume(text, pos, '-')) sign = -1;
  if (sign == 0) return std::nullopt;
  const auto hours = read_digits(text, pos, 2);
  consume(text, pos, ':');
  const auto minutes = read_digits(text, pos, 2);
  if (!hours || !minutes || *hours > 23 || *minutes > 59) return std::nullopt;
  return sign * (*hours * 60 + *minutes) * 60 * kMicrosPerSecond;
}

std::optional<std::int64_t> parse_iso8601(std::string_view text) {
  std::size_t pos = 0;
  const auto y = read_digits(text, pos, 4);
  if (!y || !consume(text, pos, '-')) return std::nullopt;
  const auto m = read_digits(text, pos, 2);
  if (!m || !consume(text, pos, '-')) return std::nullopt;
  const auto d = read_digits(text, pos, 2);
  if (!d) return std::nullopt;
  const year_month_day date{year{*y}, month{static_cast<unsigned>(*m)},
                            day{static_cast<unsigned>(*d)}};
  if (!date.ok()) return std::nullopt;
  std::int64_t micros = sys_days{date}.time_since_epoch().count() * kMicrosPerDay;
  if (pos == text.size()) return micros;

  const char separator = text[pos++];
  if (separator != 'T' && separator != 't' && separator != ' ') return std::nullopt;
  const auto time_of_day = parse_time_of_day(text, pos);
  if (!time_of_day) return std::nullopt;
  micros += *time_of_day;
  if (pos < text.size()) {
    const auto offset = parse_offset(text, pos);
    if (!offset) return std::nullopt;
    micros -= *offset;
  }
  if (pos != text.size()) return std::nullopt;
  return micros;
}

// A Unix timestamp "[-]digits[.digits]": seconds, or milliseconds above 2e10 like pydantic.
std::optional<std::int64_t> parse_unix_number(std::string_view text) {
  const bool negative = !text.empty() && text.front() == '-';
  if (negative) text.remove_prefix(1);
  const auto dot = text.find('.');
  const std::string_view whole = text.substr(0, dot);
  const std::string_view fraction = dot == std::string_view::npos ? "" : text.substr(dot + 1);
  constexpr std::string_view kDigits = "0123456789";
  if (whole.empty() || whole.size() > 15 || whole.find_first_not_of(kDigits) != whole.npos ||
      fraction.find_first_not_of(kDigits) != fraction.npos ||
      (dot != std::string_view::npos && fraction.empty())) {
    return std::nullopt;
  }
  std::int64_t units = 0;
  std::from_chars(whole.data(), whole.data() + whole.size(), units);
  const std::int64_t micros_per_unit = units > 20'000'000'000 ? 1'000 : kMicrosPerSecond;
  std::int64_t fraction_micros = 0;
  std::int64_t scale = micros_per_unit;
  for (const char c : fraction) {
    scale /= 10;
    if (scale == 0) break;
    fraction_micros += (c - '0') * scale;
  }
  const std::int64_t micros = units * micros_per_unit + fraction_micros;
  return negative ? -micros : micros;
}

}  // namespace

std::int64_t now_unix_ms() {
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

std::int64_t now_unix_us() {
  return duration_cast<microseconds>(system_clock::now().time_since_epoch()).count();
}

std::string format_iso8601(std::int64_t unix_us) {
  std::int64_t days = unix_us / kMicrosPerDay;
  std::int64_t micros_of_day = unix_us % kMicrosPerDay;
  if (micros_of_day < 0) {
    micros_of_day += kMicrosPerDay;
    --days;
  }
  const year_month_day date{sys_days{std::chrono::days{days}}};
  const std::int64_t seconds_of_day = micros_of_day / kMicrosPerSecond;
  const std::int64_t micros = micros_of_day % kMicrosPerSecond;
  char text[40];
  int length = std::snprintf(
      text, sizeof text, "%04d-%02u-%02uT%02d:%02d:%02d", static_cast<int>(date.year()),
      static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()),
      static_cast<int>(seconds_of_day / 3600), static_cast<int>(seconds_of_day / 60 % 60),
      static_cast<int>(seconds_of_day % 60));
  if (micros != 0) {
    length += std::snprintf(text + length, sizeof text - static_cast<std::size_t>(length), ".%06d",
                            static_cast<int>(micros));
  }
  return std::string(text, static_cast<std::size_t>(length));
}

std::optional<std::int64_t> parse_datetime(std::string_view text) {
  if (const auto micros = parse_iso8601(text)) return micros;
  return parse_unix_number(text);
}

}  // namespace nearhub::util
