#pragma once
// The blob store settings of Config (storage.blob_*, storage.s3_*) as blob::BlobStoreOptions.

#include "app/config.h"
#include "blob/open.h"

namespace nearhub::app {

// Resolves the defaults (<data_dir>/blobs, the AWS endpoint of the region, <data_dir>/tmp for
// spooling) and reads the S3 credentials from the environment variables the configuration names.
// Throws std::runtime_error naming the variable when an `s3` store lacks its credentials.
blob::BlobStoreOptions blob_store_options(
    const Config& config, const Config::Environment& environment = Config::process_environment());

}  // namespace nearhub::app
