#pragma once
// A test suite whose tests share one nearhub: started before the suite's first test, stopped
// after its last. A suite may configure its server by defining `static ServerProcess::Options
// server_options()`.
//   class NonceEndpoints : public SharedServerTest<NonceEndpoints> { ... };

#include <gtest/gtest.h>

#include <memory>

#include "e2e/support/client.h"
#include "e2e/support/server_process.h"

namespace nearhub::e2e {

template <typename Suite>
class SharedServerTest : public ::testing::Test {
 public:
  static ServerProcess::Options server_options() {
    return {.environment = {{"NEARHUB_ACCESS_LOG", "false"}}};
  }
  static void SetUpTestSuite() {
    server_ = std::make_unique<ServerProcess>(Suite::server_options());
  }
  static void TearDownTestSuite() { server_.reset(); }

 protected:
  static Client client() { return Client(server_->base_url()); }
  static inline std::unique_ptr<ServerProcess> server_;
};

}  // namespace nearhub::e2e
