// db::open's start-up errors for PostgreSQL URLs: each says where and why, never the password.

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <optional>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "db/database.h"
#include "support/postgres_test_schema.h"

namespace nearhub::db {
namespace {

using ::testing::AllOf;
using ::testing::HasSubstr;
using ::testing::Not;

std::string open_error(const std::string& url) {
  try {
    open(url);
  } catch (const Error& error) {
    return error.what();
  }
  return "no error";
}

// A loopback port nothing listens on: the kernel picks a free one, and we let it go.
int unused_port() {
  const int listener = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof(address);
  if (bind(listener, reinterpret_cast<sockaddr*>(&address), length) != 0 ||
      getsockname(listener, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
    ADD_FAILURE() << "cannot find a free port";
  }
  close(listener);
  return ntohs(address.sin_port);
}

// The base URL's server and user, with the path (database) and user swapped as asked.
std::string with_database(const std::string& url, const std::string& database) {
  return url.substr(0, url.rfind('/') + 1) + database;
}
std::string with_user(const std::string& url, const std::string& user) {
  const std::size_t authority = url.find("://") + 3;
  const std::size_t at = url.find('@', authority);
  return url.substr(0, authority) + user + url.substr(at == std::string::npos ? authority : at);
}

TEST(PostgresOpenTest, RefusedConnectionNamesTheServerWithoutThePassword) {
  const std::string url =
      "postgres://nearhub:s3cret@127.0.0.1:" + std::to_string(unused_port()) + "/hub";
  EXPECT_THAT(open_error(url),
              AllOf(HasSubstr("cannot connect to PostgreSQL at postgres://nearhub@127.0.0.1:"),
                    HasSubstr("/hub: "), HasSubstr("refused"), Not(HasSubstr("s3cret"))));
}

TEST(PostgresOpenTest, MalformedUrlsAreReportedAsSuch) {
  EXPECT_THAT(open_error("postgres://localhost/hub?no_such_option=1"),
              AllOf(HasSubstr("invalid PostgreSQL URL postgres://localhost/hub"),
                    HasSubstr("no_such_option")));
  // libpq quotes the whole URL when it cannot parse the host.
  EXPECT_THAT(open_error("postgresql://me:s3cret@[::1/hub"),
              AllOf(HasSubstr("invalid PostgreSQL URL postgresql://me@[::1/hub"),
                    Not(HasSubstr("s3cret"))));
}

class PostgresServerOpenTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const std::optional<std::string> url = testing::postgres_test_url();
    if (!url) GTEST_SKIP() << testing::kPostgresUnavailable;
    base_url_ = *url;
  }
  std::string base_url_;
};

TEST_F(PostgresServerOpenTest, OpensTheTestDatabase) {
  const auto database = open(base_url_);
  EXPECT_EQ(database->engine(), "postgres");
  EXPECT_EQ(database->session()->query("SELECT 1")[0].integer(0), 1);
}

TEST_F(PostgresServerOpenTest, MissingDatabaseIsNamed) {
  EXPECT_THAT(open_error(with_database(base_url_, "nearhub_no_such_database")),
              AllOf(HasSubstr("cannot connect to PostgreSQL at"),
                    HasSubstr("database \"nearhub_no_such_database\" does not exist")));
}

TEST_F(PostgresServerOpenTest, UnknownUserIsNamedWithoutThePassword) {
  EXPECT_THAT(
      open_error(with_user(base_url_, "nearhub_no_such_user:s3cret")),
      AllOf(HasSubstr("cannot connect to PostgreSQL at postgres://nearhub_no_such_user@"),
            HasSubstr("\"nearhub_no_such_user\" does not exist"), Not(HasSubstr("s3cret"))));
}

}  // namespace
}  // namespace nearhub::db
