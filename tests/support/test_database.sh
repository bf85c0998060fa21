# Sourced by the shell test drivers (with_server.sh, run_openai_sdk.sh): when
# NEARHUB_TEST_POSTGRES_URL is set, the nearhub they start gets a PostgreSQL schema of its own,
# as tests/support/postgres_test_schema.h gives each C++ test; otherwise SQLite in its data
# directory.
#   test_database_args   the `--database URL` arguments for `nearhub serve` (empty for SQLite)
#   drop_test_database   drops the schema; call it from the driver's cleanup
test_database_args=()
test_database_schema=
if [[ -n ${NEARHUB_TEST_POSTGRES_URL:-} ]]; then
  test_database_schema=nearhub_test_sh_$$_$RANDOM$RANDOM
  psql -q -v ON_ERROR_STOP=1 "$NEARHUB_TEST_POSTGRES_URL" -c "CREATE SCHEMA $test_database_schema"
  separator='?'
  [[ $NEARHUB_TEST_POSTGRES_URL == *\?* ]] && separator='&'
  test_database_args=(--database
    "$NEARHUB_TEST_POSTGRES_URL${separator}options=-csearch_path%3D$test_database_schema")
fi

drop_test_database() {
  if [[ -n $test_database_schema ]]; then
    psql -q "$NEARHUB_TEST_POSTGRES_URL" -c "DROP SCHEMA $test_database_schema CASCADE" || true
    test_database_schema=
  fi
}
