#include "http/connection_registry.h"

namespace nearhub::http {

std::uint64_t ConnectionRegistry::add(const std::shared_ptr<Connection>& connection) {
  std::lock_guard lock(mutex_);
  std::uint64_t id = next_id_++;
  connections_.emplace(id, connection);
  return id;
}

void ConnectionRegistry::remove(std::uint64_t id) {
  std::lock_guard lock(mutex_);
  connections_.erase(id);
  if (connections_.empty()) emptied_.notify_all();
}

std::vector<std::shared_ptr<Connection>> ConnectionRegistry::snapshot() const {
  std::vector<std::shared_ptr<Connection>> alive;
  std::lock_guard lock(mutex_);
  alive.reserve(connections_.size());
  for (const auto& [id, weak] : connections_) {
    if (auto connection = weak.lock()) alive.push_back(std::move(connection));
  }
  return alive;
}

bool ConnectionRegistry::wait_until_empty(std::chrono::steady_clock::time_point deadline) {
  std::unique_lock lock(mutex_);
  return emptied_.wait_until(lock, deadline, [&] { return connections_.empty(); });
}

}  // namespace nearhub::http
