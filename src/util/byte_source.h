#pragma once
// A pull-based stream of bytes: uploads spooled by the HTTP server, blobs read from storage and
// response bodies all move through it in bounded chunks, so no layer holds a whole file in memory.

#include <cstddef>
#include <optional>

namespace nearhub::util {

class ByteSource {
 public:
  virtual ~ByteSource() = default;
  // Copies up to `capacity` bytes into `buffer` and returns how many; 0 means the end. May block
  // (disk, network); throws std::runtime_error (or a subclass) when the bytes cannot be read.
  virtual std::size_t read(char* buffer, std::size_t capacity) = 0;
  // The total length when known in advance (lets HTTP send Content-Length).
  virtual std::optional<std::size_t> size() const { return std::nullopt; }
};

}  // namespace nearhub::util
