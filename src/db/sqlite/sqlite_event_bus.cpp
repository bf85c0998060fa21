#include "db/sqlite/sqlite_event_bus.h"

#include <dirent.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <exception>
#include <random>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

namespace nearhub::db::sqlite {

namespace {

constexpr std::string_view kSocketSuffix = ".sock";
// How long a sender keeps retrying a peer whose queue is full before it drops the message.
constexpr auto kFullPeerPatience = std::chrono::milliseconds(200);
// Larger than any datagram: a channel, a NUL and a payload within the bus's limits.
constexpr std::size_t kMaxDatagram = kMaxChannelBytes + 1 + kMaxPayloadBytes;

// False (and nothing written) when `path` does not fit a socket address.
bool socket_address(const std::string& path, sockaddr_un& address) {
  address = {};
  address.sun_family = AF_UNIX;
  if (path.size() >= sizeof address.sun_path) return false;
  std::memcpy(address.sun_path, path.c_str(), path.size() + 1);
  return true;
}

std::string random_name() {
  std::random_device random;
  return fmt::format("{}-{:08x}{:08x}{}", getpid(), random(), random(), kSocketSuffix);
}

}  // namespace

std::string SqliteEventBus::socket_directory(const std::string& database_path) {
  return database_path + "-events";
}

SqliteEventBus::SqliteEventBus(const std::string& database_path) {
  if (!open_socket(database_path)) return;
  receiver_ = std::thread([this] { receive_until_stopped(); });
  sender_ = std::thread([this] { send_until_stopped(); });
}

SqliteEventBus::~SqliteEventBus() {
  if (socket_ < 0) return;
  {
    const std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  queued_.notify_one();
  sender_.join();  // after sending what was queued
  // An empty datagram to ourselves wakes the receiver, which then sees stopping_.
  sockaddr_un self{};
  socket_address(own_path_, self);
  sendto(socket_, "", 0, MSG_DONTWAIT, reinterpret_cast<const sockaddr*>(&self), sizeof self);
  receiver_.join();
  close(socket_);
  unlink(own_path_.c_str());
}

bool SqliteEventBus::open_socket(const std::string& database_path) {
  directory_ = socket_directory(database_path);
  own_path_ = directory_ + "/" + random_name();
  const auto in_process_only = [&](const std::string& reason) {
    spdlog::warn(
        "events: {}; events stay inside this process (other nearhub processes on {} "
        "will not see them)",
        reason, database_path);
    if (socket_ >= 0) close(socket_);
    socket_ = -1;
    return false;
  };
  sockaddr_un address{};
  if (!socket_address(own_path_, address)) {
    return in_process_only(
        fmt::format("the socket path {} is too long for a Unix socket", own_path_));
  }
  if (mkdir(directory_.c_str(), 0700) != 0 && errno != EEXIST) {
    return in_process_only(fmt::format("cannot create {}: {}", directory_, std::strerror(errno)));
  }
  socket_ = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (socket_ < 0) {
    return in_process_only(fmt::format("cannot open a Unix socket: {}", std::strerror(errno)));
  }
  if (bind(socket_, reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0) {
    return in_process_only(fmt::format("cannot bind {}: {}", own_path_, std::strerror(errno)));
  }
  return true;
}

void SqliteEventBus::publish_checked(std::string_view channel, std::string_view payload) {
  local_.deliver(channel, payload);
  if (socket_ < 0) return;
  std::string datagram;
  datagram.reserve(channel.size() + 1 + payload.size());
  datagram.append(channel).push_back('\0');
  datagram.append(payload);
  {
    const std::lock_guard lock(mutex_);
    outgoing_.push_back(std::move(datagram));
  }
  queued_.notify_one();
}

Subscription SqliteEventBus::subscribe_checked(std::string_view channel, Callback callback) {
  return local_.subscribe(channel, std::move(callback));
}

void SqliteEventBus::receive_until_stopped() {
  std::string buffer(kMaxDatagram + 1, '\0');
  while (true) {
    const ssize_t received = recv(socket_, buffer.data(), buffer.size(), 0);
    {
      const std::lock_guard lock(mutex_);
      if (stopping_) return;
    }
    if (received < 0) {
      if (errno == EINTR) continue;
      spdlog::error("events: receiving from {} failed: {}", own_path_, std::strerror(errno));
      return;
    }
    const std::string_view datagram(buffer.data(), static_cast<std::size_t>(received));
    const std::size_t nul = datagram.find('\0');
    if (nul == std::string_view::npos) continue;  // not one of ours
    try {
      const std::string_view channel = datagram.substr(0, nul);
      const std::string_view payload = datagram.substr(nul + 1);
      check_channel(channel);
      check_payload(payload);
      local_.deliver(channel, payload);
    } catch (const std::exception& error) {
      spdlog::warn("events: ignored a malformed message on {}: {}", own_path_, error.what());
    }
  }
}

void SqliteEventBus::send_until_stopped() {
  std::unique_lock lock(mutex_);
  while (true) {
    queued_.wait(lock, [this] { return stopping_ || !outgoing_.empty(); });
    if (outgoing_.empty()) return;  // stopping, and everything is sent
    std::deque<std::string> batch;
    batch.swap(outgoing_);
    lock.unlock();
    for (const std::string& datagram : batch) send_to_peers(datagram);
    lock.lock();
  }
}

void SqliteEventBus::send_to_peers(const std::string& datagram) {
  // The directory is read for every message: a process that subscribed a moment ago had bound
  // its socket before, so it is listed, and a directory of a few entries is read in microseconds.
  DIR* directory = opendir(directory_.c_str());
  if (directory == nullptr) {
    spdlog::warn("events: cannot read {}: {}", directory_, std::strerror(errno));
    return;
  }
  const std::string own_name = own_path_.substr(directory_.size() + 1);
  while (const dirent* entry = readdir(directory)) {
    const std::string_view name = entry->d_name;
    if (!name.ends_with(kSocketSuffix) || name == own_name) continue;
    const std::string peer = directory_ + "/" + std::string(name);
    sockaddr_un address{};
    if (!socket_address(peer, address)) continue;
    const auto give_up_at = std::chrono::steady_clock::now() + kFullPeerPatience;
    while (sendto(socket_, datagram.data(), datagram.size(), MSG_DONTWAIT,
                  reinterpret_cast<const sockaddr*>(&address), sizeof address) < 0) {
      if (errno == EINTR) continue;
      if (errno == ECONNREFUSED) {
        unlink(peer.c_str());  // nobody is bound to it: its process is gone
        break;
      }
      if ((errno == EAGAIN || errno == EWOULDBLOCK) &&
          std::chrono::steady_clock::now() < give_up_at) {
        std::this_thread::sleep_for(std::chrono::milliseconds(1));  // the peer drains its queue
        continue;
      }
      if (errno != ENOENT) {
        spdlog::warn("events: a message to {} was lost: {}", peer, std::strerror(errno));
      }
      break;
    }
  }
  closedir(directory);
}

}  // namespace nearhub::db::sqlite
