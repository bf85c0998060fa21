#include "inference/usage_store.h"

namespace nearhub::inference {

void UsageStore::insert(const UsageRow& row) {
  session_.execute(
      "INSERT INTO completions (account_id, query, response, model, provider, endpoint, "
      "created_at, completion_tokens, prompt_tokens, total_tokens, completion_tokens_details, "
      "prompt_tokens_details) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
      {row.account_id, row.query, row.response, row.model, row.provider, row.endpoint,
       row.created_at, row.completion_tokens, row.prompt_tokens, row.total_tokens,
       db::nullable(row.completion_tokens_details), db::nullable(row.prompt_tokens_details)});
}

std::vector<UsageRow> UsageStore::list_for_account(const std::string& account_id) {
  std::vector<UsageRow> rows;
  for (const db::Row& r :
       session_.query("SELECT account_id, query, response, model, provider, endpoint, created_at, "
                      "completion_tokens, prompt_tokens, total_tokens, completion_tokens_details, "
                      "prompt_tokens_details FROM completions WHERE account_id = ? ORDER BY id",
                      {account_id})) {
    rows.push_back({r.text(0), r.text(1), r.text(2), r.text(3), r.text(4), r.text(5), r.integer(6),
                    r.integer(7), r.integer(8), r.integer(9), r.optional_text(10),
                    r.optional_text(11)});
  }
  return rows;
}

UsageStore::Window UsageStore::add_to_window(const std::string& account_id,
                                             std::int64_t window_start, std::int64_t requests,
                                             std::int64_t tokens) {
  const db::Rows rows = session_.query(
      "INSERT INTO inference_rate_windows (account_id, window_start, requests, tokens) "
      "VALUES (?, ?, ?, ?) ON CONFLICT (account_id, window_start) DO UPDATE SET "
      "requests = inference_rate_windows.requests + excluded.requests, "
      "tokens = inference_rate_windows.tokens + excluded.tokens "
      "RETURNING requests, tokens",
      {account_id, window_start, requests, tokens});
  return {rows.at(0).integer(0), rows.at(0).integer(1)};
}

void UsageStore::delete_windows_before(std::int64_t before) {
  session_.execute("DELETE FROM inference_rate_windows WHERE window_start < ?", {before});
}

}  // namespace nearhub::inference
