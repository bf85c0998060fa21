#include "db/session_pool.h"

#include <exception>
#include <utility>

#include <spdlog/spdlog.h>

namespace nearhub::db {

SessionPool::SessionPool(std::size_t capacity, Opener open, Recycler recycle)
    : capacity_(capacity), open_(std::move(open)), recycle_(std::move(recycle)) {
  if (capacity_ == 0) throw Error("database pool size must be at least 1");
  idle_.reserve(capacity_);
}

SessionPtr SessionPool::acquire() {
  auto borrowed = [this](Session* session) {
    return SessionPtr(session, [this](Session* s) { release(s); });
  };
  std::unique_lock lock(mutex_);
  returned_.wait(lock, [this] { return !idle_.empty() || open_count_ < capacity_; });
  if (!idle_.empty()) {
    Session* session = idle_.back().release();
    idle_.pop_back();
    return borrowed(session);
  }
  // Open outside the lock: connecting (to PostgreSQL especially) can take a while.
  ++open_count_;
  lock.unlock();
  try {
    return borrowed(open_().release());
  } catch (...) {
    lock.lock();
    --open_count_;
    lock.unlock();
    returned_.notify_one();
    throw;
  }
}

void SessionPool::release(Session* session) noexcept {
  std::unique_ptr<Session> owned(session);
  bool reusable = false;
  try {
    reusable = recycle_(*owned);
  } catch (const std::exception& error) {
    spdlog::warn("database: closing a connection that could not be reused: {}", error.what());
  } catch (...) {
    spdlog::warn("database: closing a connection that could not be reused");
  }
  if (!reusable) owned.reset();  // close it before taking the lock
  {
    std::lock_guard lock(mutex_);
    if (reusable) {
      // Cannot throw: idle_ reserved room for every connection up front.
      idle_.push_back(std::move(owned));
    } else {
      --open_count_;
    }
  }
  returned_.notify_one();
}

}  // namespace nearhub::db
