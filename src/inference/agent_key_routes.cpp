#include "inference/agent_key_routes.h"

#include "api/error.h"

namespace nearhub::inference {

namespace {

// [REC] of spec §3.1: without a master key every agent key would be SHA-256 of its name, which
// anyone can compute, so the hub refuses to hand one out and says what to configure.
constexpr const char* kNotConfigured =
    "Hub-signed completions are not available: the hub's signing key is not configured. Set the "
    "environment variable named by the setting inference.hub_private_key_env (HUB_PRIVATE_KEY "
    "by default) to an ed25519 secret key.";

}  // namespace

void add_agent_key_routes(api::RouteTable& table, const CompletionSigner& signer) {
  table.add({
      .method = "POST",
      .path = "/v1/get_agent_public_key",
      .auth = api::AuthPolicy::None,
      .tag = "inference",
      .summary = "Public key of an agent's signed completions",
      .description =
          "The ed25519 public key the hub derives for `agent_name` from its own key. Chat "
          "completions requested by a trusted runner for that agent carry, in "
          "`system_fingerprint`, a signature that verifies with this key. 503 when the hub has "
          "no signing key configured.",
      .params = {{.name = "agent_name",
                  .in = api::ParamLocation::Query,
                  .schema = {{"type", "string"}},
                  .required = true,
                  .description = "The agent, normally `<namespace>/<name>/<version>`."}},
      .response_schema = {{"type", "string"}},
      .error_codes = {503},
      .handler =
          [&signer](api::Call& call) {
            if (!signer.configured()) throw api::Error::http(503, kNotConfigured);
            return api::json(signer.agent_public_key(call.params["agent_name"].get<std::string>()));
          },
  });
}

}  // namespace nearhub::inference
