#pragma once
// A blocking loopback HTTP/1.1 client on plain POSIX sockets, so that server tests see the exact
// bytes on the wire and do not depend on the server's own Beast/Asio code.

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <cctype>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>

namespace nearhub::http::testing {

struct RawResponse {
  int status = 0;
  std::map<std::string, std::string> headers;  // lower-case names
  std::string body;

  std::string header(const std::string& name) const {
    auto it = headers.find(name);
    return it == headers.end() ? std::string() : it->second;
  }
};

class RawClient {
 public:
  // `receive_buffer` > 0 shrinks the socket's receive buffer (a client that can hold little).
  explicit RawClient(unsigned short port, int timeout_ms = 3000, int receive_buffer = 0) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    if (receive_buffer > 0) {
      ::setsockopt(fd_, SOL_SOCKET, SO_RCVBUF, &receive_buffer, sizeof receive_buffer);
    }
    timeval timeout{timeout_ms / 1000, (timeout_ms % 1000) * 1000};
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(port);
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
      throw std::runtime_error("connect failed");
    }
  }
  ~RawClient() { close(); }
  RawClient(const RawClient&) = delete;
  RawClient& operator=(const RawClient&) = delete;

  void close() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }

  void send(const std::string& bytes) {
    std::size_t sent = 0;
    while (sent < bytes.size()) {
      ssize_t n = ::send(fd_, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
      if (n <= 0) throw std::runtime_error("send failed");
      sent += static_cast<std::size_t>(n);
    }
  }

  // Reads at least one more byte into the buffer; false on EOF, error or timeout.
  bool fill() {
    char chunk[4096];
    ssize_t n = ::recv(fd_, chunk, sizeof chunk, 0);
    if (n <= 0) return false;
    buffer_.append(chunk, static_cast<std::size_t>(n));
    return true;
  }

  // True when the server has closed the connection (EOF) with nothing more to read.
  bool closed_by_server() {
    if (!buffer_.empty()) return false;
    char byte;
    return ::recv(fd_, &byte, 1, 0) == 0;
  }

  // Everything until the server closes the connection (a close-delimited body).
  std::string read_to_end() {
    while (fill()) {
    }
    std::string data;
    data.swap(buffer_);
    return data;
  }

  std::optional<std::string> read_line() {
    for (;;) {
      std::size_t end = buffer_.find("\r\n");
      if (end != std::string::npos) {
        std::string line = buffer_.substr(0, end);
        buffer_.erase(0, end + 2);
        return line;
      }
      if (!fill()) return std::nullopt;
    }
  }

  std::optional<std::string> read_exact(std::size_t size) {
    while (buffer_.size() < size) {
      if (!fill()) return std::nullopt;
    }
    std::string data = buffer_.substr(0, size);
    buffer_.erase(0, size);
    return data;
  }

  // The status line and headers only.
  std::optional<RawResponse> read_head() {
    auto status_line = read_line();
    if (!status_line || status_line->size() < 12) return std::nullopt;
    RawResponse response;
    response.status = std::stoi(status_line->substr(9, 3));
    for (;;) {
      auto line = read_line();
      if (!line) return std::nullopt;
      if (line->empty()) break;
      std::size_t colon = line->find(':');
      std::string name = line->substr(0, colon);
      for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      std::size_t value_start = line->find_first_not_of(' ', colon + 1);
      response.headers[name] = value_start == std::string::npos ? "" : line->substr(value_start);
    }
    return response;
  }

  // One chunk of a chunked body; nullopt on error, "" for the last chunk.
  std::optional<std::string> read_chunk() {
    auto size_line = read_line();
    if (!size_line) return std::nullopt;
    std::size_t size = std::stoul(*size_line, nullptr, 16);
    auto data = read_exact(size + 2);
    if (!data) return std::nullopt;
    return data->substr(0, size);
  }

  // A whole response; `head_request` for a response to HEAD (no body despite Content-Length).
  std::optional<RawResponse> read_response(bool head_request = false) {
    auto response = read_head();
    if (!response || head_request) return response;
    if (response->headers.count("content-length")) {
      auto body = read_exact(std::stoul(response->header("content-length")));
      if (!body) return std::nullopt;
      response->body = *body;
    } else if (response->header("transfer-encoding") == "chunked") {
      for (;;) {
        auto chunk = read_chunk();
        if (!chunk) return std::nullopt;
        if (chunk->empty()) break;
        response->body += *chunk;
      }
    }
    return response;
  }

  std::optional<RawResponse> request(const std::string& bytes, bool head_request = false) {
    send(bytes);
    return read_response(head_request);
  }

 private:
  int fd_ = -1;
  std::string buffer_;
};

}  // namespace nearhub::http::testing
