#pragma once
// Binds the route table to the HTTP server: match → authenticate → validate → handler → errors
// in the original's wire format. Order follows spec/platform.md §1.6: authentication errors win
// over validation errors.

#include <cstddef>

#include "api/authenticator.h"
#include "api/route.h"
#include "http/handler.h"
#include "http/router.h"

namespace nearhub::api {

class Dispatcher : public http::Handler {
 public:
  Dispatcher(const RouteTable& table, Authenticator& authenticator, std::size_t default_body_limit);

  std::size_t body_limit(const http::Request& head) const override;
  // Bodies of stream_upload routes are spooled to disk.
  bool spool_body(const http::Request& head) const override;
  // Authenticates a spooled upload from its header (handle() authenticates again, from the
  // verified-token cache): its errors are answered before the body is stored.
  std::optional<http::Response> admit(http::Request& head) override;
  http::Response handle(http::Request& request) override;

 private:
  const RouteTable& table_;
  Authenticator& authenticator_;
  std::size_t default_body_limit_;
  http::Router router_;
};

}  // namespace nearhub::api
