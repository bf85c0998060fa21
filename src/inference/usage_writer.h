#pragma once
// Writes usage rows off the request path: handlers queue a row and return; one background thread
// inserts them in batches (every `batch_size` rows or `flush_interval`, whichever comes first).
// add() never waits: it is called on the gateway's one upstream thread, which relays every
// stream, so waiting there would stall them all. The queue is therefore unbounded; it cannot grow
// for long, since a database that stops taking rows also stops authenticating the requests
// that would add more. Nothing queued is lost on a clean shutdown: the destructor writes
// everything still queued.

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <mutex>
#include <thread>

#include "db/database.h"
#include "inference/rate_limiter.h"
#include "inference/usage.h"

namespace nearhub::inference {

class UsageWriter {
 public:
  struct Options {
    std::size_t batch_size = 100;
    std::chrono::milliseconds flush_interval{1000};
  };

  // `limiter`, when given, also gets each row's tokens (token rate limits).
  UsageWriter(db::Database& database, Options options, const RateLimiter* limiter = nullptr);
  ~UsageWriter();
  UsageWriter(const UsageWriter&) = delete;
  UsageWriter& operator=(const UsageWriter&) = delete;

  void add(UsageRow row);
  // Returns once every row added before the call has been written (or failed and was logged).
  void flush();

 private:
  void run();
  void write_batch(std::deque<UsageRow>& batch);

  db::Database& database_;
  Options options_;
  const RateLimiter* limiter_;
  std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<UsageRow> queue_;
  std::uint64_t added_ = 0;
  std::uint64_t done_ = 0;
  int flush_waiters_ = 0;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace nearhub::inference
