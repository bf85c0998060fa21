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

Response Response::later(std::function<void(Respond)> start) {
  Response response;
  response.deferred = std::move(start);
  return response;
}

}  // namespace nearhub::http
