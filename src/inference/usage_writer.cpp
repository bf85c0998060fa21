#include "inference/usage_writer.h"

#include <spdlog/spdlog.h>

#include "inference/usage_store.h"

namespace nearhub::inference {

UsageWriter::UsageWriter(db::Database& database, Options options, const RateLimiter* limiter)
    : database_(database), options_(options), limiter_(limiter) {
  if (options_.batch_size == 0) options_.batch_size = 1;
  thread_ = std::thread([this] { run(); });
}

UsageWriter::~UsageWriter() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  changed_.notify_all();
  thread_.join();
}

void UsageWriter::add(UsageRow row) {
  std::lock_guard lock(mutex_);
  queue_.push_back(std::move(row));
  ++added_;
  if (queue_.size() >= options_.batch_size) changed_.notify_all();
}

void UsageWriter::flush() {
  std::unique_lock lock(mutex_);
  const std::uint64_t target = added_;
  ++flush_waiters_;
  changed_.notify_all();
  changed_.wait(lock, [&] { return done_ >= target; });
  --flush_waiters_;
}

void UsageWriter::run() {
  std::unique_lock lock(mutex_);
  for (;;) {
    // Wait for a full batch, the interval, a flush() or the end; flush() waiters count as a
    // reason to write now.
    changed_.wait_for(lock, options_.flush_interval, [this] {
      return stopping_ || (flush_waiters_ > 0 && !queue_.empty()) ||
             queue_.size() >= options_.batch_size;
    });
    if (queue_.empty()) {
      if (stopping_) return;
      continue;
    }
    std::deque<UsageRow> batch;
    while (!queue_.empty() && batch.size() < options_.batch_size) {
      batch.push_back(std::move(queue_.front()));
      queue_.pop_front();
    }
    lock.unlock();
    const std::size_t count = batch.size();
    write_batch(batch);
    lock.lock();
    done_ += count;
    changed_.notify_all();
  }
}

void UsageWriter::write_batch(std::deque<UsageRow>& batch) {
  try {
    auto session = database_.session();
    db::Transaction transaction(*session);
    UsageStore store(*session);
    for (const UsageRow& row : batch) {
      store.insert(row);
      if (limiter_) {
        limiter_->add_tokens(*session, row.account_id, row.total_tokens, row.created_at / 1000);
      }
    }
    transaction.commit();
  } catch (const std::exception& error) {
    // Usage is bookkeeping: a failure must not break inference, but it must be visible.
    spdlog::error("inference: {} usage rows could not be written: {}", batch.size(), error.what());
  }
}

}  // namespace nearhub::inference
