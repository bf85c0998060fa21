#include "http/spooled_body.h"

#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <string>

namespace nearhub::http {

SpooledBody::SpooledBody(const std::filesystem::path& directory) {
  std::error_code ec;
  std::filesystem::create_directories(directory, ec);
  // mkstemp: a fresh name no other request (or process) can race us for, mode 0600.
  std::string name = (directory / "nearhub-upload-XXXXXX").string();
  fd_ = ::mkostemp(name.data(), O_CLOEXEC);
  if (fd_ < 0) {
    throw std::runtime_error("cannot create a spool file in " + directory.string() + ": " +
                             std::strerror(errno));
  }
  path_ = name;
}

SpooledBody::~SpooledBody() {
  if (fd_ >= 0) ::close(fd_);
  std::error_code ec;
  std::filesystem::remove(path_, ec);
}

// Writes go straight to the descriptor: they land in the page cache, so the I/O thread that
// calls this does not wait for the disk in practice.
bool SpooledBody::append(std::string_view data) {
  if (fd_ < 0) return false;
  while (!data.empty()) {
    ssize_t written = ::write(fd_, data.data(), data.size());
    if (written < 0 && errno == EINTR) continue;
    if (written <= 0) return false;
    data.remove_prefix(static_cast<std::size_t>(written));
    size_ += static_cast<std::uint64_t>(written);
  }
  return true;
}

bool SpooledBody::finish() {
  if (fd_ < 0) return false;
  int result = ::close(fd_);
  fd_ = -1;
  return result == 0;
}

}  // namespace nearhub::http
