#include "db/split_statements.h"

#include <cstddef>

#include "db/sql_lexer.h"

namespace nearhub::db {

namespace {

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

std::string_view trim(std::string_view text) {
  while (!text.empty() && is_space(text.front())) text.remove_prefix(1);
  while (!text.empty() && is_space(text.back())) text.remove_suffix(1);
  return text;
}

}  // namespace

std::vector<std::string_view> split_statements(std::string_view script) {
  std::vector<std::string_view> statements;
  std::size_t start = 0;
  bool has_code = false;  // whether the current piece holds more than whitespace and comments
  auto end_statement = [&](std::size_t end) {
    if (has_code) statements.push_back(trim(script.substr(start, end - start)));
    start = end + 1;
    has_code = false;
  };

  std::size_t i = 0;
  while (i < script.size()) {
    if (script[i] == ';') {
      end_statement(i);
      ++i;
    } else if (const std::size_t past = skip_literal_or_comment(script, i); past != i) {
      if (!starts_comment(script, i)) has_code = true;
      i = past;
    } else {
      if (!is_space(script[i])) has_code = true;
      ++i;
    }
  }
  end_statement(script.size());
  return statements;
}

}  // namespace nearhub::db
