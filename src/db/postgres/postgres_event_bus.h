#pragma once
// The PostgreSQL event bus: publish() is NOTIFY on a pooled connection, so the message reaches
// every process LISTENing on the database, this one included; this process's subscribers are
// reached through its EventListener and an InProcessEventBus that calls them.

#include <string>

#include "db/events.h"
#include "db/postgres/event_listener.h"
#include "db/session_pool.h"

namespace nearhub::db::postgres {

class PostgresEventBus final : public EventBus {
 public:
  // `pool` must outlive the bus.
  PostgresEventBus(const std::string& url, SessionPool& pool);

 private:
  // A message published on this process goes round the server too, rather than straight to
  // local subscribers: one path, and one order, for every subscriber.
  void publish_checked(std::string_view channel, std::string_view payload) override;
  // Returns once the listener LISTENs to `channel` (unless its connection is down).
  Subscription subscribe_checked(std::string_view channel, Callback callback) override;

  SessionPool& pool_;
  InProcessEventBus subscribers_;
  // After subscribers_: it is destroyed first, and stops handing it notifications.
  EventListener listener_;
};

}  // namespace nearhub::db::postgres
