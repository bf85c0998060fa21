#include "threads/route_inputs.h"

namespace nearhub::threads {

api::Param path_id(std::string name) {
  return {.name = std::move(name), .in = api::ParamLocation::Path};
}

nlohmann::ordered_json ordered_body(const api::Call& call) {
  nlohmann::ordered_json body = nlohmann::ordered_json::parse(call.request.body, nullptr, false);
  if (body.is_discarded() || !body.is_object()) return nlohmann::ordered_json(call.body);
  return body;
}

const std::string& text_param(const api::Call& call, const char* name) {
  return call.params[name].get_ref<const std::string&>();
}

}  // namespace nearhub::threads
