#pragma once

#include "api/route.h"
#include "inference/completion_signer.h"

namespace nearhub::inference {

// POST /v1/get_agent_public_key (spec/platform.md §4.8): the public key an agent's signed
// completions verify with. `signer` must outlive the table.
void add_agent_key_routes(api::RouteTable& table, const CompletionSigner& signer);

}  // namespace nearhub::inference
