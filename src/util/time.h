#pragma once
// Wall-clock time as the hub stores it: Unix time in UTC, microseconds in the database,
// milliseconds in token nonces, naive ISO 8601 on the wire (spec/platform.md §1.4, §1.5).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace nearhub::util {

std::int64_t now_unix_ms();
std::int64_t now_unix_us();

// "YYYY-MM-DDTHH:MM:SS[.ffffff]" in UTC without an offset; the fraction is omitted when the
// microseconds are 0, as Python's datetime.isoformat() does.
std::string format_iso8601(std::int64_t unix_us);

// What pydantic accepts for a datetime, as Unix microseconds (UTC):
//   "YYYY-MM-DD", "YYYY-MM-DD[T| ]HH:MM[:SS[.f{1,6}]]" with an optional "Z", "±hh:mm" or "±hhmm"
//   (naive values are taken as UTC), or a Unix number in seconds (milliseconds when its
//   magnitude exceeds 2e10, as pydantic does). Nothing when the text is none of these.
std::optional<std::int64_t> parse_datetime(std::string_view text);

}  // namespace nearhub::util
