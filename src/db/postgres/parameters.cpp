#include "db/postgres/parameters.h"

#include <charconv>
#include <climits>
#include <string>

namespace nearhub::db::postgres {

namespace {

template <typename Number>
const char* render(Number number, std::array<char, 32>& text) {
  const auto [end, error] = std::to_chars(text.data(), text.data() + text.size() - 1, number);
  *end = '\0';
  return text.data();
}

}  // namespace

Parameters::Parameters(const std::vector<Value>& values, const std::vector<int>& formats,
                       std::string_view sql)
    : numbers_(values.size()), formats_(formats.data()) {
  if (values.size() != formats.size()) {
    throw Error("statement takes " + std::to_string(formats.size()) + " parameters, got " +
                std::to_string(values.size()) + ": " + std::string(sql));
  }
  values_.reserve(values.size());
  lengths_.reserve(values.size());
  for (std::size_t i = 0; i < values.size(); ++i) {
    const Value& value = values[i];
    int length = 0;
    const char* data = nullptr;  // NULL
    if (const auto* integer = std::get_if<std::int64_t>(&value)) {
      data = render(*integer, numbers_[i]);
    } else if (const auto* real = std::get_if<double>(&value)) {
      data = render(*real, numbers_[i]);
    } else if (const auto* text = std::get_if<std::string>(&value)) {
      if (text->size() > INT_MAX)
        throw Error("parameter " + std::to_string(i + 1) + " is too long");
      // libpq reads text parameters up to their NUL; anything after it would vanish silently.
      if (formats[i] == 0 && text->find('\0') != std::string::npos) {
        throw Error("parameter " + std::to_string(i + 1) +
                    " holds a NUL byte, which PostgreSQL text cannot store (use a BYTEA "
                    "column): " +
                    std::string(sql));
      }
      data = text->c_str();
      length = static_cast<int>(text->size());
    }
    values_.push_back(data);
    lengths_.push_back(length);
  }
}

}  // namespace nearhub::db::postgres
