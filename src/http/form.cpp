#include "http/form.h"

#include "util/url.h"

namespace nearhub::http {

std::vector<std::pair<std::string, std::string>> parse_urlencoded_form(std::string_view body) {
  return util::parse_query(body);
}

}  // namespace nearhub::http
