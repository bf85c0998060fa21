// nearhub: the server (`nearhub serve`) and its command-line client in one binary.

#include <CLI/CLI.hpp>

#include "app/serve.h"
#include "app/version.h"
#include "cli/keys_command.h"
#include "cli/token_command.h"

int main(int argc, char** argv) {
  CLI::App app{"nearhub: a self-hostable NEAR AI Hub server, and its client"};
  app.set_version_flag("--version", std::string(nearhub::app::kVersion));
  app.require_subcommand(1);
  nearhub::app::add_serve_command(app);
  nearhub::cli::add_keys_command(app);
  nearhub::cli::add_token_command(app);
  nearhub::app::add_config_reference_command(app);
  CLI11_PARSE(app, argc, argv);
  return 0;
}
