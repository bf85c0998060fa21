#pragma once
// The subprocess runner (spec/assistants.md §6.1 [REC] `subprocess`): starts a configured
// command for each run, writes the §6.2 payload JSON and a newline to its stdin, closes stdin,
// and waits for it to exit. Exit status 0 is success. The agent's results come back through
// the hub's API while it runs, so stdout is only kept for the debug log.
//
// The child gets a clean environment: only the variables named in `env_passthrough` (read
// from nearhub's environment once, at construction), so nearhub's own secrets (NEARHUB_*,
// provider keys) never reach agent code. It runs in its own process group; when the run's time
// is up the whole group gets SIGTERM, then SIGKILL 2 s later. It is always reaped.

#include <chrono>
#include <string>
#include <vector>

#include "agents/runner.h"

namespace nearhub::agents {

class SubprocessRunner : public Runner {
 public:
  // argv[0] is an executable path, or a name looked up in nearhub's PATH. Throws
  // std::invalid_argument when argv is empty.
  SubprocessRunner(std::vector<std::string> argv, std::chrono::milliseconds timeout,
                   std::vector<std::string> env_passthrough = {"PATH"});

  RunnerOutcome run(const RunnerInvocation& invocation) override;

  // How much of each of stdout and stderr is kept (the first bytes of stdout, the last bytes
  // of stderr); the rest is read and discarded so that the child never blocks on a full pipe.
  static constexpr std::size_t kOutputLimit = 64 * 1024;

 private:
  RunnerOutcome run_child(const RunnerInvocation& invocation);

  std::vector<std::string> argv_;
  std::chrono::milliseconds timeout_;
  std::vector<std::string> environment_;  // "NAME=value"
};

}  // namespace nearhub::agents
