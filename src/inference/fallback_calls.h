#pragma once
// How the gateway's calls reach providers: a model's provider first, then the model's
// configured fallbacks in order, each with its retries (docs/inference.md "Fallbacks"), all on
// one AsyncHttpClient so that no thread waits for a provider ("Requests in flight"). Answers
// are http::Response::later; retries and fallbacks happen before anything reaches the client.

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "api/error.h"
#include "http/response.h"
#include "inference/model_resolution.h"
#include "inference/provider_config.h"
#include "inference/request_normalization.h"
#include "inference/stream_relay.h"
#include "inference/upstream.h"
#include "util/cancellation.h"
#include "util/http_async.h"

namespace nearhub::inference {

// One model on its configured provider.
struct Target {
  ModelRef model;
  const Provider* provider = nullptr;
};

class FallbackCalls {
 public:
  explicit FallbackCalls(UpstreamOptions options) : options_(std::move(options)) {}

  // Ends the calls still running: a waiting client gets a 502, a stream ends without [DONE].
  // The destructor does it too.
  void stop() { client_.stop(); }
  // The client every call runs on (also for the gateway's model listings).
  util::AsyncHttpClient& client() { return client_; }

  // A plain (not streamed) call to one target, and what came back.
  struct Attempt {
    Target target;
    std::string body;
  };
  struct Success {
    Target target;
    std::string body;
  };
  // The body for each target.
  static std::vector<Attempt> attempts(const std::vector<Target>& targets,
                                       const std::function<std::string(const Target&)>& make_body);
  // Posts each attempt in turn (each with its retries) until one succeeds; `on_success` gets
  // its answer, else `on_failure` the client's error. Both run on the client's thread.
  // Cancelling `cancellation` ends the call in flight and starts no other (on_failure follows).
  void post(std::vector<Attempt> attempts, std::string path,
            std::function<void(Success)> on_success,
            std::function<void(const api::Error&)> on_failure,
            std::shared_ptr<util::Cancellation> cancellation = nullptr);
  using ErrorTranslation = std::function<api::Error(const api::Error&)>;
  // A handler's answer for a plain call: a Response::later that `finish` completes from the
  // first success (an api::Error it throws becomes the error response). `translate` rewrites
  // an upstream failure's error for the endpoint. A client that leaves cancels the calls.
  http::Response forward(std::vector<Attempt> attempts, std::string path,
                         std::function<http::Response(const Success&)> finish,
                         ErrorTranslation translate = nullptr);

  // A streamed call to one target.
  struct StreamAttempt {
    Target target;
    std::string body;
    bool hide_usage_chunk = false;  // see StreamRelay::start
  };
  static std::vector<StreamAttempt> stream_attempts(
      const std::vector<Target>& targets,
      const std::function<UpstreamBody(const Target&)>& make_body);
  // A handler's answer for a streamed call: a Response::later completed with the client's
  // event stream once a target streams, or with the error when every target failed. A client
  // that leaves cancels the calls, also before the provider's first byte.
  http::Response stream(std::vector<StreamAttempt> attempts, std::string path,
                        std::function<StreamRelay::Callbacks(const Target&)> make_callbacks);

 private:
  struct PostPlan;
  void post_attempt(std::shared_ptr<const PostPlan> plan, std::size_t index);
  struct StreamPlan;
  void stream_attempt(std::shared_ptr<const StreamPlan> plan, std::size_t index, int attempt,
                      http::Respond respond, util::AsyncHttpClient::Clock::time_point not_before,
                      std::shared_ptr<util::Cancellation> cancellation);

  const UpstreamOptions options_;
  util::AsyncHttpClient client_;
};

}  // namespace nearhub::inference
