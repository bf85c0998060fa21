#pragma once
// A ByteSource over a file on local disk, or over one byte range of it: spooled upload parts
// (http/api) and the filesystem blob store read through it. The size is always known, so HTTP
// can send Content-Length.

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>

#include "util/byte_source.h"

namespace nearhub::util {

class FileByteSource final : public ByteSource {
 public:
  // The whole file. Throws std::runtime_error when it cannot be opened.
  explicit FileByteSource(const std::filesystem::path& path);
  // `length` bytes starting at `offset`. Throws std::runtime_error when the file cannot be
  // opened or is shorter than offset + length.
  FileByteSource(const std::filesystem::path& path, std::uint64_t offset, std::uint64_t length);
  // Takes ownership of the open descriptor `fd` and reads its first `length` bytes: for files
  // opened race-free by the caller (O_NOFOLLOW, then fstat) or with no name at all (O_TMPFILE).
  FileByteSource(int fd, std::uint64_t length);
  ~FileByteSource() override;
  FileByteSource(const FileByteSource&) = delete;
  FileByteSource& operator=(const FileByteSource&) = delete;

  // Throws std::runtime_error on a read error or when the file shrank under us.
  std::size_t read(char* buffer, std::size_t capacity) override;
  std::optional<std::size_t> size() const override { return static_cast<std::size_t>(length_); }

 private:
  std::uint64_t open_file(const std::filesystem::path& path);  // returns the file's size

  int fd_ = -1;
  std::uint64_t offset_ = 0;
  std::uint64_t length_ = 0;
  std::uint64_t position_ = 0;  // bytes of the range already read
};

}  // namespace nearhub::util
