#pragma once
// The two BlobStore backends under one contract test suite: each fixture builds a store and can
// tell what is stored underneath it, bypassing the store.

#include <memory>
#include <string>
#include <vector>

#include "blob/filesystem_blob_store.h"
#include "blob/s3_blob_store.h"
#include "blob_test_support.h"
#include "support/fake_s3/fake_s3_server.h"

namespace nearhub::blob::testing {

class FilesystemBackend {
 public:
  static constexpr const char* kName = "Filesystem";
  std::unique_ptr<BlobStore> make_store() {
    return std::make_unique<FilesystemBlobStore>(directory_.path() / "blobs");
  }
  // Every file under the root, temporary ones included: a failed put must leave none.
  std::vector<std::string> raw_files() const {
    std::vector<std::string> files;
    for (const auto& entry : std::filesystem::recursive_directory_iterator(directory_.path())) {
      if (entry.is_regular_file()) files.push_back(entry.path().string());
    }
    return files;
  }
  std::size_t list_page_size() const { return 0; }  // no paging

 private:
  TempDirectory directory_;
};

class S3Backend {
 public:
  static constexpr const char* kName = "S3";
  // Small pages and small ranges so that paging and ranged reads happen with few bytes.
  static constexpr std::size_t kPageSize = 3;
  static constexpr std::size_t kChunk = 1 << 20;

  // `session_token`: the fake's keys are temporary credentials that need it.
  explicit S3Backend(std::string session_token = "")
      : server_(fake_options(std::move(session_token))) {}

  S3Options options() const {
    S3Options options;
    options.connection.endpoint = server_.endpoint();
    options.connection.region = server_.options().region;
    options.connection.access_key = server_.options().access_key;
    options.connection.secret_key = server_.options().secret_key;
    options.connection.session_token = server_.options().session_token;
    options.bucket = server_.options().bucket;
    options.prefix = "hub/blobs";
    options.read_chunk_bytes = kChunk;
    options.list_page_size = 1000;  // the fake caps pages at kPageSize anyway
    options.spool_directory = spool_.path();
    return options;
  }
  std::unique_ptr<BlobStore> make_store() { return std::make_unique<S3BlobStore>(options()); }
  std::vector<std::string> raw_files() const {
    std::vector<std::string> files = server_.keys();
    for (const auto& entry : std::filesystem::recursive_directory_iterator(spool_.path())) {
      files.push_back(entry.path().string());
    }
    return files;
  }
  std::size_t list_page_size() const { return kPageSize; }
  nearhub::testing::FakeS3Server& server() { return server_; }

 private:
  static nearhub::testing::FakeS3Options fake_options(std::string session_token) {
    nearhub::testing::FakeS3Options options;
    options.page_size = kPageSize;
    options.session_token = std::move(session_token);
    return options;
  }
  nearhub::testing::FakeS3Server server_;
  TempDirectory spool_;
};

}  // namespace nearhub::blob::testing
