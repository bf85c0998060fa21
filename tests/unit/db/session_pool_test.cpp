#include <atomic>
#include <chrono>
#include <future>
#include <thread>

#include <gtest/gtest.h>

#include "db/database.h"
#include "db/session_pool.h"
#include "temp_directory.h"

namespace nearhub::db {
namespace {

using namespace std::chrono_literals;
using testing::TempDirectory;

// A session that records nothing; the pool only moves it around.
class FakeSession final : public Session {
 public:
  Rows query(std::string_view, const std::vector<Value>&) override { return {}; }
  std::int64_t execute(std::string_view, const std::vector<Value>&) override { return 0; }
  void execute_script(std::string_view) override {}
  void begin() override {}
  void commit() override {}
  void rollback() override {}
};

TEST(SessionPoolTest, BlocksWhileAllSessionsAreBorrowed) {
  std::atomic<int> opened = 0;
  SessionPool pool(
      2,
      [&] {
        ++opened;
        return std::make_unique<FakeSession>();
      },
      [](Session&) { return true; });
  SessionPtr first = pool.acquire();
  SessionPtr second = pool.acquire();
  Session* first_address = first.get();

  auto third = std::async(std::launch::async, [&] { return pool.acquire(); });
  EXPECT_EQ(third.wait_for(100ms), std::future_status::timeout);
  first.reset();
  ASSERT_EQ(third.wait_for(5s), std::future_status::ready);
  EXPECT_EQ(third.get().get(), first_address);  // the returned connection, not a new one
  EXPECT_EQ(opened, 2);
}

TEST(SessionPoolTest, ClosesSessionsTheRecyclerRejects) {
  std::atomic<int> opened = 0;
  SessionPool pool(
      1,
      [&] {
        ++opened;
        return std::make_unique<FakeSession>();
      },
      [](Session&) { return false; });
  pool.acquire();
  pool.acquire();
  EXPECT_EQ(opened, 2);
}

TEST(SessionPoolTest, AFailedOpenFreesItsSlot) {
  bool fail = true;
  SessionPool pool(
      1,
      [&]() -> std::unique_ptr<Session> {
        if (fail) throw Error("unreachable");
        return std::make_unique<FakeSession>();
      },
      [](Session&) { return true; });
  EXPECT_THROW(pool.acquire(), Error);
  fail = false;
  EXPECT_NE(pool.acquire(), nullptr);
}

TEST(SessionPoolTest, RejectsAnEmptyPool) {
  EXPECT_THROW(
      SessionPool(
          0, [] { return std::make_unique<FakeSession>(); }, [](Session&) { return true; }),
      Error);
}

// Several threads writing through a small pool: every row lands, and writers wait for each
// other instead of failing with SQLITE_BUSY.
TEST(SqlitePoolTest, ConcurrentWritersLoseNothing) {
  TempDirectory dir;
  const auto database = open(dir.file("hub.db"), {.pool_size = 3, .busy_timeout_ms = 10000});
  database->session()->execute_script("CREATE TABLE events (thread INTEGER, n INTEGER)");

  constexpr int kThreads = 6;
  constexpr int kRowsPerThread = 150;
  std::vector<std::thread> threads;
  std::atomic<int> failures = 0;
  for (int thread = 0; thread < kThreads; ++thread) {
    threads.emplace_back([&, thread] {
      try {
        for (int n = 0; n < kRowsPerThread; ++n) {
          const SessionPtr session = database->session();
          const std::vector<Value> row = {std::int64_t{thread}, std::int64_t{n}};
          if (n % 2 == 0) {
            session->execute("INSERT INTO events (thread, n) VALUES (?, ?)", row);
          } else {
            Transaction transaction(*session);
            session->query("SELECT COUNT(*) FROM events WHERE thread = ?", {row[0]});
            session->execute("INSERT INTO events (thread, n) VALUES (?, ?)", row);
            transaction.commit();
          }
        }
      } catch (const Error& error) {
        ADD_FAILURE() << error.what();
        ++failures;
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(failures, 0);
  EXPECT_EQ(database->session()->query("SELECT COUNT(*) FROM events")[0].integer(0),
            kThreads * kRowsPerThread);
}

}  // namespace
}  // namespace nearhub::db
