#pragma once
// One client connection: reads requests with size and time limits, runs the handler on the
// worker pool (or waits for a Response::later without holding a thread), writes responses, keeps
// the connection alive between requests, and hands a streaming response over to a StreamWriter.

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include <boost/beast/core/flat_buffer.hpp>

#include "http/asio.h"
#include "http/request.h"
#include "http/response.h"

namespace nearhub::http {

class PendingResponse;
class RequestParser;
class StreamWriter;
struct ServerContext;

class Connection : public std::enable_shared_from_this<Connection> {
 public:
  Connection(ServerContext& context, tcp::socket socket);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  void start();
  // From any thread, when the server stops: an idle connection closes now, a busy one after
  // its response, a stream ends.
  void stop_gracefully();
  // From any thread, when the grace period is over.
  void force_close();

  // For the stream writer, on the connection's executor only.
  tcp::socket& socket() { return socket_; }
  void close_socket();

 private:
  using Clock = std::chrono::steady_clock;
  // Decides what a timeout means: silence while Idle just closes, a late header or body is 408.
  enum class Phase { Idle, Header, Body, Handling, Writing, Streaming, Closing };
  enum class ReadOutcome {
    Complete,
    Closed,
    TimedOut,
    BadRequest,
    HeaderTooLarge,
    BodyTooLarge,
    StorageFailed,  // the spool file could not be created or written
  };

  // `self` keeps the connection alive for as long as the coroutine runs.
  asio::awaitable<void> run(std::shared_ptr<Connection> self);
  asio::awaitable<void> watchdog(std::shared_ptr<Connection> self);
  // Serves one request; false when the connection must not be reused.
  asio::awaitable<bool> serve_one();
  asio::awaitable<ReadOutcome> read(RequestParser& parser, bool header_only);
  asio::awaitable<Response> run_handler(Request& request);
  // While a deferred answer is awaited: reads the socket (keeping what a pipelining client
  // sends) to learn when the client goes away, and tells `pending`.
  asio::awaitable<void> watch_client(std::shared_ptr<Connection> self,
                                     std::shared_ptr<PendingResponse> pending);
  // Ends watch_client before the connection reads or streams again.
  asio::awaitable<void> stop_watching_client();
  asio::awaitable<bool> write_response(const Request& request, const Response& response,
                                       bool keep_alive, bool http10);
  asio::awaitable<void> stream(Request& request, Response& response, bool http10);
  // Sends a Response::body_source; false when the connection must not be reused. `sent` counts
  // the body bytes written.
  asio::awaitable<bool> send_source(const Request& request, Response& response, bool keep_alive,
                                    bool http10, std::uint64_t& sent);
  // Answers an unreadable request with an error and closes the connection.
  asio::awaitable<void> reject(ReadOutcome outcome, Request& request);
  asio::awaitable<void> drain_before_close();

  void set_deadline(Clock::time_point deadline);
  void complete_request(Request& request) const;
  void log_access(const Request& request, int status, std::size_t bytes,
                  Clock::time_point started) const;

  ServerContext& context_;
  tcp::socket socket_;
  asio::steady_timer timer_;
  std::uint64_t registry_id_ = 0;
  std::string remote_address_;
  boost::beast::flat_buffer buffer_;
  std::string head_;  // the serialized response head, reused across requests

  Phase phase_ = Phase::Idle;
  Clock::time_point deadline_ = Clock::time_point::max();
  Clock::time_point armed_ = Clock::time_point::max();  // what the watchdog timer waits for
  bool timed_out_ = false;
  std::shared_ptr<StreamWriter> stream_writer_;
  std::shared_ptr<PendingResponse> pending_;  // while a response is awaited
  bool watching_client_ = false;              // watch_client runs
  bool stop_watching_ = false;                // stop_watching_client cancelled its read
  asio::steady_timer watch_finished_;         // cancelled when watch_client ends
};

}  // namespace nearhub::http
