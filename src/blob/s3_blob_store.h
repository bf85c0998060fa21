#pragma once
// Blobs in an S3-compatible bucket (AWS S3, MinIO, R2, ...), path-style:
// <endpoint>/<bucket>/<prefix>/<key>. Several nearhub processes can share one bucket.

#include <filesystem>
#include <string>

#include "blob/blob_store.h"
#include "blob/s3_client.h"

namespace nearhub::blob {

struct S3Options {
  S3Connection connection;  // endpoint, region, credentials, timeouts
  std::string bucket;
  std::string prefix;  // "" or "some/prefix" (slashes around it are ignored)
  // get() fetches the object in ranged GETs of this many bytes: the memory one reader holds.
  std::size_t read_chunk_bytes = 4 << 20;
  // Uploads of unknown length are spooled here first (an unlinked temporary file).
  std::filesystem::path spool_directory = std::filesystem::temp_directory_path();
  std::size_t list_page_size = 1000;  // max-keys of each ListObjectsV2 call (S3's own cap)
};

class S3BlobStore final : public BlobStore {
 public:
  // Throws BlobError when the options are unusable (no bucket, no endpoint).
  explicit S3BlobStore(S3Options options);

  std::uint64_t put(const std::string& key, util::ByteSource& content, std::uint64_t max_bytes,
                    bool if_absent) override;
  std::unique_ptr<util::ByteSource> get(const std::string& key) override;
  bool exists(const std::string& key) override;
  void copy(const std::string& from, const std::string& to) override;
  std::vector<BlobInfo> list(const std::string& prefix) override;
  void remove(const std::string& key) override;

 private:
  std::string object_name(const std::string& key) const;  // prefix + key, unencoded
  std::string object_path(const std::string& key) const;  // "/bucket/<encoded object name>"
  std::uint64_t put_sized(const std::string& key, util::ByteSource& content, std::uint64_t size,
                          std::uint64_t max_bytes, bool if_absent);

  S3Options options_;
  std::string key_prefix_;  // "prefix/" or ""
  std::shared_ptr<S3Client> client_;
};

}  // namespace nearhub::blob
