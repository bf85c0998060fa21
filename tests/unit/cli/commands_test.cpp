// The `keys new` and `token` commands, run in-process on a temporary directory.

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <cstdlib>
#include <nlohmann/json.hpp>
#include <sstream>

#include "auth/credentials.h"
#include "auth/token.h"
#include "cli/keys_command.h"
#include "cli/token_command.h"
#include "unit/auth/test_files.h"
#include "util/time.h"

namespace nearhub::cli {
namespace {

// Runs `nearhub <args...>` with both commands registered; returns the exit status.
int run(std::vector<std::string> args, std::ostream& out, std::ostream& err) {
  CLI::App app("nearhub");
  app.require_subcommand(1);
  add_keys_command(app, out);
  add_token_command(app, out);
  args.insert(args.begin(), "nearhub");
  std::vector<char*> argv;
  for (auto& arg : args) argv.push_back(arg.data());
  try {
    app.parse(static_cast<int>(argv.size()), argv.data());
  } catch (const CLI::Error& error) {
    return app.exit(error, out, err);
  }
  return 0;
}

class CommandsTest : public ::testing::Test {
 protected:
  int run(std::vector<std::string> args) {
    out_.str("");
    err_.str("");
    return cli::run(std::move(args), out_, err_);
  }
  std::string read(const std::string& path) {
    std::ifstream file(path);
    return std::string(std::istreambuf_iterator<char>(file), {});
  }

  nearhub::testing::TempDir dir_;
  std::ostringstream out_;
  std::ostringstream err_;
};

TEST_F(CommandsTest, KeysNewWritesImplicitCredentials) {
  const std::string path = dir_.file("me.json");
  ASSERT_EQ(run({"keys", "new", "--output", path}), 0) << err_.str();
  const auto credentials = auth::load_credentials(path);
  EXPECT_EQ(credentials.account_id, auth::implicit_account_id(credentials.secret_key.public_key()));
  EXPECT_NE(out_.str().find("account_id: " + credentials.account_id), std::string::npos);
  EXPECT_NE(out_.str().find(path), std::string::npos);
  struct stat info {};
  ASSERT_EQ(::stat(path.c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0600);
}

TEST_F(CommandsTest, KeysNewForANamedAccount) {
  const std::string path = dir_.file("sub/alice.json");
  ASSERT_EQ(run({"keys", "new", "--account", "alice.near", "--output", path}), 0) << err_.str();
  EXPECT_EQ(auth::load_credentials(path).account_id, "alice.near");
}

TEST_F(CommandsTest, KeysNewDefaultsToNearCredentialsInHome) {
  const char* old_home = std::getenv("HOME");
  const std::string saved = old_home ? old_home : "";
  ::setenv("HOME", dir_.path().c_str(), 1);
  const int status = run({"keys", "new", "--account", "bob.near"});
  ::setenv("HOME", saved.c_str(), 1);
  ASSERT_EQ(status, 0) << err_.str();
  EXPECT_EQ(auth::load_credentials(dir_.file(".near-credentials/mainnet/bob.near.json")).account_id,
            "bob.near");
}

TEST_F(CommandsTest, KeysNewNeverOverwrites) {
  const std::string path = dir_.write("existing.json", "keep me");
  EXPECT_NE(run({"keys", "new", "--output", path}), 0);
  EXPECT_NE(err_.str().find("already exists"), std::string::npos);
  EXPECT_EQ(read(path), "keep me");
}

TEST_F(CommandsTest, KeysNeedsASubcommand) { EXPECT_NE(run({"keys"}), 0); }

TEST_F(CommandsTest, TokenPrintsASignedBearerToken) {
  const std::string credentials = dir_.file("me.json");
  ASSERT_EQ(run({"keys", "new", "--account", "alice.near", "--output", credentials}), 0);
  ASSERT_EQ(run({"token", "--credentials", credentials, "--nonce", "1722875604184"}), 0)
      << err_.str();
  const std::string line = out_.str();
  ASSERT_EQ(line.back(), '\n');
  EXPECT_EQ(line.find('\n'), line.size() - 1);
  const auto json = nlohmann::ordered_json::parse(line);
  std::vector<std::string> keys;
  for (const auto& [key, value] : json.items()) keys.push_back(key);
  EXPECT_EQ(keys, (std::vector<std::string>{"account_id", "public_key", "signature", "callback_url",
                                            "message", "recipient", "nonce"}));
  EXPECT_EQ(json["message"], "Welcome to NEAR AI Hub!");
  EXPECT_EQ(json["recipient"], "ai.near");
  EXPECT_TRUE(json["callback_url"].is_null());
  const auto token = auth::parse_token(line, 1'722'875'700'000);
  EXPECT_EQ(token.account_id, "alice.near");
  EXPECT_TRUE(auth::verify_nep413(token.payload(), token.public_key, token.signature));
}

TEST_F(CommandsTest, TokenTakesEveryField) {
  const std::string credentials = dir_.file("me.json");
  ASSERT_EQ(run({"keys", "new", "--output", credentials}), 0);
  ASSERT_EQ(run({"token", "--credentials", credentials, "--message", "Hi", "--recipient",
                 "test.near", "--callback-url", "https://cb", "--on-behalf-of", "bob.near"}),
            0)
      << err_.str();
  const auto before = util::now_unix_ms();
  const auto token = auth::parse_token(out_.str(), before + 1000);
  EXPECT_EQ(token.message, "Hi");
  EXPECT_EQ(token.recipient, "test.near");
  EXPECT_EQ(token.callback_url, "https://cb");
  EXPECT_EQ(token.on_behalf_of, "bob.near");
  EXPECT_LE(std::stoll(token.nonce), before);  // defaults to now
  EXPECT_TRUE(auth::verify_nep413(token.payload(), token.public_key, token.signature));
}

TEST_F(CommandsTest, TokenExplainsBadInput) {
  EXPECT_NE(run({"token"}), 0);
  EXPECT_NE(run({"token", "--credentials", dir_.file("missing.json")}), 0);
  const std::string bad = dir_.write("bad.json", "{}");
  EXPECT_NE(run({"token", "--credentials", bad}), 0);
  EXPECT_NE(err_.str().find("credentials file"), std::string::npos);
  const std::string credentials = dir_.file("me.json");
  ASSERT_EQ(run({"keys", "new", "--output", credentials}), 0);
  EXPECT_NE(run({"token", "--credentials", credentials, "--nonce", std::string(33, '1')}), 0);
  EXPECT_NE(err_.str().find("32"), std::string::npos);
}

}  // namespace
}  // namespace nearhub::cli
