// `nearhub registry upload|download|list` against a fake hub that records what it receives: the
// calls and their order are the ones the nearai CLI makes (spec/platform.md §6).

#include <gtest/gtest.h>
#include <strings.h>

#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>

#include "auth/credentials.h"
#include "cli/registry_command.h"
#include "unit/auth/test_files.h"
#include "unit/util/fake_http_server.h"

namespace nearhub::cli {
namespace {

namespace fs = std::filesystem;
using Json = nlohmann::json;
using nearhub::testing::FakeHttpServer;
using nearhub::testing::FakeRequest;
using nearhub::testing::FakeResponse;

std::string path_of(const FakeRequest& request) {
  return request.target.substr(0, request.target.find('?'));
}

std::string header(const FakeRequest& request, const std::string& name) {
  std::istringstream lines(request.headers);
  for (std::string line; std::getline(lines, line);) {
    if (line.size() > name.size() + 1 &&
        strncasecmp(line.c_str(), name.c_str(), name.size()) == 0 && line[name.size()] == ':') {
      std::string value = line.substr(name.size() + 1);
      while (!value.empty() && (value.front() == ' ')) value.erase(0, 1);
      while (!value.empty() && (value.back() == '\r')) value.pop_back();
      return value;
    }
  }
  return "";
}

class RegistryCommandTest : public ::testing::Test {
 protected:
  RegistryCommandTest() : credentials_(auth::generate_implicit_credentials()) {
    credentials_file_ = dir_.write("me.json", auth::credentials_json(credentials_));
    home_ = dir_.path() / "home";
    fs::create_directories(home_);
  }

  int run(std::vector<std::string> args) {
    CLI::App app("nearhub");
    app.require_subcommand(1);
    const fs::path home = home_;
    add_registry_command(app, out_, [home](const std::string& name) -> std::optional<std::string> {
      if (name == "HOME") return home.string();
      return std::nullopt;
    });
    args.insert(args.begin(), "nearhub");
    std::vector<char*> argv;
    for (auto& arg : args) argv.push_back(arg.data());
    try {
      app.parse(static_cast<int>(argv.size()), argv.data());
    } catch (const CLI::Error& error) {
      return app.exit(error, out_, err_);
    }
    return 0;
  }

  fs::path make_agent() {
    const fs::path agent = dir_.path() / "agent";
    fs::create_directories(agent / "lib");
    fs::create_directories(agent / ".git");
    fs::create_directories(agent / "__pycache__");
    std::ofstream(agent / "metadata.json") << R"({"name": "my-agent", "version": "0.0.1",
        "category": "agent", "description": "Says hi", "tags": ["demo"],
        "details": {"agent": {"framework": "prompt"}}, "show_entry": true})";
    std::ofstream(agent / "agent.py") << "print('hi')\n";
    std::ofstream(agent / "lib" / "util.py") << "X = 1\n";
    std::ofstream(agent / ".env") << "SECRET=1\n";
    std::ofstream(agent / ".git" / "HEAD") << "ref\n";
    std::ofstream(agent / "__pycache__" / "agent.pyc") << "bytes";
    return agent;
  }

  nearhub::testing::TempDir dir_;
  auth::NearCredentials credentials_;
  std::string credentials_file_;
  fs::path home_;
  std::ostringstream out_;
  std::ostringstream err_;
};

TEST_F(RegistryCommandTest, UploadSendsMetadataFirstThenEachVisibleFileWithASignedToken) {
  FakeHttpServer hub([](const FakeRequest& request) {
    if (path_of(request) == "/v1/registry/upload_file" &&
        request.body.find("lib/util.py") != std::string::npos) {
      return FakeResponse{400, R"({"detail":"File registry/x/lib/util.py already exists."})"};
    }
    return FakeResponse{200, R"({"status":"ok"})"};
  });
  const fs::path agent = make_agent();
  ASSERT_EQ(run({"registry", "upload", agent.string(), "--hub-url", hub.url(), "--credentials",
                 credentials_file_}),
            0)
      << err_.str();

  const auto requests = hub.requests();
  ASSERT_EQ(requests.size(), 3u);
  EXPECT_EQ(path_of(requests[0]), "/v1/registry/upload_metadata");
  const Json metadata = Json::parse(requests[0].body);
  EXPECT_EQ(
      metadata["entry_location"],
      Json({{"namespace", credentials_.account_id}, {"name", "my-agent"}, {"version", "0.0.1"}}));
  EXPECT_EQ(metadata["metadata"]["category"], "agent");
  EXPECT_EQ(metadata["metadata"]["tags"], Json({"demo"}));
  EXPECT_FALSE(metadata["metadata"].contains("name"));
  // Hidden files, caches and metadata.json itself are not published; order is stable.
  EXPECT_EQ(path_of(requests[1]), "/v1/registry/upload_file");
  EXPECT_NE(requests[1].body.find("agent.py"), std::string::npos);
  EXPECT_NE(requests[1].body.find("print('hi')"), std::string::npos);
  EXPECT_NE(requests[2].body.find("lib/util.py"), std::string::npos);
  for (const auto& request : requests) {
    const std::string authorization = header(request, "Authorization");
    ASSERT_EQ(authorization.rfind("Bearer ", 0), 0u) << request.headers;
    const Json token = Json::parse(authorization.substr(7));
    EXPECT_EQ(token["account_id"], credentials_.account_id);
    EXPECT_EQ(request.body.find("SECRET=1"), std::string::npos);
    EXPECT_EQ(request.body.find("ref\n"), std::string::npos);
  }
  EXPECT_NE(out_.str().find("1 uploaded, 1 already there"), std::string::npos) << out_.str();
}

TEST_F(RegistryCommandTest, UploadStopsOnAnyOtherHubError) {
  FakeHttpServer hub([](const FakeRequest&) {
    return FakeResponse{403, R"({"detail":"Unauthorized. Namespace: a != Account: b"})"};
  });
  EXPECT_EQ(run({"registry", "upload", make_agent().string(), "--hub-url", hub.url(),
                 "--credentials", credentials_file_}),
            1);
  EXPECT_NE(err_.str().find("403: Unauthorized. Namespace: a != Account: b"), std::string::npos)
      << err_.str();
  EXPECT_EQ(hub.requests().size(), 1u);
}

TEST_F(RegistryCommandTest, UploadWithoutALoginNamesBothWaysToGetOne) {
  EXPECT_EQ(run({"registry", "upload", make_agent().string(), "--hub-url", "http://127.0.0.1:1"}),
            1);
  EXPECT_NE(err_.str().find("--credentials"), std::string::npos);
  EXPECT_NE(err_.str().find("nearai login"), std::string::npos);
}

TEST_F(RegistryCommandTest, UploadRefusesAnObfuscatedEncryptionKeyBeforeAnyCall) {
  const fs::path agent = make_agent();
  std::ofstream(agent / "metadata.json") << R"({"name": "a", "version": "1", "category": "agent",
      "details": {"encryption_key": "<secret>"}})";
  FakeHttpServer hub([](const FakeRequest&) { return FakeResponse{200, "{}"}; });
  EXPECT_EQ(run({"registry", "upload", agent.string(), "--hub-url", hub.url(), "--credentials",
                 credentials_file_}),
            1);
  EXPECT_TRUE(hub.requests().empty());
}

TEST_F(RegistryCommandTest, TheNearaiLoginIsUsedAsTheTokenAndApiUrlAsTheHub) {
  FakeHttpServer hub([](const FakeRequest&) { return FakeResponse{200, "{}"}; });
  const Json saved_auth = {{"account_id", "alice.near"},
                           {"signature", "sig"},
                           {"public_key", "ed25519:key"},
                           {"callback_url", nullptr},
                           {"nonce", "1700000000000"},
                           {"recipient", "ai.near"},
                           {"message", "Welcome to NEAR AI Hub!"},
                           {"on_behalf_of", "team.near"}};
  fs::create_directories(home_ / ".nearai");
  std::ofstream(home_ / ".nearai" / "config.json")
      << Json({{"api_url", hub.url() + "/"}, {"auth", saved_auth}}).dump();
  ASSERT_EQ(run({"registry", "upload", make_agent().string()}), 0) << err_.str();
  const auto requests = hub.requests();
  ASSERT_FALSE(requests.empty());
  EXPECT_EQ(Json::parse(header(requests[0], "Authorization").substr(7)), saved_auth);
  // The namespace is the account the login acts for.
  EXPECT_EQ(Json::parse(requests[0].body)["entry_location"]["namespace"], "team.near");
}

TEST_F(RegistryCommandTest, DownloadWritesMetadataAndFilesUnderTheResolvedVersion) {
  FakeHttpServer hub([](const FakeRequest& request) {
    const std::string path = path_of(request);
    if (path == "/v1/registry/download_metadata") {
      return FakeResponse{200, R"({"category":"agent","description":"","tags":[],"details":{},
                                   "show_entry":true,"name":"my-agent","version":"0.0.2"})"};
    }
    if (path == "/v1/registry/list_files") {
      return FakeResponse{200, R"([{"filename":"agent.py"},{"filename":"lib/util.py"}])"};
    }
    const Json body = Json::parse(request.body);
    return FakeResponse{200, "bytes of " + body["path"].get<std::string>(),
                        "application/octet-stream"};
  });
  const fs::path cwd = fs::current_path();
  fs::current_path(dir_.path());
  const int status =
      run({"registry", "download", "alice.near/my-agent/latest", "--hub-url", hub.url()});
  fs::current_path(cwd);
  ASSERT_EQ(status, 0) << err_.str();
  const fs::path root = dir_.path() / "alice.near" / "my-agent" / "0.0.2";
  std::ifstream util_file(root / "lib" / "util.py");
  EXPECT_EQ(std::string(std::istreambuf_iterator<char>(util_file), {}), "bytes of lib/util.py");
  std::ifstream metadata_file(root / "metadata.json");
  EXPECT_EQ(Json::parse(metadata_file)["version"], "0.0.2");
  EXPECT_FALSE(fs::exists(root / "agent.py.partial"));
  // Anonymous: no Authorization header without a login.
  EXPECT_EQ(header(hub.requests()[0], "Authorization"), "");
}

TEST_F(RegistryCommandTest, DownloadRefusesFileNamesThatEscapeTheFolder) {
  FakeHttpServer hub([](const FakeRequest& request) {
    if (path_of(request) == "/v1/registry/list_files") {
      return FakeResponse{200, R"([{"filename":"../outside.txt"}])"};
    }
    return FakeResponse{200, R"({"name":"x","version":"1"})"};
  });
  const fs::path target = dir_.path() / "out";
  EXPECT_EQ(run({"registry", "download", "a/b/1", target.string(), "--hub-url", hub.url()}), 1);
  EXPECT_NE(err_.str().find("unsafe file name"), std::string::npos);
  EXPECT_FALSE(fs::exists(dir_.path() / "outside.txt"));
}

TEST_F(RegistryCommandTest, AFailedDownloadLeavesNoFileBehind) {
  FakeHttpServer hub([](const FakeRequest& request) {
    const std::string path = path_of(request);
    if (path == "/v1/registry/list_files") return FakeResponse{200, R"([{"filename":"a.txt"}])"};
    if (path == "/v1/registry/download_file") {
      return FakeResponse{404, R"({"detail":"File not found"})"};
    }
    return FakeResponse{200, R"({"name":"x","version":"1"})"};
  });
  const fs::path target = dir_.path() / "out";
  EXPECT_EQ(run({"registry", "download", "a/b/1", target.string(), "--hub-url", hub.url()}), 1);
  EXPECT_NE(err_.str().find("404: File not found"), std::string::npos) << err_.str();
  EXPECT_FALSE(fs::exists(target / "a.txt"));
  EXPECT_FALSE(fs::exists(target / "a.txt.partial"));
}

TEST_F(RegistryCommandTest, DownloadNeedsThreeParts) {
  EXPECT_EQ(run({"registry", "download", "alice.near/my-agent", "--hub-url", "http://127.0.0.1:1"}),
            1);
  EXPECT_NE(err_.str().find("NAMESPACE/NAME/VERSION"), std::string::npos);
}

TEST_F(RegistryCommandTest, ListSendsEveryFilterAsQueryParameters) {
  FakeHttpServer hub([](const FakeRequest&) {
    return FakeResponse{200, R"([{"namespace":"alice.near","name":"a","version":"1",
                                  "category":"agent","description":"Hi","num_stars":3}])"};
  });
  ASSERT_EQ(run({"registry", "list", "--hub-url", hub.url(), "--category", "agent", "--tags", "x,y",
                 "--total", "5", "--all-versions", "--starred-by", "bob.near"}),
            0)
      << err_.str();
  const auto requests = hub.requests();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].method, "POST");
  EXPECT_EQ(requests[0].target,
            "/v1/registry/list_entries?namespace=&category=agent&tags=x%2Cy&total=5&offset=0&"
            "show_hidden=false&show_latest_version=false&starred_by=bob.near");
  EXPECT_EQ(out_.str(), "alice.near/a/1\tagent\t3 stars\tHi\n");
}

}  // namespace
}  // namespace nearhub::cli
