#pragma once
// Calls to a provider's OpenAI-compatible API: request building, retries, and the mapping of a
// failed answer to the error the client gets ([REC] of spec §4.3/§4.6: a clear 4xx or 502, never
// the original's 500).

#include <chrono>
#include <functional>
#include <string>

#include "api/error.h"
#include "inference/model_resolution.h"
#include "inference/provider_config.h"
#include "inference/retry_policy.h"
#include "util/cancellation.h"
#include "util/http_async.h"
#include "util/http_client.h"

namespace nearhub::inference {

struct UpstreamOptions {
  std::chrono::milliseconds connect_timeout{10'000};
  std::chrono::milliseconds read_timeout{600'000};
  RetryPolicy retry;
};

// What one provider finally answered.
struct UpstreamAnswer {
  long status = 0;              // 0: no HTTP answer at all (see transport_error)
  std::string body;             // the answer's body (at most 64 KiB kept for a failed stream)
  std::string transport_error;  // curl's reason when status is 0
  std::chrono::seconds retry_after{0};  // the provider's Retry-After (0: none)
  bool ok() const { return status >= 200 && status < 300; }
};

// POST/GET {base_url}{path} with the provider's key. Only configured base URLs are ever called:
// the path is one of the fixed OpenAI paths, never taken from the request.
util::HttpRequest upstream_request(const Provider& provider, const std::string& method,
                                   const std::string& path, std::string body,
                                   const UpstreamOptions& options);

// Sends the request on `client`, retrying connection errors, 429 and 5xx per the policy (the
// backoff waits on the client's timer, not in a thread). `done` gets the final answer on the
// client's thread and must not block. Cancelling `cancellation` (when given) ends the transfer
// and the retries: `done` then gets no answer (status 0, "cancelled").
void call_upstream(util::AsyncHttpClient& client, const Provider& provider,
                   const std::string& method, const std::string& path, std::string body,
                   const UpstreamOptions& options, std::function<void(UpstreamAnswer)> done,
                   std::shared_ptr<util::Cancellation> cancellation = nullptr);

// Whether the next fallback model should be tried after this failure: the provider is down or
// overloaded, or does not have the model.
bool worth_fallback(const UpstreamAnswer& answer);

// The client's error for a failed answer:
//   404                → 400 "Model not supported" (the original's text for a missing model)
//   other 4xx but 429  → 400 "Error code: <status> - <body>" (as the original's chat did)
//   429                → 429 "Provider <p> is rate limiting requests, try again later"
//   5xx                → 502 "Provider <p> failed: Error code: <status> - <body>"
//   no answer          → 502 "Provider <p> is unreachable: <reason>"
api::Error upstream_error(const ModelRef& model, const UpstreamAnswer& answer);

}  // namespace nearhub::inference
