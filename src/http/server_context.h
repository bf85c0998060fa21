#pragma once
// What every connection of one server shares.

#include <atomic>

#include "http/asio.h"
#include "http/connection_registry.h"
#include "http/cors.h"
#include "http/handler.h"
#include "http/server.h"

namespace nearhub::http {

struct ServerContext {
  ServerContext(ServerOptions server_options, Handler& request_handler)
      : options(std::move(server_options)),
        handler(request_handler),
        cors(options.cors_credential_origins),
        workers(options.worker_threads == 0 ? 1 : options.worker_threads) {}

  const ServerOptions options;
  Handler& handler;
  const CorsPolicy cors;
  asio::thread_pool workers;  // Handler::handle and stream callbacks run here
  std::atomic<bool> stopping{false};
  ConnectionRegistry connections;
};

}  // namespace nearhub::http
