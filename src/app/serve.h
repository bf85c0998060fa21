#pragma once

#include <CLI/CLI.hpp>

namespace nearhub::app {

// `nearhub serve`: every setting that has a flag becomes an option of the command.
void add_serve_command(CLI::App& app);

// `nearhub config-reference`: prints the configuration table of docs/configuration.md.
void add_config_reference_command(CLI::App& app);

}  // namespace nearhub::app
