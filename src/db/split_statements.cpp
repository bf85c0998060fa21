#include "db/split_statements.h"

#include <cstddef>

namespace nearhub::db {

namespace {

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

// Characters that may continue an identifier; bytes >= 0x80 are parts of UTF-8 letters.
bool is_identifier_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '$' || static_cast<unsigned char>(c) >= 0x80;
}

bool is_identifier_start(char c) {
  return is_identifier_char(c) && c != '$' && !(c >= '0' && c <= '9');
}

std::string_view trim(std::string_view text) {
  while (!text.empty() && is_space(text.front())) text.remove_prefix(1);
  while (!text.empty() && is_space(text.back())) text.remove_suffix(1);
  return text;
}

// The position just past the quoted text that opens at `open`; doubled quotes stand for one
// quote, and in escape strings a backslash escapes the next character.
std::size_t skip_quoted(std::string_view sql, std::size_t open, bool backslash_escapes) {
  const char quote = sql[open];
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

// E'…' strings take backslash escapes; an E ending a longer identifier does not start one.
bool opens_escape_string(std::string_view sql, std::size_t quote) {
  if (quote == 0 || (sql[quote - 1] != 'E' && sql[quote - 1] != 'e')) return false;
  return quote == 1 || !is_identifier_char(sql[quote - 2]);
}

// PostgreSQL block comments nest.
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

// The delimiter ($$ or $tag$) of a dollar-quoted body opening at `dollar`, or empty when this
// `$` is something else: a parameter ($1) or part of an identifier.
std::string_view dollar_quote_delimiter(std::string_view sql, std::size_t dollar) {
  if (dollar > 0 && is_identifier_char(sql[dollar - 1])) return {};
  std::size_t end = dollar + 1;
  if (end < sql.size() && is_identifier_start(sql[end])) {
    while (end < sql.size() && is_identifier_char(sql[end]) && sql[end] != '$') ++end;
  }
  if (end >= sql.size() || sql[end] != '$') return {};
  return sql.substr(dollar, end + 1 - dollar);
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
    const char c = script[i];
    const char next = i + 1 < script.size() ? script[i + 1] : '\0';
    if (c == '-' && next == '-') {
      i = script.find('\n', i);
      if (i == std::string_view::npos) i = script.size();
    } else if (c == '/' && next == '*') {
      i = skip_block_comment(script, i);
    } else if (c == ';') {
      end_statement(i);
      ++i;
    } else if (is_space(c)) {
      ++i;
    } else {
      has_code = true;
      if (c == '\'') {
        i = skip_quoted(script, i, opens_escape_string(script, i));
      } else if (c == '"') {
        i = skip_quoted(script, i, false);
      } else if (std::string_view delimiter = c == '$' ? dollar_quote_delimiter(script, i) : "";
                 !delimiter.empty()) {
        const std::size_t close = script.find(delimiter, i + delimiter.size());
        i = close == std::string_view::npos ? script.size() : close + delimiter.size();
      } else {
        ++i;
      }
    }
  }
  end_statement(script.size());
  return statements;
}

}  // namespace nearhub::db
