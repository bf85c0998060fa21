#pragma once
// The meeting point of a connection waiting for its response and whoever produces it: the
// handler on a worker thread, or later, for Response::later, an upstream call's callback. The
// first completion wins; the connection may also complete it itself (server stopping), after
// which the producer's answer is dropped instead of touching a connection that is gone.
// While a deferred answer is awaited the connection watches the socket, and tells the producer
// (Respond::on_client_gone) when the client leaves, so that it can stop its work.

#include <functional>
#include <memory>
#include <mutex>
#include <vector>

#include "http/response.h"

namespace nearhub::http {

class PendingResponse : public std::enable_shared_from_this<PendingResponse> {
 public:
  // Set once, before anything may complete it: what to do with the response (store it and
  // resume the connection), and what to do when the handler defers its answer (watch the
  // client; called on the worker thread).
  void arm(std::function<void(Response)> resume, std::function<void()> deferred = nullptr);
  // The first call hands `response` to the resume function; later calls do nothing.
  void complete(Response response);
  // The handler answered Response::later: a Respond that calls complete(), and completes with a
  // 500 when its last copy is destroyed uncalled (a producer that lost it must not leave the
  // client waiting). From now on abandon() may complete it.
  Respond defer();
  // The connection gives up (server stopping): completes with `response`, but only once the
  // handler has returned and the wait is for a deferred answer. A handler still running uses
  // the request, so its connection must wait for it.
  void abandon(Response response);
  // The client left before the answer: runs the producer's on_client_gone callbacks, once.
  void client_gone();

 private:
  void on_client_gone(std::function<void()> callback);

  std::mutex mutex_;
  bool done_ = false;
  bool deferred_ = false;
  bool gone_ = false;
  std::function<void(Response)> resume_;
  std::function<void()> on_deferred_;
  std::vector<std::function<void()>> gone_callbacks_;
};

}  // namespace nearhub::http
