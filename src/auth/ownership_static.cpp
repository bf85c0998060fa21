#include "auth/ownership_static.h"

#include <fstream>
#include <stdexcept>

#include <nlohmann/json.hpp>

#include "auth/keys.h"

namespace nearhub::auth {

StaticOwnership::StaticOwnership(std::map<std::string, std::set<std::string>> keys_by_account)
    : keys_by_account_(std::move(keys_by_account)) {}

StaticOwnership StaticOwnership::from_file(const std::string& path) {
  std::ifstream file(path);
  if (!file) throw std::runtime_error("static keys file " + path + ": cannot be read");
  const auto fail = [&](const std::string& problem) {
    return std::runtime_error("static keys file " + path + ": " + problem);
  };
  nlohmann::json document;
  try {
    document = nlohmann::json::parse(file);
  } catch (const nlohmann::json::parse_error& error) {
    throw fail(error.what());
  }
  if (!document.is_object()) throw fail("expected {\"account.near\": [\"ed25519:...\"]}");
  std::map<std::string, std::set<std::string>> keys_by_account;
  for (const auto& [account_id, keys] : document.items()) {
    if (!keys.is_array()) throw fail("the keys of " + account_id + " are not a list");
    auto& account_keys = keys_by_account[account_id];
    for (const auto& key : keys) {
      const auto parsed = key.is_string() ? PublicKey::parse(key.get<std::string>()) : std::nullopt;
      if (!parsed || !key.get<std::string>().starts_with("ed25519:")) {
        throw fail("malformed key for " + account_id + ": " + key.dump());
      }
      account_keys.insert(parsed->to_string());
    }
  }
  return StaticOwnership(std::move(keys_by_account));
}

Ownership StaticOwnership::check(const std::string& account_id,
                                 const std::string& public_key) const {
  const auto account = keys_by_account_.find(account_id);
  return account != keys_by_account_.end() && account->second.contains(public_key)
             ? Ownership::Owned
             : Ownership::NotOwned;
}

}  // namespace nearhub::auth
