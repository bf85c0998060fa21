// InProcessEventBus: subscribers by channel and one dispatcher thread that calls them.

#include "db/events.h"

#include <exception>
#include <utility>

#include <spdlog/spdlog.h>

namespace nearhub::db {

InProcessEventBus::InProcessEventBus() : dispatcher_([this] { dispatch_until_stopped(); }) {}

InProcessEventBus::~InProcessEventBus() {
  {
    const std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  queued_.notify_one();
  dispatcher_.join();
}

void InProcessEventBus::publish_checked(std::string_view channel, std::string_view payload) {
  deliver(channel, payload);
}

void InProcessEventBus::deliver(std::string_view channel, std::string_view payload) {
  {
    const std::lock_guard lock(mutex_);
    // Nobody can receive it: a later subscriber only gets what is published after it.
    if (!subscribers_.contains(channel)) return;
    queue_.push_back({std::string(channel), std::string(payload)});
  }
  queued_.notify_one();
}

std::vector<std::string> InProcessEventBus::subscribed_channels() const {
  const std::lock_guard lock(mutex_);
  std::vector<std::string> channels;
  channels.reserve(subscribers_.size());
  for (const auto& [channel, subscribers] : subscribers_) channels.push_back(channel);
  return channels;
}

Subscription InProcessEventBus::subscribe_checked(std::string_view channel, Callback callback) {
  auto subscriber = std::make_shared<Subscriber>(std::string(channel), std::move(callback));
  {
    const std::lock_guard lock(mutex_);
    subscribers_[subscriber->channel].push_back(subscriber);
  }
  return Subscription([this, subscriber] { unsubscribe(subscriber); });
}

void InProcessEventBus::unsubscribe(const std::shared_ptr<Subscriber>& subscriber) {
  std::unique_lock lock(mutex_);
  subscriber->cancelled = true;
  const auto found = subscribers_.find(subscriber->channel);
  std::erase(found->second, subscriber);
  if (found->second.empty()) subscribers_.erase(found);
  // Inside its own callback: the dispatcher is this thread, and it checks `cancelled` before
  // each call.
  if (std::this_thread::get_id() == dispatcher_.get_id()) return;
  callback_returned_.wait(lock, [&] { return running_ != subscriber.get(); });
  // Release what the callback holds now, not whenever the dispatcher drops its last copy of
  // the subscriber list.
  const Callback released = std::move(subscriber->callback);
  lock.unlock();
}

void InProcessEventBus::dispatch_until_stopped() {
  std::unique_lock lock(mutex_);
  while (true) {
    queued_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
    if (stopping_) return;
    const Message message = std::move(queue_.front());
    queue_.pop_front();
    dispatch(message, lock);
  }
}

void InProcessEventBus::dispatch(const Message& message, std::unique_lock<std::mutex>& lock) {
  const auto found = subscribers_.find(message.channel);
  if (found == subscribers_.end()) return;
  // A copy: callbacks may subscribe and unsubscribe while the lock is released.
  const std::vector<std::shared_ptr<Subscriber>> recipients = found->second;
  for (const std::shared_ptr<Subscriber>& subscriber : recipients) {
    if (subscriber->cancelled) continue;
    running_ = subscriber.get();
    lock.unlock();
    try {
      subscriber->callback(message.payload);
    } catch (const std::exception& error) {
      spdlog::error("events: a subscriber of '{}' threw: {}", message.channel, error.what());
    } catch (...) {
      spdlog::error("events: a subscriber of '{}' threw", message.channel);
    }
    lock.lock();
    running_ = nullptr;
    callback_returned_.notify_all();
  }
}

}  // namespace nearhub::db
