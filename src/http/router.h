#pragma once
// Matches a method and path against route templates such as /v1/threads/{thread_id}.
// Knows nothing about what a route does: it answers with the index the route was added under.

#include <cstddef>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace nearhub::http {

struct RouteMatch {
  enum class Kind { Found, NotFound, MethodNotAllowed, Redirect };
  Kind kind = Kind::NotFound;
  std::size_t route_index = 0;
  std::map<std::string, std::string, std::less<>> params;  // decoded template segments
  std::string redirect_location;           // for Redirect: the path with/without trailing slash
  std::vector<std::string> allowed_methods;  // for MethodNotAllowed and OPTIONS
};

class Router {
 public:
  // Template segments: literal text or {name} (one whole segment). HEAD matches GET routes.
  void add(std::string_view method, std::string_view path_template, std::size_t route_index);
  RouteMatch match(std::string_view method, std::string_view path) const;

 private:
  struct Entry {
    std::string method;
    std::vector<std::string> segments;  // "{name}" marks a parameter
    std::size_t route_index;
  };
  std::vector<Entry> entries_;
};

}  // namespace nearhub::http
