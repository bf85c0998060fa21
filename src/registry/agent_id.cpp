#include "registry/agent_id.h"

#include <string>

#include "api/error.h"

namespace nearhub::registry {

EntryLocation parse_agent_id(std::string_view agent_id) {
  // The original's ^([^/]+)/([^/]+)/([^/]+)$: exactly three non-empty parts.
  const std::size_t first = agent_id.find('/');
  const std::size_t second =
      first == std::string_view::npos ? first : agent_id.find('/', first + 1);
  const bool well_formed = first != std::string_view::npos && second != std::string_view::npos &&
                           first > 0 && second > first + 1 && second + 1 < agent_id.size() &&
                           agent_id.find('/', second + 1) == std::string_view::npos;
  if (!well_formed) {
    throw api::Error::http(400, "Invalid entry format: " + std::string(agent_id) +
                                    ". Should have the format <namespace>/<name>/<version>");
  }
  EntryLocation location{std::string(agent_id.substr(0, first)),
                         std::string(agent_id.substr(first + 1, second - first - 1)),
                         std::string(agent_id.substr(second + 1))};
  check_location(location);
  return location;
}

}  // namespace nearhub::registry
