#include "db/postgres/placeholders.h"

#include <cstddef>

#include "db/sql_lexer.h"

namespace nearhub::db::postgres {

std::string number_placeholders(std::string_view sql) {
  std::string numbered;
  numbered.reserve(sql.size() + 16);
  int parameter = 0;
  std::size_t i = 0;
  while (i < sql.size()) {
    if (const std::size_t end = skip_literal_or_comment(sql, i); end != i) {
      numbered.append(sql, i, end - i);
      i = end;
    } else if (sql[i] == '?') {
      numbered += '$';
      numbered += std::to_string(++parameter);
      ++i;
    } else {
      numbered += sql[i++];
    }
  }
  return numbered;
}

}  // namespace nearhub::db::postgres
