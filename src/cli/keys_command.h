#pragma once
// `nearhub keys new`: creates an ed25519 key pair and writes a NEAR credentials file.

#include <iostream>
#include <ostream>

#include <CLI/CLI.hpp>

namespace nearhub::cli {

void add_keys_command(CLI::App& app, std::ostream& out = std::cout);

}  // namespace nearhub::cli
