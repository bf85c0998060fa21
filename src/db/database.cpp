// Row accessors, nullable() and Transaction: the engine-independent parts of db/database.h.

#include "db/database.h"

#include <exception>
#include <string>

#include <spdlog/spdlog.h>

namespace nearhub::db {

namespace {

const char* type_name(const Value& value) {
  switch (value.index()) {
    case 0:
      return "null";
    case 1:
      return "integer";
    case 2:
      return "real";
    default:
      return "text";
  }
}

[[noreturn]] void throw_type_error(std::size_t column, const char* wanted, const Value& actual) {
  throw Error("column " + std::to_string(column) + ": expected " + wanted + ", got " +
              type_name(actual));
}

// The accessors check the column index themselves so that a wrong index is a db::Error
// naming the column, like a wrong type, rather than a bare std::out_of_range.
const Value& checked_value(const std::vector<Value>& values, std::size_t column) {
  if (column >= values.size()) {
    throw Error("column " + std::to_string(column) + " is out of range: the row has " +
                std::to_string(values.size()) + " columns");
  }
  return values[column];
}

}  // namespace

Value nullable(const std::optional<std::string>& text) {
  if (!text) return nullptr;
  return *text;
}

bool Row::is_null(std::size_t column) const {
  return std::holds_alternative<std::nullptr_t>(checked_value(values_, column));
}

std::int64_t Row::integer(std::size_t column) const {
  const Value& value = checked_value(values_, column);
  if (const auto* integer = std::get_if<std::int64_t>(&value)) return *integer;
  throw_type_error(column, "integer", value);
}

double Row::real(std::size_t column) const {
  const Value& value = checked_value(values_, column);
  if (const auto* real = std::get_if<double>(&value)) return *real;
  // Engines hand back whole numbers of numeric expressions (SUM, AVG of integers in SQLite) as
  // integers; reading them as real is what the caller asked for, not a type error.
  if (const auto* integer = std::get_if<std::int64_t>(&value)) {
    return static_cast<double>(*integer);
  }
  throw_type_error(column, "real", value);
}

const std::string& Row::text(std::size_t column) const {
  const Value& value = checked_value(values_, column);
  if (const auto* text = std::get_if<std::string>(&value)) return *text;
  throw_type_error(column, "text", value);
}

std::optional<std::string> Row::optional_text(std::size_t column) const {
  const Value& value = checked_value(values_, column);
  if (std::holds_alternative<std::nullptr_t>(value)) return std::nullopt;
  if (const auto* text = std::get_if<std::string>(&value)) return *text;
  throw_type_error(column, "text or null", value);
}

Transaction::~Transaction() {
  if (done_) return;
  // Destructors must not throw (this one often runs during unwinding); a failed rollback
  // leaves the connection to the driver, which rolls back before reusing it.
  try {
    session_.rollback();
  } catch (const std::exception& error) {
    spdlog::error("database: rollback failed: {}", error.what());
  } catch (...) {
    spdlog::error("database: rollback failed with an unknown error");
  }
}

void Transaction::commit() {
  session_.commit();
  done_ = true;
}

}  // namespace nearhub::db
