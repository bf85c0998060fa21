#include "util/file_byte_source.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <string>

namespace nearhub::util {

FileByteSource::FileByteSource(const std::filesystem::path& path) { length_ = open_file(path); }

FileByteSource::FileByteSource(const std::filesystem::path& path, std::uint64_t offset,
                               std::uint64_t length)
    : offset_(offset), length_(length) {
  std::uint64_t file_size = open_file(path);
  if (offset > file_size || length > file_size - offset) {
    ::close(fd_);
    fd_ = -1;
    throw std::runtime_error("byte range beyond the end of " + path.string());
  }
}

FileByteSource::FileByteSource(int fd, std::uint64_t length) : fd_(fd), length_(length) {}

FileByteSource::~FileByteSource() {
  if (fd_ >= 0) ::close(fd_);
}

std::uint64_t FileByteSource::open_file(const std::filesystem::path& path) {
  fd_ = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd_ < 0) {
    throw std::runtime_error("cannot open " + path.string() + ": " + std::strerror(errno));
  }
  struct stat info {};
  if (::fstat(fd_, &info) != 0) {
    int error = errno;
    ::close(fd_);
    fd_ = -1;
    throw std::runtime_error("cannot stat " + path.string() + ": " + std::strerror(error));
  }
  return static_cast<std::uint64_t>(info.st_size);
}

std::size_t FileByteSource::read(char* buffer, std::size_t capacity) {
  std::uint64_t remaining = length_ - position_;
  std::size_t wanted = static_cast<std::size_t>(std::min<std::uint64_t>(capacity, remaining));
  if (wanted == 0) return 0;
  // pread: the position lives here, not in the descriptor, so a range needs no seek.
  for (;;) {
    ssize_t got = ::pread(fd_, buffer, wanted, static_cast<off_t>(offset_ + position_));
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) throw std::runtime_error(std::string("file read failed: ") + std::strerror(errno));
    // A file that ends early was truncated while being read; a short body must not pass as whole.
    if (got == 0) throw std::runtime_error("file ended before the expected length");
    position_ += static_cast<std::uint64_t>(got);
    return static_cast<std::size_t>(got);
  }
}

}  // namespace nearhub::util
