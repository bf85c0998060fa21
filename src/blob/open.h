#pragma once
// Builds the configured BlobStore (docs/deployment.md "Blob storage").

#include <filesystem>
#include <memory>
#include <string>

#include "blob/blob_store.h"

namespace nearhub::blob {

struct BlobStoreOptions {
  std::string kind = "filesystem";   // "filesystem" | "s3"
  std::filesystem::path directory;   // filesystem: the root directory
  std::string s3_bucket, s3_prefix;  // s3: path-style <endpoint>/<bucket>/<prefix>/<key>
  std::string s3_endpoint;           // "" = https://s3.<region>.amazonaws.com
  std::string s3_region;             // "" = us-east-1
  std::string s3_access_key, s3_secret_key;
  std::string s3_session_token;  // empty: long-lived keys
  // s3: uploads of unknown length are spooled here before the PUT. Empty = the system's
  // temporary directory.
  std::filesystem::path spool_directory;
};

// Throws BlobError naming what is wrong (unknown kind, missing bucket or credentials, a root
// directory that cannot be created).
std::unique_ptr<BlobStore> open_blob_store(const BlobStoreOptions& options);

}  // namespace nearhub::blob
