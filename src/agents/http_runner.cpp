#include "agents/http_runner.h"

#include <algorithm>
#include <stdexcept>
#include <utility>

#include <spdlog/spdlog.h>

#include "util/http_client.h"
#include "util/json.h"

namespace nearhub::agents {
namespace {

constexpr std::string_view kPortPlaceholder = "%PORT%";
constexpr std::size_t kErrorBodyBytes = 200;

}  // namespace

HttpRunner::HttpRunner(std::string url, std::chrono::milliseconds timeout,
                       std::vector<std::uint16_t> ports)
    : url_(std::move(url)), timeout_(timeout), ports_(std::move(ports)) {
  uses_port_pool_ = url_.find(kPortPlaceholder) != std::string::npos;
  if (uses_port_pool_ && ports_.empty()) {
    throw std::invalid_argument("the runner URL " + url_ +
                                " contains %PORT% but no runner ports are configured");
  }
}

std::uint16_t HttpRunner::port_for(const std::string& agent) {
  std::lock_guard lock(mutex_);
  if (const auto found = port_of_agent_.find(agent); found != port_of_agent_.end()) {
    return found->second;
  }
  std::uint16_t port = 0;
  if (port_of_agent_.size() < ports_.size()) {
    // The first configured port no agent holds.
    for (const std::uint16_t candidate : ports_) {
      const bool taken = std::any_of(port_of_agent_.begin(), port_of_agent_.end(),
                                     [&](const auto& entry) { return entry.second == candidate; });
      if (!taken) {
        port = candidate;
        break;
      }
    }
  } else {
    const std::string oldest = agents_by_age_.front();
    agents_by_age_.pop_front();
    port = port_of_agent_.at(oldest);
    port_of_agent_.erase(oldest);
    spdlog::warn("all {} runner ports are in use; agent {} takes port {} from agent {}",
                 ports_.size(), agent, port, oldest);
  }
  port_of_agent_[agent] = port;
  agents_by_age_.push_back(agent);
  return port;
}

std::string HttpRunner::url_for(const std::string& agent) {
  if (!uses_port_pool_) return url_;
  std::string url = url_;
  const std::string port = std::to_string(port_for(agent));
  for (auto at = url.find(kPortPlaceholder); at != std::string::npos;
       at = url.find(kPortPlaceholder, at + port.size())) {
    url.replace(at, kPortPlaceholder.size(), port);
  }
  return url;
}

RunnerOutcome HttpRunner::run(const RunnerInvocation& invocation) {
  using std::chrono::milliseconds;
  RunnerOutcome outcome;
  try {
    const auto start = std::chrono::steady_clock::now();
    const auto left = std::chrono::duration_cast<milliseconds>(invocation.deadline - start);
    const milliseconds budget = std::min(timeout_, left);
    if (budget <= milliseconds(0)) {
      outcome.timed_out = true;
      outcome.error = "the run's deadline passed before the runner was called";
      return outcome;
    }

    util::HttpRequest request;
    request.method = "POST";
    request.url = url_for(invocation.agent);
    request.headers = {{"Content-Type", "application/json"}};
    request.body = util::dump_json(invocation.payload);
    request.connect_timeout = std::min(request.connect_timeout, budget);
    request.total_timeout = budget;
    try {
      const util::HttpResponse response = util::send_http_request(request);
      if (response.status == 200) {
        outcome.ok = true;
        return outcome;
      }
      outcome.error = "runner answered HTTP " + std::to_string(response.status) + ": " +
                      response.body.substr(0, kErrorBodyBytes);
    } catch (const util::HttpClientError& error) {
      // curl says "Timeout was reached" for the connect and the total timeout alike; only the
      // latter is the run's time running out (a little slack for curl's millisecond clock).
      outcome.timed_out = std::chrono::steady_clock::now() - start >= budget - milliseconds(10);
      outcome.error = std::string("runner call failed: ") + error.what();
    }
  } catch (const std::exception& error) {
    outcome.error = std::string("runner call failed: ") + error.what();
  }
  return outcome;
}

}  // namespace nearhub::agents
