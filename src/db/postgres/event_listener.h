#pragma once
// The PostgreSQL connection that LISTENs on behalf of this process's subscribers, and the
// thread that reads their notifications. One per PostgresDatabase, not from the pool: a
// pooled connection serves other requests between borrowings and would miss notifications
// while borrowed. It connects on the first subscription, LISTENs to every channel that has a
// local subscriber, UNLISTENs from those that lost their last one, and after losing the
// connection reconnects with backoff and LISTENs again. Notifications sent while it is down
// are lost; once it LISTENs again, every channel gets one notification with an empty payload,
// so that its subscribers read again what they wait for.

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <set>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "db/postgres/event_wake_pipe.h"
#include "db/postgres/libpq_handles.h"

namespace nearhub::db::postgres {

class EventListener {
 public:
  // The channels that should be listened to now.
  using WantedChannels = std::function<std::vector<std::string>()>;
  // Called on the listener thread with each notification received.
  using Receive = std::function<void(std::string_view channel, std::string_view payload)>;

  EventListener(std::string url, WantedChannels wanted_channels, Receive receive);
  // Waits for a connection attempt under way (libpq's connect timeout is 10 s).
  ~EventListener();
  EventListener(const EventListener&) = delete;
  EventListener& operator=(const EventListener&) = delete;

  // Returns once the connection LISTENs to every wanted channel, or once it is known to be
  // down (then it LISTENs when it is back): a subscriber misses nothing published after its
  // subscribe() returned while the connection stays up.
  void sync();
  // Asks for the same without waiting: UNLISTEN after an unsubscription can happen later, the
  // notifications meanwhile find no subscriber.
  void request_sync() noexcept;

 private:
  void run();
  // Makes the connection, opened if needed, LISTEN to exactly the wanted channels. False if
  // the connection could not be opened or failed.
  bool listen_to_wanted_channels();
  bool try_connect();
  void connection_failed(std::string_view reason);
  void set_down(bool down);
  int retry_delay_ms() const;
  // Waits for a wake-up or for input on the connection, and hands over what arrived.
  void wait_for_notifications();
  void wait_before_retrying();
  void receive_notifications();
  bool stopping();

  const std::string url_;
  const WantedChannels wanted_channels_;
  const Receive receive_;
  EventWakePipe wake_pipe_;

  // Only the listener thread touches these.
  ConnectionHandle connection_;
  std::set<std::string> listening_;
  bool ever_connected_ = false;
  bool missed_while_down_ = false;  // a connection was lost since the channels last got a wake-up
  int failures_ = 0;                // in a row, since the connection last LISTENed

  std::mutex mutex_;
  std::condition_variable synced_;
  // Generations: sync() takes the next requested one and waits for the applied one to reach it.
  std::uint64_t requested_sync_ = 0;
  std::uint64_t applied_sync_ = 0;
  bool down_ = false;  // the last attempt to connect failed
  bool stopping_ = false;
  std::thread thread_;  // last: starts once everything above exists
};

}  // namespace nearhub::db::postgres
