#pragma once
// The parameters of one statement execution in the arrays PQexecPrepared takes. Numbers go as
// text, rendered exactly (shortest round-trip form for doubles), and text goes as is, so the
// server infers each parameter's type from where it appears; only BYTEA parameters go in
// binary form, which for BYTEA is the raw bytes.

#include <array>
#include <string_view>
#include <vector>

#include "db/database.h"

namespace nearhub::db::postgres {

class Parameters {
 public:
  // `formats` holds the statement's parameter formats (0 text, 1 binary). Throws db::Error
  // naming `sql` when the counts differ, or when text holds a NUL byte, which PostgreSQL text
  // cannot store. Keeps pointers into `values`, which must outlive this object.
  Parameters(const std::vector<Value>& values, const std::vector<int>& formats,
             std::string_view sql);
  Parameters(const Parameters&) = delete;
  Parameters& operator=(const Parameters&) = delete;

  int count() const { return static_cast<int>(values_.size()); }
  const char* const* values() const { return values_.data(); }
  const int* lengths() const { return lengths_.data(); }
  const int* formats() const { return formats_; }

 private:
  // Room for any int64 (20 characters) or shortest double (24) and the terminating NUL.
  using NumberText = std::array<char, 32>;

  std::vector<NumberText> numbers_;  // sized once, so pointers into it stay valid
  std::vector<const char*> values_;
  std::vector<int> lengths_;
  const int* formats_;
};

}  // namespace nearhub::db::postgres
