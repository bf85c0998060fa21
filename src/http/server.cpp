#include "http/server.h"

#include <condition_variable>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <thread>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "http/connection.h"
#include "http/server_context.h"

namespace nearhub::http {
namespace {

// How long stop() waits for force-closed connections to unwind after the grace period.
constexpr std::chrono::seconds kForceCloseWait{2};

}  // namespace

struct Server::Impl {
  Impl(ServerOptions options, Handler& handler)
      : context(std::move(options), handler),
        io(static_cast<int>(std::max(1u, context.options.io_threads))),
        acceptor(asio::make_strand(io)) {}

  asio::awaitable<void> accept_loop();
  asio::any_io_executor connection_executor();

  // Declared first so that it outlives the io_context: connections leave the registry as the
  // io_context destroys their coroutines.
  ServerContext context;
  asio::io_context io;
  std::optional<asio::executor_work_guard<asio::io_context::executor_type>> work;
  tcp::acceptor acceptor;
  std::vector<std::thread> threads;
  unsigned short port = 0;

  std::mutex state_mutex;
  std::condition_variable state_changed;
  bool started = false;
  bool stopping = false;
  bool stopped = false;
};

// With one I/O thread the io_context itself serializes everything; a strand per connection is
// only needed (and only paid for) with several.
asio::any_io_executor Server::Impl::connection_executor() {
  if (context.options.io_threads <= 1) return io.get_executor();
  return asio::make_strand(io);
}

asio::awaitable<void> Server::Impl::accept_loop() {
  asio::steady_timer backoff(acceptor.get_executor());
  for (;;) {
    tcp::socket socket(connection_executor());
    error_code ec;
    co_await acceptor.async_accept(socket, redirect(ec));
    if (!acceptor.is_open() || context.stopping) break;
    if (ec) {
      // Usually out of file descriptors: wait instead of spinning on the error.
      spdlog::warn("accept failed: {}", ec.message());
      backoff.expires_after(std::chrono::milliseconds(50));
      co_await backoff.async_wait(redirect(ec));
      continue;
    }
    socket.set_option(tcp::no_delay(true), ec);
    std::make_shared<Connection>(context, std::move(socket))->start();
  }
}

Server::Server(ServerOptions options, Handler& handler)
    : impl_(std::make_unique<Impl>(std::move(options), handler)) {}

Server::~Server() { stop(); }

void Server::start() {
  const ServerOptions& options = impl_->context.options;
  auto fail = [&](const std::string& why) {
    throw std::runtime_error(
        fmt::format("cannot listen on {}:{}: {}", options.host, options.port, why));
  };
  error_code ec;
  tcp::endpoint endpoint;
  auto address = asio::ip::make_address(options.host, ec);
  if (!ec) {
    endpoint = tcp::endpoint(address, options.port);
  } else {
    tcp::resolver resolver(impl_->io);
    auto results = resolver.resolve(options.host, std::to_string(options.port), ec);
    if (ec || results.empty()) fail(ec ? ec.message() : "host not found");
    endpoint = results.begin()->endpoint();
  }

  tcp::acceptor& acceptor = impl_->acceptor;
  acceptor.open(endpoint.protocol(), ec);
  if (ec) fail(ec.message());
  acceptor.set_option(tcp::acceptor::reuse_address(true), ec);
  acceptor.bind(endpoint, ec);
  if (ec) fail(ec.message());
  acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) fail(ec.message());
  impl_->port = acceptor.local_endpoint().port();

  impl_->work.emplace(impl_->io.get_executor());
  asio::co_spawn(acceptor.get_executor(), impl_->accept_loop(), asio::detached);
  for (unsigned i = 0; i < std::max(1u, options.io_threads); ++i) {
    impl_->threads.emplace_back([this] { impl_->io.run(); });
  }
  {
    std::lock_guard lock(impl_->state_mutex);
    impl_->started = true;
  }
  spdlog::info("listening on {}:{}", options.host, impl_->port);
}

unsigned short Server::port() const { return impl_->port; }

void Server::stop() {
  Impl& impl = *impl_;
  {
    std::unique_lock lock(impl.state_mutex);
    if (impl.stopping) {
      impl.state_changed.wait(lock, [&] { return impl.stopped; });
      return;
    }
    impl.stopping = true;
    if (!impl.started) {
      impl.stopped = true;
      impl.state_changed.notify_all();
      return;
    }
  }

  impl.context.stopping = true;
  asio::post(impl.acceptor.get_executor(), [&impl] {
    error_code ec;
    impl.acceptor.close(ec);
  });
  for (auto& connection : impl.context.connections.snapshot()) connection->stop_gracefully();
  auto grace_end = std::chrono::steady_clock::now() + impl.context.options.shutdown_grace;
  if (!impl.context.connections.wait_until_empty(grace_end)) {
    spdlog::warn("closing connections still busy after the shutdown grace period");
    for (auto& connection : impl.context.connections.snapshot()) connection->force_close();
    impl.context.connections.wait_until_empty(std::chrono::steady_clock::now() + kForceCloseWait);
  }
  // Handlers still running are waited for (a thread cannot be interrupted), as are the on_close
  // callbacks of the streams just ended. The I/O threads keep running meanwhile so that late
  // completions find their connections.
  impl.context.workers.join();
  impl.work.reset();
  impl.io.stop();
  for (auto& thread : impl.threads) thread.join();

  std::lock_guard lock(impl.state_mutex);
  impl.stopped = true;
  impl.state_changed.notify_all();
}

void Server::wait() {
  std::unique_lock lock(impl_->state_mutex);
  impl_->state_changed.wait(lock, [&] { return impl_->stopped; });
}

}  // namespace nearhub::http
