#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "auth/keys.h"
#include "auth/ownership_factory.h"
#include "auth/ownership_fastnear.h"
#include "auth/ownership_implicit.h"
#include "auth/ownership_rpc.h"
#include "auth/ownership_static.h"
#include "unit/auth/test_files.h"
#include "unit/util/fake_http_server.h"

namespace nearhub::auth {
namespace {

using nearhub::testing::FakeHttpServer;
using nearhub::testing::FakeRequest;
using nearhub::testing::FakeResponse;
using std::chrono::milliseconds;

const std::string kKey = "ed25519:D7okgamWraWASEVYUUfAXhLtU5ehbuVVC4GSqntE7bjE";
const std::string kOtherKey = "ed25519:2aPrik9S1qCnnfNo2doETrNa61ZaBwZYC8baschK5din";

TEST(ImplicitOwnership, OwnsOnlyTheHexAccountOfTheKey) {
  const ImplicitOwnership verifier;
  const std::string account = implicit_account_id(*PublicKey::parse(kKey));
  EXPECT_EQ(verifier.check(account, kKey), Ownership::Owned);
  EXPECT_EQ(verifier.check(account, kOtherKey), Ownership::NotOwned);
  EXPECT_EQ(verifier.check("alice.near", kKey), Ownership::NotOwned);
  std::string upper = account;
  for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  EXPECT_EQ(verifier.check(upper, kKey), Ownership::NotOwned);
}

TEST(StaticOwnership, ReadsAccountsAndKeysFromAFile) {
  const nearhub::testing::TempDir dir;
  const auto path = dir.write("keys.json", nlohmann::json{{"alice.near", {kKey}}}.dump());
  const auto verifier = StaticOwnership::from_file(path);
  EXPECT_EQ(verifier.check("alice.near", kKey), Ownership::Owned);
  EXPECT_EQ(verifier.check("alice.near", kOtherKey), Ownership::NotOwned);
  EXPECT_EQ(verifier.check("bob.near", kKey), Ownership::NotOwned);
}

TEST(StaticOwnership, RefusesBadFiles) {
  const nearhub::testing::TempDir dir;
  EXPECT_THROW(StaticOwnership::from_file(dir.file("missing.json")), std::runtime_error);
  EXPECT_THROW(StaticOwnership::from_file(dir.write("a.json", "{")), std::runtime_error);
  EXPECT_THROW(StaticOwnership::from_file(dir.write("b.json", "[]")), std::runtime_error);
  EXPECT_THROW(StaticOwnership::from_file(dir.write("c.json", R"({"a.near": "ed25519:x"})")),
               std::runtime_error);
  EXPECT_THROW(StaticOwnership::from_file(dir.write("d.json", R"({"a.near": ["ed25519:0"]})")),
               std::runtime_error);
}

// A NEAR RPC node answering view_access_key with a fixed reply.
std::unique_ptr<FakeHttpServer> fake_rpc(const nlohmann::json& reply, int status = 200) {
  return std::make_unique<FakeHttpServer>([body = reply.dump(), status](const FakeRequest&) {
    return FakeResponse{status, body};
  });
}

Ownership ask_rpc(const std::string& url, bool allow_function_call_keys = false) {
  return RpcOwnership(url, allow_function_call_keys, milliseconds(2000)).check("alice.near", kKey);
}

TEST(RpcOwnership, SendsAViewAccessKeyQuery) {
  const auto rpc =
      fake_rpc({{"jsonrpc", "2.0"}, {"id", "nearhub"}, {"result", {{"permission", "FullAccess"}}}});
  EXPECT_EQ(ask_rpc(rpc->url() + "/"), Ownership::Owned);
  const auto request = rpc->requests().at(0);
  EXPECT_EQ(request.method, "POST");
  EXPECT_EQ(nlohmann::json::parse(request.body),
            (nlohmann::json{{"jsonrpc", "2.0"},
                            {"id", "nearhub"},
                            {"method", "query"},
                            {"params",
                             {{"request_type", "view_access_key"},
                              {"finality", "final"},
                              {"account_id", "alice.near"},
                              {"public_key", kKey}}}}));
}

TEST(RpcOwnership, FunctionCallKeysNeedConsent) {
  const auto rpc = fake_rpc(
      {{"result",
        {{"permission",
          {{"FunctionCall",
            {{"allowance", nullptr}, {"receiver_id", "x.near"}, {"method_names", {}}}}}}}}});
  EXPECT_EQ(ask_rpc(rpc->url()), Ownership::NotOwned);
  EXPECT_EQ(ask_rpc(rpc->url(), true), Ownership::Owned);
}

TEST(RpcOwnership, UnknownKeyOrAccountIsNotOwned) {
  const auto unknown_key = fake_rpc({{"error",
                                      {{"name", "HANDLER_ERROR"},
                                       {"cause", {{"name", "UNKNOWN_ACCESS_KEY"}, {"info", {}}}},
                                       {"code", -32000}}}});
  EXPECT_EQ(ask_rpc(unknown_key->url()), Ownership::NotOwned);
  const auto unknown_account =
      fake_rpc({{"error", {{"name", "HANDLER_ERROR"}, {"cause", {{"name", "UNKNOWN_ACCOUNT"}}}}}});
  EXPECT_EQ(ask_rpc(unknown_account->url()), Ownership::NotOwned);
  const auto legacy =
      fake_rpc({{"result", {{"error", "access key does not exist while viewing"}}}});
  EXPECT_EQ(ask_rpc(legacy->url()), Ownership::NotOwned);
}

TEST(RpcOwnership, FailuresAreUnavailable) {
  const auto internal =
      fake_rpc({{"error", {{"name", "INTERNAL_ERROR"}, {"cause", {{"name", "TIMEOUT"}}}}}});
  EXPECT_EQ(ask_rpc(internal->url()), Ownership::Unavailable);
  const auto server_error = fake_rpc({{"oops", true}}, 502);
  EXPECT_EQ(ask_rpc(server_error->url()), Ownership::Unavailable);
  FakeHttpServer garbage([](const FakeRequest&) { return FakeResponse{200, "<html>"}; });
  EXPECT_EQ(ask_rpc(garbage.url()), Ownership::Unavailable);
  const auto no_result = fake_rpc({{"jsonrpc", "2.0"}});
  EXPECT_EQ(ask_rpc(no_result->url()), Ownership::Unavailable);
  EXPECT_EQ(ask_rpc(nearhub::testing::refused_url()), Ownership::Unavailable);
}

TEST(FastnearOwnership, LooksUpTheKey) {
  FakeHttpServer server([](const FakeRequest&) {
    return FakeResponse{200, R"({"account_ids": ["bob.near", "alice.near"], "public_key": "x"})"};
  });
  const FastnearOwnership verifier(server.url() + "/", milliseconds(2000));
  EXPECT_EQ(verifier.check("alice.near", kKey), Ownership::Owned);
  EXPECT_EQ(verifier.check("carol.near", kKey), Ownership::NotOwned);
  EXPECT_EQ(server.requests().at(0).target, "/v0/public_key/" + kKey);
}

TEST(FastnearOwnership, FailuresAreUnavailable) {
  FakeHttpServer error([](const FakeRequest&) { return FakeResponse{500, "{}"}; });
  EXPECT_EQ(FastnearOwnership(error.url(), milliseconds(2000)).check("a.near", kKey),
            Ownership::Unavailable);
  FakeHttpServer wrong_shape([](const FakeRequest&) { return FakeResponse{200, R"({"x": 1})"}; });
  EXPECT_EQ(FastnearOwnership(wrong_shape.url(), milliseconds(2000)).check("a.near", kKey),
            Ownership::Unavailable);
  FakeHttpServer not_a_list([](const FakeRequest&) {
    return FakeResponse{200, R"({"account_ids": "a.near"})"};
  });
  EXPECT_EQ(FastnearOwnership(not_a_list.url(), milliseconds(2000)).check("a.near", kKey),
            Ownership::Unavailable);
  EXPECT_EQ(
      FastnearOwnership(nearhub::testing::refused_url(), milliseconds(2000)).check("a.near", kKey),
      Ownership::Unavailable);
}

TEST(OwnershipFactory, BuildsTheNamedVerifiersInOrder) {
  const nearhub::testing::TempDir dir;
  OwnershipOptions options;
  options.verifiers = {"static", "implicit", "rpc", "fastnear"};
  options.static_keys_file = dir.write("keys.json", "{}");
  const auto verifiers = make_ownership_verifiers(options);
  ASSERT_EQ(verifiers.size(), 4u);
  EXPECT_EQ(verifiers[0]->name(), "static");
  EXPECT_EQ(verifiers[1]->name(), "implicit");
  EXPECT_EQ(verifiers[2]->name(), "rpc");
  EXPECT_EQ(verifiers[3]->name(), "fastnear");
}

TEST(OwnershipFactory, RefusesMisconfiguration) {
  OwnershipOptions options;
  options.verifiers = {"implicit", "trust-me"};
  EXPECT_THROW(make_ownership_verifiers(options), std::invalid_argument);
  options.verifiers = {};
  EXPECT_THROW(make_ownership_verifiers(options), std::invalid_argument);
  options.verifiers = {"static"};
  EXPECT_THROW(make_ownership_verifiers(options), std::invalid_argument);
  options.static_keys_file = "/nonexistent/keys.json";
  EXPECT_THROW(make_ownership_verifiers(options), std::runtime_error);
}

}  // namespace
}  // namespace nearhub::auth
