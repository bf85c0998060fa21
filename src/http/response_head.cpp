#include "http/response_head.h"

#include <ctime>

#include <fmt/format.h>

#include "http/status.h"

namespace nearhub::http {

std::string_view reason_phrase(int status) {
  switch (status) {
    case 100:
      return "Continue";
    case 101:
      return "Switching Protocols";
    case 200:
      return "OK";
    case 201:
      return "Created";
    case 202:
      return "Accepted";
    case 204:
      return "No Content";
    case 206:
      return "Partial Content";
    case 301:
      return "Moved Permanently";
    case 302:
      return "Found";
    case 303:
      return "See Other";
    case 304:
      return "Not Modified";
    case 307:
      return "Temporary Redirect";
    case 308:
      return "Permanent Redirect";
    case 400:
      return "Bad Request";
    case 401:
      return "Unauthorized";
    case 402:
      return "Payment Required";
    case 403:
      return "Forbidden";
    case 404:
      return "Not Found";
    case 405:
      return "Method Not Allowed";
    case 406:
      return "Not Acceptable";
    case 408:
      return "Request Timeout";
    case 409:
      return "Conflict";
    case 410:
      return "Gone";
    case 411:
      return "Length Required";
    case 412:
      return "Precondition Failed";
    case 413:
      return "Request Entity Too Large";
    case 415:
      return "Unsupported Media Type";
    case 416:
      return "Range Not Satisfiable";
    case 422:
      return "Unprocessable Entity";
    case 429:
      return "Too Many Requests";
    case 431:
      return "Request Header Fields Too Large";
    case 500:
      return "Internal Server Error";
    case 501:
      return "Not Implemented";
    case 502:
      return "Bad Gateway";
    case 503:
      return "Service Unavailable";
    case 504:
      return "Gateway Timeout";
    default:
      return "Unknown";
  }
}

namespace {

// The Date header changes once a second; formatting it per request would be wasted work.
std::string_view http_date() {
  thread_local std::time_t cached_second = 0;
  thread_local char text[40] = {};
  std::time_t now = std::time(nullptr);
  if (now != cached_second) {
    cached_second = now;
    std::tm parts{};
    gmtime_r(&now, &parts);
    std::strftime(text, sizeof text, "%a, %d %b %Y %H:%M:%S GMT", &parts);
  }
  return text;
}

bool is_framing_header(std::string_view name) {
  auto equals = [&](std::string_view lower) {
    if (name.size() != lower.size()) return false;
    for (std::size_t i = 0; i < name.size(); ++i) {
      char c = name[i];
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
      if (c != lower[i]) return false;
    }
    return true;
  };
  return equals("content-length") || equals("transfer-encoding") || equals("connection");
}

void append_field(std::string& out, std::string_view name, std::string_view value) {
  out.append(name).append(": ");
  // A line break in a value would let it forge headers; handlers never mean that.
  if (value.find_first_of("\r\n") == std::string_view::npos) {
    out.append(value);
  } else {
    for (char c : value) out.push_back(c == '\r' || c == '\n' ? ' ' : c);
  }
  out.append("\r\n");
}

}  // namespace

bool status_has_body(int status) { return status >= 200 && status != 204 && status != 304; }

void serialize_head(const Response& response, const HeadOptions& options, std::string& out) {
  out.clear();
  out.append("HTTP/1.1 ");
  fmt::format_to(std::back_inserter(out), "{} ", response.status);
  out.append(reason_phrase(response.status)).append("\r\n");
  for (const auto& [name, value] : response.headers.all()) {
    if (!is_framing_header(name)) append_field(out, name, value);
  }
  if (options.streaming) {
    if (!response.headers.contains("content-type")) {
      append_field(out, "content-type", "text/event-stream; charset=utf-8");
    }
    append_field(out, "cache-control", "no-cache");
    append_field(out, "x-accel-buffering", "no");
  }
  if (options.chunked) {
    append_field(out, "transfer-encoding", "chunked");
  } else if (!options.streaming && !options.close_delimited && status_has_body(response.status)) {
    out.append("content-length: ");
    fmt::format_to(std::back_inserter(out), "{}", options.content_length);
    out.append("\r\n");
  }
  append_field(out, "x-request-id", options.request_id);
  append_field(out, "date", http_date());
  if (!options.keep_alive || options.streaming || options.close_delimited) {
    append_field(out, "connection", "close");
  } else if (options.http10) {
    append_field(out, "connection", "keep-alive");
  }
  out.append("\r\n");
}

}  // namespace nearhub::http
