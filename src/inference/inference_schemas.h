#pragma once
// JSON Schemas of the inference request bodies (spec §4.2.1, §4.6, §4.7). Each endpoint validates
// its own schema ([REC] of §4.2.1: the original validated every body against the union of the
// four models).

#include <nlohmann/json.hpp>

namespace nearhub::inference {

nlohmann::json chat_request_schema();
nlohmann::json completion_request_schema();
nlohmann::json embeddings_request_schema();
nlohmann::json image_request_schema();

}  // namespace nearhub::inference
