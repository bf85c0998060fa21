#pragma once
// `nearhub token`: prints a signed bearer token for the hub's Authorization header.

#include <iostream>
#include <ostream>

#include <CLI/CLI.hpp>

namespace nearhub::cli {

void add_token_command(CLI::App& app, std::ostream& out = std::cout);

}  // namespace nearhub::cli
