#pragma once
// Where registry files and uploaded files live (DESIGN.md "Data"): a directory by default, an
// S3-compatible bucket on request. Keys are '/'-separated relative paths such as
// "registry/alice.near/my-agent/0.0.1/agent.py" (spec/platform.md §6.1); callers build and check
// them, stores refuse keys that could escape (empty, absolute, "..", NUL, backslash).

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "util/byte_source.h"

namespace nearhub::blob {

// Storage failed (I/O error, S3 answered an error, unreachable endpoint): the caller answers 5xx.
class BlobError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// put() read more than its size cap: the caller answers 413. Nothing was stored.
class BlobTooLarge : public BlobError {
 public:
  using BlobError::BlobError;
};

// put() with if_absent found the key already there: nothing was written.
class BlobExists : public BlobError {
 public:
  using BlobError::BlobError;
};

struct BlobInfo {
  std::string key;
  std::uint64_t size = 0;
};

class BlobStore {
 public:
  virtual ~BlobStore() = default;

  // Streams `content` to `key`. Readers never see a partial object: it appears whole or not at
  // all. Throws BlobTooLarge after more than `max_bytes` bytes (nothing stored) and BlobExists
  // when `if_absent` and the key exists. Returns the number of bytes stored.
  virtual std::uint64_t put(const std::string& key, util::ByteSource& content,
                            std::uint64_t max_bytes, bool if_absent) = 0;
  // A reader over the object, or nullptr when there is none.
  virtual std::unique_ptr<util::ByteSource> get(const std::string& key) = 0;
  virtual bool exists(const std::string& key) = 0;
  // Copies inside the store (server-side on S3), write-once like put() with if_absent: throws
  // BlobExists when `to` exists (nothing is written) and BlobError when `from` is missing.
  virtual void copy(const std::string& from, const std::string& to) = 0;
  // Every object whose key starts with `prefix`, sorted by key, with no cap on the count.
  virtual std::vector<BlobInfo> list(const std::string& prefix) = 0;
  // Removes the object if present (used to undo a half-made fork).
  virtual void remove(const std::string& key) = 0;
};

}  // namespace nearhub::blob
