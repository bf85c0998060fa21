#include "http/pending_response.h"

#include <atomic>

#include <spdlog/spdlog.h>

namespace nearhub::http {

void PendingResponse::arm(std::function<void(Response)> resume, std::function<void()> deferred) {
  std::lock_guard lock(mutex_);
  resume_ = std::move(resume);
  on_deferred_ = std::move(deferred);
}

void PendingResponse::complete(Response response) {
  std::function<void(Response)> resume;
  {
    std::lock_guard lock(mutex_);
    if (done_) return;
    done_ = true;
    resume.swap(resume_);
    gone_callbacks_.clear();  // the producer is done: nothing left to cancel
  }
  if (resume) resume(std::move(response));
}

void PendingResponse::client_gone() {
  std::vector<std::function<void()>> callbacks;
  {
    std::lock_guard lock(mutex_);
    if (done_ || gone_) return;
    gone_ = true;
    callbacks.swap(gone_callbacks_);
  }
  for (auto& callback : callbacks) callback();
}

void PendingResponse::on_client_gone(std::function<void()> callback) {
  {
    std::lock_guard lock(mutex_);
    if (done_) return;
    if (!gone_) {
      gone_callbacks_.push_back(std::move(callback));
      return;
    }
  }
  callback();
}

void PendingResponse::abandon(Response response) {
  {
    std::lock_guard lock(mutex_);
    if (!deferred_) return;
  }
  complete(std::move(response));
}

Respond PendingResponse::defer() {
  std::function<void()> on_deferred;
  {
    std::lock_guard lock(mutex_);
    deferred_ = true;
    on_deferred.swap(on_deferred_);
  }
  if (on_deferred) on_deferred();
  // Shared by every copy of the Respond; its destructor runs when the last copy goes.
  struct Guard {
    std::shared_ptr<PendingResponse> pending;
    std::atomic<bool> called{false};
    ~Guard() {
      if (called) return;
      spdlog::error("a deferred response was dropped unanswered");
      pending->complete(Response::make(500, "text/plain; charset=utf-8", "Internal Server Error"));
    }
  };
  auto guard = std::make_shared<Guard>();
  guard->pending = shared_from_this();
  return Respond(
      [guard](Response response) {
        guard->called = true;
        if (response.deferred) {
          spdlog::error("a deferred response completed with another deferred response");
          response = Response::make(500, "text/plain; charset=utf-8", "Internal Server Error");
        }
        guard->pending->complete(std::move(response));
      },
      // Holds the PendingResponse, not the guard: watching must not keep an answer owed.
      [pending = shared_from_this()](std::function<void()> callback) {
        pending->on_client_gone(std::move(callback));
      });
}

}  // namespace nearhub::http
