#include "db/postgres/postgres_event_bus.h"

#include <memory>
#include <utility>

namespace nearhub::db::postgres {

PostgresEventBus::PostgresEventBus(const std::string& url, SessionPool& pool)
    : pool_(pool),
      listener_(
          url, [this] { return subscribers_.subscribed_channels(); },
          [this](std::string_view channel, std::string_view payload) {
            subscribers_.deliver(channel, payload);
          }) {}

void PostgresEventBus::publish_checked(std::string_view channel, std::string_view payload) {
  // Autocommit on its own connection: NOTIFY goes out when the statement commits, now.
  pool_.acquire()->execute("SELECT pg_notify(?, ?)", {std::string(channel), std::string(payload)});
}

Subscription PostgresEventBus::subscribe_checked(std::string_view channel, Callback callback) {
  // Subscription is move-only and std::function wants a copyable callable.
  auto local = std::make_shared<Subscription>(subscribers_.subscribe(channel, std::move(callback)));
  listener_.sync();
  return Subscription([this, local] {
    local->cancel();
    listener_.request_sync();
  });
}

}  // namespace nearhub::db::postgres
