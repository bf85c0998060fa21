// fake_openai_server: the test upstream as a process, for the JS client tests and benchmarks.
//   fake_openai_server --port N [--models a,b] [--api-key K] [--chunk-delay-ms D]
//                      [--answer-delay-ms D] [--io-threads N] [--worker-threads N]
// Prints "listening on http://127.0.0.1:PORT/v1" on stdout once it accepts connections, and
// runs until SIGTERM or SIGINT.

#include <csignal>
#include <iostream>
#include <sstream>
#include <string>

#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include "support/fake_openai/fake_openai_server.h"

namespace {

std::vector<std::string> split_commas(const std::string& text) {
  std::vector<std::string> items;
  std::stringstream stream(text);
  std::string item;
  while (std::getline(stream, item, ',')) {
    if (!item.empty()) items.push_back(item);
  }
  return items;
}

int usage(const std::string& why) {
  std::cerr << "fake_openai_server: " << why
            << "\nusage: fake_openai_server --port N [--models a,b] [--api-key K] "
               "[--chunk-delay-ms D] [--answer-delay-ms D] [--io-threads N] [--worker-threads N]\n";
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  using nearhub::testing::FakeOpenAiOptions;
  FakeOpenAiOptions options;
  long chunk_delay_ms = 0;
  try {
    for (int i = 1; i < argc; ++i) {
      const std::string flag = argv[i];
      if (flag == "--help" || flag == "-h") return usage("help");
      if (i + 1 >= argc) return usage("missing value after " + flag);
      const std::string value = argv[++i];
      if (flag == "--port") {
        options.port = static_cast<unsigned short>(std::stoul(value));
      } else if (flag == "--models") {
        options.models = split_commas(value);
      } else if (flag == "--api-key") {
        options.api_key = value;
      } else if (flag == "--chunk-delay-ms") {
        chunk_delay_ms = std::stol(value);
      } else if (flag == "--answer-delay-ms") {
        options.answer_delay = std::chrono::milliseconds(std::stol(value));
      } else if (flag == "--io-threads") {
        options.io_threads = static_cast<unsigned>(std::stoul(value));
      } else if (flag == "--worker-threads") {
        options.worker_threads = static_cast<unsigned>(std::stoul(value));
      } else {
        return usage("unknown option " + flag);
      }
    }
  } catch (const std::exception&) {
    return usage("bad number");
  }
  if (options.models.empty()) return usage("--models needs at least one model");

  // SIGTERM/SIGINT are collected by sigwait below, so they are blocked before threads start.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  // Logs go to stderr: stdout carries only the "listening on" line scripts wait for.
  spdlog::set_default_logger(spdlog::stderr_color_mt("fake_openai"));
  spdlog::set_level(spdlog::level::warn);

  try {
    nearhub::testing::FakeOpenAiServer server(options);
    server.set_stream_chunk_delay(std::chrono::milliseconds(chunk_delay_ms));
    std::cout << "listening on " << server.base_url() << std::endl;
    int signal_number = 0;
    sigwait(&signals, &signal_number);
    server.stop();
  } catch (const std::exception& error) {
    std::cerr << "fake_openai_server: " << error.what() << std::endl;
    return 1;
  }
  return 0;
}
