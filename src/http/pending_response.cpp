#include "http/pending_response.h"

#include <atomic>

#include <spdlog/spdlog.h>

namespace nearhub::http {

void PendingResponse::arm(std::function<void(Response)> resume) {
  std::lock_guard lock(mutex_);
  resume_ = std::move(resume);
}

void PendingResponse::complete(Response response) {
  std::function<void(Response)> resume;
  {
    std::lock_guard lock(mutex_);
    if (done_) return;
    done_ = true;
    resume.swap(resume_);
  }
  if (resume) resume(std::move(response));
}

void PendingResponse::abandon(Response response) {
  {
    std::lock_guard lock(mutex_);
    if (!deferred_) return;
  }
  complete(std::move(response));
}

Respond PendingResponse::defer() {
  {
    std::lock_guard lock(mutex_);
    deferred_ = true;
  }
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
  return [guard](Response response) {
    guard->called = true;
    if (response.deferred) {
      spdlog::error("a deferred response completed with another deferred response");
      response = Response::make(500, "text/plain; charset=utf-8", "Internal Server Error");
    }
    guard->pending->complete(std::move(response));
  };
}

}  // namespace nearhub::http
