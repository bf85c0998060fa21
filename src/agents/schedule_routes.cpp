#include "agents/schedule_routes.h"

#include "agents/schedule_store.h"
#include "api/error.h"
#include "auth/token.h"
#include "registry/agent_id.h"
#include "util/time.h"

namespace nearhub::agents {

namespace {

using nlohmann::json;

json body_schema() {
  const json string = {{"type", "string"}};
  return {
      {"type", "object"},
      {"properties",
       {{"agent",
         {{"type", "string"},
          {"description", "`namespace/name/version`; `latest` is resolved when the run starts."}}},
        {"input_message",
         {{"type", "string"}, {"description", "The user message the run starts with."}}},
        {"run_params",
         {{"type", "object"},
          {"additionalProperties", string},
          {"description", "Strings only; `model` overrides the agent's model."}}},
        {"thread_id",
         {{"type", json::array({"string", "null"})},
          {"description", "One of your threads, or null for a new thread. The key is required."}}},
        {"run_at",
         {{"type", "string"},
          {"format", "date-time"},
          {"description",
           "When to start: ISO 8601 (UTC when it has no offset) or a Unix time; must be in the "
           "future."}}}}},
      {"required", {"agent", "input_message", "run_params", "thread_id", "run_at"}}};
}

// The thread must be the caller's. The wording of the 403 is this endpoint's own (spec §11.1),
// not the threads area's.
void check_thread(threads::ThreadService& threads, const api::Identity& caller,
                  const std::string& thread_id) {
  try {
    threads.get_thread(caller, thread_id);
  } catch (const api::Error& error) {
    if (error.status() == 403) {
      throw api::Error::http(403, "You don't have permission to access this thread");
    }
    throw;
  }
}

}  // namespace

void add_schedule_routes(api::RouteTable& table, db::Database& database,
                         threads::ThreadService& threads) {
  table.add({
      .method = "POST",
      .path = "/v1/schedule_run",
      .auth = api::AuthPolicy::Required,
      .tag = "agents",
      .summary = "Schedule an agent run",
      .description =
          "At `run_at`, the agent runs on `thread_id` (or on a new thread of yours) with "
          "`input_message` as a new user message, as you: the run carries the token of this "
          "request. 400 when `run_at` is not in the future or `agent` is not "
          "`namespace/name/version`; 404/403 when the thread is missing or not yours.",
      .body_kind = api::BodyKind::Json,
      .body_schema = body_schema(),
      .response_schema = {{"type", "null"}},
      .error_codes = {400, 403, 404},
      .handler =
          [&database, &threads](api::Call& call) {
            const api::Identity& caller = call.caller();
            const json& body = call.body;
            const std::int64_t now = util::now_unix_us();
            // The validator has checked and normalized the date-time.
            const std::optional<std::int64_t> run_at =
                util::parse_datetime(body.at("run_at").get<std::string>());
            // [BUG] fixed: the original asserts this (500), and compares an aware time with
            // its naive local clock (500 again).
            if (!run_at || *run_at <= now) {
              throw api::Error::http(400, "run_at must be in the future");
            }
            const std::string agent = body.at("agent").get<std::string>();
            registry::parse_agent_id(agent);
            std::optional<std::string> thread_id;
            if (!body.at("thread_id").is_null()) {
              thread_id = body.at("thread_id").get<std::string>();
              check_thread(threads, caller, *thread_id);
            }
            ScheduledRun run;
            run.created_by = caller.account_id;
            run.agent = agent;
            run.input_message = body.at("input_message").get<std::string>();
            run.run_params = body.at("run_params");
            run.thread_id = thread_id;
            run.run_at = *run_at;
            run.created_at = now;
            run.auth = auth::token_text(call.request);
            auto session = database.session();
            insert_scheduled_run(*session, run);
            return api::json(nullptr);
          },
  });
}

}  // namespace nearhub::agents
