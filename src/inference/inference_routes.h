#pragma once
// The inference endpoints (spec §4.3–§4.7) bound to a Gateway.

#include "api/route.h"
#include "inference/gateway.h"

namespace nearhub::inference {

// Adds GET /v1/models, POST /v1/chat/completions, /v1/completions, /v1/embeddings and
// /v1/images/generations. `gateway` must outlive the table's use.
void add_inference_routes(api::RouteTable& table, Gateway& gateway);

}  // namespace nearhub::inference
