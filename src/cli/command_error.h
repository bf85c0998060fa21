#pragma once
// A command that cannot do its job: CLI11 prints the message and exits with status 1.

#include <string>

#include <CLI/CLI.hpp>

namespace nearhub::cli {

class CommandError : public CLI::Error {
 public:
  explicit CommandError(std::string message) : CLI::Error("CommandError", std::move(message), 1) {}
};

}  // namespace nearhub::cli
