#pragma once
// Runs and agents built from the configuration (docs/agents.md): the run service, its event log
// and streams, the recorder that turns chat-completion deltas into run events, the runners, the
// executor and the worker pool. Construction order is what serve() needs: the delta recorder
// exists before the inference gateway that feeds it; workers start only once the server
// listens (start()), because agents call the hub back at its URL.

#include <memory>
#include <string>

#include "api/route.h"
#include "app/config.h"
#include "db/database.h"
#include "inference/run_delta_sink.h"
#include "registry/service.h"
#include "threads/service.h"

namespace nearhub::agents {
class BuiltinRunner;
class Runner;
class RunExecutor;
class RunWorkers;
}  // namespace nearhub::agents

namespace nearhub::util {
class TaskPool;
}  // namespace nearhub::util

namespace nearhub::threads {
class RunDeltaRecorder;
class RunEventLog;
class RunService;
class RunStreams;
}  // namespace nearhub::threads

namespace nearhub::app {

class RunsArea {
 public:
  // Throws std::runtime_error naming a faulty runs.* setting.
  RunsArea(const Config& config, db::Database& database, registry::RegistryService& registry,
           threads::ThreadService& threads);
  // Stops the workers (waiting for runs being executed), then ends open streams.
  ~RunsArea();
  RunsArea(const RunsArea&) = delete;
  RunsArea& operator=(const RunsArea&) = delete;

  inference::RunDeltaSink& delta_sink();
  void add_routes(api::RouteTable& table);
  // Starts executing runs; `listening_url` is where the server listens (runs.api_url wins).
  void start(const std::string& listening_url);
  // Stops executing runs (waiting for those in progress); before the areas they use go.
  void stop();

 private:
  const Config& config_;
  db::Database& database_;
  registry::RegistryService& registry_;
  threads::ThreadService& threads_;
  // Declaration order is construction order; destruction runs backwards: workers first.
  std::unique_ptr<threads::RunEventLog> events_;
  std::unique_ptr<threads::RunDeltaRecorder> recorder_;
  std::unique_ptr<threads::RunService> runs_;
  std::unique_ptr<threads::RunStreams> streams_;
  std::unique_ptr<agents::Runner> runner_;  // null with runs.runner = none
  std::unique_ptr<agents::BuiltinRunner> builtin_;
  std::unique_ptr<agents::RunExecutor> executor_;
  std::unique_ptr<agents::RunWorkers> workers_;
  std::unique_ptr<util::TaskPool> waited_runs_;  // A1 runs, whose caller waits for the end
};

}  // namespace nearhub::app
