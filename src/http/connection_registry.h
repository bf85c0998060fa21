#pragma once
// The open connections of a server, so that stop() can reach each of them.

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <unordered_map>
#include <vector>

namespace nearhub::http {

class Connection;

class ConnectionRegistry {
 public:
  std::uint64_t add(const std::shared_ptr<Connection>& connection);
  void remove(std::uint64_t id);
  std::vector<std::shared_ptr<Connection>> snapshot() const;
  // True when the last connection is gone before `deadline`.
  bool wait_until_empty(std::chrono::steady_clock::time_point deadline);

 private:
  mutable std::mutex mutex_;
  std::condition_variable emptied_;
  std::unordered_map<std::uint64_t, std::weak_ptr<Connection>> connections_;
  std::uint64_t next_id_ = 1;
};

}  // namespace nearhub::http
