#pragma once
// Parameters of structured header values such as
//   Content-Type: multipart/form-data; boundary="xyz"
//   Content-Disposition: form-data; name="file"; filename="a.txt"

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace nearhub::http {

struct HeaderValue {
  std::string token;  // the part before the first ';', trimmed and lower-cased
  std::vector<std::pair<std::string, std::string>> params;  // names lower-cased, values unquoted

  std::optional<std::string_view> param(std::string_view name) const;
};

HeaderValue parse_header_value(std::string_view value);

}  // namespace nearhub::http
