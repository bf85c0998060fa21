#include "support/fake_s3/fake_s3_server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sodium.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <chrono>
#include <cmath>
#include <ctime>
#include <mutex>
#include <set>
#include <stdexcept>
#include <thread>
#include <utility>

namespace nearhub::testing {

// ---------------------------------------------------------------------------------------------
namespace sigv4 {

std::string hex(const unsigned char* data, std::size_t size) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (std::size_t i = 0; i < size; ++i) {
    out.push_back(kHex[data[i] >> 4]);
    out.push_back(kHex[data[i] & 0xf]);
  }
  return out;
}

std::string sha256_hex(const std::string& data) {
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(digest, reinterpret_cast<const unsigned char*>(data.data()), data.size());
  return hex(digest, sizeof digest);
}

std::string hmac_sha256(const std::string& key, const std::string& data) {
  crypto_auth_hmacsha256_state state;
  crypto_auth_hmacsha256_init(&state, reinterpret_cast<const unsigned char*>(key.data()),
                              key.size());
  crypto_auth_hmacsha256_update(&state, reinterpret_cast<const unsigned char*>(data.data()),
                                data.size());
  unsigned char mac[crypto_auth_hmacsha256_BYTES];
  crypto_auth_hmacsha256_final(&state, mac);
  return std::string(reinterpret_cast<const char*>(mac), sizeof mac);
}

std::string uri_encode(const std::string& text, bool keep_slash) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (std::isalnum(byte) || c == '-' || c == '.' || c == '_' || c == '~' ||
        (keep_slash && c == '/')) {
      out.push_back(c);
    } else {
      out.push_back('%');
      out.push_back(kHex[byte >> 4]);
      out.push_back(kHex[byte & 0xf]);
    }
  }
  return out;
}

std::string uri_decode(const std::string& text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size() && std::isxdigit(text[i + 1]) &&
        std::isxdigit(text[i + 2])) {
      out.push_back(static_cast<char>(std::stoi(text.substr(i + 1, 2), nullptr, 16)));
      i += 2;
    } else {
      out.push_back(text[i]);
    }
  }
  return out;
}

std::string signature(const std::string& secret, const std::string& date, const std::string& region,
                      const std::string& service, const std::string& string_to_sign) {
  const std::string date_key = hmac_sha256("AWS4" + secret, date);
  const std::string region_key = hmac_sha256(date_key, region);
  const std::string service_key = hmac_sha256(region_key, service);
  const std::string signing_key = hmac_sha256(service_key, "aws4_request");
  const std::string mac = hmac_sha256(signing_key, string_to_sign);
  return hex(reinterpret_cast<const unsigned char*>(mac.data()), mac.size());
}

}  // namespace sigv4

// ---------------------------------------------------------------------------------------------
namespace {

struct Object {
  std::string data;
  std::string etag;
};

struct Request {
  std::string method, target, path, query;
  std::vector<std::pair<std::string, std::string>> header_lines;  // lowercase name, raw value
  std::map<std::string, std::string> headers;                     // lowercase name → value
  std::string body;

  std::string header(const std::string& name) const {
    const auto it = headers.find(name);
    return it == headers.end() ? std::string() : it->second;
  }
  bool has(const std::string& name) const { return headers.contains(name); }
};

struct Response {
  int status = 200;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  std::string error_code;
  std::size_t content_length = 0;  // for HEAD, which sends none of it
  bool head = false;
};

std::string xml_escape(const std::string& text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&apos;";
        break;
      default:
        out.push_back(c);
    }
  }
  return out;
}

Response error(int status, const std::string& code, const std::string& message) {
  Response response;
  response.status = status;
  response.error_code = code;
  response.headers.emplace_back("Content-Type", "application/xml");
  response.body = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>" + code +
                  "</Code><Message>" + xml_escape(message) +
                  "</Message><RequestId>fake</RequestId></Error>";
  return response;
}

const char* reason(int status) {
  switch (status) {
    case 100:
      return "Continue";
    case 200:
      return "OK";
    case 204:
      return "No Content";
    case 206:
      return "Partial Content";
    case 400:
      return "Bad Request";
    case 403:
      return "Forbidden";
    case 404:
      return "Not Found";
    case 405:
      return "Method Not Allowed";
    case 411:
      return "Length Required";
    case 412:
      return "Precondition Failed";
    case 416:
      return "Requested Range Not Satisfiable";
    default:
      return "Unknown";
  }
}

std::string trim_collapse(const std::string& value) {
  // SigV4 canonical header value: trimmed, inner runs of spaces collapsed to one.
  std::string out;
  bool space = false;
  for (char c : value) {
    if (c == ' ' || c == '\t') {
      space = !out.empty();
      continue;
    }
    if (space) out.push_back(' ');
    space = false;
    out.push_back(c);
  }
  return out;
}

std::vector<std::string> split(const std::string& text, char separator) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  while (true) {
    const std::size_t at = text.find(separator, start);
    parts.push_back(text.substr(start, at == std::string::npos ? std::string::npos : at - start));
    if (at == std::string::npos) return parts;
    start = at + 1;
  }
}

std::string canonical_uri(const std::string& path) {
  std::vector<std::string> segments = split(path, '/');
  std::string out;
  for (std::size_t i = 0; i < segments.size(); ++i) {
    if (i > 0) out.push_back('/');
    out += sigv4::uri_encode(sigv4::uri_decode(segments[i]), false);
  }
  return out;
}

std::vector<std::pair<std::string, std::string>> query_pairs(const std::string& query) {
  std::vector<std::pair<std::string, std::string>> pairs;
  if (query.empty()) return pairs;
  for (const std::string& part : split(query, '&')) {
    if (part.empty()) continue;
    const std::size_t eq = part.find('=');
    pairs.emplace_back(sigv4::uri_decode(part.substr(0, eq)),
                       eq == std::string::npos ? "" : sigv4::uri_decode(part.substr(eq + 1)));
  }
  return pairs;
}

std::string canonical_query(const std::string& query) {
  std::vector<std::pair<std::string, std::string>> encoded;
  for (const auto& [name, value] : query_pairs(query)) {
    encoded.emplace_back(sigv4::uri_encode(name, false), sigv4::uri_encode(value, false));
  }
  std::sort(encoded.begin(), encoded.end());
  std::string out;
  for (const auto& [name, value] : encoded) {
    if (!out.empty()) out.push_back('&');
    out += name + "=" + value;
  }
  return out;
}

std::optional<std::time_t> parse_timestamp(const std::string& text) {
  std::tm tm{};
  const char* end = strptime(text.c_str(), "%Y%m%dT%H%M%SZ", &tm);
  if (end == nullptr || *end != '\0') return std::nullopt;
  return timegm(&tm);
}

}  // namespace

// ---------------------------------------------------------------------------------------------
struct FakeS3Server::State {
  FakeS3Options options;
  int listener = -1;
  int port = 0;
  std::atomic<bool> stopping{false};
  std::thread acceptor;

  mutable std::mutex mutex;  // guards everything below
  std::map<std::string, Object> objects;
  std::vector<Received> received;
  std::vector<std::thread> connections;
  std::set<int> open_sockets;
  std::uint64_t etag_counter = 0;

  void accept_loop() {
    while (!stopping) {
      const int client = ::accept(listener, nullptr, nullptr);
      if (client < 0) return;
      const std::lock_guard lock(mutex);
      if (stopping) {
        ::close(client);
        return;
      }
      open_sockets.insert(client);
      connections.emplace_back([this, client] { serve(client); });
    }
  }

  void serve(int client) {
    std::string buffer;
    try {
      while (!stopping && serve_one(client, buffer)) {
      }
    } catch (const std::exception&) {
      // A malformed request (bad number in a header...): drop the connection, as a server would.
    }
    const std::lock_guard lock(mutex);
    open_sockets.erase(client);
    ::close(client);
  }

  static bool send_all(int client, const std::string& text) {
    for (std::size_t sent = 0; sent < text.size();) {
      const ssize_t n = ::send(client, text.data() + sent, text.size() - sent, MSG_NOSIGNAL);
      if (n <= 0) return false;
      sent += static_cast<std::size_t>(n);
    }
    return true;
  }

  static bool receive_more(int client, std::string& buffer) {
    char chunk[65536];
    const ssize_t n = ::recv(client, chunk, sizeof chunk, 0);
    if (n <= 0) return false;
    buffer.append(chunk, static_cast<std::size_t>(n));
    return true;
  }

  // One request/response on a keep-alive connection; false when the connection should close.
  bool serve_one(int client, std::string& buffer) {
    std::size_t header_end;
    while ((header_end = buffer.find("\r\n\r\n")) == std::string::npos) {
      if (!receive_more(client, buffer)) return false;
    }
    Request request;
    const std::vector<std::string> lines = split(buffer.substr(0, header_end), '\n');
    buffer.erase(0, header_end + 4);
    {
      std::string first = lines[0];
      if (!first.empty() && first.back() == '\r') first.pop_back();
      const std::vector<std::string> parts = split(first, ' ');
      if (parts.size() != 3) return false;
      request.method = parts[0];
      request.target = parts[1];
      const std::size_t question = request.target.find('?');
      request.path = request.target.substr(0, question);
      request.query = question == std::string::npos ? "" : request.target.substr(question + 1);
    }
    for (std::size_t i = 1; i < lines.size(); ++i) {
      std::string line = lines[i];
      if (!line.empty() && line.back() == '\r') line.pop_back();
      const std::size_t colon = line.find(':');
      if (colon == std::string::npos) continue;
      std::string name = line.substr(0, colon);
      std::transform(name.begin(), name.end(), name.begin(),
                     [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
      std::string value = line.substr(colon + 1);
      request.header_lines.emplace_back(name, value);
      request.headers[name] = trim_collapse(value);
    }

    Response response;
    bool keep_alive = request.header("connection") != "close";
    if (request.has("transfer-encoding")) {
      response =
          error(411, "MissingContentLength", "You must provide the Content-Length HTTP header.");
      keep_alive = false;
    } else if (auto refusal = authenticate(request)) {
      response = std::move(*refusal);
      // The body (if any) was not read: the connection cannot carry another request.
      keep_alive = keep_alive && !request.has("content-length");
    } else {
      const std::size_t length =
          request.has("content-length") ? std::stoul(request.header("content-length")) : 0;
      if (length > 0 && request.header("expect") == "100-continue" &&
          !send_all(client, "HTTP/1.1 100 Continue\r\n\r\n")) {
        return false;
      }
      while (buffer.size() < length) {
        if (!receive_more(client, buffer)) return false;  // the client gave up mid-body
      }
      request.body = buffer.substr(0, length);
      buffer.erase(0, length);
      response = check_payload(request).value_or(Response{});
      if (response.error_code.empty()) response = handle(request);
    }
    record(request, response);

    std::string head =
        "HTTP/1.1 " + std::to_string(response.status) + " " + reason(response.status) + "\r\n";
    for (const auto& [name, value] : response.headers) head += name + ": " + value + "\r\n";
    head += "Content-Length: " +
            std::to_string(response.head ? response.content_length : response.body.size()) + "\r\n";
    if (!keep_alive) head += "Connection: close\r\n";
    head += "\r\n";
    if (!send_all(client, head) || (!response.head && !send_all(client, response.body))) {
      return false;
    }
    return keep_alive;
  }

  void record(const Request& request, const Response& response) {
    const std::lock_guard lock(mutex);
    received.push_back(
        {request.method, request.target, response.status, response.error_code, request.headers});
  }

  // SigV4 on the header block (the payload hash is checked once the body is in).
  std::optional<Response> authenticate(const Request& request) const {
    const std::string authorization = request.header("authorization");
    const std::string algorithm = "AWS4-HMAC-SHA256 ";
    if (!authorization.starts_with(algorithm)) {
      return error(403, "AccessDenied", "Access Denied");
    }
    std::map<std::string, std::string> fields;
    for (std::string part : split(authorization.substr(algorithm.size()), ',')) {
      part = trim_collapse(part);
      const std::size_t eq = part.find('=');
      if (eq != std::string::npos) fields[part.substr(0, eq)] = part.substr(eq + 1);
    }
    const std::vector<std::string> scope = split(fields["Credential"], '/');
    if (scope.size() != 5 || scope[3] != "s3" || scope[4] != "aws4_request" ||
        !fields.contains("SignedHeaders") || !fields.contains("Signature")) {
      return error(400, "AuthorizationHeaderMalformed", "The authorization header is malformed.");
    }
    if (scope[0] != options.access_key) {
      return error(403, "InvalidAccessKeyId",
                   "The AWS Access Key Id you provided does not exist in our records.");
    }
    if (request.header("x-amz-security-token") != options.session_token) {
      return error(403, "InvalidToken", "The provided token is malformed or otherwise invalid.");
    }
    if (scope[2] != options.region) {
      return error(400, "AuthorizationHeaderMalformed",
                   "The authorization header is malformed; the region '" + scope[2] +
                       "' is wrong; expecting '" + options.region + "'");
    }
    const std::string timestamp = request.header("x-amz-date");
    const auto when = parse_timestamp(timestamp);
    if (!when || timestamp.substr(0, 8) != scope[1]) {
      return error(403, "AccessDenied",
                   "AWS authentication requires a valid Date or x-amz-date header");
    }
    if (std::abs(std::difftime(std::time(nullptr), *when)) > 15 * 60) {
      return error(403, "RequestTimeTooSkewed",
                   "The difference between the request time and the current time is too large.");
    }
    const std::string payload_hash = request.header("x-amz-content-sha256");
    if (payload_hash.empty()) {
      return error(400, "InvalidRequest",
                   "Missing required header for this request: x-amz-content-sha256");
    }
    const std::vector<std::string> signed_headers = split(fields["SignedHeaders"], ';');
    if (!std::is_sorted(signed_headers.begin(), signed_headers.end())) {
      return error(403, "SignatureDoesNotMatch", "SignedHeaders are not sorted.");
    }
    const std::set<std::string> signed_set(signed_headers.begin(), signed_headers.end());
    if (!signed_set.contains("host")) {
      return error(403, "AccessDenied", "The host header must be signed.");
    }
    for (const auto& [name, value] : request.headers) {
      if (name.starts_with("x-amz-") && !signed_set.contains(name)) {
        return error(403, "AccessDenied",
                     "There were headers present in the request which were not signed: " + name);
      }
    }
    std::string canonical_headers;
    for (const std::string& name : signed_headers) {
      std::string value;
      bool first = true;
      for (const auto& [line_name, line_value] : request.header_lines) {
        if (line_name != name) continue;
        if (!first) value += ",";
        value += trim_collapse(line_value);
        first = false;
      }
      canonical_headers += name + ":" + value + "\n";
    }
    const std::string canonical_request = request.method + "\n" + canonical_uri(request.path) +
                                          "\n" + canonical_query(request.query) + "\n" +
                                          canonical_headers + "\n" + fields["SignedHeaders"] +
                                          "\n" + payload_hash;
    const std::string credential_scope = scope[1] + "/" + scope[2] + "/s3/aws4_request";
    const std::string string_to_sign = "AWS4-HMAC-SHA256\n" + timestamp + "\n" + credential_scope +
                                       "\n" + sigv4::sha256_hex(canonical_request);
    const std::string expected =
        sigv4::signature(options.secret_key, scope[1], scope[2], "s3", string_to_sign);
    const std::string& given = fields["Signature"];
    if (given.size() != expected.size() ||
        sodium_memcmp(given.data(), expected.data(), expected.size()) != 0) {
      return error(403, "SignatureDoesNotMatch",
                   "The request signature we calculated does not match the signature you "
                   "provided. Check your key and signing method.");
    }
    return std::nullopt;
  }

  static std::optional<Response> check_payload(const Request& request) {
    const std::string declared = request.header("x-amz-content-sha256");
    if (declared == "UNSIGNED-PAYLOAD") return std::nullopt;
    if (declared != sigv4::sha256_hex(request.body)) {
      return error(400, "XAmzContentSHA256Mismatch",
                   "The provided 'x-amz-content-sha256' header does not match what was computed.");
    }
    return std::nullopt;
  }

  Response handle(const Request& request) {
    const std::string bucket_prefix = "/" + options.bucket;
    const std::string path = sigv4::uri_decode(request.path);
    if (path == bucket_prefix || path == bucket_prefix + "/") {
      if (request.method == "GET") return list(request);
      return error(405, "MethodNotAllowed", "The specified method is not allowed.");
    }
    if (!path.starts_with(bucket_prefix + "/")) {
      return error(404, "NoSuchBucket", "The specified bucket does not exist");
    }
    const std::string key = path.substr(bucket_prefix.size() + 1);
    if (request.method == "PUT") return put(request, key);
    if (request.method == "GET" || request.method == "HEAD") return get(request, key);
    if (request.method == "DELETE") {
      const std::lock_guard lock(mutex);
      objects.erase(key);
      Response response;
      response.status = 204;
      return response;
    }
    return error(405, "MethodNotAllowed", "The specified method is not allowed.");
  }

  Response put(const Request& request, const std::string& key) {
    const std::lock_guard lock(mutex);
    if (request.has("x-amz-copy-source")) {
      std::string source = sigv4::uri_decode(request.header("x-amz-copy-source"));
      if (source.starts_with("/")) source.erase(0, 1);
      if (!source.starts_with(options.bucket + "/")) {
        return error(404, "NoSuchBucket", "The specified bucket does not exist");
      }
      const auto it = objects.find(source.substr(options.bucket.size() + 1));
      if (it == objects.end()) return error(404, "NoSuchKey", "The specified key does not exist.");
      if (request.header("if-none-match") == "*" && objects.contains(key)) {
        return error(412, "PreconditionFailed",
                     "At least one of the pre-conditions you specified did not hold");
      }
      Object copy{it->second.data, next_etag()};
      objects[key] = copy;
      Response response;
      response.headers.emplace_back("Content-Type", "application/xml");
      response.body = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<CopyObjectResult><ETag>" +
                      xml_escape(copy.etag) + "</ETag></CopyObjectResult>";
      return response;
    }
    if (request.header("if-none-match") == "*" && objects.contains(key)) {
      return error(412, "PreconditionFailed",
                   "At least one of the pre-conditions you specified did not hold");
    }
    Object object{request.body, next_etag()};
    objects[key] = object;
    Response response;
    response.headers.emplace_back("ETag", object.etag);
    return response;
  }

  Response get(const Request& request, const std::string& key) {
    Object object;
    {
      const std::lock_guard lock(mutex);
      const auto it = objects.find(key);
      if (it == objects.end()) {
        Response missing = error(404, "NoSuchKey", "The specified key does not exist.");
        if (request.method == "HEAD") missing.body.clear();
        return missing;
      }
      object = it->second;
    }
    if (request.has("if-match") && request.header("if-match") != object.etag) {
      return error(412, "PreconditionFailed",
                   "At least one of the pre-conditions you specified did not hold");
    }
    Response response;
    response.headers.emplace_back("ETag", object.etag);
    response.headers.emplace_back("Accept-Ranges", "bytes");
    if (request.method == "HEAD") {
      response.head = true;
      response.content_length = object.data.size();
      return response;
    }
    const std::string range = request.header("range");
    if (range.starts_with("bytes=")) {
      const std::size_t dash = range.find('-');
      const std::size_t first = std::stoul(range.substr(6, dash - 6));
      std::size_t last =
          dash + 1 < range.size() ? std::stoul(range.substr(dash + 1)) : object.data.size() - 1;
      if (first >= object.data.size()) {
        return error(416, "InvalidRange", "The requested range is not satisfiable");
      }
      last = std::min(last, object.data.size() - 1);
      response.status = 206;
      response.headers.emplace_back("Content-Range", "bytes " + std::to_string(first) + "-" +
                                                         std::to_string(last) + "/" +
                                                         std::to_string(object.data.size()));
      response.body = object.data.substr(first, last - first + 1);
      return response;
    }
    response.body = std::move(object.data);
    return response;
  }

  Response list(const Request& request) {
    std::map<std::string, std::string> params;
    for (auto& [name, value] : query_pairs(request.query)) params[name] = value;
    if (params["list-type"] != "2") {
      return error(400, "InvalidArgument", "Only ListObjectsV2 is supported by this fake");
    }
    const std::string prefix = params["prefix"];
    std::size_t max_keys = params.contains("max-keys") ? std::stoul(params["max-keys"]) : 1000;
    max_keys = std::min(max_keys, options.page_size);
    // The continuation token is opaque to clients: here, the hex of the last key returned.
    std::string after;
    if (params.contains("continuation-token")) {
      const std::string& token = params["continuation-token"];
      if (token.size() % 2 != 0 || !token.starts_with("t")) {
        return error(400, "InvalidArgument", "The continuation token provided is incorrect");
      }
      for (std::size_t i = 1; i + 1 < token.size(); i += 2) {
        after.push_back(static_cast<char>(std::stoi(token.substr(i, 2), nullptr, 16)));
      }
    }
    std::string contents;
    std::size_t count = 0;
    bool truncated = false;
    std::string last;
    {
      const std::lock_guard lock(mutex);
      for (auto it = after.empty() ? objects.lower_bound(prefix) : objects.upper_bound(after);
           it != objects.end() && it->first.starts_with(prefix); ++it) {
        if (count == max_keys) {
          truncated = true;
          break;
        }
        contents += "<Contents><Key>" + xml_escape(it->first) +
                    "</Key><LastModified>2026-01-01T00:00:00.000Z</LastModified><ETag>" +
                    xml_escape(it->second.etag) + "</ETag><Size>" +
                    std::to_string(it->second.data.size()) +
                    "</Size><StorageClass>STANDARD</StorageClass></Contents>";
        last = it->first;
        ++count;
      }
    }
    std::string body =
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        "<ListBucketResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><Name>" +
        xml_escape(options.bucket) + "</Name><Prefix>" + xml_escape(prefix) +
        "</Prefix><KeyCount>" + std::to_string(count) + "</KeyCount><MaxKeys>" +
        std::to_string(max_keys) + "</MaxKeys><IsTruncated>" + (truncated ? "true" : "false") +
        "</IsTruncated>" + contents;
    if (truncated) {
      std::string token = "t";
      static constexpr char kHex[] = "0123456789abcdef";
      for (char c : last) {
        token.push_back(kHex[static_cast<unsigned char>(c) >> 4]);
        token.push_back(kHex[static_cast<unsigned char>(c) & 0xf]);
      }
      token.push_back('=');  // makes the token need encoding in the next request, as S3's do
      body += "<NextContinuationToken>" + token + "</NextContinuationToken>";
    }
    body += "</ListBucketResult>";
    Response response;
    response.headers.emplace_back("Content-Type", "application/xml");
    response.body = std::move(body);
    return response;
  }

  std::string next_etag() { return "\"etag-" + std::to_string(++etag_counter) + "\""; }
};

FakeS3Server::FakeS3Server(FakeS3Options options) : state_(std::make_shared<State>()) {
  if (sodium_init() < 0) throw std::runtime_error("libsodium failed to initialise");
  state_->options = std::move(options);
  State& state = *state_;
  state.listener = ::socket(AF_INET, SOCK_STREAM, 0);
  if (state.listener < 0) throw std::runtime_error("socket");
  const int one = 1;
  ::setsockopt(state.listener, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::bind(state.listener, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
      ::listen(state.listener, 64) != 0) {
    ::close(state.listener);
    throw std::runtime_error("fake S3: bind/listen failed");
  }
  socklen_t length = sizeof address;
  ::getsockname(state.listener, reinterpret_cast<sockaddr*>(&address), &length);
  state.port = ntohs(address.sin_port);
  state.acceptor = std::thread([&state] { state.accept_loop(); });
}

FakeS3Server::~FakeS3Server() {
  State& state = *state_;
  state.stopping = true;
  ::shutdown(state.listener, SHUT_RDWR);  // wakes the blocked accept()
  state.acceptor.join();
  std::vector<std::thread> connections;
  {
    const std::lock_guard lock(state.mutex);
    for (int socket : state.open_sockets) ::shutdown(socket, SHUT_RDWR);  // wakes recv()
    connections.swap(state.connections);
  }
  for (auto& thread : connections) thread.join();
  ::close(state.listener);
}

std::string FakeS3Server::endpoint() const {
  return "http://127.0.0.1:" + std::to_string(state_->port);
}

const FakeS3Options& FakeS3Server::options() const { return state_->options; }

std::optional<std::string> FakeS3Server::object(const std::string& key) const {
  const std::lock_guard lock(state_->mutex);
  const auto it = state_->objects.find(key);
  if (it == state_->objects.end()) return std::nullopt;
  return it->second.data;
}

std::vector<std::string> FakeS3Server::keys() const {
  const std::lock_guard lock(state_->mutex);
  std::vector<std::string> keys;
  for (const auto& [key, object] : state_->objects) keys.push_back(key);
  return keys;
}

void FakeS3Server::put_object(const std::string& key, std::string data) {
  const std::lock_guard lock(state_->mutex);
  state_->objects[key] = Object{std::move(data), state_->next_etag()};
}

std::vector<FakeS3Server::Received> FakeS3Server::received() const {
  const std::lock_guard lock(state_->mutex);
  return state_->received;
}

}  // namespace nearhub::testing
