// Upstream calls hold no thread: a hub with a single worker keeps many completions and streams
// in flight at once while its provider takes its time.

#include <gtest/gtest.h>

#include <memory>
#include <thread>
#include <vector>

#include "auth/credentials.h"
#include "e2e/support/inference_support.h"
#include "e2e/support/tokens.h"
#include "fake_openai/fake_openai_server.h"

namespace nearhub::e2e {
namespace {

using Json = nlohmann::json;
using namespace std::chrono_literals;

TEST(InferenceConcurrency, ASingleWorkerKeepsEveryUpstreamCallInFlight) {
  testing::FakeOpenAiOptions fake_options;
  fake_options.worker_threads = 16;  // the fake sleeps a worker per delayed answer
  // Long enough that a loaded machine (CI runs two test processes and PostgreSQL on two cores)
  // gets every request to the provider before the first answer; seen short at 3 s once.
  fake_options.answer_delay = 5000ms;
  testing::FakeOpenAiServer fake(fake_options);
  fake.set_stream_chunk_delay(300ms);
  ServerProcess::Options options =
      inference_server_options("[providers.local]\nbase_url = \"" + fake.base_url() + "\"\n");
  options.arguments.insert(options.arguments.end(), {"--worker-threads", "1"});
  ServerProcess server(options);

  const auth::NearCredentials alice = auth::generate_implicit_credentials();
  const auto chat = [&](bool stream) {
    return Json{{"model", "local::test-model"},
                {"stream", stream},
                {"messages", {{{"role", "user"}, {"content", "one two three four"}}}}}
        .dump();
  };
  constexpr int kPlain = 4;
  constexpr int kStreams = 2;
  std::vector<long> statuses(kPlain + kStreams, 0);
  std::vector<bool> done_streams(kStreams, false);
  std::vector<std::thread> clients;
  for (int i = 0; i < kPlain; ++i) {
    clients.emplace_back([&, i] {
      statuses[static_cast<std::size_t>(i)] =
          Client(server.base_url())
              .post("/v1/chat/completions", chat(false), bearer(sign_token(alice)))
              .status;
    });
  }
  for (int i = 0; i < kStreams; ++i) {
    clients.emplace_back([&, i] {
      const StreamReply reply = post_stream(server.base_url() + "/v1/chat/completions", chat(true),
                                            bearer(sign_token(alice)));
      statuses[static_cast<std::size_t>(kPlain + i)] = reply.status;
      done_streams[static_cast<std::size_t>(i)] =
          !reply.events.empty() && reply.events.back() == "[DONE]";
    });
  }
  // With a worker waiting for each answer, the provider would see one request at a time for
  // 5 s; here every request reaches it while the first is still unanswered.
  EXPECT_TRUE(eventually([&] { return fake.received().size() >= kPlain + kStreams; }, 4800ms))
      << fake.received().size() << " requests reached the provider";
  // Meanwhile the hub's only worker still answers other requests.
  EXPECT_EQ(Client(server.base_url()).get("/health").status, 200);

  for (auto& client : clients) client.join();
  for (long status : statuses) EXPECT_EQ(status, 200);
  for (bool done : done_streams) EXPECT_TRUE(done);
}

}  // namespace
}  // namespace nearhub::e2e
