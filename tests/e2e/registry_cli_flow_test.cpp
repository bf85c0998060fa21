// The nearai CLI's registry flow over HTTP, call for call as nearai/registry.py makes them:
// `nearai registry upload` (info → list_all_visible → upload_metadata → upload_file per file,
// skipping files that "already exist"), `nearai registry list`, `nearai registry download`
// (list_files → download_metadata → download_file per file), then a fork and a star by a
// second account. Runs on both blob backends: the filesystem and an S3-compatible server.

#include <gtest/gtest.h>

#include <memory>

#include "auth/credentials.h"
#include "e2e/support/registry_api.h"
#include "e2e/support/server_process.h"
#include "e2e/support/tokens.h"
#include "support/fake_s3/fake_s3_server.h"

namespace nearhub::e2e {
namespace {

using nlohmann::json;

class RegistryCliFlow : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    ServerProcess::Options options{.environment = {{"NEARHUB_ACCESS_LOG", "false"}}};
    if (GetParam() == "s3") {
      s3_ = std::make_unique<testing::FakeS3Server>();
      options.environment.insert({{"NEARHUB_BLOB_STORE", "s3"},
                                  {"NEARHUB_S3_BUCKET", s3_->options().bucket},
                                  {"NEARHUB_S3_PREFIX", "hub"},
                                  {"NEARHUB_S3_ENDPOINT", s3_->endpoint()},
                                  {"NEARHUB_S3_REGION", s3_->options().region},
                                  {"AWS_ACCESS_KEY_ID", s3_->options().access_key},
                                  {"AWS_SECRET_ACCESS_KEY", s3_->options().secret_key}});
    }
    server_ = std::make_unique<ServerProcess>(options);
  }

  RegistryApi api() const { return RegistryApi(server_->base_url()); }

  // `nearai registry upload <dir>`; returns how many files were uploaded (the rest existed).
  int cli_upload(const auth::NearCredentials& who, const Location& location, const json& metadata,
                 const std::map<std::string, std::string>& files) {
    const FullReply info = api().download_metadata(sign_token(who), location);
    if (info.status == 404) {
      const FullReply visible = api().list_entries(
          "namespace=&category=&tags=&total=10000&offset=0&show_hidden=false"
          "&show_latest_version=true&starred_by=");
      EXPECT_EQ(visible.status, 200) << visible.body;
    } else {
      EXPECT_EQ(info.status, 200) << info.body;
    }
    const FullReply update = api().upload_metadata(sign_token(who), location, metadata);
    EXPECT_EQ(update.status, 200) << update.body;
    int uploaded = 0;
    for (const auto& [path, data] : files) {
      const FullReply reply = api().upload_file(sign_token(who), location, path, data);
      if (reply.status == 200) {
        ++uploaded;
      } else {
        EXPECT_EQ(reply.status, 400) << reply.body;
        EXPECT_NE(reply.body.find("already exists"), std::string::npos) << reply.body;
      }
    }
    return uploaded;
  }

  // `nearai registry download <location>`: every file's bytes by path.
  std::map<std::string, std::string> cli_download(const auth::NearCredentials& who,
                                                  const Location& location) {
    std::map<std::string, std::string> out;
    const FullReply files = api().list_files(sign_token(who), location);
    EXPECT_EQ(files.status, 200) << files.body;
    const FullReply metadata = api().download_metadata(sign_token(who), location);
    EXPECT_EQ(metadata.status, 200) << metadata.body;
    for (const json& file : files.json()) {
      const std::string path = file["filename"];
      const FullReply bytes = api().download_file(sign_token(who), location, path);
      EXPECT_EQ(bytes.status, 200) << path;
      out[path] = bytes.body;
    }
    return out;
  }

  std::unique_ptr<testing::FakeS3Server> s3_;
  std::unique_ptr<ServerProcess> server_;
  auth::NearCredentials alice_ = auth::generate_implicit_credentials();
  auth::NearCredentials bob_ = auth::generate_implicit_credentials();
};

TEST_P(RegistryCliFlow, PublishListDownloadForkStar) {
  std::string large(3 * 1024 * 1024 + 17, '\0');
  for (std::size_t i = 0; i < large.size(); ++i) large[i] = static_cast<char>(i * 131 % 251);
  const std::map<std::string, std::string> files = {
      {"agent.py", "print('hello')\n"},
      {"prompts/system.md", "You are helpful.\n"},
      {"weights.bin", large},
  };
  const Location location{alice_.account_id, "my-agent", "0.0.1"};
  const json metadata = entry_metadata("agent", {{"agent", {{"welcome", {{"title", "Hi"}}}}}},
                                       {"chat", "demo"}, true, "A demo agent");

  // Publish, then publish again: the second run finds every file already there.
  EXPECT_EQ(cli_upload(alice_, location, metadata, files), 3);
  EXPECT_EQ(cli_upload(alice_, location, metadata, files), 0);
  if (s3_) {
    const auto stored =
        s3_->object("hub/registry/" + alice_.account_id + "/my-agent/0.0.1/agent.py");
    ASSERT_TRUE(stored.has_value());
    EXPECT_EQ(*stored, "print('hello')\n");
  }

  // `nearai registry list --category agent --tags chat`.
  const FullReply listed = api().list_entries(
      "namespace=&category=agent&tags=chat&total=32&offset=0&show_hidden=false"
      "&show_latest_version=true&starred_by=");
  ASSERT_EQ(listed.status, 200) << listed.body;
  ASSERT_EQ(listed.json().size(), 1u);
  EXPECT_EQ(listed.json()[0]["name"], "my-agent");
  EXPECT_EQ(listed.json()[0]["tags"], json({"chat", "demo"}));

  // Another account downloads it, by version and by `latest`.
  EXPECT_EQ(cli_download(bob_, location), files);
  EXPECT_EQ(cli_download(bob_, {alice_.account_id, "my-agent", "latest"}), files);

  // The web UI's fork, then a star.
  const FullReply fork = api().fork(sign_token(bob_), location, "bobs-agent", "0.0.1", "mine");
  ASSERT_EQ(fork.status, 200) << fork.body;
  EXPECT_EQ(cli_download(bob_, {bob_.account_id, "bobs-agent", "0.0.1"}), files);
  ASSERT_EQ(api().add_star(sign_token(bob_), alice_.account_id, "my-agent").status, 200);
  const FullReply starred = api().list_entries("starred_by=" + bob_.account_id +
                                               "&star_point_of_view=" + bob_.account_id);
  ASSERT_EQ(starred.status, 200);
  ASSERT_EQ(starred.json().size(), 1u);
  EXPECT_EQ(starred.json()[0]["num_stars"], 1);
  EXPECT_EQ(starred.json()[0]["num_forks"], 1);
  EXPECT_EQ(starred.json()[0]["starred_by_point_of_view"], true);
  const FullReply forks =
      api().list_entries("fork_of_namespace=" + alice_.account_id + "&fork_of_name=my-agent");
  ASSERT_EQ(forks.json().size(), 1u);
  EXPECT_EQ(forks.json()[0]["namespace"], bob_.account_id);

  // Bob cannot write into Alice's entry.
  EXPECT_EQ(api().upload_file(sign_token(bob_), location, "evil.py", "x").status, 403);
}

INSTANTIATE_TEST_SUITE_P(BlobStores, RegistryCliFlow, ::testing::Values("filesystem", "s3"),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace nearhub::e2e
