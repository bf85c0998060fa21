#include "auth/credentials.h"

#include <fstream>
#include <stdexcept>

#include <nlohmann/json.hpp>

namespace nearhub::auth {

NearCredentials generate_implicit_credentials() {
  auto key = SecretKey::generate();
  return {implicit_account_id(key.public_key()), key};
}

NearCredentials load_credentials(const std::string& path) {
  const auto fail = [&](const std::string& problem) {
    return std::runtime_error("credentials file " + path + ": " + problem);
  };
  std::ifstream file(path);
  if (!file) throw fail("cannot be read");
  nlohmann::json document;
  try {
    document = nlohmann::json::parse(file);
  } catch (const nlohmann::json::parse_error& error) {
    throw fail(error.what());
  }
  if (!document.is_object()) throw fail("not a JSON object");
  const auto text_field = [&](const char* name) -> std::string {
    const auto field = document.find(name);
    if (field == document.end() || !field->is_string()) throw fail(std::string("no ") + name);
    return field->get<std::string>();
  };
  // near-cli has written both spellings over the years.
  const std::string private_key =
      document.contains("private_key") ? text_field("private_key") : text_field("secret_key");
  auto key = SecretKey::parse(private_key);
  if (!key) throw fail("private_key is not \"ed25519:\" + base58 of 64 bytes");
  if (document.contains("public_key") &&
      text_field("public_key") != key->public_key().to_string()) {
    throw fail("public_key does not belong to private_key");
  }
  return {text_field("account_id"), *key};
}

std::string credentials_json(const NearCredentials& credentials) {
  const nlohmann::ordered_json document = {
      {"account_id", credentials.account_id},
      {"public_key", credentials.secret_key.public_key().to_string()},
      {"private_key", credentials.secret_key.to_string()}};
  return document.dump() + "\n";
}

}  // namespace nearhub::auth
