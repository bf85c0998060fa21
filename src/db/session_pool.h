#pragma once
// A bounded pool of driver sessions shared by the SQLite and PostgreSQL drivers. Connections
// open lazily up to the capacity; session() blocks while all of them are borrowed. Idle ones
// are handed out last-in first-out, so the busiest few keep warm statement caches.

#include <condition_variable>
#include <cstddef>
#include <functional>
#include <memory>
#include <mutex>
#include <vector>

#include "db/database.h"

namespace nearhub::db {

class SessionPool {
 public:
  // Opens a new connection; may throw db::Error.
  using Opener = std::function<std::unique_ptr<Session>()>;
  // Readies a returned session for its next borrower (e.g. rolls back a transaction left
  // open). Returns false, or throws, when the connection is unusable and must be closed.
  using Recycler = std::function<bool(Session&)>;

  SessionPool(std::size_t capacity, Opener open, Recycler recycle);
  SessionPool(const SessionPool&) = delete;
  SessionPool& operator=(const SessionPool&) = delete;

  // Every borrowed session must have been returned before the pool is destroyed.
  SessionPtr acquire();

 private:
  void release(Session* session) noexcept;

  const std::size_t capacity_;
  const Opener open_;
  const Recycler recycle_;
  std::mutex mutex_;
  std::condition_variable returned_;
  std::vector<std::unique_ptr<Session>> idle_;
  std::size_t open_count_ = 0;  // idle and borrowed
};

}  // namespace nearhub::db
