#include "blob/open.h"

#include "blob/filesystem_blob_store.h"
#include "blob/s3_blob_store.h"

namespace nearhub::blob {

std::unique_ptr<BlobStore> open_blob_store(const BlobStoreOptions& options) {
  if (options.kind == "filesystem") {
    if (options.directory.empty()) throw BlobError("the filesystem blob store needs a directory");
    return std::make_unique<FilesystemBlobStore>(options.directory);
  }
  if (options.kind == "s3") {
    if (options.s3_access_key.empty() || options.s3_secret_key.empty()) {
      throw BlobError("the S3 blob store needs an access key and a secret key");
    }
    S3Options s3;
    s3.bucket = options.s3_bucket;
    s3.prefix = options.s3_prefix;
    s3.connection.region = options.s3_region.empty() ? "us-east-1" : options.s3_region;
    s3.connection.endpoint = options.s3_endpoint.empty()
                                 ? "https://s3." + s3.connection.region + ".amazonaws.com"
                                 : options.s3_endpoint;
    s3.connection.access_key = options.s3_access_key;
    s3.connection.secret_key = options.s3_secret_key;
    s3.connection.session_token = options.s3_session_token;
    if (!options.spool_directory.empty()) s3.spool_directory = options.spool_directory;
    return std::make_unique<S3BlobStore>(std::move(s3));
  }
  throw BlobError("unknown blob store '" + options.kind + "' (use 'filesystem' or 's3')");
}

}  // namespace nearhub::blob
