#include "util/cancellation.h"

#include <gtest/gtest.h>

namespace nearhub::util {
namespace {

TEST(Cancellation, StopsTheStepRunningWhenCancelled) {
  Cancellation cancellation;
  int first = 0;
  int second = 0;
  int late = 0;
  const std::uint64_t one = cancellation.next_step();
  const std::uint64_t two = cancellation.next_step();
  EXPECT_LT(one, two);
  cancellation.on_cancel(one, [&] { ++first; });
  cancellation.on_cancel(two, [&] { ++second; });  // the next step replaces the first
  cancellation.on_cancel(one, [&] { ++late; });    // the first registering late changes nothing
  EXPECT_FALSE(cancellation.cancelled());
  cancellation.cancel();
  cancellation.cancel();  // once only
  EXPECT_TRUE(cancellation.cancelled());
  EXPECT_EQ(first, 0);
  EXPECT_EQ(second, 1);
  EXPECT_EQ(late, 0);
}

TEST(Cancellation, AStepRegisteredAfterTheCancelStopsAtOnce) {
  Cancellation cancellation;
  cancellation.cancel();
  int stopped = 0;
  cancellation.on_cancel(cancellation.next_step(), [&] { ++stopped; });
  EXPECT_EQ(stopped, 1);
}

}  // namespace
}  // namespace nearhub::util
