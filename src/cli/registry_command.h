#pragma once
// `nearhub registry upload|download|list`: publish an agent (or model, dataset...) laid out as
// the nearai CLI lays it out — a directory with metadata.json and its files — fetch one, and
// browse the registry, over the hub's HTTP API (spec/platform.md §6).

#include <iostream>
#include <ostream>

#include <CLI/CLI.hpp>

#include "cli/hub_client.h"

namespace nearhub::cli {

void add_registry_command(CLI::App& app, std::ostream& out = std::cout,
                          EnvironmentLookup environment = process_environment());

}  // namespace nearhub::cli
