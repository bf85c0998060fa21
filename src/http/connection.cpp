#include "http/connection.h"

#include <array>
#include <limits>

#include <spdlog/spdlog.h>
#include <boost/beast/http/error.hpp>

#include "http/request_id.h"
#include "http/request_parser.h"
#include "http/response_head.h"
#include "http/server_context.h"
#include "http/stream_writer.h"
#include "util/url.h"

namespace nearhub::http {
namespace {

namespace beast_http = boost::beast::http;

constexpr std::size_t kReadChunk = 16 * 1024;
// A preflight is answered without the handler, so it gets a fixed small body allowance.
constexpr std::size_t kPreflightBodyLimit = 64 * 1024;
// After an error response, unread request bytes are drained for a moment so that closing the
// socket does not reset the connection before the client has read the response.
constexpr std::chrono::milliseconds kDrainTime{500};
constexpr std::size_t kDrainBytes = 1024 * 1024;

bool equals_ignore_case(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

// "http://host/path?q" (absolute form) → "/path?q".
std::string_view origin_form(std::string_view target) {
  if (target.starts_with("http://") || target.starts_with("https://")) {
    std::size_t path = target.find('/', target.find("//") + 2);
    return path == std::string_view::npos ? std::string_view("/") : target.substr(path);
  }
  return target;
}

std::string_view path_of(std::string_view target) {
  target = origin_form(target);
  return target.substr(0, target.find('?'));
}

Response call_handler(Handler& handler, Request& request) {
  try {
    return handler.handle(request);
  } catch (const std::exception& error) {
    spdlog::error("{} {} failed: {} (request {})", request.method, request.path, error.what(),
                  request.request_id);
  } catch (...) {
    spdlog::error("{} {} failed (request {})", request.method, request.path, request.request_id);
  }
  return Response::make(500, "text/plain; charset=utf-8", "Internal Server Error");
}

bool wants_close(const Response& response) {
  auto connection = response.headers.get("connection");
  return connection && equals_ignore_case(*connection, "close");
}

}  // namespace

Connection::Connection(ServerContext& context, tcp::socket socket)
    : context_(context), socket_(std::move(socket)), timer_(socket_.get_executor()) {
  error_code ec;
  auto endpoint = socket_.remote_endpoint(ec);
  if (!ec) remote_address_ = endpoint.address().to_string();
}

Connection::~Connection() {
  if (registry_id_ != 0) context_.connections.remove(registry_id_);
}

void Connection::start() {
  registry_id_ = context_.connections.add(shared_from_this());
  asio::co_spawn(socket_.get_executor(), run(shared_from_this()), asio::detached);
}

void Connection::stop_gracefully() {
  asio::post(socket_.get_executor(), [self = shared_from_this()] {
    if (self->stream_writer_) {
      self->stream_writer_->end();
    } else if (self->phase_ == Phase::Idle && self->buffer_.size() == 0) {
      error_code ec;
      self->socket_.cancel(ec);
    }
  });
}

void Connection::force_close() {
  asio::post(socket_.get_executor(), [self = shared_from_this()] {
    if (self->stream_writer_) self->stream_writer_->end();
    self->close_socket();
  });
}

void Connection::close_socket() {
  error_code ec;
  socket_.shutdown(tcp::socket::shutdown_both, ec);
  socket_.close(ec);
  timer_.cancel();
}

asio::awaitable<void> Connection::run(std::shared_ptr<Connection> self) {
  asio::co_spawn(socket_.get_executor(), watchdog(self), asio::detached);
  // The first request gets header_timeout from the accept: a connection that never speaks
  // should not hold a socket for the whole keep-alive time.
  set_deadline(Clock::now() + context_.options.header_timeout);
  try {
    while (co_await serve_one()) {
    }
  } catch (const std::exception& error) {
    spdlog::error("connection from {} failed: {}", remote_address_, error.what());
  }
  close_socket();
}

// One timer per connection whose deadline moves with the phase. Moving a deadline later costs
// nothing (the timer re-arms when it fires early); only moving it earlier cancels the wait.
asio::awaitable<void> Connection::watchdog([[maybe_unused]] std::shared_ptr<Connection> self) {
  while (socket_.is_open()) {
    armed_ = deadline_;
    timer_.expires_at(armed_);
    error_code ec;
    co_await timer_.async_wait(redirect(ec));
    if (!socket_.is_open()) break;
    if (deadline_ <= Clock::now()) {
      timed_out_ = true;
      deadline_ = Clock::time_point::max();
      socket_.cancel(ec);
    }
  }
}

void Connection::set_deadline(Clock::time_point deadline) {
  deadline_ = deadline;
  timed_out_ = false;
  if (deadline < armed_) timer_.cancel();
}

asio::awaitable<bool> Connection::serve_one() {
  phase_ = Phase::Idle;
  if (context_.stopping) co_return false;

  Request request;
  RequestParser parser(request);
  parser.header_limit(static_cast<std::uint32_t>(context_.options.max_header_bytes));
  // The real limit comes from the handler once the header is known. (Not boost::none: Beast
  // 1.74 compares the length against the optional, and any length is greater than none.)
  parser.body_limit(std::numeric_limits<std::uint64_t>::max());
  ReadOutcome outcome = co_await read(parser, true);
  if (outcome != ReadOutcome::Complete) {
    co_await reject(outcome, request);
    co_return false;
  }
  Clock::time_point started = Clock::now();
  complete_request(request);

  bool preflight = CorsPolicy::is_preflight(request);
  std::size_t limit = preflight ? kPreflightBodyLimit : context_.handler.body_limit(request);
  if (auto length = parser.content_length(); length && *length > limit) {
    co_await reject(ReadOutcome::BodyTooLarge, request);
    co_return false;
  }
  if (!parser.is_done()) {
    parser.body_limit(limit);
    parser.eager(true);
    auto expect = request.headers.get("expect");
    if (expect && equals_ignore_case(*expect, "100-continue") && parser.version() >= 11 &&
        buffer_.size() == 0) {
      static constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
      error_code ec;
      co_await asio::async_write(socket_, asio::buffer(kContinue.data(), kContinue.size()),
                                 redirect(ec));
      if (ec) co_return false;
    }
    outcome = co_await read(parser, false);
    if (outcome != ReadOutcome::Complete) {
      co_await reject(outcome, request);
      co_return false;
    }
  }

  bool http10 = parser.version() < 11;
  bool keep_alive = parser.keep_alive();
  phase_ = Phase::Handling;
  deadline_ = Clock::time_point::max();
  // (Not a conditional expression: GCC 12 destroys a co_await result in one twice.)
  Response response;
  if (preflight) {
    response = context_.cors.preflight(request);
  } else {
    response = co_await run_handler(request);
    if (auto origin = request.headers.get("origin")) {
      context_.cors.add_origin_headers(*origin, response.headers);
    }
  }

  if (response.stream) {
    co_await stream(request, response, http10);
    log_access(request, response.status, 0, started);
    co_return false;
  }
  keep_alive = keep_alive && !context_.stopping && !wants_close(response);
  bool written = co_await write_response(request, response, keep_alive, http10);
  bool head = request.method == "HEAD";
  log_access(request, response.status, head ? 0 : response.body.size(), started);
  if (!written || !keep_alive) co_return false;
  set_deadline(Clock::now() + context_.options.idle_timeout);
  co_return true;
}

asio::awaitable<Connection::ReadOutcome> Connection::read(RequestParser& parser, bool header_only) {
  for (;;) {
    if (buffer_.size() > 0) {
      error_code ec;
      std::size_t used = parser.put(buffer_.data(), ec);
      buffer_.consume(used);
      if (ec == beast_http::error::header_limit) co_return ReadOutcome::HeaderTooLarge;
      if (ec == beast_http::error::body_limit) co_return ReadOutcome::BodyTooLarge;
      if (ec && ec != beast_http::error::need_more) co_return ReadOutcome::BadRequest;
      if (header_only ? parser.is_header_done() : parser.is_done()) {
        co_return ReadOutcome::Complete;
      }
      if (!ec && used > 0 && buffer_.size() > 0) continue;
    }
    // About to wait for the client: start the clock of the phase we are in.
    if (header_only) {
      if (phase_ == Phase::Idle && buffer_.size() > 0) {
        phase_ = Phase::Header;
        set_deadline(Clock::now() + context_.options.header_timeout);
      }
    } else if (phase_ != Phase::Body) {
      phase_ = Phase::Body;
      set_deadline(Clock::now() + context_.options.body_timeout);
    }
    error_code ec;
    std::size_t received =
        co_await socket_.async_read_some(buffer_.prepare(kReadChunk), redirect(ec));
    buffer_.commit(received);
    if (ec) {
      if (timed_out_ && phase_ != Phase::Idle) co_return ReadOutcome::TimedOut;
      co_return ReadOutcome::Closed;
    }
  }
}

asio::awaitable<Response> Connection::run_handler(Request& request) {
  Response response;
  // Runs the handler on the worker pool, then resumes this coroutine on the connection's
  // executor: the I/O thread never blocks on a handler.
  co_await asio::async_initiate<decltype(asio::use_awaitable), void()>(
      [this, &request, &response](auto completion) {
        asio::post(context_.workers,
                   [this, &request, &response, completion = std::move(completion)]() mutable {
                     response = call_handler(context_.handler, request);
                     auto executor = asio::get_associated_executor(completion);
                     asio::post(executor, std::move(completion));
                   });
      },
      asio::use_awaitable);
  co_return response;
}

asio::awaitable<bool> Connection::write_response(const Request& request, const Response& response,
                                                 bool keep_alive, bool http10) {
  HeadOptions options;
  options.request_id = request.request_id;
  options.keep_alive = keep_alive;
  options.http10 = http10;
  options.content_length = response.body.size();
  serialize_head(response, options, head_);

  phase_ = Phase::Writing;
  set_deadline(Clock::now() +
               std::max(context_.options.idle_timeout, context_.options.body_timeout));
  bool send_body =
      request.method != "HEAD" && status_has_body(response.status) && !response.body.empty();
  error_code ec;
  if (send_body) {
    std::array<asio::const_buffer, 2> buffers{asio::buffer(head_), asio::buffer(response.body)};
    co_await asio::async_write(socket_, buffers, redirect(ec));
  } else {
    co_await asio::async_write(socket_, asio::buffer(head_), redirect(ec));
  }
  co_return !ec;
}

asio::awaitable<void> Connection::stream(Request& request, Response& response, bool http10) {
  HeadOptions options;
  options.request_id = request.request_id;
  options.keep_alive = false;
  options.http10 = http10;
  options.streaming = true;
  options.chunked = !http10;
  serialize_head(response, options, head_);
  phase_ = Phase::Writing;
  set_deadline(Clock::now() + context_.options.idle_timeout);
  error_code ec;
  co_await asio::async_write(socket_, asio::buffer(head_), redirect(ec));
  if (ec || request.method == "HEAD") co_return;

  phase_ = Phase::Streaming;
  deadline_ = Clock::time_point::max();
  auto writer =
      std::make_shared<StreamWriter>(shared_from_this(), options.chunked, context_.workers);
  stream_writer_ = writer;
  if (context_.stopping) {
    writer->end();
  } else {
    asio::post(context_.workers, [start = std::move(response.stream), writer] {
      try {
        start(writer);
      } catch (const std::exception& error) {
        spdlog::error("event stream failed to start: {}", error.what());
        writer->close();
      }
    });
  }
  // Clients send nothing on an event stream, so a finished read means the client went away
  // (or the writer closed the socket).
  std::array<char, 512> scratch;
  for (;;) {
    co_await socket_.async_read_some(asio::buffer(scratch), redirect(ec));
    if (ec) break;
  }
  writer->end();
  stream_writer_.reset();
}

asio::awaitable<void> Connection::reject(ReadOutcome outcome, Request& request) {
  int status;
  std::string_view detail;
  switch (outcome) {
    case ReadOutcome::Complete:
    case ReadOutcome::Closed:
      co_return;
    case ReadOutcome::TimedOut:
      status = 408;
      detail = "Request timeout";
      break;
    case ReadOutcome::HeaderTooLarge:
      status = 431;
      detail = "Request header fields too large";
      break;
    case ReadOutcome::BodyTooLarge:
      status = 413;
      detail = "Request body too large";
      break;
    case ReadOutcome::BadRequest:
      status = 400;
      detail = "Bad request";
      break;
  }
  if (request.request_id.empty()) complete_request(request);
  Response response = Response::json_text(status, fmt::format(R"({{"detail":"{}"}})", detail));
  bool written = co_await write_response(request, response, false, false);
  log_access(request, status, response.body.size(), Clock::now());
  if (written && outcome != ReadOutcome::TimedOut) co_await drain_before_close();
}

asio::awaitable<void> Connection::drain_before_close() {
  error_code ec;
  socket_.shutdown(tcp::socket::shutdown_send, ec);
  phase_ = Phase::Closing;
  set_deadline(Clock::now() + kDrainTime);
  std::size_t drained = 0;
  while (!ec && drained < kDrainBytes) {
    buffer_.consume(buffer_.size());
    drained += co_await socket_.async_read_some(buffer_.prepare(kReadChunk), redirect(ec));
  }
}

void Connection::complete_request(Request& request) const {
  std::string_view target = origin_form(request.target);
  std::size_t question = target.find('?');
  request.path = util::percent_decode(target.substr(0, question));
  if (question != std::string_view::npos) request.query_string = target.substr(question + 1);
  request.remote_address = remote_address_;
  request.request_id = choose_request_id(request.headers.get("x-request-id"));
}

void Connection::log_access(const Request& request, int status, std::size_t bytes,
                            Clock::time_point started) const {
  if (!context_.options.access_log) return;
  double ms = std::chrono::duration<double, std::milli>(Clock::now() - started).count();
  spdlog::info("{} {} {} {}B {:.1f}ms id={} remote={}",
               request.method.empty() ? "-" : request.method,
               request.target.empty() ? "-" : path_of(request.target), status, bytes, ms,
               request.request_id, remote_address_);
}

}  // namespace nearhub::http
