#include "http/router.h"

#include <algorithm>
#include <array>
#include <stdexcept>

namespace nearhub::http {
namespace {

constexpr std::size_t kMaxParams = 16;

bool is_param(std::string_view segment) {
  return segment.size() > 2 && segment.front() == '{' && segment.back() == '}';
}

}  // namespace

struct Router::Search {
  std::string_view method;
  bool find_method = true;  // false while probing for a redirect: any method counts
  std::array<std::string_view, kMaxParams> captures{};
  std::size_t capture_count = 0;

  const Endpoint* found = nullptr;
  std::array<std::string_view, kMaxParams> found_captures{};
  bool path_matched = false;
  std::vector<std::string> allowed_methods;
};

std::size_t Router::child(std::size_t node, std::string_view segment) {
  if (is_param(segment)) {
    if (nodes_[node].param_child == 0) {
      nodes_.emplace_back();
      nodes_[node].param_child = nodes_.size() - 1;
    }
    return nodes_[node].param_child;
  }
  if (auto it = nodes_[node].literal_children.find(segment);
      it != nodes_[node].literal_children.end()) {
    return it->second;
  }
  nodes_.emplace_back();
  std::size_t index = nodes_.size() - 1;
  nodes_[node].literal_children.emplace(std::string(segment), index);
  return index;
}

void Router::add(std::string_view method, std::string_view path_template, std::size_t route_index) {
  if (path_template.empty() || path_template.front() != '/') {
    throw std::invalid_argument("route template must start with '/': " +
                                std::string(path_template));
  }
  std::size_t node = 0;
  std::vector<std::string> param_names;
  std::string_view rest = path_template.substr(1);
  while (true) {
    std::size_t slash = rest.find('/');
    std::string_view segment = rest.substr(0, slash);
    if (is_param(segment)) {
      param_names.emplace_back(segment.substr(1, segment.size() - 2));
    } else if (segment.find_first_of("{}") != std::string_view::npos) {
      throw std::invalid_argument("a route parameter must be a whole segment: " +
                                  std::string(path_template));
    }
    node = child(node, segment);
    if (slash == std::string_view::npos) break;
    rest = rest.substr(slash + 1);
  }
  if (param_names.size() > kMaxParams) {
    throw std::invalid_argument("too many route parameters: " + std::string(path_template));
  }
  for (const Endpoint& endpoint : nodes_[node].endpoints) {
    if (endpoint.method == method) {
      throw std::invalid_argument("duplicate route: " + std::string(method) + " " +
                                  std::string(path_template));
    }
  }
  nodes_[node].endpoints.push_back({std::string(method), std::move(param_names), route_index});
}

// Depth-first over the trie, literal child before parameter child, so the first endpoint found
// is the most literal one. Keeps going after a path-only match to collect every allowed method.
void Router::visit(Search& search, std::size_t node_index, std::string_view rest,
                   bool at_end) const {
  if (search.found) return;
  const Node& node = nodes_[node_index];
  if (at_end) {
    if (node.endpoints.empty()) return;
    search.path_matched = true;
    if (!search.find_method) return;
    const Endpoint* get = nullptr;
    for (const Endpoint& endpoint : node.endpoints) {
      if (endpoint.method == search.method) {
        search.found = &endpoint;
        break;
      }
      if (endpoint.method == "GET") get = &endpoint;
    }
    if (!search.found && search.method == "HEAD") search.found = get;
    if (search.found) {
      search.found_captures = search.captures;
      return;
    }
    for (const Endpoint& endpoint : node.endpoints) {
      auto& allowed = search.allowed_methods;
      auto add_method = [&](const std::string& method) {
        if (std::find(allowed.begin(), allowed.end(), method) == allowed.end()) {
          allowed.push_back(method);
        }
      };
      add_method(endpoint.method);
      if (endpoint.method == "GET") add_method("HEAD");
    }
    return;
  }
  std::size_t slash = rest.find('/');
  std::string_view segment = rest.substr(0, slash);
  std::string_view next =
      slash == std::string_view::npos ? std::string_view() : rest.substr(slash + 1);
  bool next_at_end = slash == std::string_view::npos;
  if (auto it = node.literal_children.find(segment); it != node.literal_children.end()) {
    visit(search, it->second, next, next_at_end);
  }
  // A parameter needs a non-empty segment, like Starlette's default [^/]+ convertor.
  if (node.param_child != 0 && !segment.empty() && search.capture_count < kMaxParams) {
    search.captures[search.capture_count++] = segment;
    visit(search, node.param_child, next, next_at_end);
    --search.capture_count;
  }
}

RouteMatch Router::match(std::string_view method, std::string_view path) const {
  RouteMatch result;
  if (path.empty() || path.front() != '/') return result;

  Search search;
  search.method = method;
  visit(search, 0, path.substr(1), false);
  if (search.found) {
    result.kind = RouteMatch::Kind::Found;
    result.route_index = search.found->route_index;
    for (std::size_t i = 0; i < search.found->param_names.size(); ++i) {
      result.params.emplace(search.found->param_names[i], search.found_captures[i]);
    }
    return result;
  }
  if (search.path_matched) {
    result.kind = RouteMatch::Kind::MethodNotAllowed;
    result.allowed_methods = std::move(search.allowed_methods);
    return result;
  }

  // Starlette's redirect_slashes: any route (whatever its method) on the other form redirects.
  if (path == "/") return result;
  std::string other(path);
  if (other.back() == '/') {
    other.pop_back();
  } else {
    other.push_back('/');
  }
  Search probe;
  probe.find_method = false;
  visit(probe, 0, std::string_view(other).substr(1), false);
  if (probe.path_matched) {
    result.kind = RouteMatch::Kind::Redirect;
    result.redirect_location = std::move(other);
  }
  return result;
}

}  // namespace nearhub::http
