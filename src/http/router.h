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
  std::string redirect_location;             // for Redirect: the path with/without trailing slash
  std::vector<std::string> allowed_methods;  // for MethodNotAllowed and OPTIONS
};

class Router {
 public:
  // Template segments: literal text or {name} (one whole segment). HEAD matches GET routes.
  void add(std::string_view method, std::string_view path_template, std::size_t route_index);
  RouteMatch match(std::string_view method, std::string_view path) const;

 private:
  // A trie of path segments: literal children first, then at most one parameter child, so a
  // literal segment wins over a parameter wherever both match.
  struct Endpoint {
    std::string method;
    std::vector<std::string> param_names;  // in path order
    std::size_t route_index;
  };
  struct Node {
    std::map<std::string, std::size_t, std::less<>> literal_children;  // segment → node index
    std::size_t param_child = 0;                                       // 0 = none
    std::vector<Endpoint> endpoints;
  };
  struct Search;

  std::size_t child(std::size_t node, std::string_view segment);
  void visit(Search& search, std::size_t node, std::string_view rest, bool at_end) const;

  std::vector<Node> nodes_{1};  // nodes_[0] is the root
};

}  // namespace nearhub::http
