#pragma once
// What the server calls. The application (api::Dispatcher) implements it.

#include <cstddef>
#include <optional>

#include "http/request.h"
#include "http/response.h"

namespace nearhub::http {

class Handler {
 public:
  virtual ~Handler() = default;
  // Called on an I/O thread once the header is read, before the body: the largest body this
  // request may carry (413 above it). Must not block.
  virtual std::size_t body_limit(const Request& head) const = 0;
  // Called with body_limit: true to have the body written to a temporary file in
  // ServerOptions::spool_dir as it arrives (Request::spooled_body) instead of being held in
  // Request::body. The limit still applies (413, file removed). Must not block.
  virtual bool spool_body(const Request& /*head*/) const { return false; }
  // Called on a worker thread before a body that spool_body wants is read: an answer that
  // refuses the request at once (say, no valid token), so that nobody can make the server store
  // a large upload it will refuse anyway; nullopt to read the body and call handle(). The
  // connection closes after a refusal. May block.
  virtual std::optional<Response> admit(Request& /*head*/) { return std::nullopt; }
  // Called on a worker thread with the complete request. May block (database, upstream calls).
  virtual Response handle(Request& request) = 0;
};

}  // namespace nearhub::http
