#include "app/runs_wiring.h"

#include <algorithm>
#include <stdexcept>

#include <spdlog/spdlog.h>

#include "agents/agent_run_routes.h"
#include "agents/builtin_runner.h"
#include "agents/http_runner.h"
#include "agents/run_executor.h"
#include "agents/run_workers.h"
#include "agents/subprocess_runner.h"
#include "threads/run_delta_recorder.h"
#include "threads/run_events.h"
#include "threads/run_routes.h"
#include "threads/run_service.h"
#include "threads/run_streams.h"

namespace nearhub::app {

namespace {

std::chrono::milliseconds seconds(const Config& config, const std::string& key) {
  return std::chrono::seconds(config.integer(key));
}

std::chrono::milliseconds ms(const Config& config, const std::string& key) {
  return std::chrono::milliseconds(config.integer(key));
}

std::unique_ptr<agents::Runner> make_runner(const Config& config) {
  const std::string& kind = config.text("runs.runner");
  const auto timeout = seconds(config, "runs.timeout_s");
  if (kind == "none") return nullptr;
  if (kind == "http") {
    const std::string& url = config.text("runs.runner_url");
    if (url.empty()) throw std::runtime_error("runs.runner = http needs runs.runner_url");
    std::vector<std::uint16_t> ports;
    for (const std::string& port : config.list("runs.runner_ports")) {
      try {
        const int value = std::stoi(port);
        if (value <= 0 || value > 65535) throw std::out_of_range(port);
        ports.push_back(static_cast<std::uint16_t>(value));
      } catch (const std::exception&) {
        throw std::runtime_error("runs.runner_ports: '" + port + "' is not a port number");
      }
    }
    try {
      return std::make_unique<agents::HttpRunner>(url, timeout, std::move(ports));
    } catch (const std::invalid_argument& error) {
      throw std::runtime_error(std::string("runs.runner_url: ") + error.what());
    }
  }
  if (kind == "subprocess") {
    std::vector<std::string> command = config.list("runs.runner_command");
    if (command.empty()) {
      throw std::runtime_error("runs.runner = subprocess needs runs.runner_command");
    }
    return std::make_unique<agents::SubprocessRunner>(std::move(command), timeout,
                                                      config.list("runs.runner_env_passthrough"));
  }
  throw std::runtime_error("runs.runner: '" + kind + "' is not http, subprocess or none");
}

}  // namespace

RunsArea::RunsArea(const Config& config, db::Database& database,
                   registry::RegistryService& registry, threads::ThreadService& threads)
    : config_(config), database_(database), registry_(registry), threads_(threads) {
  events_ = std::make_unique<threads::RunEventLog>(database);
  recorder_ = std::make_unique<threads::RunDeltaRecorder>(database, *events_);
  runs_ = std::make_unique<threads::RunService>(
      database, registry, *events_,
      threads::RunServiceOptions{
          .delegated_timeout = std::chrono::seconds(config.integer("runs.delegated_timeout_s"))});
  streams_ = std::make_unique<threads::RunStreams>(
      database,
      threads::RunStreamOptions{.heartbeat = seconds(config, "runs.stream_heartbeat_s"),
                                .max_duration = seconds(config, "runs.stream_timeout_s")});
  runner_ = make_runner(config);
  builtin_ = std::make_unique<agents::BuiltinRunner>(threads, *runs_, registry);
  executor_ = std::make_unique<agents::RunExecutor>(
      *runs_, registry, runner_.get(), *builtin_,
      agents::RunExecutorOptions{.run_timeout = seconds(config, "runs.timeout_s")});
  // A process that takes no queued runs (runs.workers = 0) still executes the runs its own
  // callers wait for.
  waited_runs_ = std::make_unique<util::TaskPool>(
      static_cast<std::size_t>(std::max<std::int64_t>(1, config.integer("runs.workers"))));
  if (!runner_) {
    spdlog::info("runs: no runner configured (runs.runner = none): only prompt agents run");
  }
}

RunsArea::~RunsArea() {
  stop();
  streams_.reset();
}

void RunsArea::stop() {
  waited_runs_.reset();
  workers_.reset();
}

inference::RunDeltaSink& RunsArea::delta_sink() { return *recorder_; }

void RunsArea::add_routes(api::RouteTable& table) {
  // A1 first: POST /v1/threads/runs is matched before /v1/threads/{thread_id} anyway (literal
  // segments win), but the table reads in the original's order.
  agents::add_agent_run_routes(table, *runs_, registry_, *executor_, *waited_runs_);
  threads::add_run_routes(table, *runs_, *streams_);
}

void RunsArea::start(const std::string& listening_url) {
  const std::string& configured = config_.text("runs.api_url");
  executor_->set_api_url(configured.empty() ? listening_url : configured);
  workers_ = std::make_unique<agents::RunWorkers>(
      database_, threads_, *runs_, *executor_,
      agents::RunWorkerOptions{.workers = static_cast<std::size_t>(config_.integer("runs.workers")),
                               .poll = ms(config_, "runs.poll_interval_ms"),
                               .deadline_grace = ms(config_, "runs.deadline_grace_ms"),
                               .event_retention = seconds(config_, "runs.event_retention_s")});
}

}  // namespace nearhub::app
