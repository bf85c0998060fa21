#include "inference/inference_routes.h"

#include "inference/inference_schemas.h"

namespace nearhub::inference {

namespace {

const nlohmann::json kObject = {{"type", "object"}};

// Documented errors: 400 resolution/upstream, 403 no token, 429 rate limit, 502 provider failure,
// 503 no provider configured.
const std::vector<int> kInferenceErrors = {400, 403, 429, 502, 503};

}  // namespace

void add_inference_routes(api::RouteTable& table, Gateway& gateway) {
  table.add({
      .method = "GET",
      .path = "/v1/models",
      .auth = api::AuthPolicy::None,
      .tag = "inference",
      .summary = "List the models of every provider",
      .description = "Each provider's models with ids `provider::model`, merged in provider "
                     "order and cached for `inference.models_cache_ttl_s`. A provider that "
                     "fails is left out.",
      .response_schema = kObject,
      .error_codes = {500, 503},
      .handler = [&gateway](api::Call&) { return gateway.models(); },
  });
  table.add({
      .method = "POST",
      .path = "/v1/chat/completions",
      .auth = api::AuthPolicy::Required,
      .tag = "inference",
      .summary = "Create a chat completion",
      .description =
          "OpenAI-compatible chat completion through the provider named by `model` "
          "(`provider::model`). With `\"stream\": true` the answer is Server-Sent Events ending "
          "with `data: [DONE]`. Optional headers `run_id`, `thread_id`, `message_id` attach a "
          "stream to a run. A trusted runner's non-streaming completion is signed by the hub.",
      .params = {{.name = "run_id", .in = api::ParamLocation::Header, .required = false},
                 {.name = "thread_id", .in = api::ParamLocation::Header, .required = false},
                 {.name = "message_id", .in = api::ParamLocation::Header, .required = false}},
      .body_kind = api::BodyKind::Json,
      .body_schema = chat_request_schema(),
      .response_schema = kObject,
      .error_codes = kInferenceErrors,
      .handler = [&gateway](api::Call& call) { return gateway.chat_completions(call); },
  });
  table.add({
      .method = "POST",
      .path = "/v1/completions",
      .auth = api::AuthPolicy::Required,
      .tag = "inference",
      .summary = "Create a text completion",
      .description = "OpenAI-compatible text completion; `\"stream\": true` gives Server-Sent "
                     "Events ending with `data: [DONE]`.",
      .body_kind = api::BodyKind::Json,
      .body_schema = completion_request_schema(),
      .response_schema = kObject,
      .error_codes = kInferenceErrors,
      .handler = [&gateway](api::Call& call) { return gateway.completions(call); },
  });
  table.add({
      .method = "POST",
      .path = "/v1/embeddings",
      .auth = api::AuthPolicy::Required,
      .tag = "inference",
      .summary = "Create embeddings",
      .description = "OpenAI-compatible embeddings (float arrays).",
      .body_kind = api::BodyKind::Json,
      .body_schema = embeddings_request_schema(),
      .response_schema = kObject,
      .error_codes = kInferenceErrors,
      .handler = [&gateway](api::Call& call) { return gateway.embeddings(call); },
  });
  table.add({
      .method = "POST",
      .path = "/v1/images/generations",
      .auth = api::AuthPolicy::Required,
      .tag = "inference",
      .summary = "Generate an image",
      .description = "Calls the provider's OpenAI-compatible images API and answers "
                     "`{\"data\": [{\"b64_json\", \"url\", \"revised_prompt\"}]}`.",
      .body_kind = api::BodyKind::Json,
      .body_schema = image_request_schema(),
      .response_schema = kObject,
      .error_codes = kInferenceErrors,
      .handler = [&gateway](api::Call& call) { return gateway.image_generations(call); },
  });
}

}  // namespace nearhub::inference
