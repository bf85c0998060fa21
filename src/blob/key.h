#pragma once
// The last line of defence against keys that could escape a store's root or mean two things:
// callers build keys from checked identifiers, and every store checks them again here.

#include <string>

namespace nearhub::blob {

// Throws BlobError naming the fault unless `key` is a '/'-separated relative path whose segments
// are non-empty, not "." or "..", and free of NUL, backslash and control characters.
void check_key(const std::string& key);

// Like check_key, for list() prefixes: the empty prefix (everything) is allowed, and the last
// segment may be partial or empty ("registry/alice.near/" or "registry/al").
void check_prefix(const std::string& prefix);

}  // namespace nearhub::blob
