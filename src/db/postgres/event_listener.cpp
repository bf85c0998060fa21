#include "db/postgres/event_listener.h"

#include <poll.h>

#include <algorithm>
#include <chrono>
#include <memory>
#include <utility>

#include <spdlog/spdlog.h>

#include "db/database.h"
#include "db/postgres/connect.h"

namespace nearhub::db::postgres {

namespace {

constexpr int kFirstRetryDelayMs = 100;
constexpr int kMaxRetryDelayMs = 5000;

struct NotificationFreer {
  void operator()(PGnotify* notification) const { PQfreemem(notification); }
};

// libpq's messages span lines (a hint on a tab-indented one): a log line reads better whole.
std::string one_line(const char* message) {
  std::string line;
  for (const char* c = message; *c != '\0'; ++c) {
    const bool space = *c == '\n' || *c == '\t' || *c == ' ';
    if (!space) {
      line += *c;
    } else if (!line.empty() && line.back() != ' ') {
      line += ' ';
    }
  }
  if (!line.empty() && line.back() == ' ') line.pop_back();
  return line;
}

// Channel names are [a-z0-9_.:-] (db::check_channel): quoting them needs no escaping, and
// keeps PostgreSQL from reading them as keywords or folding them.
void append_statement(std::string& statements, std::string_view command, std::string_view channel) {
  statements.append(command).append(" \"").append(channel).append("\";");
}

}  // namespace

EventListener::EventListener(std::string url, WantedChannels wanted_channels, Receive receive)
    : url_(std::move(url)),
      wanted_channels_(std::move(wanted_channels)),
      receive_(std::move(receive)),
      thread_([this] { run(); }) {}

EventListener::~EventListener() {
  {
    const std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  synced_.notify_all();
  wake_pipe_.wake();
  thread_.join();
}

void EventListener::sync() {
  std::unique_lock lock(mutex_);
  const std::uint64_t generation = ++requested_sync_;
  wake_pipe_.wake();
  synced_.wait(lock, [&] { return applied_sync_ >= generation || down_ || stopping_; });
}

void EventListener::request_sync() noexcept {
  {
    const std::lock_guard lock(mutex_);
    ++requested_sync_;
  }
  wake_pipe_.wake();
}

void EventListener::run() {
  while (!stopping()) {
    std::uint64_t generation = 0;
    {
      const std::lock_guard lock(mutex_);
      generation = requested_sync_;
    }
    if (!listen_to_wanted_channels()) {
      wait_before_retrying();
      continue;
    }
    {
      const std::lock_guard lock(mutex_);
      applied_sync_ = generation;
    }
    synced_.notify_all();
    wait_for_notifications();
  }
}

bool EventListener::listen_to_wanted_channels() {
  const std::vector<std::string> wanted_list = wanted_channels_();
  if (!connection_) {
    if (wanted_list.empty()) return true;  // connect on the first subscription
    if (!try_connect()) return false;
  }
  const std::set<std::string> wanted(wanted_list.begin(), wanted_list.end());
  std::string statements;
  for (const std::string& channel : wanted) {
    if (!listening_.contains(channel)) append_statement(statements, "LISTEN", channel);
  }
  for (const std::string& channel : listening_) {
    if (!wanted.contains(channel)) append_statement(statements, "UNLISTEN", channel);
  }
  if (!statements.empty()) {
    const ResultHandle result(PQexec(connection_.get(), statements.c_str()));
    if (PQresultStatus(result.get()) != PGRES_COMMAND_OK) {
      connection_failed(one_line(PQerrorMessage(connection_.get())));
      return false;
    }
    listening_ = wanted;
    // PQexec may have read notifications along with its results; the socket will not tell.
    receive_notifications();
  }
  if (missed_while_down_) {
    // What was published while the connection was down is lost: every subscriber is woken
    // once (an empty payload) to read again what it waits for.
    missed_while_down_ = false;
    for (const std::string& channel : wanted) receive_(channel, "");
  }
  failures_ = 0;
  return true;
}

bool EventListener::try_connect() {
  try {
    connection_ = connect(url_);
  } catch (const Error& error) {
    ++failures_;
    spdlog::warn("events: the PostgreSQL listener cannot connect ({}); retrying in {} ms",
                 error.what(), retry_delay_ms());
    set_down(true);
    return false;
  }
  if (ever_connected_) spdlog::info("events: the PostgreSQL listener reconnected");
  ever_connected_ = true;
  listening_.clear();
  set_down(false);
  return true;
}

void EventListener::connection_failed(std::string_view reason) {
  ++failures_;
  spdlog::warn(
      "events: lost the PostgreSQL listener connection ({}); reconnecting, notifications sent "
      "meanwhile are lost",
      reason);
  // Not down_ yet: the first reconnection is tried at once, and sync() may wait for it.
  connection_.reset();
  listening_.clear();
  missed_while_down_ = true;
}

void EventListener::set_down(bool down) {
  {
    const std::lock_guard lock(mutex_);
    down_ = down;
  }
  if (down) synced_.notify_all();
}

int EventListener::retry_delay_ms() const {
  // The first retry at once: a connection that just dropped usually reconnects.
  if (failures_ <= 1) return 0;
  const int doublings = std::min(failures_ - 2, 16);
  return std::min(kFirstRetryDelayMs << doublings, kMaxRetryDelayMs);
}

void EventListener::wait_for_notifications() {
  pollfd watched[2] = {{wake_pipe_.read_end(), POLLIN, 0},
                       // poll() skips a negative descriptor: no connection, nothing to read.
                       {connection_ ? PQsocket(connection_.get()) : -1, POLLIN, 0}};
  if (poll(watched, 2, -1) < 0) return;  // EINTR: the caller's loop polls again
  if (watched[0].revents != 0) wake_pipe_.drain();
  if (watched[1].revents != 0) {
    if (PQconsumeInput(connection_.get()) == 0 || PQstatus(connection_.get()) != CONNECTION_OK) {
      connection_failed(one_line(PQerrorMessage(connection_.get())));
      return;
    }
    receive_notifications();
  }
}

void EventListener::wait_before_retrying() {
  using Clock = std::chrono::steady_clock;
  const Clock::time_point deadline = Clock::now() + std::chrono::milliseconds(retry_delay_ms());
  // Woken early only to stop: sync() does not wait while the connection is down.
  while (!stopping()) {
    const auto left = std::chrono::ceil<std::chrono::milliseconds>(deadline - Clock::now()).count();
    if (left <= 0) return;
    pollfd watched = {wake_pipe_.read_end(), POLLIN, 0};
    if (poll(&watched, 1, static_cast<int>(left)) > 0) wake_pipe_.drain();
  }
}

void EventListener::receive_notifications() {
  while (true) {
    const std::unique_ptr<PGnotify, NotificationFreer> notification(PQnotifies(connection_.get()));
    if (!notification) return;
    receive_(notification->relname, notification->extra);
  }
}

bool EventListener::stopping() {
  const std::lock_guard lock(mutex_);
  return stopping_;
}

}  // namespace nearhub::db::postgres
