#include "util/task_pool.h"

#include <exception>

#include <spdlog/spdlog.h>

namespace nearhub::util {

TaskPool::TaskPool(std::size_t threads) {
  threads_.reserve(threads);
  for (std::size_t i = 0; i < threads; ++i) threads_.emplace_back([this] { work(); });
}

TaskPool::~TaskPool() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
    tasks_.clear();
  }
  queued_.notify_all();
  for (std::thread& thread : threads_) thread.join();
}

void TaskPool::post(std::function<void()> task) {
  {
    std::lock_guard lock(mutex_);
    if (stopping_) return;
    tasks_.push_back(std::move(task));
  }
  queued_.notify_one();
}

void TaskPool::work() {
  std::unique_lock lock(mutex_);
  while (true) {
    queued_.wait(lock, [this] { return stopping_ || !tasks_.empty(); });
    if (stopping_) return;
    std::function<void()> task = std::move(tasks_.front());
    tasks_.pop_front();
    lock.unlock();
    try {
      task();
    } catch (const std::exception& error) {
      spdlog::error("task failed: {}", error.what());
    }
    lock.lock();
  }
}

}  // namespace nearhub::util
