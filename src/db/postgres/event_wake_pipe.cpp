#include "db/postgres/event_wake_pipe.h"

#include <fcntl.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <string>

#include "db/database.h"

namespace nearhub::db::postgres {

EventWakePipe::EventWakePipe() {
  int ends[2];
  if (pipe2(ends, O_NONBLOCK | O_CLOEXEC) != 0) {
    throw Error(std::string("cannot create the event listener's wake-up pipe: ") +
                std::strerror(errno));
  }
  read_end_ = ends[0];
  write_end_ = ends[1];
}

EventWakePipe::~EventWakePipe() {
  close(read_end_);
  close(write_end_);
}

void EventWakePipe::wake() noexcept {
  const char byte = 1;
  // EAGAIN means the pipe is full, hence readable: the wake-up is already pending.
  while (write(write_end_, &byte, 1) < 0 && errno == EINTR) {
  }
}

void EventWakePipe::drain() noexcept {
  std::array<char, 64> bytes;
  while (true) {
    const ssize_t count = read(read_end_, bytes.data(), bytes.size());
    if (count > 0 || (count < 0 && errno == EINTR)) continue;
    return;  // empty (EAGAIN)
  }
}

}  // namespace nearhub::db::postgres
