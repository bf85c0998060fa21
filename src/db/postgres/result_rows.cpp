#include "db/postgres/result_rows.h"

#include <charconv>
#include <string>
#include <string_view>
#include <vector>

#include "db/postgres/type_oids.h"

namespace nearhub::db::postgres {

namespace {

enum class Conversion { kInteger, kReal, kNumeric, kBool, kBytes, kText };

Conversion conversion_for(Oid type) {
  switch (type) {
    case type_oid::kInt2:
    case type_oid::kInt4:
    case type_oid::kInt8:
      return Conversion::kInteger;
    case type_oid::kFloat4:
    case type_oid::kFloat8:
      return Conversion::kReal;
    case type_oid::kNumeric:
      return Conversion::kNumeric;
    case type_oid::kBool:
      return Conversion::kBool;
    case type_oid::kBytea:
      return Conversion::kBytes;
  }
  return Conversion::kText;
}

template <typename Number>
bool parse(std::string_view text, Number& number) {
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), number);
  return error == std::errc() && end == text.data() + text.size();
}

[[noreturn]] void throw_unreadable(std::string_view text, const char* type) {
  throw Error("cannot read PostgreSQL " + std::string(type) + " value '" + std::string(text) + "'");
}

std::int64_t to_integer(std::string_view text) {
  std::int64_t integer = 0;
  if (!parse(text, integer)) throw_unreadable(text, "integer");
  return integer;
}

// The server writes Infinity, -Infinity and NaN, which from_chars reads like strtod does.
double to_real(std::string_view text) {
  double real = 0;
  if (!parse(text, real)) throw_unreadable(text, "floating-point");
  return real;
}

Value to_numeric(std::string_view text) {
  if (std::int64_t integer = 0; parse(text, integer)) return integer;
  return to_real(text);
}

std::string to_bytes(const char* escaped) {
  std::size_t size = 0;
  unsigned char* bytes = PQunescapeBytea(reinterpret_cast<const unsigned char*>(escaped), &size);
  if (bytes == nullptr) throw Error("out of memory reading a PostgreSQL bytea value");
  std::string result(reinterpret_cast<const char*>(bytes), size);
  PQfreemem(bytes);
  return result;
}

Value convert(const PGresult* result, int row, int column, Conversion conversion) {
  if (PQgetisnull(result, row, column)) return nullptr;
  const char* data = PQgetvalue(result, row, column);
  const std::string_view text(data, static_cast<std::size_t>(PQgetlength(result, row, column)));
  switch (conversion) {
    case Conversion::kInteger:
      return to_integer(text);
    case Conversion::kReal:
      return to_real(text);
    case Conversion::kNumeric:
      return to_numeric(text);
    case Conversion::kBool:
      return std::int64_t{text == "t" ? 1 : 0};
    case Conversion::kBytes:
      return to_bytes(data);
    case Conversion::kText:
      break;
  }
  return std::string(text);
}

}  // namespace

Rows read_rows(const PGresult* result) {
  const int columns = PQnfields(result);
  std::vector<Conversion> conversions;
  conversions.reserve(static_cast<std::size_t>(columns));
  for (int column = 0; column < columns; ++column) {
    conversions.push_back(conversion_for(PQftype(result, column)));
  }
  const int row_count = PQntuples(result);
  Rows rows;
  rows.reserve(static_cast<std::size_t>(row_count));
  for (int row = 0; row < row_count; ++row) {
    std::vector<Value> values;
    values.reserve(conversions.size());
    for (int column = 0; column < columns; ++column) {
      values.push_back(convert(result, row, column, conversions[column]));
    }
    rows.emplace_back(std::move(values));
  }
  return rows;
}

}  // namespace nearhub::db::postgres
