#pragma once
// Publish/subscribe between the parts of nearhub that write something and the ones waiting
// for it (a run stream waits for the run's next delta). The bus only wakes subscribers up: a
// message is a channel name and a short payload (an id, a sequence number), never a document,
// and it may be lost (see PostgreSQL below), so a subscriber that must not miss data reads it
// from the database after being woken, and once after subscribing.
//
// Every Database has one bus (Database::events()):
// - SQLite: the bus reaches the subscribers of every process that opened the same file, through
//   Unix datagram sockets beside it (sqlite/sqlite_event_bus.h); messages to other processes
//   are best effort.
// - PostgreSQL: messages cross processes by NOTIFY/LISTEN on the same database; channels are
//   per database, shared by every schema in it. publish() borrows a pooled connection (so it
//   waits, like Database::session(), while all are in use) and notifies on it outside any
//   transaction the caller holds: the message goes out right away, even if the caller's
//   transaction later rolls back, so publish after committing what the message announces.
//   Messages published while this process's listener connection is down (it reconnects by
//   itself) are lost; when it is back, every subscriber gets one message with an empty payload.

#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

namespace nearhub::db {

// PostgreSQL truncates identifiers to 63 bytes; a longer channel would silently merge with
// another one.
inline constexpr std::size_t kMaxChannelBytes = 63;
// NOTIFY refuses payloads of 8000 bytes or more; the rest is headroom.
inline constexpr std::size_t kMaxPayloadBytes = 7900;

// Throws std::invalid_argument unless `channel` is 1 to 63 bytes of [a-z0-9_.:-]. The
// character set needs no quoting anywhere and keeps names case-unambiguous.
void check_channel(std::string_view channel);
// Throws std::invalid_argument if `payload` is longer than kMaxPayloadBytes or holds a NUL
// byte (PostgreSQL text cannot).
void check_payload(std::string_view payload);

// A subscriber's registration, cancelled when the handle is destroyed or cancel()ed. Move-only.
// The bus that made it must outlive it.
class Subscription {
 public:
  Subscription() = default;  // subscribed to nothing
  // For EventBus implementations: `unsubscribe` runs once, on cancel() or destruction, and
  // must not return while the callback runs on another thread.
  explicit Subscription(std::function<void()> unsubscribe) : unsubscribe_(std::move(unsubscribe)) {}
  ~Subscription() { cancel(); }
  Subscription(Subscription&& other) noexcept;
  Subscription& operator=(Subscription&& other) noexcept;
  Subscription(const Subscription&) = delete;
  Subscription& operator=(const Subscription&) = delete;

  // Once this returns, the callback is not running and will not run again, so whatever it
  // captured may be destroyed. Called from inside the callback itself, it returns at once
  // (waiting would deadlock) and that call is the last.
  void cancel() noexcept;
  bool active() const { return static_cast<bool>(unsubscribe_); }

 private:
  std::function<void()> unsubscribe_;
};

class EventBus {
 public:
  using Callback = std::function<void(const std::string& payload)>;

  virtual ~EventBus() = default;

  // Sends `payload` to the subscribers of `channel`, here and in every process sharing the
  // database. Never runs or waits for subscriber code. Throws
  // std::invalid_argument for a bad channel or payload, db::Error if PostgreSQL fails.
  void publish(std::string_view channel, std::string_view payload);

  // Calls `callback` with every message published on `channel` after this returns, in the order
  // each publisher published them, one at a time on the bus's dispatcher thread. Callbacks must
  // be quick (hand the payload over, don't do I/O): every subscriber of the bus waits for them.
  // A callback that throws is logged and stays subscribed. Throws std::invalid_argument for a
  // bad channel.
  Subscription subscribe(std::string_view channel, Callback callback);

 private:
  // The same, with channel and payload already checked.
  virtual void publish_checked(std::string_view channel, std::string_view payload) = 0;
  virtual Subscription subscribe_checked(std::string_view channel, Callback callback) = 0;
};

// The bus inside one process: subscribers by channel, and a queue drained by one dispatcher
// thread, so publishers neither run subscriber code nor wait for slow subscribers. The SQLite
// and PostgreSQL buses hand what they receive to one.
class InProcessEventBus final : public EventBus {
 public:
  InProcessEventBus();
  // Messages still queued are dropped.
  ~InProcessEventBus() override;
  InProcessEventBus(const InProcessEventBus&) = delete;
  InProcessEventBus& operator=(const InProcessEventBus&) = delete;

  // Queues a message for the channel's subscribers; what publish() does after its checks.
  void deliver(std::string_view channel, std::string_view payload);
  // The channels that have at least one subscriber.
  std::vector<std::string> subscribed_channels() const;

 private:
  struct Subscriber {
    std::string channel;
    Callback callback;
    bool cancelled = false;  // guarded by mutex_
  };
  struct Message {
    std::string channel;
    std::string payload;
  };

  void publish_checked(std::string_view channel, std::string_view payload) override;
  Subscription subscribe_checked(std::string_view channel, Callback callback) override;
  void unsubscribe(const std::shared_ptr<Subscriber>& subscriber);
  void dispatch_until_stopped();
  void dispatch(const Message& message, std::unique_lock<std::mutex>& lock);

  mutable std::mutex mutex_;
  std::condition_variable queued_;
  // Signalled when a callback returns, for unsubscribe() waiting on it.
  std::condition_variable callback_returned_;
  std::map<std::string, std::vector<std::shared_ptr<Subscriber>>, std::less<>> subscribers_;
  std::deque<Message> queue_;
  const Subscriber* running_ = nullptr;  // whose callback the dispatcher is in
  bool stopping_ = false;
  std::thread dispatcher_;  // last: starts once everything above exists
};

}  // namespace nearhub::db
