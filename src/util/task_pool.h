#pragma once
// A fixed set of threads running queued tasks in order of arrival: for short jobs that must not
// run on the thread that discovers them (a bus callback waking a stream, for instance).

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace nearhub::util {

class TaskPool {
 public:
  explicit TaskPool(std::size_t threads);
  // Tasks still queued are dropped; running ones finish first.
  ~TaskPool();
  TaskPool(const TaskPool&) = delete;
  TaskPool& operator=(const TaskPool&) = delete;

  // Queues `task`. A task that throws is logged and forgotten.
  void post(std::function<void()> task);

 private:
  void work();

  std::mutex mutex_;
  std::condition_variable queued_;
  std::deque<std::function<void()>> tasks_;
  bool stopping_ = false;
  std::vector<std::thread> threads_;  // last: start once the rest exists
};

}  // namespace nearhub::util
