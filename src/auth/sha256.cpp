#include "auth/sha256.h"

#include <sodium.h>

namespace nearhub::auth {

Sha256Digest sha256(util::ByteView data) {
  Sha256Digest digest;
  crypto_hash_sha256(digest.data(), data.data(), data.size());
  return digest;
}

}  // namespace nearhub::auth
