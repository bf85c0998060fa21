#include "db/postgres/postgres_session.h"

#include <charconv>
#include <string_view>

#include "db/postgres/connect.h"
#include "db/postgres/parameters.h"
#include "db/postgres/postgres_error.h"
#include "db/postgres/result_rows.h"
#include "db/split_statements.h"

namespace nearhub::db::postgres {

namespace {

// PQcmdTuples is empty for commands that count no rows (CREATE TABLE, BEGIN, ...).
std::int64_t changed_rows(PGresult* result) {
  const std::string_view count = PQcmdTuples(result);
  std::int64_t changed = 0;
  std::from_chars(count.data(), count.data() + count.size(), changed);
  return changed;
}

}  // namespace

std::unique_ptr<PostgresSession> PostgresSession::open(const std::string& url) {
  return std::unique_ptr<PostgresSession>(new PostgresSession(connect(url)));
}

ResultHandle PostgresSession::run_prepared(std::string_view sql, const std::vector<Value>& params) {
  const PreparedStatement& statement = statements_.prepare(sql);
  const Parameters parameters(params, statement.parameter_formats, sql);
  return checked(PQexecPrepared(connection_.get(), statement.name.c_str(), parameters.count(),
                                parameters.values(), parameters.lengths(), parameters.formats(),
                                /*resultFormat=text*/ 0),
                 connection_.get(), sql);
}

ResultHandle PostgresSession::run_simple(std::string_view sql) {
  const std::string text(sql);  // PQexec wants a NUL-terminated string
  return checked(PQexec(connection_.get(), text.c_str()), connection_.get(), sql);
}

Rows PostgresSession::query(std::string_view sql, const std::vector<Value>& params) {
  return read_rows(run_prepared(sql, params).get());
}

std::int64_t PostgresSession::execute(std::string_view sql, const std::vector<Value>& params) {
  return changed_rows(run_prepared(sql, params).get());
}

void PostgresSession::execute_script(std::string_view sql) {
  for (const std::string_view statement : split_statements(sql)) run_simple(statement);
}

void PostgresSession::begin() {
  if (in_transaction()) throw Error("cannot begin a transaction inside a transaction");
  run_simple("BEGIN");
}

void PostgresSession::commit() {
  const ResultHandle result = run_simple("COMMIT");
  if (std::string_view(PQcmdStatus(result.get())) == "ROLLBACK") {
    throw Error(
        "the transaction was rolled back, not committed: a statement in it had failed "
        "(on PostgreSQL an error ends the transaction)");
  }
}

void PostgresSession::rollback() {
  if (in_transaction()) run_simple("ROLLBACK");
}

bool PostgresSession::in_transaction() const {
  const PGTransactionStatusType status = PQtransactionStatus(connection_.get());
  return status == PQTRANS_INTRANS || status == PQTRANS_INERROR;
}

bool PostgresSession::is_broken() const {
  return PQstatus(connection_.get()) != CONNECTION_OK ||
         PQtransactionStatus(connection_.get()) == PQTRANS_UNKNOWN;
}

}  // namespace nearhub::db::postgres
