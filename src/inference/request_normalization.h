#pragma once
// What a client sends → what goes upstream (spec §4.2.1, §4.3, §4.4, §4.6). Bodies have already
// been validated against the endpoint's own schema (inference_schemas.h), defaults filled in.

#include <string>

#include <nlohmann/json.hpp>

namespace nearhub::inference {

// Python str() of a JSON scalar: strings as is, true → "True", null → "None", numbers as Python
// prints them.
std::string python_str(const nlohmann::json& scalar);

// A message content as the original forwards it: null → "", a scalar → python_str, a list or
// object keeps its structure with every leaf converted the same way.
nlohmann::json normalize_content(const nlohmann::json& content);

// [{role, content}] with content normalized; every other message field is dropped ([QUIRK] of
// §4.2.1, kept: clients written for the hub expect exactly this).
nlohmann::json normalize_messages(const nlohmann::json& messages);

struct UpstreamBody {
  nlohmann::json body;
  // The client did not ask for a usage chunk, but one was requested upstream so that usage rows
  // carry real token counts; it must not be forwarded.
  bool hide_usage_chunk = false;
};

// The body of POST {base}/chat/completions and POST {base}/completions. `upstream_model` is the
// provider's own name of the model. Null fields are left out.
UpstreamBody chat_upstream_body(const nlohmann::json& request, const std::string& upstream_model);
UpstreamBody completion_upstream_body(const nlohmann::json& request,
                                      const std::string& upstream_model);
nlohmann::json embeddings_upstream_body(const nlohmann::json& request,
                                        const std::string& upstream_model);

}  // namespace nearhub::inference
