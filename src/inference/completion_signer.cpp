#include "inference/completion_signer.h"

#include <sodium.h>

#include <algorithm>
#include <cfenv>
#include <cmath>
#include <limits>
#include <stdexcept>

#include <spdlog/spdlog.h>

#include "auth/borsh.h"
#include "auth/sha256.h"
#include "inference/request_normalization.h"

namespace nearhub::inference {

namespace {

constexpr double kMaxU32 = std::numeric_limits<std::uint32_t>::max();

// Python's round(temperature * 1000) is round-half-to-even on the double product; nearbyint does
// the same under the default rounding mode, which is set explicitly in case a caller changed it.
std::optional<std::uint32_t> temperature_millis(double temperature) {
  const double product = temperature * 1000.0;
  if (!std::isfinite(product)) return std::nullopt;
  const int saved = std::fegetround();
  std::fesetround(FE_TONEAREST);
  const double rounded = std::nearbyint(product);
  std::fesetround(saved);
  if (rounded < 0 || rounded > kMaxU32) return std::nullopt;  // Borsh u32 refuses it
  return static_cast<std::uint32_t>(rounded);
}

void append_hex4(std::string& out, unsigned value) {
  static constexpr char kHex[] = "0123456789abcdef";
  out += "\\u";
  for (int shift = 12; shift >= 0; shift -= 4) out += kHex[(value >> shift) & 0xf];
}

// The next code point of UTF-8 `text` at `i` (advanced past it); nullopt on invalid UTF-8.
std::optional<char32_t> next_code_point(std::string_view text, std::size_t& i) {
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
  const unsigned char lead = byte(i);
  int length;
  char32_t point;
  if (lead < 0x80) {
    ++i;
    return lead;
  } else if ((lead & 0xe0) == 0xc0) {
    length = 2;
    point = lead & 0x1f;
  } else if ((lead & 0xf0) == 0xe0) {
    length = 3;
    point = lead & 0x0f;
  } else if ((lead & 0xf8) == 0xf0) {
    length = 4;
    point = lead & 0x07;
  } else {
    return std::nullopt;
  }
  if (i + length > text.size()) return std::nullopt;
  for (int k = 1; k < length; ++k) {
    if ((byte(i + k) & 0xc0) != 0x80) return std::nullopt;
    point = (point << 6) | (byte(i + k) & 0x3f);
  }
  static constexpr char32_t kMinimum[] = {0, 0, 0x80, 0x800, 0x10000};
  if (point < kMinimum[length] || point > 0x10ffff || (point >= 0xd800 && point <= 0xdfff)) {
    return std::nullopt;  // overlong, out of range or a surrogate
  }
  i += length;
  return point;
}

// A JSON string literal as Python's json.dumps writes it with ensure_ascii=True: printable ASCII
// as is, the short escapes for " \ \b \f \n \r \t, and everything else as lowercase \uXXXX
// (a UTF-16 surrogate pair above U+FFFF). Invalid UTF-8 replaced by U+FFFD.
std::string python_json_string(std::string_view text) {
  std::string out = "\"";
  out.reserve(text.size() + 2);
  for (std::size_t i = 0; i < text.size();) {
    const std::optional<char32_t> decoded = next_code_point(text, i);
    if (!decoded) ++i;  // skip the bad byte
    const char32_t c = decoded.value_or(0xfffd);
    switch (c) {
      case '"':
        out += "\\\"";
        continue;
      case '\\':
        out += "\\\\";
        continue;
      case '\b':
        out += "\\b";
        continue;
      case '\f':
        out += "\\f";
        continue;
      case '\n':
        out += "\\n";
        continue;
      case '\r':
        out += "\\r";
        continue;
      case '\t':
        out += "\\t";
        continue;
      default:
        break;
    }
    if (c >= 0x20 && c <= 0x7e) {
      out += static_cast<char>(c);
    } else if (c < 0x10000) {
      append_hex4(out, c);
    } else {
      const char32_t v = c - 0x10000;
      append_hex4(out, 0xd800 + (v >> 10));
      append_hex4(out, 0xdc00 + (v & 0x3ff));
    }
  }
  out += '"';
  return out;
}

// runner_data of the token (spec §2.8): {"agent": ..., "runner_api_key": ...} as JSON text.
struct RunnerClaim {
  std::string agent;
  std::string runner_api_key;
};

std::optional<RunnerClaim> runner_claim(const api::Identity& caller) {
  if (!caller.runner_data) return std::nullopt;
  const auto data = nlohmann::json::parse(*caller.runner_data, nullptr, false);
  if (!data.is_object()) return std::nullopt;
  const auto agent = data.find("agent");
  const auto key = data.find("runner_api_key");
  if (agent == data.end() || !agent->is_string() || key == data.end() || !key->is_string()) {
    return std::nullopt;
  }
  return RunnerClaim{agent->get<std::string>(), key->get<std::string>()};
}

// The request's values as the original's pydantic model holds them: a missing temperature is
// the schema default 1.0 and a missing max_tokens 1024; an explicit null max_tokens is 0
// (`int(request.max_tokens or 0)`).
std::optional<SignatureInput> signature_input(const std::string& agent, const std::string& model,
                                              const nlohmann::json& request,
                                              const nlohmann::json& response) {
  SignatureInput input;
  input.agent_name = agent;
  input.model = model;

  const auto temperature = request.find("temperature");
  if (temperature == request.end()) {
    input.temperature = 1.0;
  } else if (temperature->is_number()) {
    input.temperature = temperature->get<double>();
  } else if (!temperature->is_null()) {
    return std::nullopt;
  }
  const auto max_tokens = request.find("max_tokens");
  if (max_tokens == request.end()) {
    input.max_tokens = 1024;
  } else if (max_tokens->is_number_integer()) {
    input.max_tokens = max_tokens->get<std::int64_t>();
  } else if (!max_tokens->is_null()) {
    return std::nullopt;
  }

  const auto messages = request.find("messages");
  if (messages == request.end() || !messages->is_array()) return std::nullopt;
  // Signed as forwarded: normalized (§4.2.1). List-valued content cannot be a Borsh string, so
  // such a request goes out unsigned, as in the original.
  for (const auto& message : normalize_messages(*messages)) {
    if (!message["role"].is_string() || !message["content"].is_string()) return std::nullopt;
    input.messages.push_back(
        {message["role"].get<std::string>(), message["content"].get<std::string>()});
  }

  const auto& choices = response.at("choices");
  if (!choices.is_array() || choices.empty()) return std::nullopt;
  const auto& content = choices.at(0).at("message").at("content");
  if (!content.is_string()) return std::nullopt;  // e.g. a tool call with null content
  input.completion = content.get<std::string>();
  return input;
}

}  // namespace

auth::SecretKey derive_agent_key(util::ByteView master_seed, std::string_view agent_name) {
  util::Bytes material(master_seed.begin(), master_seed.end());
  const util::ByteView name = util::as_bytes(agent_name);
  material.insert(material.end(), name.begin(), name.end());
  const auth::Sha256Digest seed = auth::sha256(material);
  sodium_memzero(material.data(), material.size());
  return auth::SecretKey::from_seed(seed);
}

std::optional<util::Bytes> signature_payload(const SignatureInput& input) {
  const std::optional<std::uint32_t> temperature = temperature_millis(input.temperature);
  if (!temperature || input.max_tokens < 0 || input.max_tokens > kMaxU32) return std::nullopt;
  if (input.messages.size() > kMaxU32) return std::nullopt;
  auth::BorshWriter writer;
  writer.string(input.agent_name).string(input.model);
  writer.u32(static_cast<std::uint32_t>(input.messages.size()));
  for (const SignedMessage& message : input.messages) {
    writer.string(message.role).string(message.content);
  }
  writer.optional_u32(*temperature)
      .optional_u32(static_cast<std::uint32_t>(input.max_tokens))
      .string(input.completion);
  return writer.bytes();
}

std::string system_fingerprint_text(std::string_view completion, std::string_view signature,
                                    std::string_view public_key) {
  return "{\"response\": " + python_json_string(completion) +
         ", \"signature\": " + python_json_string(signature) +
         ", \"public_key\": " + python_json_string(public_key) + "}";
}

CompletionSigner::CompletionSigner(const std::string& hub_private_key) {
  if (hub_private_key.empty()) return;
  const std::optional<auth::SecretKey> key = auth::SecretKey::parse(hub_private_key);
  if (!key) {
    throw std::invalid_argument(
        "the hub private key is not an ed25519 secret key (expected \"ed25519:\" followed by "
        "the base58 of 64 bytes)");
  }
  master_seed_ = key->seed();
}

std::string CompletionSigner::agent_public_key(const std::string& agent_name) const {
  if (!master_seed_) throw std::logic_error("the hub private key is not configured");
  return derive_agent_key(*master_seed_, agent_name).public_key().to_string();
}

std::optional<std::string> CompletionSigner::sign(const SignatureInput& input) const {
  if (!master_seed_) return std::nullopt;
  const std::optional<util::Bytes> payload = signature_payload(input);
  if (!payload) return std::nullopt;
  const auth::Sha256Digest digest = auth::sha256(*payload);
  const auth::SecretKey key = derive_agent_key(*master_seed_, input.agent_name);
  const std::string signature = auth::format_signature(key.sign(digest));
  return system_fingerprint_text(input.completion, signature, key.public_key().to_string());
}

void sign_chat_completion_if_trusted(const CompletionSigner& signer, const api::Identity& caller,
                                     const std::vector<std::string>& trusted_runner_api_keys,
                                     const std::string& resolved_model,
                                     const nlohmann::json& request_body, nlohmann::json& response) {
  try {
    if (!signer.configured()) return;
    if (request_body.value("stream", false)) return;  // streams are never signed (§3.3)
    const std::optional<RunnerClaim> claim = runner_claim(caller);
    if (!claim || claim->agent.empty()) return;
    if (std::find(trusted_runner_api_keys.begin(), trusted_runner_api_keys.end(),
                  claim->runner_api_key) == trusted_runner_api_keys.end()) {
      spdlog::debug("runner_api_key not trusted: completion for {} not signed", claim->agent);
      return;
    }
    const auto input = signature_input(claim->agent, resolved_model, request_body, response);
    if (!input) return;
    if (std::optional<std::string> fingerprint = signer.sign(*input)) {
      response["system_fingerprint"] = std::move(*fingerprint);
    }
  } catch (const std::exception& error) {
    // §3.3: any failure leaves the response unsigned, never fails the request.
    spdlog::warn("completion signature failed: {}", error.what());
  }
}

}  // namespace nearhub::inference
