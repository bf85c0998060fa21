#include "inference/inference_schemas.h"

namespace nearhub::inference {

namespace {

using Json = nlohmann::json;

Json nullable(const char* type) { return {{"type", {type, "null"}}}; }

// LlmRequest (§4.2.1): fields shared by completions and chat. `model` has no schema default:
// the default comes from the configuration (inference.default_model).
Json llm_properties() {
  const Json response_format_object = {
      {"type", "object"},
      {"properties",
       {{"type", {{"type", "string"}, {"enum", {"text", "json_object", "json_schema"}}}},
        {"json_schema",
         {{"type", "object"},
          {"properties",
           {{"name", {{"type", "string"}}},
            {"description", {{"type", "string"}}},
            {"schema", {{"type", "object"}}},
            {"strict", {{"type", "boolean"}}}}},
          {"required", {"name"}}}}}},
      {"required", {"type"}}};
  return {
      {"model",
       {{"type", "string"},
        {"description",
         "`provider::model`, or a model of the "
         "default provider."}}},
      {"provider", nullable("string")},
      {"max_tokens", {{"type", {"integer", "null"}}, {"default", 1024}}},
      {"logprobs", nullable("integer")},
      {"temperature", {{"type", "number"}, {"default", 1.0}}},
      {"top_p", {{"type", "number"}, {"default", 1.0}}},
      {"frequency_penalty", {{"type", {"number", "null"}}, {"default", 0.0}}},
      {"n", {{"type", "integer"}, {"default", 1}}},
      {"stop",
       {{"anyOf",
         {{{"type", "string"}},
          {{"type", "array"}, {"items", {{"type", "string"}}}},
          {{"type", "null"}}}}}},
      {"response_format",
       {{"anyOf",
         {{{"type", "string"}, {"enum", {"auto"}}}, response_format_object, {{"type", "null"}}}}}},
      {"stream", {{"type", "boolean"}, {"default", false}}},
      {"stream_options", nullable("object")},
      {"tools", {{"type", {"array", "null"}}, {"default", Json::array()}}},
  };
}

}  // namespace

Json chat_request_schema() {
  Json properties = llm_properties();
  properties["messages"] = {{"type", "array"},
                            {"items",
                             {{"type", "object"},
                              {"properties",
                               {{"role", {{"type", "string"}}},
                                {"content",
                                 {{"description",
                                   "A string or a list of content parts; other types are "
                                   "converted to text."}}}}},
                              {"required", {"role"}}}}};
  return {{"type", "object"}, {"properties", properties}, {"required", {"messages"}}};
}

Json completion_request_schema() {
  Json properties = llm_properties();
  properties["prompt"] = {{"type", "string"}};
  return {{"type", "object"}, {"properties", properties}, {"required", {"prompt"}}};
}

Json embeddings_request_schema() {
  return {{"type", "object"},
          {"properties",
           {{"input",
             {{"anyOf",
               {{{"type", "string"}},
                {{"type", "array"}, {"items", {{"type", "string"}}}},
                {{"type", "array"}, {"items", {{"type", "integer"}}}},
                {{"type", "array"},
                 {"items", {{"type", "array"}, {"items", {{"type", "integer"}}}}}}}}}},
            {"model", {{"type", "string"}}},
            {"provider", nullable("string")}}},
          {"required", {"input"}}};
}

Json image_request_schema() {
  return {{"type", "object"},
          {"properties",
           {{"prompt", {{"type", "string"}}},
            {"model", nullable("string")},
            {"provider", nullable("string")},
            {"init_image", nullable("string")},
            {"image_strength", nullable("number")},
            {"control_image", nullable("string")},
            {"control_net_name", nullable("string")},
            {"conditioning_scale", nullable("number")},
            {"cfg_scale", nullable("number")},
            {"sampler", nullable("string")},
            {"steps", nullable("integer")},
            {"seed", nullable("integer")}}},
          {"required", {"prompt"}}};
}

}  // namespace nearhub::inference
