// Database::events(): delivery, order, unsubscription, checks and crossing Database objects (as
// processes do) on both engines; what only PostgreSQL does (surviving a lost listener
// connection); and a latency measurement.

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <future>
#include <mutex>
#include <optional>
#include <random>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "db/database.h"
#include "db/events.h"
#include "engine_under_test.h"

namespace nearhub::db {
namespace {

using namespace std::chrono_literals;
using ::testing::ElementsAre;
using testing::EngineTest;

constexpr auto kDeliveryTimeout = 5s;

// Collects the payloads a subscriber receives, for a test to wait on.
class Mailbox {
 public:
  EventBus::Callback callback() {
    return [this](const std::string& payload) {
      {
        const std::lock_guard lock(mutex_);
        payloads_.push_back(payload);
      }
      arrived_.notify_all();
    };
  }
  // True once `count` payloads have arrived, false after kDeliveryTimeout.
  bool wait_for(std::size_t count) {
    std::unique_lock lock(mutex_);
    return arrived_.wait_for(lock, kDeliveryTimeout, [&] { return payloads_.size() >= count; });
  }
  bool wait_for(const std::string& payload) {
    std::unique_lock lock(mutex_);
    return arrived_.wait_for(lock, kDeliveryTimeout, [&] {
      return std::find(payloads_.begin(), payloads_.end(), payload) != payloads_.end();
    });
  }
  std::vector<std::string> payloads() {
    const std::lock_guard lock(mutex_);
    return payloads_;
  }

 private:
  std::mutex mutex_;
  std::condition_variable arrived_;
  std::vector<std::string> payloads_;
};

// On PostgreSQL channels are per database, not per schema: tests running at the same time in
// other processes must not hear each other.
std::string unique_channel(const std::string& name) {
  static const std::string suffix = [] {
    std::random_device random;
    return std::to_string(random()) + std::to_string(random());
  }();
  return "test." + name + "." + suffix;
}

class EventsTest : public EngineTest {
 protected:
  void SetUp() override {
    EngineTest::SetUp();
    if (IsSkipped()) return;
    database_ = open_database({.pool_size = 2});
  }

  EventBus& events() { return database_->events(); }

  std::unique_ptr<Database> database_;
};

TEST_P(EventsTest, ASubscriberReceivesItsChannelOnly) {
  Mailbox runs;
  Mailbox other;
  const Subscription runs_subscription =
      events().subscribe(unique_channel("runs"), runs.callback());
  const Subscription other_subscription =
      events().subscribe(unique_channel("other"), other.callback());
  events().publish(unique_channel("runs"), "run_1");
  events().publish(unique_channel("nobody"), "lost");
  events().publish(unique_channel("other"), "other_1");
  ASSERT_TRUE(runs.wait_for(1));
  ASSERT_TRUE(other.wait_for(1));
  EXPECT_THAT(runs.payloads(), ElementsAre("run_1"));
  EXPECT_THAT(other.payloads(), ElementsAre("other_1"));
}

TEST_P(EventsTest, KeepsTheOrderOfAChannel) {
  Mailbox mailbox;
  const Subscription subscription = events().subscribe(unique_channel("order"), mailbox.callback());
  std::vector<std::string> published;
  for (int i = 0; i < 200; ++i) {
    published.push_back(std::to_string(i));
    events().publish(unique_channel("order"), published.back());
  }
  ASSERT_TRUE(mailbox.wait_for(published.size()));
  EXPECT_EQ(mailbox.payloads(), published);
}

TEST_P(EventsTest, EverySubscriberOfAChannelReceives) {
  Mailbox first;
  Mailbox second;
  const Subscription first_subscription =
      events().subscribe(unique_channel("both"), first.callback());
  const Subscription second_subscription =
      events().subscribe(unique_channel("both"), second.callback());
  events().publish(unique_channel("both"), "hello");
  ASSERT_TRUE(first.wait_for(1));
  ASSERT_TRUE(second.wait_for(1));
  EXPECT_THAT(first.payloads(), ElementsAre("hello"));
  EXPECT_THAT(second.payloads(), ElementsAre("hello"));
}

TEST_P(EventsTest, ACancelledSubscriptionReceivesNothingMore) {
  Mailbox cancelled;
  Mailbox staying;
  Subscription subscription = events().subscribe(unique_channel("cancel"), cancelled.callback());
  const Subscription staying_subscription =
      events().subscribe(unique_channel("cancel"), staying.callback());
  events().publish(unique_channel("cancel"), "before");
  ASSERT_TRUE(cancelled.wait_for(1));
  subscription.cancel();
  EXPECT_FALSE(subscription.active());
  events().publish(unique_channel("cancel"), "after");
  // Delivery to one subscriber of a channel comes with delivery to the others.
  ASSERT_TRUE(staying.wait_for(2));
  EXPECT_THAT(cancelled.payloads(), ElementsAre("before"));
}

TEST_P(EventsTest, AMovedSubscriptionStaysSubscribed) {
  Mailbox mailbox;
  Subscription original = events().subscribe(unique_channel("moved"), mailbox.callback());
  const Subscription moved = std::move(original);
  original.cancel();  // the moved-from handle holds nothing
  events().publish(unique_channel("moved"), "still here");
  ASSERT_TRUE(mailbox.wait_for(1));
}

// What a dying SSE stream relies on: once its subscription is gone, nothing calls into it.
TEST_P(EventsTest, DestroyingASubscriptionWaitsForItsRunningCallback) {
  std::promise<void> entered;
  std::atomic<bool> finished = false;
  std::optional<Subscription> subscription =
      events().subscribe(unique_channel("slow"), [&](const std::string&) {
        entered.set_value();
        std::this_thread::sleep_for(200ms);
        finished = true;
      });
  events().publish(unique_channel("slow"), "x");
  ASSERT_EQ(entered.get_future().wait_for(kDeliveryTimeout), std::future_status::ready);
  subscription.reset();
  EXPECT_TRUE(finished);
}

TEST_P(EventsTest, ACallbackMayCancelItsOwnSubscription) {
  Mailbox mailbox;
  Subscription subscription;
  subscription = events().subscribe(unique_channel("once"), [&](const std::string& payload) {
    mailbox.callback()(payload);
    subscription.cancel();  // must not wait for itself
  });
  events().publish(unique_channel("once"), "first");
  events().publish(unique_channel("once"), "second");
  ASSERT_TRUE(mailbox.wait_for(1));
  // "second" is either dropped or was never going to be delivered: cancel() was the last call.
  Mailbox sentinel;
  const Subscription sentinel_subscription =
      events().subscribe(unique_channel("once"), sentinel.callback());
  events().publish(unique_channel("once"), "third");
  ASSERT_TRUE(sentinel.wait_for(1));
  EXPECT_THAT(mailbox.payloads(), ElementsAre("first"));
}

TEST_P(EventsTest, ACallbackThatThrowsStaysSubscribed) {
  Mailbox mailbox;
  const Subscription subscription =
      events().subscribe(unique_channel("throws"), [&](const std::string& payload) {
        mailbox.callback()(payload);
        throw std::runtime_error("subscriber failure");
      });
  events().publish(unique_channel("throws"), "1");
  events().publish(unique_channel("throws"), "2");
  ASSERT_TRUE(mailbox.wait_for(2));
}

TEST_P(EventsTest, TheLongestChannelAndPayloadGetThrough) {
  const std::string channel = unique_channel("long") + std::string(63, 'x');
  const std::string longest_channel = channel.substr(0, kMaxChannelBytes);
  const std::string longest_payload(kMaxPayloadBytes, 'p');
  Mailbox mailbox;
  const Subscription subscription = events().subscribe(longest_channel, mailbox.callback());
  events().publish(longest_channel, longest_payload);
  ASSERT_TRUE(mailbox.wait_for(1));
  EXPECT_EQ(mailbox.payloads()[0], longest_payload);
}

TEST_P(EventsTest, RejectsBadChannelsAndPayloads) {
  const std::vector<std::string> bad_channels = {
      "", "Runs", "runs run", "runs\"", "runs;drop", "r\xC3\xA9", std::string(64, 'a')};
  for (const std::string& channel : bad_channels) {
    EXPECT_THROW(events().publish(channel, "x"), std::invalid_argument) << channel;
    EXPECT_THROW(events().subscribe(channel, [](const std::string&) {}), std::invalid_argument)
        << channel;
  }
  EXPECT_THROW(events().subscribe("runs", nullptr), std::invalid_argument);
  EXPECT_THROW(events().publish("runs", std::string(kMaxPayloadBytes + 1, 'p')),
               std::invalid_argument);
  EXPECT_THROW(events().publish("runs", std::string("a\0b", 3)), std::invalid_argument);
  EXPECT_NO_THROW(events().publish("run:1.delta-x_y", ""));
}

TEST_P(EventsTest, PublishToCallbackLatency) {
  std::mutex mutex;
  std::condition_variable arrived;
  int received = -1;
  const Subscription subscription =
      events().subscribe(unique_channel("latency"), [&](const std::string& payload) {
        {
          const std::lock_guard lock(mutex);
          received = std::stoi(payload);
        }
        arrived.notify_one();
      });
  std::vector<double> microseconds;
  for (int i = 0; i < 300; ++i) {
    const auto start = std::chrono::steady_clock::now();
    events().publish(unique_channel("latency"), std::to_string(i));
    std::unique_lock lock(mutex);
    ASSERT_TRUE(arrived.wait_for(lock, 1s, [&] { return received == i; })) << "message " << i;
    microseconds.push_back(
        std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - start)
            .count());
  }
  std::sort(microseconds.begin(), microseconds.end());
  std::printf("[ latency  ] %s publish -> callback: median %.0f us, p99 %.0f us, max %.0f us\n",
              engine().c_str(), microseconds[microseconds.size() / 2],
              microseconds[microseconds.size() * 99 / 100], microseconds.back());
}

// Each Database stands for a process: on PostgreSQL its own pool and listener, on SQLite its own
// socket beside the file.
TEST_P(EventsTest, ReachesASubscriberOfAnotherDatabase) {
  const std::unique_ptr<Database> other_process = open_database({.pool_size = 1});
  Mailbox mailbox;
  const Subscription subscription =
      other_process->events().subscribe(unique_channel("across"), mailbox.callback());
  events().publish(unique_channel("across"), "run_1");
  events().publish(unique_channel("across"), "run_2");
  ASSERT_TRUE(mailbox.wait_for(2));
  EXPECT_THAT(mailbox.payloads(), ElementsAre("run_1", "run_2"));
}

// More messages at once than a peer's socket queues (ten datagrams by default on Linux).
TEST_P(EventsTest, ABurstReachesAnotherDatabaseWholeAndInOrder) {
  const std::unique_ptr<Database> other_process = open_database({.pool_size = 1});
  Mailbox mailbox;
  const Subscription subscription =
      other_process->events().subscribe(unique_channel("burst"), mailbox.callback());
  std::vector<std::string> published;
  for (int i = 0; i < 500; ++i) {
    published.push_back(std::to_string(i));
    events().publish(unique_channel("burst"), published.back());
  }
  ASSERT_TRUE(mailbox.wait_for(published.size())) << mailbox.payloads().size() << " arrived";
  EXPECT_EQ(mailbox.payloads(), published);
}

INSTANTIATE_ENGINE_SUITE(EventsTest);

// On PostgreSQL, each Database stands for a process: its own pool and its own listener.
class PostgresEventsTest : public EventsTest {
 protected:
  // Ends the backend session that LISTENs to `channel` (and only it), as a server restart or a
  // network failure would. Returns how many sessions it ended.
  std::int64_t terminate_listener_of(const std::string& channel) {
    return database_->session()
        ->query(
            "SELECT COUNT(*) FROM pg_stat_activity WHERE pid <> pg_backend_pid() "
            "AND query LIKE ? AND pg_terminate_backend(pid)",
            {"%LISTEN \"" + channel + "\"%"})[0]
        .integer(0);
  }
};

TEST_P(PostgresEventsTest, PublishGoesOutAtOnceWhateverTheCallersTransactionDoes) {
  Mailbox mailbox;
  const Subscription subscription = events().subscribe(unique_channel("tx"), mailbox.callback());
  const SessionPtr session = database_->session();
  session->begin();
  events().publish(unique_channel("tx"), "sent");
  ASSERT_TRUE(mailbox.wait_for(1));
  session->rollback();
  EXPECT_THAT(mailbox.payloads(), ElementsAre("sent"));
}

TEST_P(PostgresEventsTest, TheListenerReconnectsAfterItsConnectionIsKilled) {
  const std::unique_ptr<Database> other_process = open_database({.pool_size = 1});
  Mailbox mailbox;
  const Subscription subscription =
      other_process->events().subscribe(unique_channel("reconnect"), mailbox.callback());
  events().publish(unique_channel("reconnect"), "before");
  ASSERT_TRUE(mailbox.wait_for(1));

  ASSERT_EQ(terminate_listener_of(unique_channel("reconnect")), 1);
  // What is published while the listener is down is lost: publish until something arrives.
  const auto killed = std::chrono::steady_clock::now();
  int attempt = 0;
  while (mailbox.payloads().size() < 2) {
    ASSERT_LT(std::chrono::steady_clock::now() - killed, 10s) << "the listener did not come back";
    events().publish(unique_channel("reconnect"), "after " + std::to_string(++attempt));
    std::this_thread::sleep_for(10ms);
  }
  std::printf("[ reconnect] delivering again %lld ms after the kill, %d publishes\n",
              static_cast<long long>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                         std::chrono::steady_clock::now() - killed)
                                         .count()),
              attempt);
  // Once back, nothing more is lost, and the order holds.
  events().publish(unique_channel("reconnect"), "last");
  ASSERT_TRUE(mailbox.wait_for(std::string("last")));
  EXPECT_EQ(mailbox.payloads().back(), "last");
}

TEST_P(PostgresEventsTest, AReconnectedListenerWakesEverySubscriberOnce) {
  const std::unique_ptr<Database> other_process = open_database({.pool_size = 1});
  Mailbox first;
  Mailbox second;
  const Subscription one =
      other_process->events().subscribe(unique_channel("resync.1"), first.callback());
  const Subscription two =
      other_process->events().subscribe(unique_channel("resync.2"), second.callback());
  events().publish(unique_channel("resync.1"), "before");
  ASSERT_TRUE(first.wait_for(1));

  // The listener's last statement LISTENed to the second channel.
  ASSERT_EQ(terminate_listener_of(unique_channel("resync.2")), 1);
  // Nothing is published: the wake-up comes from the reconnection itself, so that subscribers
  // read again what was announced while the connection was down.
  ASSERT_TRUE(first.wait_for(std::string())) << "no wake-up after the reconnection";
  ASSERT_TRUE(second.wait_for(std::string()));
  EXPECT_THAT(first.payloads(), ElementsAre("before", ""));
  EXPECT_THAT(second.payloads(), ElementsAre(""));
}

// A database of its own, created and dropped by `admin`: a test that refuses connections to
// the shared test database would fail the tests running at the same time.
class ScratchDatabase {
 public:
  ScratchDatabase(Session& admin, const std::string& base_url)
      : admin_(admin), name_("nearhub_events_" + std::to_string(std::random_device()())) {
    admin_.execute_script("CREATE DATABASE " + name_);
    url_ = base_url.substr(0, base_url.rfind('/') + 1) + name_;
  }
  ~ScratchDatabase() {
    try {
      admin_.execute_script("DROP DATABASE " + name_ + " WITH (FORCE)");
    } catch (const Error& error) {
      ADD_FAILURE() << "cannot drop " << name_ << ": " << error.what();
    }
  }
  ScratchDatabase(const ScratchDatabase&) = delete;
  ScratchDatabase& operator=(const ScratchDatabase&) = delete;

  const std::string& url() const { return url_; }
  void allow_connections(bool allow) {
    admin_.execute_script("ALTER DATABASE " + name_ + " ALLOW_CONNECTIONS " +
                          (allow ? "true" : "false"));
  }

 private:
  Session& admin_;
  std::string name_;
  std::string url_;
};

// A server that refuses connections for a while: the listener retries, with growing delays,
// until it is let back in.
TEST_P(PostgresEventsTest, TheListenerRetriesUntilTheServerLetsItBackIn) {
  const SessionPtr admin = database_->session();
  ScratchDatabase scratch(*admin, *testing::postgres_test_url());
  const std::unique_ptr<Database> refused = open(scratch.url(), {.pool_size = 1});
  Mailbox mailbox;
  const Subscription subscription =
      refused->events().subscribe(unique_channel("refused"), mailbox.callback());
  scratch.allow_connections(false);
  ASSERT_EQ(terminate_listener_of(unique_channel("refused")), 1);
  std::this_thread::sleep_for(500ms);  // the first few attempts fail
  scratch.allow_connections(true);

  const auto allowed = std::chrono::steady_clock::now();
  int attempt = 0;
  while (mailbox.payloads().empty()) {
    ASSERT_LT(std::chrono::steady_clock::now() - allowed, 10s) << "the listener gave up";
    refused->events().publish(unique_channel("refused"), std::to_string(++attempt));
    std::this_thread::sleep_for(20ms);
  }
}

INSTANTIATE_TEST_SUITE_P(Engines, PostgresEventsTest, ::testing::Values("postgres"),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace nearhub::db
