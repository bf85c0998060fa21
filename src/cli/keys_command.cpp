#include "cli/keys_command.h"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>

#include "auth/credentials.h"
#include "cli/command_error.h"

namespace nearhub::cli {
namespace {

namespace fs = std::filesystem;

struct KeysNewOptions {
  std::string account_id;
  std::string output;
};

// Where near-cli keeps mainnet keys, so that other NEAR tools find the new key too.
fs::path default_credentials_path(const std::string& account_id) {
  const char* home = std::getenv("HOME");
  if (home == nullptr || *home == '\0') {
    throw CommandError("HOME is not set: choose a file with --output");
  }
  return fs::path(home) / ".near-credentials" / "mainnet" / (account_id + ".json");
}

// A secret key file: never overwrites one, and only the owner may read it.
void write_secret_file(const fs::path& path, const std::string& text) {
  std::error_code error;
  if (path.has_parent_path()) {
    fs::create_directories(path.parent_path(), error);
    if (error)
      throw CommandError("cannot create " + path.parent_path().string() + ": " + error.message());
  }
  if (fs::exists(path))
    throw CommandError(path.string() + " already exists; not overwriting a key");
  {
    std::ofstream file(path, std::ios::out | std::ios::trunc);
    if (!file) throw CommandError("cannot write " + path.string());
    fs::permissions(path, fs::perms::owner_read | fs::perms::owner_write, error);
    file << text;
    if (!file.flush()) throw CommandError("cannot write " + path.string());
  }
  if (error)
    throw CommandError("cannot restrict access to " + path.string() + ": " + error.message());
}

void run_keys_new(const KeysNewOptions& options, std::ostream& out) {
  auto credentials = auth::generate_implicit_credentials();
  if (!options.account_id.empty()) credentials.account_id = options.account_id;
  const fs::path path = options.output.empty() ? default_credentials_path(credentials.account_id)
                                               : fs::path(options.output);
  write_secret_file(path, auth::credentials_json(credentials));
  out << "account_id: " << credentials.account_id << "\n"
      << "public_key: " << credentials.secret_key.public_key().to_string() << "\n"
      << "credentials: " << path.string() << "\n";
}

}  // namespace

void add_keys_command(CLI::App& app, std::ostream& out) {
  auto* keys = app.add_subcommand("keys", "Manage NEAR ed25519 keys");
  keys->require_subcommand(1);
  auto* create = keys->add_subcommand(
      "new",
      "Create a key pair and write a NEAR credentials file {account_id, public_key, private_key}.\n"
      "Without --account the account is the key's implicit account (its public key in hex), which "
      "the hub accepts offline.");
  auto options = std::make_shared<KeysNewOptions>();
  create->add_option("--account", options->account_id,
                     "Account the key is for (default: the implicit account of the new key)");
  create->add_option("--output", options->output,
                     "File to write (default: ~/.near-credentials/mainnet/<account>.json, where "
                     "near-cli looks); an existing file is never overwritten");
  create->callback([options, &out] { run_keys_new(*options, out); });
}

}  // namespace nearhub::cli
