#include "e2e/support/client.h"

#include "util/http_client.h"

namespace nearhub::e2e {

Reply Client::request(const std::string& method, const std::string& path, const std::string& body,
                      const HeaderList& headers) const {
  util::HttpRequest request;
  request.method = method;
  request.url = base_url_ + path;
  request.headers = headers;
  if (!body.empty()) request.headers.emplace_back("Content-Type", "application/json");
  request.body = body;
  util::HttpResponse response = util::send_http_request(request);
  return {response.status, std::move(response.body)};
}

Reply Client::get(const std::string& path, const HeaderList& headers) const {
  return request("GET", path, "", headers);
}

Reply Client::post(const std::string& path, const std::string& body,
                   const HeaderList& headers) const {
  return request("POST", path, body, headers);
}

HeaderList bearer(const std::string& token) { return {{"Authorization", "Bearer " + token}}; }

}  // namespace nearhub::e2e
