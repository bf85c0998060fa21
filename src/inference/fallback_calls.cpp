#include "inference/fallback_calls.h"

#include <spdlog/spdlog.h>

#include "util/json.h"

namespace nearhub::inference {

namespace {

// Cancelled when the client of `respond` leaves.
std::shared_ptr<util::Cancellation> cancelled_when_client_leaves(const http::Respond& respond) {
  auto cancellation = std::make_shared<util::Cancellation>();
  respond.on_client_gone([cancellation] { cancellation->cancel(); });
  return cancellation;
}

}  // namespace

std::vector<FallbackCalls::Attempt> FallbackCalls::attempts(
    const std::vector<Target>& targets,
    const std::function<std::string(const Target&)>& make_body) {
  std::vector<Attempt> out;
  out.reserve(targets.size());
  for (const Target& target : targets) out.push_back({target, make_body(target)});
  return out;
}

struct FallbackCalls::PostPlan {
  std::vector<Attempt> attempts;
  std::string path;
  std::function<void(Success)> on_success;
  std::function<void(const api::Error&)> on_failure;
  std::shared_ptr<util::Cancellation> cancellation;  // may be null
};

void FallbackCalls::post(std::vector<Attempt> attempts, std::string path,
                         std::function<void(Success)> on_success,
                         std::function<void(const api::Error&)> on_failure,
                         std::shared_ptr<util::Cancellation> cancellation) {
  post_attempt(std::make_shared<const PostPlan>(
                   PostPlan{std::move(attempts), std::move(path), std::move(on_success),
                            std::move(on_failure), std::move(cancellation)}),
               0);
}

void FallbackCalls::post_attempt(std::shared_ptr<const PostPlan> plan, std::size_t index) {
  const Attempt& attempt = plan->attempts[index];
  call_upstream(
      client_, *attempt.target.provider, "POST", plan->path, attempt.body, options_,
      [this, plan, index](UpstreamAnswer answer) {
        const Target& target = plan->attempts[index].target;
        const bool cancelled = plan->cancellation && plan->cancellation->cancelled();
        if (answer.ok()) {
          plan->on_success({target, std::move(answer.body)});
        } else if (!cancelled && worth_fallback(answer) && index + 1 < plan->attempts.size()) {
          spdlog::warn("inference: {} failed ({}), falling back", target.model.id(), answer.status);
          post_attempt(plan, index + 1);
        } else {
          plan->on_failure(upstream_error(target.model, answer));
        }
      },
      plan->cancellation);
}

http::Response FallbackCalls::forward(std::vector<Attempt> attempts, std::string path,
                                      std::function<http::Response(const Success&)> finish,
                                      ErrorTranslation translate) {
  return http::Response::later([this, attempts = std::move(attempts), path = std::move(path),
                                finish = std::move(finish),
                                translate = std::move(translate)](http::Respond respond) mutable {
    auto cancellation = cancelled_when_client_leaves(respond);
    post(
        std::move(attempts), std::move(path),
        [respond, finish = std::move(finish)](const Success& success) {
          http::Response response;
          try {
            response = finish(success);
          } catch (const api::Error& error) {
            response = api::error_response(error);
          } catch (const std::exception& error) {
            spdlog::error("inference: answer from {} failed: {}", success.target.model.id(),
                          error.what());
            response = api::internal_error_response();
          }
          respond(std::move(response));
        },
        [respond, translate = std::move(translate)](const api::Error& error) {
          respond(api::error_response(translate ? translate(error) : error));
        },
        std::move(cancellation));
  });
}

std::vector<FallbackCalls::StreamAttempt> FallbackCalls::stream_attempts(
    const std::vector<Target>& targets,
    const std::function<UpstreamBody(const Target&)>& make_body) {
  std::vector<StreamAttempt> out;
  out.reserve(targets.size());
  for (const Target& target : targets) {
    UpstreamBody body = make_body(target);
    out.push_back({target, util::dump_json(body.body), body.hide_usage_chunk});
  }
  return out;
}

struct FallbackCalls::StreamPlan {
  std::vector<StreamAttempt> attempts;
  std::string path;
  std::function<StreamRelay::Callbacks(const Target&)> make_callbacks;
};

http::Response FallbackCalls::stream(
    std::vector<StreamAttempt> attempts, std::string path,
    std::function<StreamRelay::Callbacks(const Target&)> make_callbacks) {
  auto plan = std::make_shared<const StreamPlan>(
      StreamPlan{std::move(attempts), std::move(path), std::move(make_callbacks)});
  return http::Response::later([this, plan](http::Respond respond) {
    auto cancellation = cancelled_when_client_leaves(respond);
    stream_attempt(plan, 0, 1, std::move(respond), {}, std::move(cancellation));
  });
}

void FallbackCalls::stream_attempt(std::shared_ptr<const StreamPlan> plan, std::size_t index,
                                   int attempt, http::Respond respond,
                                   util::AsyncHttpClient::Clock::time_point not_before,
                                   std::shared_ptr<util::Cancellation> cancellation) {
  const StreamAttempt& target = plan->attempts[index];
  const std::uint64_t step = cancellation->next_step();
  std::shared_ptr<StreamRelay> relay = StreamRelay::start(
      client_, *target.target.provider, plan->path, target.body, options_, target.hide_usage_chunk,
      plan->make_callbacks(target.target),
      [this, plan, index, attempt, respond, cancellation](std::shared_ptr<StreamRelay> relay,
                                                          std::optional<UpstreamAnswer> failure) {
        if (!failure) {
          // The client's stream resumes the relay. If the response is dropped before the
          // stream starts (client gone, server stopping), the guard lets the relay go.
          struct AttachGuard {
            std::shared_ptr<StreamRelay> relay;
            bool attached = false;
            ~AttachGuard() {
              if (!attached) relay->cancel();
            }
          };
          auto guard = std::make_shared<AttachGuard>();
          guard->relay = std::move(relay);
          respond(http::Response::event_stream([guard](std::shared_ptr<http::SseWriter> writer) {
            guard->attached = true;
            guard->relay->attach(std::move(writer));
          }));
          return;
        }
        const ModelRef& model = plan->attempts[index].target.model;
        const RetryPolicy& retry = options_.retry;
        if (cancellation->cancelled()) {
          respond(api::error_response(upstream_error(model, *failure)));  // nobody reads it
        } else if (retry.may_retry(attempt, failure->status)) {
          spdlog::warn("inference: stream from {} answered {}{}; retry {} of {}", model.id(),
                       failure->status,
                       failure->transport_error.empty() ? "" : " " + failure->transport_error,
                       attempt, retry.retries);
          stream_attempt(
              plan, index, attempt + 1, respond,
              util::AsyncHttpClient::Clock::now() + retry.delay(attempt, failure->retry_after),
              cancellation);
        } else if (worth_fallback(*failure) && index + 1 < plan->attempts.size()) {
          spdlog::warn("inference: {} failed ({}), falling back", model.id(), failure->status);
          stream_attempt(plan, index + 1, 1, respond, {}, cancellation);
        } else {
          respond(api::error_response(upstream_error(model, *failure)));
        }
      },
      not_before);
  cancellation->on_cancel(step, [weak = std::weak_ptr<StreamRelay>(relay)] {
    if (auto live = weak.lock()) live->cancel();
  });
}

}  // namespace nearhub::inference
