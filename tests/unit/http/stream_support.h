#pragma once
// Helpers for the streamed upload/download tests: deterministic bytes, a hash to compare them
// without keeping two copies, a body source that counts what is read from it, and a scratch
// directory for spool files.

#include <stdlib.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <thread>

#include "util/byte_source.h"

namespace nearhub::http::testing {

// Byte `i` of a pattern that does not repeat with any small period (so a dropped or doubled
// chunk changes the hash).
inline char pattern_byte(std::uint64_t i) {
  std::uint64_t x = i * 0x9E3779B97F4A7C15ull;
  x ^= x >> 29;
  return static_cast<char>(x & 0xFF);
}

inline std::string pattern(std::uint64_t size, std::uint64_t start = 0) {
  std::string bytes(size, '\0');
  for (std::uint64_t i = 0; i < size; ++i) bytes[i] = pattern_byte(start + i);
  return bytes;
}

// FNV-1a, 64 bits: enough to tell two byte strings apart in a test.
class Hash {
 public:
  void add(std::string_view data) {
    for (char c : data) {
      value_ ^= static_cast<unsigned char>(c);
      value_ *= 0x100000001B3ull;
    }
  }
  std::uint64_t value() const { return value_; }

 private:
  std::uint64_t value_ = 0xCBF29CE484222325ull;
};

inline std::uint64_t hash_of(std::string_view data) {
  Hash hash;
  hash.add(data);
  return hash.value();
}

// What a PatternSource did; outlives the source so the test can see its destruction.
struct SourceStats {
  std::atomic<std::uint64_t> bytes_read{0};
  std::atomic<int> reads{0};
  std::atomic<bool> destroyed{false};
};

// `total` pattern bytes; with `known_size` false, size() is unknown (chunked responses). With
// `fail_after` set, read() throws once that many bytes were read.
class PatternSource : public util::ByteSource {
 public:
  PatternSource(std::uint64_t total, bool known_size, std::shared_ptr<SourceStats> stats,
                std::uint64_t fail_after = UINT64_MAX)
      : total_(total), known_size_(known_size), fail_after_(fail_after), stats_(std::move(stats)) {}
  ~PatternSource() override { stats_->destroyed = true; }

  std::size_t read(char* buffer, std::size_t capacity) override {
    ++stats_->reads;
    if (position_ >= fail_after_) throw std::runtime_error("disk on fire");
    std::size_t count =
        static_cast<std::size_t>(std::min<std::uint64_t>(capacity, total_ - position_));
    for (std::size_t i = 0; i < count; ++i) buffer[i] = pattern_byte(position_ + i);
    position_ += count;
    stats_->bytes_read += count;
    return count;
  }
  std::optional<std::size_t> size() const override {
    if (!known_size_) return std::nullopt;
    return static_cast<std::size_t>(total_);
  }

 private:
  std::uint64_t total_;
  bool known_size_;
  std::uint64_t fail_after_;
  std::uint64_t position_ = 0;
  std::shared_ptr<SourceStats> stats_;
};

// A fresh directory under the system temp dir, removed with everything in it.
class TempDir {
 public:
  TempDir() {
    std::string name = (std::filesystem::temp_directory_path() / "nearhub-test-XXXXXX").string();
    if (::mkdtemp(name.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    path_ = name;
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  const std::filesystem::path& path() const { return path_; }
  std::size_t file_count() const {
    std::size_t count = 0;
    std::error_code ec;
    for (auto it = std::filesystem::directory_iterator(path_, ec);
         !ec && it != std::filesystem::directory_iterator(); ++it) {
      ++count;
    }
    return count;
  }

 private:
  std::filesystem::path path_;
};

// Polls `condition` for up to `limit`; whether it became true.
inline bool eventually(const std::function<bool()>& condition,
                       std::chrono::milliseconds limit = std::chrono::milliseconds(3000)) {
  auto end = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < end) {
    if (condition()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return condition();
}

}  // namespace nearhub::http::testing
