#include "db/postgres/prepared_statements.h"

#include <utility>

#include <spdlog/spdlog.h>

#include "db/postgres/placeholders.h"
#include "db/postgres/postgres_error.h"
#include "db/postgres/type_oids.h"

namespace nearhub::db::postgres {

const PreparedStatement& PreparedStatements::prepare(std::string_view sql) {
  if (auto found = statements_.find(sql); found != statements_.end()) return found->second;
  if (statements_.size() >= kCapacity) {
    if (!warned_full_) {
      spdlog::warn(
          "database: more than {} distinct SQL statements on one connection; "
          "is SQL being built per request? Further ones are not cached",
          kCapacity);
      warned_full_ = true;
    }
    unnamed_ = prepare_as("", sql);
    return unnamed_;
  }
  // Numbered even when preparing fails, so that a name is never reused.
  PreparedStatement statement = prepare_as("s" + std::to_string(++named_count_), sql);
  return statements_.emplace(sql, std::move(statement)).first->second;
}

PreparedStatement PreparedStatements::prepare_as(std::string name, std::string_view sql) {
  const std::string numbered = number_placeholders(sql);
  checked(PQprepare(connection_, name.c_str(), numbered.c_str(), 0, nullptr), connection_, sql);
  const ResultHandle description =
      checked(PQdescribePrepared(connection_, name.c_str()), connection_, sql);
  const int parameters = PQnparams(description.get());
  std::vector<int> formats(static_cast<std::size_t>(parameters));
  for (int i = 0; i < parameters; ++i) {
    formats[i] = PQparamtype(description.get(), i) == type_oid::kBytea ? 1 : 0;
  }
  return {std::move(name), std::move(formats)};
}

}  // namespace nearhub::db::postgres
