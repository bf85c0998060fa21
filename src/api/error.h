#pragma once
// The one error type handlers and services throw, and the one function that turns it into the
// original hub's wire format (spec/platform.md §1.3):
//   HTTP error        → {"detail": "..."}
//   validation (422)  → {"status_code": 422, "message": "...", "data": null}
//   malformed token   → {"status_code": 400, "message": "...", "data": null}

#include <stdexcept>
#include <string>

#include "http/response.h"

namespace nearhub::api {

class Error : public std::runtime_error {
 public:
  enum class Kind { Http, Validation, Token };

  static Error http(int status, std::string detail) {
    return Error(Kind::Http, status, std::move(detail));
  }
  static Error validation(std::string message) {
    return Error(Kind::Validation, 422, std::move(message));
  }
  static Error token(std::string message) { return Error(Kind::Token, 400, std::move(message)); }

  Kind kind() const { return kind_; }
  int status() const { return status_; }
  const std::string& message() const { return message_; }

 private:
  Error(Kind kind, int status, std::string message)
      : std::runtime_error(message), kind_(kind), status_(status), message_(std::move(message)) {}
  Kind kind_;
  int status_;
  std::string message_;
};

http::Response error_response(const Error& error);
// The body the original sends for an unhandled exception.
http::Response internal_error_response();

}  // namespace nearhub::api
