#pragma once
// The SQLite event bus. Processes that share one SQLite file share one machine, so they reach
// each other through Unix datagram sockets in a directory beside the file (`<file>-events/`,
// like SQLite's own `-wal` and `-shm`): every open database binds one socket there, and a
// message goes to this process's subscribers at once and to every other socket in the
// directory from a sender thread, so publishers never wait for another process. A receiver
// thread hands what arrives to this process's subscribers.
//
// Delivery to other processes is best effort, like PostgreSQL's: a peer whose queue stays full
// for a while loses the message (logged), and a socket left by a process that died is removed
// by the first sender that finds nobody behind it. When the directory cannot be used (a path
// too long for a socket name, no permission), the bus warns once and stays in this process.

#include <condition_variable>
#include <deque>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "db/events.h"

namespace nearhub::db::sqlite {

class SqliteEventBus final : public EventBus {
 public:
  explicit SqliteEventBus(const std::string& database_path);
  // Sends what is queued for other processes, removes this process's socket, stops the threads.
  ~SqliteEventBus() override;
  SqliteEventBus(const SqliteEventBus&) = delete;
  SqliteEventBus& operator=(const SqliteEventBus&) = delete;

  // The directory of sockets for a database file.
  static std::string socket_directory(const std::string& database_path);
  // Whether other processes can be reached (for logs and tests).
  bool crosses_processes() const { return socket_ >= 0; }

 private:
  void publish_checked(std::string_view channel, std::string_view payload) override;
  Subscription subscribe_checked(std::string_view channel, Callback callback) override;

  bool open_socket(const std::string& database_path);
  void receive_until_stopped();
  void send_until_stopped();
  // Sends one datagram to every other socket in the directory.
  void send_to_peers(const std::string& datagram);

  InProcessEventBus local_;
  std::string directory_;
  std::string own_path_;  // this process's socket
  int socket_ = -1;       // bound to own_path_; -1: this process only

  std::mutex mutex_;
  std::condition_variable queued_;
  std::deque<std::string> outgoing_;  // datagrams: channel, NUL, payload
  bool stopping_ = false;

  std::thread receiver_;
  std::thread sender_;
};

}  // namespace nearhub::db::sqlite
