#include "auth/token.h"

#include <algorithm>
#include <cctype>

#include <nlohmann/json.hpp>

#include "api/error.h"
#include "auth/validation_message.h"

namespace nearhub::auth {
namespace {

constexpr std::string_view kModel = "RawAuthToken";
constexpr std::size_t kNonceSize = 32;
constexpr std::int64_t kMaxNonceAgeMs = 10LL * 365 * 24 * 60 * 60 * 1000;  // 10 × 365 days

bool equals_ignoring_case(std::string_view a, std::string_view b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](char x, char y) {
    return std::tolower(static_cast<unsigned char>(x)) ==
           std::tolower(static_cast<unsigned char>(y));
  });
}

// The reason a nonce breaks §2.3, or nothing; `padded` receives the 32-byte form.
std::optional<std::string> nonce_violation(std::string_view nonce, std::int64_t now_ms,
                                           std::string& padded) {
  if (nonce.size() > kNonceSize) return "Invalid nonce length";
  padded.assign(kNonceSize - nonce.size(), '0');
  padded += nonce;
  // [REC] ASCII digits only: Python's int() would also take '_', spaces and Unicode digits.
  if (!std::all_of(padded.begin(), padded.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return "invalid literal for int() with base 10: " + python_repr(padded);
  }
  const auto significant = padded.find_first_not_of('0');
  const std::string_view digits =
      significant == std::string::npos ? "0" : std::string_view(padded).substr(significant);
  if (digits.size() > 18) return "Nonce is in the future";  // beyond any int64 millisecond time
  const std::int64_t nonce_ms = std::stoll(std::string(digits));
  if (nonce_ms > now_ms) return "Nonce is in the future";
  if (nonce_ms < now_ms - kMaxNonceAgeMs) return "Nonce is too old";
  return std::nullopt;
}

FieldError nonce_error(std::string_view nonce, std::string reason) {
  return {"nonce", "Value error, " + std::move(reason), "value_error", std::string(nonce)};
}

// Reads the token's fields in declaration order, collecting every error as pydantic does.
class TokenReader {
 public:
  TokenReader(const nlohmann::json& object, std::int64_t now_ms)
      : object_(object), now_ms_(now_ms) {}

  Token read() {
    Token token;
    required_string("account_id", token.account_id);
    required_string("public_key", token.public_key);
    required_string("signature", token.signature);
    required_string("message", token.message);
    std::string raw_nonce;
    if (required_string("nonce", raw_nonce)) {
      if (auto reason = nonce_violation(raw_nonce, now_ms_, token.nonce)) {
        errors_.push_back(nonce_error(raw_nonce, std::move(*reason)));
      }
    }
    optional_string("recipient", token.recipient);
    nullable_string("callback_url", token.callback_url);
    nullable_string("on_behalf_of", token.on_behalf_of);
    nullable_string("runner_data", token.runner_data);
    if (!errors_.empty()) throw api::Error::token(validation_message(kModel, errors_));
    return token;
  }

 private:
  const nlohmann::json* find(const char* field) const {
    const auto it = object_.find(field);
    return it == object_.end() ? nullptr : &*it;
  }

  bool string_value(const char* field, const nlohmann::json& value, std::string& out) {
    if (!value.is_string()) {
      errors_.push_back({field, "Input should be a valid string", "string_type", value});
      return false;
    }
    out = value.get<std::string>();
    return true;
  }

  bool required_string(const char* field, std::string& out) {
    const auto* value = find(field);
    if (value == nullptr) {
      errors_.push_back({field, "Field required", "missing", object_});
      return false;
    }
    return string_value(field, *value, out);
  }

  void optional_string(const char* field, std::string& out) {
    if (const auto* value = find(field)) string_value(field, *value, out);
  }

  void nullable_string(const char* field, std::optional<std::string>& out) {
    const auto* value = find(field);
    if (value == nullptr || value->is_null()) return;
    std::string text;
    if (string_value(field, *value, text)) out = std::move(text);
  }

  const nlohmann::json& object_;
  std::int64_t now_ms_;
  std::vector<FieldError> errors_;
};

// nlohmann's messages start with "[json.exception.parse_error.101] "; the reason is the rest.
std::string json_error_reason(const nlohmann::json::parse_error& error) {
  const std::string_view what = error.what();
  const auto bracket_end = what.find("] ");
  return std::string(bracket_end == std::string_view::npos ? what : what.substr(bracket_end + 2));
}

}  // namespace

// [QUIRK] The original deletes every "Bearer " before parsing, which tolerates
// "Bearer Bearer {...}" (and would corrupt a message containing that text).
std::string without_bearer_prefixes(std::string_view credentials) {
  constexpr std::string_view kBearer = "Bearer ";
  std::string text;
  text.reserve(credentials.size());
  for (std::size_t pos = 0; pos < credentials.size();) {
    const std::size_t found = credentials.find(kBearer, pos);
    text.append(credentials.substr(pos, found - pos));
    if (found == std::string_view::npos) break;
    pos = found + kBearer.size();
  }
  return text;
}

std::optional<std::string> find_credentials(const http::Request& request) {
  if (const auto header = request.headers.get("Authorization")) {
    const auto space = header->find(' ');
    if (space != std::string_view::npos && space > 0 &&
        equals_ignoring_case(header->substr(0, space), "bearer") && space + 1 < header->size()) {
      return std::string(header->substr(space + 1));
    }
  }
  auto cookie = request.cookie("auth");
  if (cookie && !cookie->empty()) return cookie;
  return std::nullopt;
}

std::string token_text(const http::Request& request) {
  const std::optional<std::string> credentials = find_credentials(request);
  return credentials ? without_bearer_prefixes(*credentials) : std::string();
}

Token parse_token(std::string_view credentials, std::int64_t now_ms) {
  const std::string text = without_bearer_prefixes(credentials);
  nlohmann::json object;
  try {
    object = nlohmann::json::parse(text);
  } catch (const nlohmann::json::parse_error& error) {
    throw api::Error::token(validation_message(
        kModel, {{"", "Invalid JSON: " + json_error_reason(error), "json_invalid", text}}));
  }
  if (!object.is_object()) {
    throw api::Error::token(
        validation_message(kModel, {{"", "Input should be an object", "model_type", object}}));
  }
  return TokenReader(object, now_ms).read();
}

std::string check_nonce(std::string_view nonce, std::int64_t now_ms) {
  std::string padded;
  if (auto reason = nonce_violation(nonce, now_ms, padded)) {
    throw api::Error::token(validation_message(kModel, {nonce_error(nonce, std::move(*reason))}));
  }
  return padded;
}

}  // namespace nearhub::auth
