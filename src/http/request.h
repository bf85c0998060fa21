#pragma once
// The request as handlers see it: plain strings, no Beast types (only http/ knows Beast).

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "http/spooled_body.h"

namespace nearhub::http {

// Header fields in arrival order; names compare case-insensitively.
class Headers {
 public:
  void add(std::string name, std::string value);
  // Replaces every field of that name with one field.
  void set(std::string name, std::string value);
  std::optional<std::string_view> get(std::string_view name) const;
  bool contains(std::string_view name) const { return get(name).has_value(); }
  const std::vector<std::pair<std::string, std::string>>& all() const { return fields_; }

 private:
  std::vector<std::pair<std::string, std::string>> fields_;
};

struct Request {
  std::string method;        // as sent, upper case: "GET", "POST", ...
  std::string target;        // as sent: path and optional "?query"
  std::string path;          // percent-decoded path without the query
  std::string query_string;  // raw text after '?', empty when none
  Headers headers;
  std::string body;  // empty when the body was spooled
  // Set instead of `body` when the handler asked for spooling (Handler::spool_body) and the
  // request had a body.
  std::shared_ptr<const SpooledBody> spooled_body;
  std::string remote_address;
  std::string request_id;
  std::map<std::string, std::string, std::less<>> path_params;  // filled from the route template

  // First value of a query parameter, percent- and '+'-decoded.
  std::optional<std::string> query(std::string_view name) const;
  // Every query parameter in order, decoded.
  std::vector<std::pair<std::string, std::string>> query_params() const;
  // A cookie from the Cookie header, percent-decoded.
  std::optional<std::string> cookie(std::string_view name) const;
};

}  // namespace nearhub::http
