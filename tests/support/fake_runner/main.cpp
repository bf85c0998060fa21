// fake_agent_runner: the test runner as a process (see fake_agent_runner.h for what it does).
//   fake_agent_runner --port N   serve the HTTP runner protocol on 127.0.0.1:N (0 = any port);
//                                prints "listening on http://127.0.0.1:PORT" on stdout once it
//                                accepts connections, and runs until SIGTERM or SIGINT.
//   fake_agent_runner --stdin    play one run from the payload on stdin (the subprocess runner
//                                protocol); exits 0 when done, 1 when the run failed, 2 on bad
//                                input, with the reason on stderr.

#include <csignal>
#include <iostream>
#include <iterator>
#include <string>

#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include "support/fake_runner/fake_agent_runner.h"

namespace {

int usage(const std::string& why) {
  std::cerr << "fake_agent_runner: " << why
            << "\nusage: fake_agent_runner --port N | fake_agent_runner --stdin\n";
  return 2;
}

int run_from_stdin() {
  const std::string payload{std::istreambuf_iterator<char>(std::cin),
                            std::istreambuf_iterator<char>()};
  nearhub::testing::FakeAgentRunner runner;
  const auto outcome = runner.run(payload);
  if (outcome.kind != nearhub::testing::FakeRunOutcome::Kind::done) {
    std::cerr << "fake_agent_runner: " << outcome.message << std::endl;
  }
  return outcome.exit_code();
}

int serve(unsigned short port) {
  // SIGTERM/SIGINT are collected by sigwait below, so they are blocked before threads start.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  try {
    nearhub::testing::FakeAgentRunnerServer server(port);
    std::cout << "listening on " << server.url() << std::endl;
    int signal_number = 0;
    sigwait(&signals, &signal_number);
    server.stop();
  } catch (const std::exception& error) {
    std::cerr << "fake_agent_runner: " << error.what() << std::endl;
    return 1;
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  // Logs go to stderr: stdout carries only the "listening on" line scripts wait for.
  spdlog::set_default_logger(spdlog::stderr_color_mt("fake_agent_runner"));
  spdlog::set_level(spdlog::level::warn);

  const std::string mode = argc > 1 ? argv[1] : "";
  if (mode == "--stdin" && argc == 2) return run_from_stdin();
  if (mode == "--port" && argc == 3) {
    try {
      const unsigned long port = std::stoul(argv[2]);
      if (port > 65535) return usage("bad port");
      return serve(static_cast<unsigned short>(port));
    } catch (const std::exception&) {
      return usage("bad port");
    }
  }
  return usage(mode == "--help" || mode == "-h" ? "help" : "expected --port N or --stdin");
}
