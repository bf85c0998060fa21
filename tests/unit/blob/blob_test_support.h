#pragma once
// Shared by the blob tests: byte sources with known content, and reading a store's object back.

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <random>
#include <string>

#include "blob/blob_store.h"
#include "util/byte_source.h"

namespace nearhub::blob::testing {

// `size` deterministic pseudo-random bytes, produced on demand (never held whole). Records the
// largest read() the store asked for, and whether it announces its size.
class GeneratedSource final : public util::ByteSource {
 public:
  GeneratedSource(std::uint64_t size, std::uint32_t seed, bool announce_size)
      : size_(size), seed_(seed), announce_(announce_size) {}

  std::size_t read(char* buffer, std::size_t capacity) override {
    largest_read = std::max(largest_read, capacity);
    const std::size_t n =
        static_cast<std::size_t>(std::min<std::uint64_t>(capacity, size_ - position_));
    for (std::size_t i = 0; i < n; ++i) buffer[i] = byte_at(position_ + i, seed_);
    position_ += n;
    return n;
  }
  std::optional<std::size_t> size() const override {
    if (!announce_) return std::nullopt;
    return static_cast<std::size_t>(size_);
  }

  static char byte_at(std::uint64_t position, std::uint32_t seed) {
    std::uint64_t x = position * 0x9E3779B97F4A7C15ULL + seed;
    x ^= x >> 29;
    x *= 0xBF58476D1CE4E5B9ULL;
    return static_cast<char>(x >> 56);
  }

  std::size_t largest_read = 0;

 private:
  std::uint64_t size_;
  std::uint64_t position_ = 0;
  std::uint32_t seed_;
  bool announce_;
};

class StringSource final : public util::ByteSource {
 public:
  explicit StringSource(std::string data, bool announce_size = true)
      : data_(std::move(data)), announce_(announce_size) {}
  std::size_t read(char* buffer, std::size_t capacity) override {
    const std::size_t n = std::min(capacity, data_.size() - position_);
    std::copy_n(data_.data() + position_, n, buffer);
    position_ += n;
    return n;
  }
  std::optional<std::size_t> size() const override {
    if (!announce_) return std::nullopt;
    return data_.size();
  }

 private:
  std::string data_;
  std::size_t position_ = 0;
  bool announce_;
};

inline std::string read_all(util::ByteSource& source) {
  std::string out;
  char buffer[7000];  // an odd size, to cross chunk boundaries at odd places
  while (const std::size_t n = source.read(buffer, sizeof buffer)) out.append(buffer, n);
  return out;
}

inline std::optional<std::string> read_blob(BlobStore& store, const std::string& key) {
  auto reader = store.get(key);
  if (!reader) return std::nullopt;
  return read_all(*reader);
}

class TempDirectory {
 public:
  TempDirectory() {
    std::random_device random;
    path_ = std::filesystem::temp_directory_path() /
            ("nearhub-blob-test-" + std::to_string(random()) + std::to_string(random()));
    std::filesystem::create_directories(path_);
  }
  ~TempDirectory() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  TempDirectory(const TempDirectory&) = delete;
  TempDirectory& operator=(const TempDirectory&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

}  // namespace nearhub::blob::testing
