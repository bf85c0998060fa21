#include "db/sql_lexer.h"

#include <algorithm>

namespace nearhub::db {

namespace {

// Characters that may continue an identifier; bytes >= 0x80 are parts of UTF-8 letters.
bool is_identifier_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '$' || static_cast<unsigned char>(c) >= 0x80;
}

// The position just past quoted text opening at `open`: a doubled quote stands for one quote,
// and in E'…' strings a backslash escapes the next character.
std::size_t skip_quoted(std::string_view sql, std::size_t open) {
  const char quote = sql[open];
  const bool backslash_escapes = quote == '\'' && open > 0 &&
                                 (sql[open - 1] == 'E' || sql[open - 1] == 'e') &&
                                 (open == 1 || !is_identifier_char(sql[open - 2]));
  for (std::size_t i = open + 1; i < sql.size(); ++i) {
    if (backslash_escapes && sql[i] == '\\') {
      ++i;
    } else if (sql[i] == quote) {
      if (i + 1 < sql.size() && sql[i + 1] == quote) {
        ++i;
      } else {
        return i + 1;
      }
    }
  }
  return sql.size();
}

std::size_t skip_block_comment(std::string_view sql, std::size_t open) {
  int depth = 0;
  for (std::size_t i = open; i + 1 < sql.size(); ++i) {
    if (sql[i] == '/' && sql[i + 1] == '*') {
      ++depth;
      ++i;
    } else if (sql[i] == '*' && sql[i + 1] == '/') {
      ++i;
      if (--depth == 0) return i + 1;
    }
  }
  return sql.size();
}

// The position just past a dollar-quoted body opening at `dollar`, or `dollar` itself when
// this `$` opens no body (it continues an identifier, or is a numbered parameter).
std::size_t skip_dollar_quoted(std::string_view sql, std::size_t dollar) {
  if (dollar > 0 && is_identifier_char(sql[dollar - 1])) return dollar;
  std::size_t end = dollar + 1;
  if (end < sql.size() && !(sql[end] >= '0' && sql[end] <= '9')) {
    while (end < sql.size() && is_identifier_char(sql[end]) && sql[end] != '$') ++end;
  }
  if (end >= sql.size() || sql[end] != '$') return dollar;
  const std::string_view delimiter = sql.substr(dollar, end + 1 - dollar);
  const std::size_t close = sql.find(delimiter, end + 1);
  return close == std::string_view::npos ? sql.size() : close + delimiter.size();
}

}  // namespace

std::size_t skip_literal_or_comment(std::string_view sql, std::size_t i) {
  const char next = i + 1 < sql.size() ? sql[i + 1] : '\0';
  switch (sql[i]) {
    case '\'':
    case '"':
      return skip_quoted(sql, i);
    case '-':
      if (next != '-') return i;
      return std::min(sql.find('\n', i), sql.size());
    case '/':
      return next == '*' ? skip_block_comment(sql, i) : i;
    case '$':
      return skip_dollar_quoted(sql, i);
    default:
      return i;
  }
}

bool starts_comment(std::string_view sql, std::size_t i) {
  if (i + 1 >= sql.size()) return false;
  return (sql[i] == '-' && sql[i + 1] == '-') || (sql[i] == '/' && sql[i + 1] == '*');
}

}  // namespace nearhub::db
