#include "threads/run_service.h"

#include <cmath>

#include "api/error.h"
#include "db/events.h"
#include "registry/agent_id.h"
#include "threads/ids.h"
#include "threads/run_serialize.h"
#include "util/json.h"
#include "util/time.h"

namespace nearhub::threads {

using nlohmann::ordered_json;

namespace {

// The request options kept as given and shown in the Run object.
constexpr const char* kOptionKeys[] = {
    "temperature",         "top_p",           "max_prompt_tokens", "max_completion_tokens",
    "truncation_strategy", "response_format", "tool_choice",       "parallel_tool_calls"};

std::int64_t microseconds(std::chrono::milliseconds duration) { return duration.count() * 1000; }

bool present(const ordered_json& body, const char* key) {
  return body.contains(key) && !body[key].is_null();
}

// A datetime field (ISO 8601 text, naive = UTC, or Unix seconds) as Unix µs; nothing when absent
// or falsy (the original skips falsy values).
std::optional<std::int64_t> datetime_field(const ordered_json& body, const char* key) {
  if (!present(body, key)) return std::nullopt;
  const ordered_json& value = body[key];
  if (value.is_number()) {
    if (value.get<double>() == 0) return std::nullopt;
    return static_cast<std::int64_t>(std::llround(value.get<double>() * 1e6));
  }
  const std::string& text = value.get_ref<const std::string&>();
  if (text.empty()) return std::nullopt;
  if (auto parsed = util::parse_datetime(text)) return parsed;
  throw api::Error::validation(std::string("1 validation error for request body: ") + key +
                               ". Input should be a valid datetime [type=datetime_parsing, "
                               "input_value='" +
                               text + "', input_type=str]");
}

// The run of `run_id` if it belongs to `thread_id`.
Run run_of_thread(RunStore& store, const std::string& thread_id, const std::string& run_id,
                  const char* not_found) {
  std::optional<Run> run = store.find_run(run_id);
  if (!run || run->thread_id != thread_id) throw api::Error::http(404, not_found);
  return std::move(*run);
}

ordered_json last_error(const std::string& message) {
  return {{"code", "server_error"}, {"message", message}};
}

// Adds `agent_id` to the thread's stored metadata.agent_ids list (spec §2.11 step 2).
std::optional<ordered_json> with_agent_id(const std::optional<ordered_json>& metadata,
                                          const std::string& agent_id) {
  ordered_json updated = metadata && metadata->is_object() ? *metadata : ordered_json::object();
  ordered_json& ids = updated["agent_ids"];
  if (!ids.is_array()) ids = ordered_json::array();
  for (const ordered_json& id : ids) {
    if (id == agent_id) return std::nullopt;  // already there: nothing to write
  }
  ids.push_back(agent_id);
  return updated;
}

}  // namespace

RunService::RunService(db::Database& database, registry::RegistryService& registry,
                       RunEventLog& events, RunServiceOptions options)
    : database_(database), registry_(registry), events_(events), options_(options) {}

void RunService::check_agent_exists(const api::Identity& caller, const std::string& agent_id) {
  // [REC] §2.11: an unknown agent is refused now instead of leaving the run queued forever.
  registry_.download_metadata(caller, registry::parse_agent_id(agent_id));
}

CreatedRun RunService::create_run(const api::Identity& caller, const std::string& thread_id,
                                  const ordered_json& body, const std::string& auth) {
  const std::string assistant_id = body.at("assistant_id").get<std::string>();
  const bool stream = body.value("stream", false);
  const bool delegate = body.value("delegate_execution", false);
  const std::optional<std::int64_t> schedule_at = datetime_field(body, "schedule_at");
  const std::int64_t now = util::now_unix_us();

  // Every check before anything is written.
  {
    auto session = database_.session();
    ThreadStore threads(*session);
    check_thread(threads, caller, thread_id);
    if (present(body, "parent_run_id")) {
      const std::optional<Run> parent =
          RunStore(*session).find_run(body["parent_run_id"].get<std::string>());
      if (!parent || parent->owner_id != caller.account_id) {
        throw api::Error::http(404, "Parent run not found");
      }
    }
  }
  if (!delegate) check_agent_exists(caller, assistant_id);

  Run run{.id = new_run_id(),
          .thread_id = thread_id,
          .owner_id = caller.account_id,
          .assistant_id = assistant_id,
          .created_at = now,
          .model = body.value("model", "")};
  if (present(body, "instructions") || present(body, "additional_instructions")) {
    // Concatenated without a separator, as the original stores them.
    run.instructions =
        (present(body, "instructions") ? body["instructions"].get<std::string>() : std::string()) +
        (present(body, "additional_instructions")
             ? body["additional_instructions"].get<std::string>()
             : std::string());
  }
  if (present(body, "tools")) run.tools = body["tools"];
  if (present(body, "metadata")) run.metadata = body["metadata"];  // [BUG] fixed: kept
  for (const char* key : kOptionKeys) {
    if (present(body, key)) run.options[key] = body[key];
  }
  if (present(body, "parent_run_id")) run.parent_run_id = body["parent_run_id"].get<std::string>();
  run.run_mode = body.value("run_mode", 0) == 1 ? "WITH_CALLBACK" : "SIMPLE";
  if (delegate) {
    // The caller executes it; if nobody reports an end, the deadline does.
    run.expires_at = now + std::chrono::microseconds(options_.delegated_timeout).count();
  } else {
    run.execute_at = schedule_at.value_or(now);
    run.auth = auth;
  }

  {
    auto session = database_.session();
    ThreadStore threads(*session);
    db::Transaction transaction(*session);
    const Thread thread = check_thread(threads, caller, thread_id);
    if (auto metadata = with_agent_id(thread.metadata, assistant_id)) {
      threads.update_thread(thread_id, metadata, std::nullopt);
    }
    if (present(body, "additional_messages")) {
      std::int64_t at = now;
      for (const ordered_json& item : body["additional_messages"]) {
        threads.insert_message(make_message(thread_id, at++, NewMessage::from_json(item)));
      }
    }
    RunStore(*session).insert_run(run);
    transaction.commit();
  }
  if (run.execute_at) database_.events().publish(kRunQueueChannel, run.id);
  return {std::move(run), stream};
}

Run RunService::get_run(const api::Identity& caller, const std::string& thread_id,
                        const std::string& run_id) {
  auto session = database_.session();
  ThreadStore threads(*session);
  check_thread(threads, caller, thread_id);
  RunStore runs(*session);
  std::optional<Run> run = runs.find_run(run_id);
  if (!run) throw api::Error::http(404, "Run not found");
  if (run->thread_id != thread_id) throw api::Error::http(404, "Run not found for this thread");
  return std::move(*run);
}

Run RunService::update_run(const api::Identity& caller, const std::string& thread_id,
                           const std::string& run_id, const ordered_json& body) {
  RunUpdate update;
  if (present(body, "status")) {
    update.status = body["status"].get<std::string>();
    update.dequeue = true;  // whoever reports an outcome owns the run now
  }
  update.completed_at = datetime_field(body, "completed_at");
  update.failed_at = datetime_field(body, "failed_at");
  if (present(body, "metadata") && !body["metadata"].empty()) update.metadata = body["metadata"];

  std::int64_t seq = 0;
  Run run;
  {
    auto session = database_.session();
    ThreadStore threads(*session);
    db::Transaction transaction(*session);
    check_thread(threads, caller, thread_id);
    RunStore runs(*session);
    // [SEC] fixed: the run must belong to the path's thread.
    run_of_thread(runs, thread_id, run_id, "Run not found");
    runs.update_run(run_id, update);
    run = *runs.find_run(run_id);
    // [REC] §2.14: every status report is an event of the run, whoever subscribes where.
    if (update.status) seq = record_status_event(*session, run);
    transaction.commit();
  }
  if (seq) events_.announce(run_id, seq);
  return run;
}

Run RunService::run_to_stream(const api::Identity& caller, const std::string& thread_id,
                              const std::string& run_id) {
  auto session = database_.session();
  std::optional<Run> run = RunStore(*session).find_run(run_id);
  if (!run) throw api::Error::http(404, "Run for thread not found");
  ThreadStore threads(*session);
  check_thread(threads, caller, thread_id);
  // [SEC] fixed: a run of another thread is not streamed through this one.
  if (run->thread_id != thread_id) throw api::Error::http(404, "Run for thread not found");
  return std::move(*run);
}

Run RunService::create_agent_run(const api::Identity& caller,
                                 const std::optional<std::string>& thread_id,
                                 const std::string& agents,
                                 const std::optional<std::string>& new_message,
                                 std::chrono::milliseconds run_timeout) {
  const std::int64_t now = util::now_unix_us();
  auto session = database_.session();
  ThreadStore threads(*session);
  db::Transaction transaction(*session);
  std::string target_thread;
  if (thread_id) {
    target_thread = check_thread(threads, caller, *thread_id).id;
  } else {
    target_thread = new_thread_id();
    threads.insert_thread({.id = target_thread,
                           .owner_id = caller.account_id,
                           .created_at = now,
                           .metadata = ordered_json{{"agent_ids", ordered_json::array({agents})}}});
  }
  Run run{.id = new_run_id(),
          .thread_id = target_thread,
          .owner_id = caller.account_id,
          .assistant_id = agents,
          .created_at = now,
          .expires_at = now + microseconds(run_timeout),
          .model = "agent_specified"};
  RunStore(*session).insert_run(run);
  if (new_message) {
    NewMessage message{.role = "user", .content = *new_message, .run_id = run.id};
    threads.insert_message(make_message(target_thread, now, message));
  }
  transaction.commit();
  return run;
}

std::optional<Run> RunService::claim_next(std::chrono::milliseconds run_timeout) {
  const std::int64_t now = util::now_unix_us();
  auto session = database_.session();
  return RunStore(*session).claim_next(database_.engine(), now, now + microseconds(run_timeout));
}

bool RunService::start_run(const std::string& run_id, std::chrono::milliseconds run_timeout) {
  const std::int64_t now = util::now_unix_us();
  auto session = database_.session();
  return RunStore(*session).start_queued(run_id, now, now + microseconds(run_timeout));
}

std::optional<Run> RunService::find(const std::string& run_id) {
  auto session = database_.session();
  return RunStore(*session).find_run(run_id);
}

bool RunService::end_unfinished(const std::string& run_id, const std::string& status,
                                const std::string& message) {
  std::int64_t seq = 0;
  {
    auto session = database_.session();
    db::Transaction transaction(*session);
    RunStore runs(*session);
    if (!runs.end_unfinished(run_id, status, util::now_unix_us(), last_error(message))) {
      return false;
    }
    seq = record_status_event(*session, *runs.find_run(run_id));
    transaction.commit();
  }
  events_.announce(run_id, seq);
  return true;
}

void RunService::set_status(const std::string& run_id, const std::string& status) {
  std::int64_t seq = 0;
  {
    auto session = database_.session();
    db::Transaction transaction(*session);
    RunStore runs(*session);
    runs.update_run(run_id, {.status = status});
    seq = record_status_event(*session, *runs.find_run(run_id));
    transaction.commit();
  }
  events_.announce(run_id, seq);
}

void RunService::add_child_run(const std::string& parent_id, const std::string& child_id) {
  auto session = database_.session();
  db::Transaction transaction(*session);
  RunStore runs(*session);
  std::optional<Run> parent = runs.find_run(parent_id);
  if (!parent) return;
  parent->child_run_ids.push_back(child_id);
  runs.set_child_run_ids(parent_id, parent->child_run_ids);
  transaction.commit();
}

void RunService::clear_auth(const std::string& run_id) {
  auto session = database_.session();
  RunStore(*session).clear_auth(run_id);
}

int RunService::expire_overdue(std::chrono::milliseconds grace) {
  const std::int64_t now = util::now_unix_us();
  std::vector<std::string> overdue;
  {
    auto session = database_.session();
    overdue = RunStore(*session).overdue_run_ids(now - microseconds(grace), 100);
  }
  int expired = 0;
  for (const std::string& run_id : overdue) {
    if (end_unfinished(run_id, "expired", "The run did not finish before its deadline")) {
      ++expired;
    }
  }
  return expired;
}

std::int64_t RunService::purge_events(std::chrono::milliseconds age) {
  auto session = database_.session();
  return RunStore(*session).purge_events(util::now_unix_us() - microseconds(age));
}

std::int64_t RunService::record_status_event(db::Session& session, const Run& run) {
  return events_.record(session, run.id, "thread.run." + run.status,
                        util::dump_json(run_json(run)));
}

}  // namespace nearhub::threads
