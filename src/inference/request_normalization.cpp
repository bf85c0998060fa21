#include "inference/request_normalization.h"

#include <initializer_list>

namespace nearhub::inference {

namespace {

using Json = nlohmann::json;

void copy_fields(const Json& from, Json& to, std::initializer_list<const char*> names) {
  for (const char* name : names) {
    if (from.contains(name) && !from[name].is_null()) to[name] = from[name];
  }
}

// stream_options.include_usage is always asked of a streaming upstream, so that the usage row
// gets real token counts; remember whether the client asked for it itself.
bool add_stream_usage(const Json& request, Json& body) {
  if (!body.value("stream", false)) return false;
  Json options = request.contains("stream_options") && request["stream_options"].is_object()
                     ? request["stream_options"]
                     : Json::object();
  const bool client_asked = options.value("include_usage", false) == true;
  options["include_usage"] = true;
  body["stream_options"] = options;
  return !client_asked;
}

}  // namespace

std::string python_str(const Json& scalar) {
  switch (scalar.type()) {
    case Json::value_t::string:
      return scalar.get<std::string>();
    case Json::value_t::boolean:
      return scalar.get<bool>() ? "True" : "False";
    case Json::value_t::null:
      return "None";
    case Json::value_t::number_float: {
      // Shortest round-trip form ("1.0" for integral values); Python writes exponents with a
      // sign ("1e+20") where nlohmann may not.
      const std::string text = scalar.dump();
      std::string out;
      out.reserve(text.size() + 1);
      for (std::size_t i = 0; i < text.size(); ++i) {
        out.push_back(text[i]);
        const bool exponent = text[i] == 'e' || text[i] == 'E';
        if (exponent && i + 1 < text.size() && text[i + 1] != '-' && text[i + 1] != '+') {
          out.push_back('+');
        }
      }
      return out;
    }
    default:
      return scalar.dump();
  }
}

Json normalize_content(const Json& content) {
  if (content.is_null()) return "";
  if (content.is_array()) {
    Json items = Json::array();
    for (const Json& item : content) {
      items.push_back(item.is_structured() ? normalize_content(item) : Json(python_str(item)));
    }
    return items;
  }
  if (content.is_object()) {
    Json object = Json::object();
    for (const auto& [key, value] : content.items()) {
      object[key] = value.is_structured() ? normalize_content(value) : Json(python_str(value));
    }
    return object;
  }
  return python_str(content);
}

Json normalize_messages(const Json& messages) {
  Json out = Json::array();
  for (const Json& message : messages) {
    out.push_back({{"role", message.at("role")},
                   {"content", normalize_content(message.value("content", Json()))}});
  }
  return out;
}

UpstreamBody chat_upstream_body(const Json& request, const std::string& upstream_model) {
  UpstreamBody out;
  out.body = {{"model", upstream_model}};
  copy_fields(request, out.body,
              {"max_tokens", "logprobs", "temperature", "top_p", "frequency_penalty", "n", "stop",
               "response_format", "stream"});
  // An empty tool list is the schema default; some providers refuse `"tools": []`.
  if (request.contains("tools") && request["tools"].is_array() && !request["tools"].empty()) {
    out.body["tools"] = request["tools"];
  }
  out.body["messages"] = normalize_messages(request.at("messages"));
  out.hide_usage_chunk = add_stream_usage(request, out.body);
  return out;
}

UpstreamBody completion_upstream_body(const Json& request, const std::string& upstream_model) {
  UpstreamBody out;
  out.body = {{"model", upstream_model}, {"prompt", request.at("prompt")}};
  copy_fields(request, out.body,
              {"max_tokens", "logprobs", "temperature", "top_p", "frequency_penalty", "n", "stop",
               "stream"});
  out.hide_usage_chunk = add_stream_usage(request, out.body);
  return out;
}

Json embeddings_upstream_body(const Json& request, const std::string& upstream_model) {
  return {{"input", request.at("input")}, {"model", upstream_model}};
}

}  // namespace nearhub::inference
