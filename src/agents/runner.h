#pragma once
// A runner executes one agent run (spec/assistants.md §6). The hub hands it the §6.2 payload and
// waits: the agent's results come back through the hub's own API while it runs (messages, run
// status), so a runner only reports whether the invocation itself worked. Implementations:
// http_runner.h (POST to a URL, the official runner image's protocol), subprocess_runner.h (the
// payload on a command's stdin) and builtin_runner.h (prompt agents, run inside nearhub).

#include <chrono>
#include <string>

#include <nlohmann/json.hpp>

namespace nearhub::agents {

struct RunnerInvocation {
  std::string run_id;
  std::string thread_id;
  std::string agent;       // the resolved "namespace/name/version"
  std::string account_id;  // whose run it is (the thread's owner)
  // The §6.2 payload, as built by runner_payload() (agents/runner_payload.h).
  nlohmann::ordered_json payload;
  // When the run's time is up: the runner gives up (and reports timed_out) at this point.
  std::chrono::steady_clock::time_point deadline;
};

struct RunnerOutcome {
  bool ok = false;         // the runner accepted the run and returned without an error
  bool timed_out = false;  // the deadline passed first
  std::string error;       // when !ok: what failed, in words, for the run's last_error
};

class Runner {
 public:
  virtual ~Runner() = default;
  // Blocks until the runner returns, fails or the deadline passes. Thread-safe: several runs
  // may be invoked at once from different threads. Never throws.
  virtual RunnerOutcome run(const RunnerInvocation& invocation) = 0;
};

}  // namespace nearhub::agents
