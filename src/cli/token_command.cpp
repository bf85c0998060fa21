#include "cli/token_command.h"

#include <memory>
#include <stdexcept>

#include "auth/token_signer.h"
#include "cli/command_error.h"
#include "util/time.h"

namespace nearhub::cli {
namespace {

struct TokenOptions {
  std::string credentials_file;
  auth::TokenRequest request;
};

void run_token(const TokenOptions& options, std::ostream& out) {
  try {
    const auto credentials = auth::load_credentials(options.credentials_file);
    auth::TokenRequest request = options.request;
    if (request.nonce.empty()) request.nonce = std::to_string(util::now_unix_ms());
    out << auth::make_token(credentials, request) << "\n";
  } catch (const std::runtime_error& error) {
    throw CommandError(error.what());
  } catch (const std::invalid_argument& error) {
    throw CommandError(error.what());
  }
}

}  // namespace

void add_token_command(CLI::App& app, std::ostream& out) {
  auto* command = app.add_subcommand("token",
                                     "Print a NEP-413 signed bearer token (one line of JSON) for\n"
                                     "  Authorization: Bearer <token>");
  auto options = std::make_shared<TokenOptions>();
  command->add_option("--credentials", options->credentials_file, "NEAR credentials JSON file")
      ->required()
      ->check(CLI::ExistingFile);
  command->add_option("--message", options->request.message, "Message to sign")
      ->capture_default_str();
  command->add_option("--recipient", options->request.recipient, "NEP-413 recipient")
      ->capture_default_str();
  command->add_option("--callback-url", options->request.callback_url,
                      "NEP-413 callback URL (default: none, written as null)");
  command->add_option("--on-behalf-of", options->request.on_behalf_of,
                      "Act for this account (it must have delegated to yours)");
  command->add_option("--nonce", options->request.nonce,
                      "Nonce: a Unix time in milliseconds, at most 32 digits (default: now)");
  command->callback([options, &out] { run_token(*options, out); });
}

}  // namespace nearhub::cli
