#include "http/response.h"

namespace nearhub::http {

Response Response::make(int status, std::string content_type, std::string body) {
  Response response;
  response.status = status;
  response.headers.add("content-type", std::move(content_type));
  response.body = std::move(body);
  return response;
}

Response Response::json_text(int status, std::string body) {
  return make(status, "application/json", std::move(body));
}

Response Response::event_stream(std::function<void(std::shared_ptr<SseWriter>)> start) {
  Response response;
  response.headers.add("content-type", "text/event-stream; charset=utf-8");
  response.stream = std::move(start);
  return response;
}

void Respond::operator()(Response response) const { complete_(std::move(response)); }

void Respond::on_client_gone(std::function<void()> callback) const {
  if (watch_) watch_(std::move(callback));
}

Response Response::later(std::function<void(Respond)> start) {
  Response response;
  response.deferred = std::move(start);
  return response;
}

}  // namespace nearhub::http
