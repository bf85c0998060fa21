// What only the SQLite bus does: its socket directory beside the file, sockets left behind by
// processes that died, and staying in the process when the directory cannot be used.

#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <chrono>
#include <condition_variable>
#include <cstring>
#include <filesystem>
#include <mutex>
#include <string>

#include <gtest/gtest.h>

#include "db/sqlite/sqlite_event_bus.h"
#include "temp_directory.h"

namespace nearhub::db::sqlite {
namespace {

using namespace std::chrono_literals;
namespace fs = std::filesystem;

std::size_t sockets_in(const fs::path& directory) {
  std::size_t count = 0;
  for (const auto& entry : fs::directory_iterator(directory)) count += entry.is_socket();
  return count;
}

// A socket file with nobody behind it, as a process that was killed leaves it.
fs::path leave_dead_socket(const fs::path& directory) {
  const fs::path path = directory / "999999-dead.sock";
  const int fd = socket(AF_UNIX, SOCK_DGRAM, 0);
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  std::strcpy(address.sun_path, path.c_str());
  EXPECT_EQ(bind(fd, reinterpret_cast<const sockaddr*>(&address), sizeof address), 0);
  close(fd);
  return path;
}

class Received {
 public:
  EventBus::Callback callback() {
    return [this](const std::string& payload) {
      {
        const std::lock_guard lock(mutex_);
        last_ = payload;
      }
      arrived_.notify_all();
    };
  }
  bool wait_for(const std::string& payload) {
    std::unique_lock lock(mutex_);
    return arrived_.wait_for(lock, 5s, [&] { return last_ == payload; });
  }

 private:
  std::mutex mutex_;
  std::condition_variable arrived_;
  std::string last_;
};

TEST(SqliteEventBus, EachBusHasASocketBesideTheFileUntilItCloses) {
  testing::TempDirectory directory;
  const std::string database = directory.file("hub.db");
  const fs::path sockets = SqliteEventBus::socket_directory(database);
  {
    SqliteEventBus first(database);
    SqliteEventBus second(database);
    EXPECT_TRUE(first.crosses_processes());
    EXPECT_EQ(sockets_in(sockets), 2u);
  }
  EXPECT_EQ(sockets_in(sockets), 0u);
}

TEST(SqliteEventBus, ASocketLeftByADeadProcessIsRemovedAndOthersStillReceive) {
  testing::TempDirectory directory;
  const std::string database = directory.file("hub.db");
  SqliteEventBus publisher(database);
  SqliteEventBus subscriber(database);
  const fs::path dead = leave_dead_socket(SqliteEventBus::socket_directory(database));
  Received received;
  const Subscription subscription = subscriber.subscribe("runs", received.callback());
  publisher.publish("runs", "run_1");
  ASSERT_TRUE(received.wait_for("run_1"));
  EXPECT_FALSE(fs::exists(dead));
}

TEST(SqliteEventBus, APathTooLongForASocketKeepsEventsInTheProcess) {
  testing::TempDirectory directory;
  const fs::path deep = directory.path() / std::string(120, 'd');
  fs::create_directories(deep);
  SqliteEventBus bus((deep / "hub.db").string());
  EXPECT_FALSE(bus.crosses_processes());
  Received received;
  const Subscription subscription = bus.subscribe("runs", received.callback());
  bus.publish("runs", "here");
  EXPECT_TRUE(received.wait_for("here"));
}

}  // namespace
}  // namespace nearhub::db::sqlite
