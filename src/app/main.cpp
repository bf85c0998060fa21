// nearhub: the server (`nearhub serve`) and its command-line client in one binary.

#include <CLI/CLI.hpp>

#include <iostream>

#include "app/serve.h"
#include "app/version.h"
#include "cli/command_error.h"
#include "cli/keys_command.h"
#include "cli/registry_command.h"
#include "cli/token_command.h"

int main(int argc, char** argv) {
  CLI::App app{"nearhub: a self-hostable NEAR AI Hub server, and its client"};
  app.set_version_flag("--version", std::string(nearhub::app::kVersion));
  app.require_subcommand(1);
  nearhub::app::add_serve_command(app);
  nearhub::cli::add_keys_command(app);
  nearhub::cli::add_token_command(app);
  nearhub::cli::add_registry_command(app);
  nearhub::app::add_config_reference_command(app);
  try {
    app.parse(argc, argv);
  } catch (const nearhub::cli::CommandError& error) {
    // A client command that could not do its job: CLI11's own handler only knows parse errors.
    std::cerr << "nearhub: " << error.what() << std::endl;
    return error.get_exit_code();
  } catch (const CLI::ParseError& error) {
    return app.exit(error);
  }
  return 0;
}
