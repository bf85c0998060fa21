#pragma once
// The HTTP runner (spec/assistants.md §6.1 `custom_runner`, §6.2): POSTs the payload as JSON to
// a URL, the protocol of the official runner image behind the Lambda runtime interface
// emulator (e.g. http://host:9009/2015-03-31/functions/function/invocations). HTTP 200 is
// success (the body is ignored); anything else fails the run.
//
// A URL containing %PORT% addresses a pool of local runners, one per port: each agent gets a
// port from `ports` and keeps it (sticky, so a runner's cache of that agent stays warm); when
// every port is taken, the agent that got its port longest ago gives it up, with a warning. The
// mapping lives in this object's memory, as in the original.

#include <chrono>
#include <cstdint>
#include <deque>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "agents/runner.h"

namespace nearhub::agents {

class HttpRunner : public Runner {
 public:
  // Throws std::invalid_argument when `url` contains %PORT% and `ports` is empty.
  HttpRunner(std::string url, std::chrono::milliseconds timeout,
             std::vector<std::uint16_t> ports = {});

  RunnerOutcome run(const RunnerInvocation& invocation) override;

  // The URL this agent's run goes to (%PORT% replaced). Public for tests.
  std::string url_for(const std::string& agent);

 private:
  std::uint16_t port_for(const std::string& agent);

  std::string url_;
  std::chrono::milliseconds timeout_;
  std::vector<std::uint16_t> ports_;
  bool uses_port_pool_ = false;

  std::mutex mutex_;
  std::map<std::string, std::uint16_t> port_of_agent_;  // guarded by mutex_
  std::deque<std::string> agents_by_age_;               // oldest assignment first; mutex_
};

}  // namespace nearhub::agents
