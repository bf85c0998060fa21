#pragma once
// A stand-in for the official agent runner (spec/assistants.md §6.3), for end-to-end tests of
// agent runs. It takes the §6.2 payload, then calls the hub back at params.api_url + "/v1" the
// way a minimal agent does (§7), with the runner's header quirk
// `Authorization: Bearer Bearer <auth JSON>`:
//   GET  /v1/threads/{thread_id}/messages?limit=10000&order=asc
//   POST /v1/threads/{thread_id}/messages  {"role":"assistant","content":"echo: <last user text>",
//                                           "assistant_id":<agents>,"run_id":<run_id>}
//   POST /v1/threads/{thread_id}/runs/{run_id}  {"status":"completed","completed_at":<naive ISO>}
//
// A test picks a behaviour with the agent's env var FAKE_RUNNER_MODE (its registry metadata
// details.env_vars, which reach params.agent_env_vars[agents]):
//   echo    (default) as above;
//   fail    fails at once, calling nothing back;
//   hang    waits an hour (or until stopped / killed);
//   silent  succeeds without calling anything back (the run is never marked done);
//   env     like echo, but the reply is the JSON text of the merged environment: the agent's
//           env vars, then params.user_env_vars over them, as the runner merges them.
//
// It runs in-process (FakeAgentRunnerServer, the HTTP runner protocol) or as the executable
// fake_agent_runner (main.cpp): `--port N` for HTTP, `--stdin` for the subprocess runner.

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

namespace nearhub::testing {

struct FakeRunOutcome {
  enum class Kind { done, bad_input, failed };
  Kind kind = Kind::done;
  std::string message;  // what went wrong, or the thread id when done

  // HTTP runner protocol: 200 done, 400 bad input, 500 failed.
  int http_status() const;
  // Subprocess runner protocol: 0 done, 2 bad input, 1 failed.
  int exit_code() const;
};

class FakeAgentRunner {
 public:
  // Plays one run from the payload's JSON text. Blocks for the whole run (an hour when the
  // mode is "hang", unless stop() comes first).
  FakeRunOutcome run(std::string_view payload_text);
  // Ends hanging runs now and any later ones at once.
  void stop();

 private:
  std::mutex mutex_;
  std::condition_variable stopped_cv_;
  bool stopped_ = false;
};

// FakeAgentRunner behind an HTTP server on 127.0.0.1: every POST, whatever its path (the Lambda
// emulator's is /2015-03-31/functions/function/invocations), is one run.
class FakeAgentRunnerServer {
 public:
  explicit FakeAgentRunnerServer(unsigned short port = 0);  // 0 = any free port
  ~FakeAgentRunnerServer();
  FakeAgentRunnerServer(const FakeAgentRunnerServer&) = delete;
  FakeAgentRunnerServer& operator=(const FakeAgentRunnerServer&) = delete;

  std::string url() const;  // "http://127.0.0.1:<port>"
  unsigned short port() const;
  // Ends hanging runs and stops answering; the destructor does it too.
  void stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace nearhub::testing
