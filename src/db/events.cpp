// The EventBus contract shared by every implementation: name and size checks, and the
// Subscription handle.

#include "db/events.h"

#include <stdexcept>
#include <utility>

namespace nearhub::db {

namespace {

bool is_channel_character(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '.' || c == ':' ||
         c == '-';
}

}  // namespace

void check_channel(std::string_view channel) {
  if (channel.empty() || channel.size() > kMaxChannelBytes) {
    throw std::invalid_argument("an event channel name must be 1 to " +
                                std::to_string(kMaxChannelBytes) + " bytes long");
  }
  for (const char c : channel) {
    if (!is_channel_character(c)) {
      throw std::invalid_argument("event channel '" + std::string(channel) +
                                  "' may only hold a-z, 0-9, '_', '.', ':' and '-'");
    }
  }
}

void check_payload(std::string_view payload) {
  if (payload.size() > kMaxPayloadBytes) {
    throw std::invalid_argument("an event payload of " + std::to_string(payload.size()) +
                                " bytes exceeds the limit of " + std::to_string(kMaxPayloadBytes) +
                                "; publish an id and let subscribers read the rest");
  }
  if (payload.find('\0') != std::string_view::npos) {
    throw std::invalid_argument("an event payload cannot hold a NUL byte");
  }
}

Subscription::Subscription(Subscription&& other) noexcept
    : unsubscribe_(std::exchange(other.unsubscribe_, nullptr)) {}

Subscription& Subscription::operator=(Subscription&& other) noexcept {
  if (this != &other) {
    cancel();
    unsubscribe_ = std::exchange(other.unsubscribe_, nullptr);
  }
  return *this;
}

void Subscription::cancel() noexcept {
  if (unsubscribe_) std::exchange(unsubscribe_, nullptr)();
}

void EventBus::publish(std::string_view channel, std::string_view payload) {
  check_channel(channel);
  check_payload(payload);
  publish_checked(channel, payload);
}

Subscription EventBus::subscribe(std::string_view channel, Callback callback) {
  check_channel(channel);
  if (!callback) throw std::invalid_argument("an event subscription needs a callback");
  return subscribe_checked(channel, std::move(callback));
}

}  // namespace nearhub::db
