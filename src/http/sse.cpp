#include "http/sse.h"

namespace nearhub::http {
namespace {

std::string framed(std::string_view prefix, std::string_view text) {
  std::string event;
  event.reserve(prefix.size() + text.size() + 2);
  event.append(prefix).append(text).append("\n\n");
  return event;
}

}  // namespace

bool SseWriter::send_data(std::string_view data) { return write(framed("data: ", data)); }

bool SseWriter::send_comment(std::string_view text) { return write(framed(": ", text)); }

}  // namespace nearhub::http
