#include "app/blob_options.h"

#include <filesystem>
#include <stdexcept>

namespace nearhub::app {

blob::BlobStoreOptions blob_store_options(const Config& config,
                                          const Config::Environment& environment) {
  const std::filesystem::path data_dir = config.text("storage.data_dir");
  blob::BlobStoreOptions options;
  options.kind = config.text("storage.blob_store");
  const std::string& blob_dir = config.text("storage.blob_dir");
  options.directory = blob_dir.empty() ? data_dir / "blobs" : std::filesystem::path(blob_dir);
  if (options.kind != "s3") return options;

  options.s3_bucket = config.text("storage.s3_bucket");
  options.s3_prefix = config.text("storage.s3_prefix");
  options.s3_region = config.text("storage.s3_region");
  options.s3_endpoint = config.text("storage.s3_endpoint");
  if (options.s3_endpoint.empty()) {
    options.s3_endpoint = "https://s3." + options.s3_region + ".amazonaws.com";
  }
  if (options.s3_bucket.empty()) {
    throw std::runtime_error("storage.blob_store is 's3' but storage.s3_bucket is empty");
  }
  // Credentials stay out of configuration files: the configuration names the variables.
  auto credential = [&](const std::string& key) {
    const std::string& variable = config.text(key);
    const auto value = environment(variable);
    if (!value || value->empty()) {
      throw std::runtime_error("the S3 blob store needs the environment variable " + variable +
                               " (named by " + key + ")");
    }
    return *value;
  };
  options.s3_access_key = credential("storage.s3_access_key_env");
  options.s3_secret_key = credential("storage.s3_secret_key_env");
  // Optional: only temporary credentials have one.
  if (const auto token = environment(config.text("storage.s3_session_token_env"))) {
    options.s3_session_token = *token;
  }
  const std::string& spool_dir = config.text("storage.spool_dir");
  options.spool_directory = spool_dir.empty() ? data_dir / "tmp" : std::filesystem::path(spool_dir);
  return options;
}

}  // namespace nearhub::app
