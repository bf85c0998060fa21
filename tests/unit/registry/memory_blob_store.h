#pragma once
// An in-memory BlobStore with the contract of blob/blob_store.h, for service tests that should
// not depend on a real backend; it can also be told to fail, to test what the service undoes.

#include <map>
#include <mutex>
#include <string>

#include "blob/blob_store.h"

namespace nearhub::registry::testing {

class StringSource final : public util::ByteSource {
 public:
  explicit StringSource(std::string data) : data_(std::move(data)) {}
  std::size_t read(char* buffer, std::size_t capacity) override {
    const std::size_t count = std::min(capacity, data_.size() - at_);
    data_.copy(buffer, count, at_);
    at_ += count;
    return count;
  }
  std::optional<std::size_t> size() const override { return data_.size(); }

 private:
  std::string data_;
  std::size_t at_ = 0;
};

inline std::string read_all(util::ByteSource& source) {
  std::string out;
  char buffer[4096];
  while (std::size_t count = source.read(buffer, sizeof buffer)) out.append(buffer, count);
  return out;
}

class MemoryBlobStore final : public blob::BlobStore {
 public:
  std::uint64_t put(const std::string& key, util::ByteSource& content, std::uint64_t max_bytes,
                    bool if_absent) override {
    const std::string data = read_all(content);
    std::lock_guard lock(mutex_);
    if (data.size() > max_bytes) throw blob::BlobTooLarge("too large: " + key);
    if (if_absent && objects_.contains(key)) throw blob::BlobExists("exists: " + key);
    objects_[key] = data;
    return data.size();
  }
  std::unique_ptr<util::ByteSource> get(const std::string& key) override {
    std::lock_guard lock(mutex_);
    const auto it = objects_.find(key);
    if (it == objects_.end()) return nullptr;
    return std::make_unique<StringSource>(it->second);
  }
  bool exists(const std::string& key) override {
    std::lock_guard lock(mutex_);
    return objects_.contains(key);
  }
  void copy(const std::string& from, const std::string& to) override {
    std::lock_guard lock(mutex_);
    if (copies_before_failure_ == 0) throw blob::BlobError("copy failed (test)");
    if (copies_before_failure_ > 0) --copies_before_failure_;
    const auto it = objects_.find(from);
    if (it == objects_.end()) throw blob::BlobError("missing: " + from);
    if (objects_.contains(to)) throw blob::BlobExists("exists: " + to);
    objects_[to] = it->second;
  }
  std::vector<blob::BlobInfo> list(const std::string& prefix) override {
    std::lock_guard lock(mutex_);
    std::vector<blob::BlobInfo> out;
    for (auto it = objects_.lower_bound(prefix); it != objects_.end(); ++it) {
      if (!it->first.starts_with(prefix)) break;
      out.push_back({it->first, it->second.size()});
    }
    return out;
  }
  void remove(const std::string& key) override {
    std::lock_guard lock(mutex_);
    objects_.erase(key);
  }

  // The next `count` copies succeed and the one after throws BlobError (-1: never).
  void fail_copy_after(int count) {
    std::lock_guard lock(mutex_);
    copies_before_failure_ = count;
  }
  std::size_t object_count() {
    std::lock_guard lock(mutex_);
    return objects_.size();
  }

 private:
  std::mutex mutex_;
  std::map<std::string, std::string> objects_;
  int copies_before_failure_ = -1;
};

}  // namespace nearhub::registry::testing
