#pragma once
// Agent ids as runs name them (spec/assistants.md §5.3): "namespace/name/version", where the
// version may be `latest`.

#include <string_view>

#include "registry/identifiers.h"

namespace nearhub::registry {

// The location an agent id names. Throws api::Error 400 with the original's texts:
//   Invalid entry format: <id>. Should have the format <namespace>/<name>/<version>
//   Invalid identifier: '<part>'. Should match ^[a-zA-Z0-9_\-.]+$
EntryLocation parse_agent_id(std::string_view agent_id);

}  // namespace nearhub::registry
