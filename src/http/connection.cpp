#include "http/connection.h"

// GCC 12 inlines Asio's coroutine-frame operator new (recycling allocator) and then reports the
// matching operator delete as mismatched: a known false positive for coroutines (GCC PR 109224,
// fixed in GCC 13) that appears depending on how large serve_one() is.
#if defined(__GNUC__) && !defined(__clang__) && __GNUC__ < 13
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
#endif

#include <array>
#include <filesystem>
#include <limits>
#include <vector>

#include <spdlog/spdlog.h>
#include <boost/beast/http/error.hpp>

#include "http/pending_response.h"
#include "http/request_id.h"
#include "http/request_parser.h"
#include "http/response_head.h"
#include "http/server_context.h"
#include "http/spooled_body.h"
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
// A Response::body_source is read and sent in pieces of this size, one at a time.
constexpr std::size_t kSourceChunk = 64 * 1024;
// What a pipelining client may send ahead while a deferred answer is awaited; beyond it the
// connection stops reading (and watching for the client to leave) until the answer is sent.
constexpr std::size_t kWatchBufferLimit = 64 * 1024;

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

// Runs `work` on the worker pool and resumes the awaiting coroutine on its own executor, so that
// blocking work (a handler, a disk or S3 read) never runs on an I/O thread.
template <typename Work>
asio::awaitable<void> run_on(asio::thread_pool& pool, Work& work) {
  co_await asio::async_initiate<decltype(asio::use_awaitable), void()>(
      [&pool, &work](auto completion) {
        asio::post(pool, [&work, completion = std::move(completion)]() mutable {
          work();
          auto executor = asio::get_associated_executor(completion);
          asio::post(executor, std::move(completion));
        });
      },
      asio::use_awaitable);
}

// Hands a body source to the worker pool to be destroyed there: closing a file or an S3
// response may block.
class SourceRelease {
 public:
  SourceRelease(std::shared_ptr<util::ByteSource> source, asio::thread_pool& pool)
      : source_(std::move(source)), pool_(pool) {}
  ~SourceRelease() {
    if (source_) asio::post(pool_, [source = std::move(source_)]() mutable { source.reset(); });
  }
  SourceRelease(const SourceRelease&) = delete;
  SourceRelease& operator=(const SourceRelease&) = delete;
  util::ByteSource& operator*() const { return *source_; }

 private:
  std::shared_ptr<util::ByteSource> source_;
  asio::thread_pool& pool_;
};

// A new spool file for the body of `request`, or null (logged) when none can be created.
std::shared_ptr<SpooledBody> open_spool(const ServerOptions& options, const Request& request) {
  std::filesystem::path directory = options.spool_dir;
  if (directory.empty()) {
    std::error_code ec;
    directory = std::filesystem::temp_directory_path(ec);
    if (ec) directory = "/tmp";
  }
  try {
    return std::make_shared<SpooledBody>(directory);
  } catch (const std::exception& error) {
    spdlog::error("{} (request {})", error.what(), request.request_id);
    return nullptr;
  }
}

bool wants_close(const Response& response) {
  auto connection = response.headers.get("connection");
  return connection && equals_ignore_case(*connection, "close");
}

}  // namespace

Connection::Connection(ServerContext& context, tcp::socket socket)
    : context_(context),
      socket_(std::move(socket)),
      timer_(socket_.get_executor()),
      watch_finished_(socket_.get_executor()) {
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
    // A Response::later still awaited is given up: its producer's answer will be dropped.
    if (self->pending_) {
      self->pending_->abandon(
          Response::make(503, "text/plain; charset=utf-8", "Service Unavailable"));
    }
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
  std::shared_ptr<SpooledBody> spool;
  if (!parser.is_done()) {
    if (!preflight && context_.handler.spool_body(request)) {
      std::optional<Response> refusal;
      auto admit = [&] {
        try {
          refusal = context_.handler.admit(request);
        } catch (const std::exception& error) {
          spdlog::error("{} {} failed before its body: {} (request {})", request.method,
                        request.path, error.what(), request.request_id);
          refusal = Response::make(500, "text/plain; charset=utf-8", "Internal Server Error");
        }
      };
      phase_ = Phase::Handling;
      deadline_ = Clock::time_point::max();
      co_await run_on(context_.workers, admit);
      if (refusal) {
        if (auto origin = request.headers.get("origin")) {
          context_.cors.add_origin_headers(*origin, refusal->headers);
        }
        const bool written = co_await write_response(request, *refusal, false, false);
        log_access(request, refusal->status, refusal->body.size(), started);
        if (written) co_await drain_before_close();
        co_return false;
      }
      spool = open_spool(context_.options, request);
      if (!spool) {
        co_await reject(ReadOutcome::StorageFailed, request);
        co_return false;
      }
      parser.spool_to(spool.get());
    }
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
    if (outcome == ReadOutcome::Complete && spool && !spool->finish()) {
      outcome = ReadOutcome::StorageFailed;
    }
    if (outcome != ReadOutcome::Complete) {
      // A partial upload leaves nothing behind, whatever ended it (limit, timeout, disconnect).
      parser.spool_to(nullptr);
      spool.reset();
      co_await reject(outcome, request);
      co_return false;
    }
    request.spooled_body = std::move(spool);
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
  if (response.body_source) {
    std::uint64_t sent = 0;
    bool reusable = co_await send_source(request, response, keep_alive, http10, sent);
    log_access(request, response.status, static_cast<std::size_t>(sent), started);
    if (!reusable) co_return false;
    set_deadline(Clock::now() + context_.options.idle_timeout);
    co_return true;
  }
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
      if (ec && parser.spool_failed()) co_return ReadOutcome::StorageFailed;
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
  auto pending = std::make_shared<PendingResponse>();
  pending_ = pending;
  // Runs the handler on the worker pool; the I/O thread never blocks on a handler. The
  // coroutine resumes on the connection's executor when the response is complete: at once for
  // an ordinary handler, when its Respond is called for a Response::later.
  // The initiation captures references only: GCC 12 may destroy this temporary twice, which
  // a captured shared_ptr would not survive.
  co_await asio::async_initiate<decltype(asio::use_awaitable), void()>(
      [this, &request, &response, &pending](auto completion) {
        // Shared: std::function needs a copyable callable, the completion is move-only.
        auto resume = std::make_shared<decltype(completion)>(std::move(completion));
        // Weak: the PendingResponse must not keep its connection alive.
        std::weak_ptr<Connection> weak_self = shared_from_this();
        pending->arm(
            [&response, resume](Response answer) {
              response = std::move(answer);
              auto executor = asio::get_associated_executor(*resume);
              asio::post(executor, std::move(*resume));
            },
            [weak_self, weak_pending = std::weak_ptr<PendingResponse>(pending)] {
              auto self = weak_self.lock();
              if (!self) return;
              asio::post(self->socket_.get_executor(), [self, weak_pending] {
                auto still_pending = weak_pending.lock();
                // Already answered (the answer came first): nothing to watch.
                if (!still_pending || self->pending_ != still_pending) return;
                self->watching_client_ = true;
                asio::co_spawn(self->socket_.get_executor(),
                               self->watch_client(self, std::move(still_pending)), asio::detached);
              });
            });
        asio::post(context_.workers, [&handler = context_.handler, &request, pending = pending] {
          Response answer = call_handler(handler, request);
          if (!answer.deferred) {
            pending->complete(std::move(answer));
            return;
          }
          // Once deferred, the connection may give up and go, `request` with it.
          const std::string name =
              request.method + " " + request.path + " (request " + request.request_id + ")";
          auto start = std::move(answer.deferred);
          try {
            start(pending->defer());
          } catch (const std::exception& error) {
            spdlog::error("{} failed to start: {}", name, error.what());
            pending->complete(
                Response::make(500, "text/plain; charset=utf-8", "Internal Server Error"));
          }
        });
      },
      asio::use_awaitable);
  co_await stop_watching_client();
  pending_.reset();
  co_return response;
}

asio::awaitable<void> Connection::watch_client([[maybe_unused]] std::shared_ptr<Connection> self,
                                               std::shared_ptr<PendingResponse> pending) {
  while (!stop_watching_ && buffer_.size() < kWatchBufferLimit) {
    error_code ec;
    const std::size_t received =
        co_await socket_.async_read_some(buffer_.prepare(kReadChunk), redirect(ec));
    buffer_.commit(received);
    if (ec) {
      // The client closed or reset the connection, or the server closed it (force_close).
      if (!stop_watching_) pending->client_gone();
      break;
    }
  }
  watching_client_ = false;
  watch_finished_.cancel();
}

asio::awaitable<void> Connection::stop_watching_client() {
  if (watching_client_) {
    stop_watching_ = true;
    error_code ec;
    socket_.cancel(ec);  // the watcher's read is the only operation on the socket now
    watch_finished_.expires_at(Clock::time_point::max());
    co_await watch_finished_.async_wait(redirect(ec));
  }
  stop_watching_ = false;
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

// Reads one chunk, writes it, then reads the next: at most one chunk per download is in memory,
// and a client that reads slowly slows the reads down. Reads run on the worker pool.
asio::awaitable<bool> Connection::send_source(const Request& request, Response& response,
                                              bool keep_alive, bool http10, std::uint64_t& sent) {
  SourceRelease source(std::move(response.body_source), context_.workers);
  const std::optional<std::size_t> size = (*source).size();
  const bool has_body = status_has_body(response.status);
  HeadOptions options;
  options.request_id = request.request_id;
  options.http10 = http10;
  options.content_length = size.value_or(0);
  options.chunked = has_body && !size && !http10;
  options.close_delimited = has_body && !size && http10;
  options.keep_alive = keep_alive && !options.close_delimited;
  serialize_head(response, options, head_);

  phase_ = Phase::Writing;
  const auto write_time = std::max(context_.options.idle_timeout, context_.options.body_timeout);
  set_deadline(Clock::now() + write_time);
  error_code ec;
  co_await asio::async_write(socket_, asio::buffer(head_), redirect(ec));
  if (ec) co_return false;
  if (request.method == "HEAD" || !has_body) co_return options.keep_alive;

  std::vector<char> chunk(kSourceChunk);
  std::string chunk_header;
  std::uint64_t remaining = size ? *size : std::numeric_limits<std::uint64_t>::max();
  while (remaining > 0) {
    const std::size_t wanted =
        static_cast<std::size_t>(std::min<std::uint64_t>(remaining, kSourceChunk));
    std::size_t got = 0;
    std::string failure;
    auto read_chunk = [&] {
      try {
        got = (*source).read(chunk.data(), wanted);
        if (got > wanted) failure = "the body source returned more bytes than asked for";
      } catch (const std::exception& error) {
        failure = error.what();
      } catch (...) {
        failure = "unknown error";
      }
    };
    // No deadline while the source is read: a slow disk or S3 is not the client's fault.
    deadline_ = Clock::time_point::max();
    co_await run_on(context_.workers, read_chunk);
    // The client may have gone, or the server force-closed the connection, meanwhile.
    if (!socket_.is_open()) co_return false;
    if (!failure.empty() || (got == 0 && size)) {
      // Closing without the final chunk (or short of Content-Length) tells the client the body
      // is incomplete.
      spdlog::error("{} {}: reading the response body failed after {} bytes: {} (request {})",
                    request.method, request.path, sent,
                    failure.empty() ? "the source ended early" : failure, request.request_id);
      co_return false;
    }
    if (got == 0) break;
    set_deadline(Clock::now() + write_time);
    if (options.chunked) {
      chunk_header = fmt::format("{:x}\r\n", got);
      std::array<asio::const_buffer, 3> buffers{
          asio::buffer(chunk_header), asio::buffer(chunk.data(), got), asio::buffer("\r\n", 2)};
      co_await asio::async_write(socket_, buffers, redirect(ec));
    } else {
      co_await asio::async_write(socket_, asio::buffer(chunk.data(), got), redirect(ec));
    }
    if (ec) co_return false;  // the client went away or stopped reading for too long
    sent += got;
    remaining -= got;
  }
  if (options.chunked) {
    co_await asio::async_write(socket_, asio::buffer("0\r\n\r\n", 5), redirect(ec));
    if (ec) co_return false;
  }
  co_return options.keep_alive;
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
    case ReadOutcome::StorageFailed:
      status = 500;
      detail = "Could not store the request body";
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
