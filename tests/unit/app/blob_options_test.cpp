#include "app/blob_options.h"

#include <gtest/gtest.h>

namespace nearhub::app {
namespace {

Config::Environment environment(std::map<std::string, std::string> values) {
  return [values](const std::string& name) -> std::optional<std::string> {
    auto it = values.find(name);
    if (it == values.end()) return std::nullopt;
    return it->second;
  };
}

TEST(BlobOptions, DefaultIsADirectoryUnderTheDataDirectory) {
  const auto env = environment({{"NEARHUB_DATA_DIR", "/var/lib/hub"}});
  const auto options = blob_store_options(Config::load({}, "", env), env);
  EXPECT_EQ(options.kind, "filesystem");
  EXPECT_EQ(options.directory, std::filesystem::path("/var/lib/hub/blobs"));
}

TEST(BlobOptions, S3TakesCredentialsFromTheNamedVariables) {
  const auto env = environment({{"NEARHUB_BLOB_STORE", "s3"},
                                {"NEARHUB_S3_BUCKET", "hub-files"},
                                {"NEARHUB_S3_PREFIX", "prod"},
                                {"NEARHUB_S3_REGION", "eu-west-3"},
                                {"NEARHUB_S3_ACCESS_KEY_ENV", "MY_KEY"},
                                {"MY_KEY", "AKID"},
                                {"AWS_SECRET_ACCESS_KEY", "shh"}});
  const auto options = blob_store_options(Config::load({}, "", env), env);
  EXPECT_EQ(options.kind, "s3");
  EXPECT_EQ(options.s3_bucket, "hub-files");
  EXPECT_EQ(options.s3_prefix, "prod");
  EXPECT_EQ(options.s3_region, "eu-west-3");
  EXPECT_EQ(options.s3_endpoint, "https://s3.eu-west-3.amazonaws.com");
  EXPECT_EQ(options.s3_access_key, "AKID");
  EXPECT_EQ(options.s3_secret_key, "shh");
}

TEST(BlobOptions, S3WithoutCredentialsOrBucketFailsNamingWhatIsMissing) {
  auto env = environment(
      {{"NEARHUB_BLOB_STORE", "s3"}, {"NEARHUB_S3_BUCKET", "b"}, {"AWS_ACCESS_KEY_ID", "AKID"}});
  try {
    blob_store_options(Config::load({}, "", env), env);
    FAIL() << "accepted";
  } catch (const std::runtime_error& error) {
    EXPECT_NE(std::string(error.what()).find("AWS_SECRET_ACCESS_KEY"), std::string::npos);
  }
  env = environment({{"NEARHUB_BLOB_STORE", "s3"}});
  EXPECT_THROW(blob_store_options(Config::load({}, "", env), env), std::runtime_error);
}

}  // namespace
}  // namespace nearhub::app
