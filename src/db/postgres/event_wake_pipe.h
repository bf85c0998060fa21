#pragma once
// A self-pipe: the listener thread waits in poll() on its connection's socket and on this
// pipe's read end, so that other threads can wake it (to LISTEN to a new channel, or to stop)
// without it ever sleeping on a timer.

namespace nearhub::db::postgres {

class EventWakePipe {
 public:
  // Throws db::Error if the process is out of file descriptors.
  EventWakePipe();
  ~EventWakePipe();
  EventWakePipe(const EventWakePipe&) = delete;
  EventWakePipe& operator=(const EventWakePipe&) = delete;

  // The descriptor to poll for POLLIN.
  int read_end() const { return read_end_; }
  // Makes read_end() readable. Never blocks: a full pipe is readable already.
  void wake() noexcept;
  // Empties the pipe, so the next poll() waits for the next wake().
  void drain() noexcept;

 private:
  int read_end_ = -1;
  int write_end_ = -1;
};

}  // namespace nearhub::db::postgres
