#pragma once
// Standard base64 (RFC 4648 alphabet, '=' padding), decoded as leniently as Python's
// base64.b64decode: signatures in tokens are decoded that way by the original hub.

#include <optional>
#include <string>
#include <string_view>

#include "util/bytes.h"

namespace nearhub::util {

std::string base64_encode(ByteView data);
// Characters outside the alphabet are discarded and decoding stops at complete padding, as in
// Python. Nothing when the data characters do not form whole bytes ("Incorrect padding").
std::optional<Bytes> base64_decode(std::string_view text);

}  // namespace nearhub::util
