#pragma once
// The inference area built from the configuration (docs/inference.md): providers, gateway, rate
// limiter and the usage writer, with the lifetimes serve() needs: destroying it cancels the
// streams still relaying, then writes every usage row still queued.

#include <memory>

#include "api/route.h"
#include "app/config.h"
#include "db/database.h"

namespace nearhub::inference {
class CompletionSigner;
class Gateway;
class RateLimiter;
class RunDeltaSink;
class UsageWriter;
}  // namespace nearhub::inference

namespace nearhub::app {

class InferenceArea {
 public:
  // Throws std::runtime_error naming the faulty setting or [providers.<name>] entry. Streamed
  // completions of a run feed `deltas`, which must outlive this.
  InferenceArea(const Config& config, db::Database& database, inference::RunDeltaSink& deltas);
  ~InferenceArea();
  InferenceArea(const InferenceArea&) = delete;
  InferenceArea& operator=(const InferenceArea&) = delete;

  void add_routes(api::RouteTable& table);
  inference::Gateway& gateway() { return *gateway_; }

 private:
  // Declaration order is destruction order reversed: the gateway goes first, the writer last.
  std::unique_ptr<inference::RateLimiter> limiter_;
  std::unique_ptr<inference::UsageWriter> usage_;
  std::unique_ptr<inference::CompletionSigner> signer_;
  std::unique_ptr<inference::Gateway> gateway_;
};

}  // namespace nearhub::app
