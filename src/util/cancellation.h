#pragma once
// Stops work done for a client that has left: work made of steps (an upstream call, its retries,
// its fallbacks) registers how to stop the step now running, and checks cancelled() before it
// starts the next. Thread-safe; cancel() runs the registered stop on the caller's thread, so a
// stop must only signal (e.g. cancel a transfer), never wait.

#include <cstdint>
#include <functional>
#include <mutex>

namespace nearhub::util {

class Cancellation {
 public:
  // Idempotent.
  void cancel();
  bool cancelled() const;
  // A number for the step about to start, greater than every number given before: take it
  // before starting the step, so that a step started by this one gets a greater number.
  std::uint64_t next_step();
  // How to stop step `step`. Replaces the stop of an earlier step and is ignored after a later
  // one's, since a step may register after the step it started did. Runs at once when the work
  // is already cancelled.
  void on_cancel(std::uint64_t step, std::function<void()> stop);

 private:
  mutable std::mutex mutex_;
  bool cancelled_ = false;
  std::uint64_t steps_ = 0;  // numbers given
  std::uint64_t step_ = 0;   // whose stop is registered
  std::function<void()> stop_;
};

}  // namespace nearhub::util
