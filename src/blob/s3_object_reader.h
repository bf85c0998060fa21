#pragma once
// get() on S3: the object is read in ranged GETs of a bounded size, so a reader holds at most one
// chunk however large the object, and a slow consumer never keeps a connection half-read. Every
// range after the first carries If-Match with the first answer's ETag: if the object is replaced
// or removed mid-read, the reader fails instead of splicing two objects.

#include <memory>
#include <string>

#include "blob/s3_client.h"
#include "util/byte_source.h"

namespace nearhub::blob {

class S3ObjectReader final : public util::ByteSource {
 public:
  // Fetches the first chunk; nullptr when the object does not exist.
  static std::unique_ptr<S3ObjectReader> open(std::shared_ptr<S3Client> client, std::string path,
                                              std::size_t chunk_bytes);

  std::size_t read(char* buffer, std::size_t capacity) override;
  std::optional<std::size_t> size() const override { return total_; }

 private:
  S3ObjectReader(std::shared_ptr<S3Client> client, std::string path, std::size_t chunk_bytes);
  // GET of [offset_, offset_ + chunk_bytes_) into chunk_; false when the object is missing.
  bool fetch(bool first);

  std::shared_ptr<S3Client> client_;
  std::string path_;
  std::size_t chunk_bytes_;
  std::string etag_;
  std::size_t total_ = 0;
  std::size_t offset_ = 0;  // of the first byte not yet fetched
  std::string chunk_;
  std::size_t chunk_pos_ = 0;
};

}  // namespace nearhub::blob
