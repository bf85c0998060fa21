#include "util/cancellation.h"

namespace nearhub::util {

void Cancellation::cancel() {
  std::function<void()> stop;
  {
    std::lock_guard lock(mutex_);
    if (cancelled_) return;
    cancelled_ = true;
    stop.swap(stop_);
  }
  if (stop) stop();
}

bool Cancellation::cancelled() const {
  std::lock_guard lock(mutex_);
  return cancelled_;
}

std::uint64_t Cancellation::next_step() {
  std::lock_guard lock(mutex_);
  return ++steps_;
}

void Cancellation::on_cancel(std::uint64_t step, std::function<void()> stop) {
  {
    std::lock_guard lock(mutex_);
    if (!cancelled_) {
      if (step >= step_) {
        step_ = step;
        stop_ = std::move(stop);
      }
      return;
    }
  }
  stop();
}

}  // namespace nearhub::util
