#pragma once
// Beast's HTTP/1.1 request parser writing straight into nearhub's Request, so that no Beast
// message or field list is built and copied per request.

#include <boost/beast/http/basic_parser.hpp>
#include <boost/beast/http/error.hpp>

#include "http/request.h"

namespace nearhub::http {

class RequestParser : public boost::beast::http::basic_parser<true> {
 public:
  using string_view = boost::beast::string_view;
  using error_code = boost::beast::error_code;

  explicit RequestParser(Request& request) : request_(request) {}

  int version() const { return version_; }
  // Body bytes go to `spool` instead of Request::body from now on.
  void spool_to(SpooledBody* spool) { spool_ = spool; }
  // A spool write failed (the parse stopped with an error).
  bool spool_failed() const { return spool_failed_; }

 private:
  void on_request_impl(boost::beast::http::verb, string_view method, string_view target,
                       int version, error_code&) override {
    request_.method.assign(method.data(), method.size());
    request_.target.assign(target.data(), target.size());
    version_ = version;
  }
  void on_response_impl(int, string_view, int, error_code&) override {}
  void on_field_impl(boost::beast::http::field, string_view name, string_view value,
                     error_code&) override {
    request_.headers.add(std::string(name), std::string(value));
  }
  void on_header_impl(error_code&) override {}
  void on_body_init_impl(const boost::optional<std::uint64_t>& content_length,
                         error_code&) override {
    // The length was checked against the body limit before the body is read.
    if (content_length && !spool_) request_.body.reserve(static_cast<std::size_t>(*content_length));
  }
  std::size_t on_body_impl(string_view body, error_code& ec) override { return take(body, ec); }
  void on_chunk_header_impl(std::uint64_t, string_view, error_code&) override {}
  std::size_t on_chunk_body_impl(std::uint64_t, string_view body, error_code& ec) override {
    return take(body, ec);
  }
  std::size_t take(string_view body, error_code& ec) {
    if (!spool_) {
      request_.body.append(body.data(), body.size());
    } else if (!spool_->append(std::string_view(body.data(), body.size()))) {
      spool_failed_ = true;
      ec = boost::beast::http::error::body_limit;  // any error stops the parse
      return 0;
    }
    return body.size();
  }
  void on_finish_impl(error_code&) override {}

  Request& request_;
  int version_ = 11;
  SpooledBody* spool_ = nullptr;
  bool spool_failed_ = false;
};

}  // namespace nearhub::http
