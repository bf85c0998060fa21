#include "api/validator.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <regex>
#include <stdexcept>
#include <unordered_map>

#include "api/error.h"

namespace nearhub::api {
namespace {

using Json = nlohmann::json;  // api::json() is the response helper

// ---- Python repr, for the 422 message (spec/platform.md §1.3) ----

// Python's str repr: single quotes unless the text holds ' and no ", backslash escapes for
// control characters; printable non-ASCII text is kept as is.
std::string python_string(std::string_view text) {
  const bool double_quoted =
      text.find('\'') != std::string_view::npos && text.find('"') == std::string_view::npos;
  const char quote = double_quoted ? '"' : '\'';
  std::string out(1, quote);
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto byte = static_cast<unsigned char>(text[i]);
    char hex[5];
    if (byte == '\\' || byte == static_cast<unsigned char>(quote)) {
      out += '\\';
      out += static_cast<char>(byte);
    } else if (byte == '\n') {
      out += "\\n";
    } else if (byte == '\r') {
      out += "\\r";
    } else if (byte == '\t') {
      out += "\\t";
    } else if (byte < 0x20 || byte == 0x7f) {
      std::snprintf(hex, sizeof hex, "\\x%02x", byte);
      out += hex;
    } else if (byte == 0xc2 && i + 1 < text.size() &&
               static_cast<unsigned char>(text[i + 1]) < 0xa0) {
      // U+0080..U+009F, the C1 controls, which Python escapes too.
      std::snprintf(hex, sizeof hex, "\\x%02x", static_cast<unsigned char>(text[++i]));
      out += hex;
    } else {
      out += static_cast<char>(byte);
    }
  }
  out += quote;
  return out;
}

std::string python_repr(const Json& value) {
  switch (value.type()) {
    case Json::value_t::null:
      return "None";
    case Json::value_t::boolean:
      return value.get<bool>() ? "True" : "False";
    case Json::value_t::string:
      return python_string(value.get_ref<const std::string&>());
    case Json::value_t::array: {
      std::string out = "[";
      for (std::size_t i = 0; i < value.size(); ++i) {
        if (i) out += ", ";
        out += python_repr(value[i]);
      }
      return out + "]";
    }
    case Json::value_t::object: {
      std::string out = "{";
      bool first = true;
      for (const auto& [key, item] : value.items()) {
        if (!first) out += ", ";
        first = false;
        out += python_string(key) + ": " + python_repr(item);
      }
      return out + "}";
    }
    default:
      // Numbers: nlohmann writes the shortest round-trip form, like Python's repr.
      return value.dump();
  }
}

std::string python_location(const Location& location) {
  std::string out = "(";
  for (std::size_t i = 0; i < location.size(); ++i) {
    if (i) out += ", ";
    if (const auto* name = std::get_if<std::string>(&location[i])) {
      out += python_string(*name);
    } else {
      out += std::to_string(std::get<std::size_t>(location[i]));
    }
  }
  // A one-element tuple keeps its trailing comma: ('body',)
  return out + (location.size() == 1 ? ",)" : ")");
}

// ---- Lax conversions of strings (pydantic v2: surrounding whitespace is ignored) ----

std::string_view trim(std::string_view text) {
  const auto first = text.find_first_not_of(" \t\n\r\f\v");
  if (first == std::string_view::npos) return {};
  return text.substr(first, text.find_last_not_of(" \t\n\r\f\v") - first + 1);
}

std::optional<std::int64_t> parse_int(std::string_view text) {
  text = trim(text);
  if (!text.empty() && text.front() == '+') text.remove_prefix(1);
  // pydantic accepts a decimal point followed only by zeros ("3.00").
  if (const auto dot = text.find('.'); dot != std::string_view::npos) {
    if (text.find_first_not_of('0', dot + 1) != std::string_view::npos) return std::nullopt;
    text = text.substr(0, dot);
  }
  std::int64_t number = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), number);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return number;
}

std::optional<double> parse_float(std::string_view text) {
  const std::string copy(trim(text));
  if (copy.empty()) return std::nullopt;
  char* end = nullptr;
  const double number = std::strtod(copy.c_str(), &end);
  if (end != copy.c_str() + copy.size()) return std::nullopt;
  return number;
}

std::optional<bool> parse_bool(std::string_view text) {
  std::string lower(trim(text));
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  for (const char* yes : {"true", "1", "yes", "on", "t", "y"}) {
    if (lower == yes) return true;
  }
  for (const char* no : {"false", "0", "no", "off", "f", "n"}) {
    if (lower == no) return false;
  }
  return std::nullopt;
}

std::size_t code_points(std::string_view text) {
  return static_cast<std::size_t>(std::count_if(text.begin(), text.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xc0) != 0x80;
  }));
}

// ---- Date-times ----

struct DateTime {
  int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0, microsecond = 0;
  std::string offset;  // "", "Z" or "+hh:mm"
};

bool is_leap(int year) { return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0; }

int days_in_month(int year, int month) {
  static constexpr int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return month == 2 && is_leap(year) ? 29 : days[month - 1];
}

std::string format_date_time(const DateTime& t) {
  char text[40];
  std::snprintf(text, sizeof text, "%04d-%02d-%02dT%02d:%02d:%02d", t.year, t.month, t.day, t.hour,
                t.minute, t.second);
  std::string out = text;
  if (t.microsecond) {
    std::snprintf(text, sizeof text, ".%06d", t.microsecond);
    out += text;
  }
  return out + t.offset;
}

// Unix time (seconds; milliseconds when above 2e10, as pydantic guesses) to UTC.
std::optional<DateTime> from_unix(double timestamp) {
  if (std::fabs(timestamp) > 2e10) timestamp /= 1000;
  if (!std::isfinite(timestamp) || timestamp < -62135596800.0 || timestamp > 253402300799.0) {
    return std::nullopt;  // outside years 1..9999
  }
  auto whole = static_cast<std::int64_t>(std::floor(timestamp));
  auto micro = static_cast<int>(std::llround((timestamp - static_cast<double>(whole)) * 1e6));
  if (micro == 1000000) ++whole, micro = 0;
  std::int64_t days = whole / 86400, seconds = whole % 86400;
  if (seconds < 0) seconds += 86400, --days;
  // Howard Hinnant's civil_from_days.
  days += 719468;
  const std::int64_t era = (days >= 0 ? days : days - 146096) / 146097;
  const auto doe = static_cast<unsigned>(days - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  DateTime t;
  t.day = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  t.month = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  t.year = static_cast<int>(static_cast<std::int64_t>(yoe) + era * 400 + (t.month <= 2));
  t.hour = static_cast<int>(seconds / 3600);
  t.minute = static_cast<int>(seconds / 60 % 60);
  t.second = static_cast<int>(seconds % 60);
  t.microsecond = micro;
  t.offset = "Z";
  return t;
}

// ISO 8601 as pydantic (speedate) reads it. Returns the reason on failure, in speedate's words.
struct DateTimeParse {
  std::optional<DateTime> value;
  std::string error;
};

DateTimeParse parse_iso_date_time(std::string_view s) {
  std::size_t pos = 0;
  auto digits = [&](int count, int& out) {
    if (pos + count > s.size()) return false;
    out = 0;
    for (int i = 0; i < count; ++i, ++pos) {
      if (s[pos] < '0' || s[pos] > '9') return false;
      out = out * 10 + (s[pos] - '0');
    }
    return true;
  };
  auto fail = [](std::string reason) { return DateTimeParse{std::nullopt, std::move(reason)}; };
  DateTime t;
  if (s.size() < 10) return fail("input is too short");
  if (!digits(4, t.year)) return fail("invalid character in year");
  if (s[pos++] != '-') return fail("invalid date separator, expected `-`");
  if (!digits(2, t.month)) return fail("invalid character in month");
  if (s[pos++] != '-') return fail("invalid date separator, expected `-`");
  if (!digits(2, t.day)) return fail("invalid character in day");
  if (t.month < 1 || t.month > 12) return fail("month value is outside expected range of 1-12");
  if (t.day < 1 || t.day > days_in_month(t.year, t.month)) {
    return fail("day value is outside expected range");
  }
  if (pos == s.size()) return {t, {}};  // a bare date is midnight
  if (std::string_view("Tt _").find(s[pos++]) == std::string_view::npos) {
    return fail("invalid datetime separator, expected `T`, `t`, `_` or space");
  }
  if (!digits(2, t.hour)) return fail("invalid character in hour");
  if (pos >= s.size() || s[pos++] != ':') return fail("invalid time separator, expected `:`");
  if (!digits(2, t.minute)) return fail("invalid character in minute");
  if (pos < s.size() && s[pos] == ':') {
    ++pos;
    if (!digits(2, t.second)) return fail("invalid character in second");
    if (pos < s.size() && (s[pos] == '.' || s[pos] == ',')) {
      const std::size_t start = ++pos;
      while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') ++pos;
      const std::size_t count = pos - start;
      if (count == 0) return fail("invalid character in second fraction");
      if (count > 6) return fail("second fraction value is more than 6 digits long");
      std::string fraction(s.substr(start, count));
      fraction.resize(6, '0');
      t.microsecond = std::stoi(fraction);
    }
  }
  if (t.hour > 23) return fail("hour value is outside expected range of 0-23");
  if (t.minute > 59) return fail("minute value is outside expected range of 0-59");
  if (t.second > 59) return fail("second value is outside expected range of 0-59");
  if (pos < s.size() && (s[pos] == 'Z' || s[pos] == 'z')) {
    ++pos;
    t.offset = "Z";
  } else if (pos < s.size() && (s[pos] == '+' || s[pos] == '-')) {
    const char sign = s[pos++];
    int hours = 0, minutes = 0;
    if (!digits(2, hours)) return fail("invalid timezone hour");
    if (pos < s.size() && s[pos] == ':') ++pos;
    if (!digits(2, minutes)) return fail("invalid timezone minute");
    if (hours > 23 || minutes > 59) return fail("timezone offset is outside expected range");
    auto two_digits = [](int n) {
      return std::string{static_cast<char>('0' + n / 10), static_cast<char>('0' + n % 10)};
    };
    t.offset = sign + two_digits(hours) + ":" + two_digits(minutes);
  }
  if (pos != s.size()) return fail("unexpected extra characters at the end of the input");
  return {t, {}};
}

DateTimeParse parse_date_time(const Json& value) {
  if (value.is_number()) {
    if (auto t = from_unix(value.get<double>())) return {t, {}};
    return {std::nullopt, "timestamp value is outside expected range"};
  }
  const auto& text = value.get_ref<const std::string&>();
  if (auto number = parse_float(text); number && text.find_first_of("0123456789") == 0) {
    if (auto t = from_unix(*number)) return {t, {}};
    return {std::nullopt, "timestamp value is outside expected range"};
  }
  return parse_iso_date_time(text);
}

// ---- Schema walking ----

std::vector<std::string> schema_types(const Json& schema) {
  const auto& type = schema.at("type");
  if (type.is_string()) return {type.get<std::string>()};
  return type.get<std::vector<std::string>>();
}

// How pydantic names a union member in an error location.
std::string python_type_name(const Json& schema) {
  if (schema.is_object() && schema.contains("title")) return schema["title"].get<std::string>();
  static const std::unordered_map<std::string, std::string> names = {
      {"string", "str"},           {"integer", "int"},     {"number", "float"}, {"boolean", "bool"},
      {"object", "dict[str,any]"}, {"array", "list[any]"}, {"null", "none"}};
  if (schema.is_object() && schema.contains("type") && schema["type"].is_string()) {
    const auto found = names.find(schema["type"].get<std::string>());
    if (found != names.end()) return found->second;
  }
  return "any";
}

// In place, because GCC 12 wrongly warns that a moved std::variant may be uninitialized.
void push_name(Location& location, std::string name) {
  location.emplace_back(std::in_place_index<0>, std::move(name));
}

struct TypeFailure {
  std::string type;
  std::string msg;
};

// Converts `value` to the JSON Schema type `type`, or says why it cannot.
std::optional<TypeFailure> convert(Json& value, const std::string& type, Coercion coercion) {
  const bool lax = coercion == Coercion::Lax;
  if (type == "string") {
    // pydantic's lax mode does not turn numbers into strings either.
    if (value.is_string()) return std::nullopt;
    return TypeFailure{"string_type", "Input should be a valid string"};
  }
  if (type == "integer") {
    if (value.is_number_integer()) return std::nullopt;
    if (value.is_number_float()) {
      const double number = value.get<double>();
      if (std::trunc(number) != number) {
        return TypeFailure{"int_from_float",
                           "Input should be a valid integer, got a number with a fractional part"};
      }
      // JSON Schema counts 1.0 as an integer, and pydantic turns it into 1.
      if (std::fabs(number) < 9.2e18) value = static_cast<std::int64_t>(number);
      return std::nullopt;
    }
    if (lax && value.is_string()) {
      if (auto number = parse_int(value.get_ref<const std::string&>())) {
        value = *number;
        return std::nullopt;
      }
      return TypeFailure{"int_parsing",
                         "Input should be a valid integer, unable to parse string as an integer"};
    }
    return TypeFailure{"int_type", "Input should be a valid integer"};
  }
  if (type == "number") {
    if (value.is_number()) return std::nullopt;
    if (lax && value.is_string()) {
      const auto number = parse_float(value.get_ref<const std::string&>());
      if (!number) {
        return TypeFailure{"float_parsing",
                           "Input should be a valid number, unable to parse string as a number"};
      }
      // JSON cannot carry inf or nan, so they cannot be stored or echoed back.
      if (!std::isfinite(*number))
        return TypeFailure{"finite_number", "Input should be a finite number"};
      value = *number;
      return std::nullopt;
    }
    return TypeFailure{"float_type", "Input should be a valid number"};
  }
  if (type == "boolean") {
    if (value.is_boolean()) return std::nullopt;
    const TypeFailure unreadable{"bool_parsing",
                                 "Input should be a valid boolean, unable to interpret input"};
    if (lax && value.is_string()) {
      const auto flag = parse_bool(value.get_ref<const std::string&>());
      if (!flag) return unreadable;
      value = *flag;
      return std::nullopt;
    }
    if (lax && value.is_number()) {
      const double number = value.get<double>();
      if (number != 0 && number != 1) return unreadable;
      value = number == 1;
      return std::nullopt;
    }
    return TypeFailure{"bool_type", "Input should be a valid boolean"};
  }
  if (type == "object") {
    if (value.is_object()) return std::nullopt;
    return TypeFailure{"dict_type", "Input should be a valid dictionary"};
  }
  if (type == "array") {
    if (value.is_array()) return std::nullopt;
    return TypeFailure{"list_type", "Input should be a valid list"};
  }
  if (type == "null") {
    if (value.is_null()) return std::nullopt;
    return TypeFailure{"none_required", "Input should be None"};
  }
  throw std::logic_error("validator: unsupported schema type '" + type + "'");
}

const std::regex& compiled_pattern(const std::string& pattern) {
  // Route schemas are fixed, so the cache stays small; one per thread needs no lock.
  thread_local std::unordered_map<std::string, std::regex> cache;
  auto found = cache.find(pattern);
  if (found == cache.end()) found = cache.emplace(pattern, std::regex(pattern)).first;
  return found->second;
}

bool allows_null(const Json& schema) {
  if (!schema.contains("type")) return false;
  const auto types = schema_types(schema);
  return std::find(types.begin(), types.end(), "null") != types.end();
}

std::string expected_values(const Json& values) {
  std::string out;
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (i) out += i + 1 == values.size() ? " or " : ", ";
    out += python_repr(values[i]);
  }
  return out;
}

class Checker {
 public:
  Checker(Coercion coercion, ValidationErrors& errors, Location location)
      : coercion_(coercion), errors_(errors), location_(std::move(location)) {}

  void check(Json& value, const Json& schema) {
    if (schema.is_boolean()) {
      if (!schema.get<bool>()) fail("extra_forbidden", "Extra inputs are not permitted", value);
      return;
    }
    if (!schema.is_object()) return;
    if (schema.contains("anyOf") && !check_any_of(value, schema["anyOf"])) return;
    const bool date_time = schema.value("format", "") == "date-time";
    if (date_time && !check_date_time(value, schema)) return;
    if (schema.contains("type") && !check_type(value, schema)) return;
    if (schema.contains("enum") && !check_enum(value, schema["enum"])) return;
    if (value.is_string()) check_string(value, schema);
    if (value.is_number()) check_number(value, schema);
    if (value.is_object()) check_object(value, schema);
    if (value.is_array()) check_array(value, schema);
  }

 private:
  void fail(std::string type, std::string msg, const Json& input, Json ctx = nullptr) {
    errors_.add({std::move(type), location_, std::move(msg), input, std::move(ctx)});
  }

  void check_at(LocationPart part, Json& value, const Json& schema) {
    location_.push_back(std::move(part));
    check(value, schema);
    location_.pop_back();
  }

  bool check_type(Json& value, const Json& schema) {
    const auto types = schema_types(schema);
    if (value.is_null() && std::find(types.begin(), types.end(), "null") != types.end()) {
      return true;
    }
    std::vector<std::string> candidates;
    std::copy_if(types.begin(), types.end(), std::back_inserter(candidates),
                 [](const std::string& type) { return type != "null"; });
    if (candidates.empty()) candidates.push_back("null");
    // As pydantic's smart unions: an exact type match wins over a conversion.
    for (const auto& type : candidates) {
      if (!convert(value, type, Coercion::None)) return true;
    }
    std::vector<TypeFailure> failures;
    for (const auto& type : candidates) {
      Json converted = value;
      auto failure = convert(converted, type, coercion_);
      if (!failure) {
        value = std::move(converted);
        return true;
      }
      failures.push_back(std::move(*failure));
    }
    for (std::size_t i = 0; i < candidates.size(); ++i) {
      if (candidates.size() > 1) push_name(location_, python_type_name({{"type", candidates[i]}}));
      fail(failures[i].type, failures[i].msg, value);
      if (candidates.size() > 1) location_.pop_back();
    }
    return false;
  }

  bool check_any_of(Json& value, const Json& branches) {
    std::vector<const Json*> reported;  // the branches whose errors explain a failure
    for (const auto& branch : branches) {
      const bool null_branch = branch.is_object() && branch.value("type", Json()) == "null";
      if (value.is_null() && null_branch) return true;
      // Optional[X] is not a union for pydantic: only X's errors are shown.
      if (!null_branch) reported.push_back(&branch);
    }
    std::vector<Coercion> passes = {Coercion::None};
    if (coercion_ == Coercion::Lax) passes.push_back(Coercion::Lax);
    for (const auto pass : passes) {
      for (const auto& branch : branches) {
        Json attempt = value;
        ValidationErrors ignored;
        Checker(pass, ignored, location_).check(attempt, branch);
        if (ignored.empty()) {
          value = std::move(attempt);
          return true;
        }
      }
    }
    if (reported.empty()) reported.push_back(&branches.front());
    for (const Json* branch : reported) {
      Location location = location_;
      if (reported.size() > 1) push_name(location, python_type_name(*branch));
      Json attempt = value;
      Checker(coercion_, errors_, std::move(location)).check(attempt, *branch);
    }
    return false;
  }

  // Normalizes a date-time (see validator.h); numbers are Unix times in lax mode only.
  bool check_date_time(Json& value, const Json& schema) {
    const bool accepted = value.is_string() || (coercion_ == Coercion::Lax && value.is_number());
    if (!accepted) {
      // JSON Schema applies "format" to strings only; "type" judges the rest.
      if (coercion_ == Coercion::None || (value.is_null() && allows_null(schema))) return true;
      fail("datetime_type", "Input should be a valid datetime", value);
      return false;
    }
    const auto parsed = parse_date_time(value);
    if (!parsed.value) {
      fail("datetime_parsing", "Input should be a valid datetime, " + parsed.error, value,
           {{"error", parsed.error}});
      return false;
    }
    value = format_date_time(*parsed.value);
    return true;
  }

  bool check_enum(const Json& value, const Json& allowed) {
    if (std::find(allowed.begin(), allowed.end(), value) != allowed.end()) return true;
    const std::string expected = expected_values(allowed);
    fail("enum", "Input should be " + expected, value, {{"expected", expected}});
    return false;
  }

  void check_string(const Json& value, const Json& schema) {
    const auto& text = value.get_ref<const std::string&>();
    const std::size_t length = code_points(text);
    if (schema.contains("minLength")) {
      const auto min = schema["minLength"].get<std::size_t>();
      if (length < min) {
        fail("string_too_short",
             "String should have at least " + std::to_string(min) +
                 (min == 1 ? " character" : " characters"),
             value, {{"min_length", min}});
      }
    }
    if (schema.contains("maxLength")) {
      const auto max = schema["maxLength"].get<std::size_t>();
      if (length > max) {
        fail("string_too_long",
             "String should have at most " + std::to_string(max) +
                 (max == 1 ? " character" : " characters"),
             value, {{"max_length", max}});
      }
    }
    if (schema.contains("pattern")) {
      const auto& pattern = schema["pattern"].get_ref<const std::string&>();
      if (!std::regex_search(text, compiled_pattern(pattern))) {
        fail("string_pattern_mismatch", "String should match pattern " + python_string(pattern),
             value, {{"pattern", pattern}});
      }
    }
  }

  void check_number(const Json& value, const Json& schema) {
    if (schema.contains("minimum") && value < schema["minimum"]) {
      fail("greater_than_equal",
           "Input should be greater than or equal to " + python_repr(schema["minimum"]), value,
           {{"ge", schema["minimum"]}});
    }
    if (schema.contains("maximum") && value > schema["maximum"]) {
      fail("less_than_equal",
           "Input should be less than or equal to " + python_repr(schema["maximum"]), value,
           {{"le", schema["maximum"]}});
    }
  }

  void check_object(Json& value, const Json& schema) {
    static const Json no_properties = Json::object();
    const Json& properties = schema.contains("properties") ? schema["properties"] : no_properties;
    const Json required = schema.value("required", Json::array());
    auto is_required = [&](const std::string& name) {
      return std::find(required.begin(), required.end(), name) != required.end();
    };
    // pydantic shows the object as it arrived, before defaults are filled in; copied only when
    // something is missing, as bodies may be large.
    Json original;
    for (const auto& name : required) {
      if (!value.contains(name.get_ref<const std::string&>())) original = value;
    }
    for (const auto& [name, property] : properties.items()) {
      if (value.contains(name)) {
        check_at(name, value[name], property);
      } else if (property.is_object() && property.contains("default")) {
        value[name] = property["default"];
      } else if (is_required(name)) {
        missing(name, original);
      }
    }
    for (const auto& name : required) {
      const auto& key = name.get_ref<const std::string&>();
      if (!properties.contains(key) && !value.contains(key)) missing(key, original);
    }
    if (!schema.contains("additionalProperties")) return;
    for (auto& [name, item] : value.items()) {
      if (!properties.contains(name)) check_at(name, item, schema["additionalProperties"]);
    }
  }

  void missing(const std::string& name, const Json& object) {
    location_.push_back(name);
    fail("missing", "Field required", object);
    location_.pop_back();
  }

  void check_array(Json& value, const Json& schema) {
    if (!schema.contains("items")) return;
    const Json& items = schema["items"];
    if (items.is_array()) throw std::logic_error("validator: tuple 'items' is not supported");
    for (std::size_t i = 0; i < value.size(); ++i) check_at(i, value[i], items);
  }

  Coercion coercion_;
  ValidationErrors& errors_;
  Location location_;
};

const char* location_name(ParamLocation in) {
  switch (in) {
    case ParamLocation::Path:
      return "path";
    case ParamLocation::Header:
      return "header";
    default:
      return "query";
  }
}

bool is_array_schema(const Json& schema) {
  return schema.is_object() && schema.contains("type") && schema["type"] == "array";
}

// The raw text(s) of one parameter, or null when the request does not carry it.
Json raw_parameter(const Param& param, const http::Request& request) {
  switch (param.in) {
    case ParamLocation::Path: {
      const auto found = request.path_params.find(param.name);
      return found == request.path_params.end() ? Json() : Json(found->second);
    }
    case ParamLocation::Header: {
      auto value = request.headers.get(param.name);
      if (!value) {
        std::string dashed = param.name;
        std::replace(dashed.begin(), dashed.end(), '_', '-');
        value = request.headers.get(dashed);
      }
      return value ? Json(std::string(*value)) : Json();
    }
    case ParamLocation::Query:
      break;
  }
  if (!is_array_schema(param.schema)) {
    const auto value = request.query(param.name);
    return value ? Json(*value) : Json();
  }
  Json values = Json::array();
  for (const auto& [name, value] : request.query_params()) {
    if (name == param.name) values.push_back(value);
  }
  return values.empty() ? Json() : values;
}

}  // namespace

std::string ValidationErrors::message() const {
  std::string out = "[";
  for (std::size_t i = 0; i < entries_.size(); ++i) {
    const auto& entry = entries_[i];
    if (i) out += ", ";
    out += "{'type': " + python_string(entry.type) + ", 'loc': " + python_location(entry.loc) +
           ", 'msg': " + python_string(entry.msg) + ", 'input': " + python_repr(entry.input);
    if (!entry.ctx.is_null()) out += ", 'ctx': " + python_repr(entry.ctx);
    out += "}";
  }
  return out + "]";
}

void ValidationErrors::throw_if_any() const {
  if (!empty()) throw Error::validation(message());
}

void validate(Json& value, const Json& schema, const Location& location, ValidationErrors& errors,
              Coercion coercion) {
  Checker(coercion, errors, location).check(value, schema);
}

void validate(Json& value, const Json& schema, const std::vector<std::string>& location) {
  ValidationErrors errors;
  validate(value, schema, Location(location.begin(), location.end()), errors);
  errors.throw_if_any();
}

Json coerce_parameter(std::string_view raw, const Json& schema, const Location& location,
                      ValidationErrors& errors) {
  Json value = std::string(raw);
  validate(value, schema, location, errors);
  return value;
}

Json coerce_parameter(std::string_view raw, const Json& schema,
                      const std::vector<std::string>& location) {
  ValidationErrors errors;
  Json value = coerce_parameter(raw, schema, Location(location.begin(), location.end()), errors);
  errors.throw_if_any();
  return value;
}

Json read_parameters(const Route& route, const http::Request& request, ValidationErrors& errors) {
  Json params = Json::object();
  for (const auto& param : route.params) {
    const Location location = {location_name(param.in), param.name};
    Json value = raw_parameter(param, request);
    if (value.is_null()) {
      if (param.required) {
        errors.add({"missing", location, "Field required", nullptr, nullptr});
      } else {
        params[param.name] = param.schema.value("default", Json());
      }
      continue;
    }
    validate(value, param.schema, location, errors);
    params[param.name] = std::move(value);
  }
  return params;
}

}  // namespace nearhub::api
