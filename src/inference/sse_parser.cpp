#include "inference/sse_parser.h"

namespace nearhub::inference {

void SseParser::feed(std::string_view piece, const OnEvent& on_event) {
  for (char c : piece) {
    if (c == '\n' && last_was_cr_) {  // the \n of a \r\n pair already ended the line
      last_was_cr_ = false;
      continue;
    }
    last_was_cr_ = c == '\r';
    if (c == '\n' || c == '\r') {
      line(buffer_, on_event);
      buffer_.clear();
    } else {
      buffer_ += c;
    }
  }
}

void SseParser::finish(const OnEvent& on_event) {
  if (!buffer_.empty()) line(buffer_, on_event);
  buffer_.clear();
  dispatch(on_event);
}

void SseParser::line(std::string_view text, const OnEvent& on_event) {
  if (text.empty()) {
    dispatch(on_event);
    return;
  }
  if (text.front() == ':') return;  // comment (heartbeat)
  const auto colon = text.find(':');
  const std::string_view field = text.substr(0, colon);
  std::string_view value = colon == std::string_view::npos ? "" : text.substr(colon + 1);
  if (!value.empty() && value.front() == ' ') value.remove_prefix(1);
  if (field != "data") return;
  if (has_data_) data_ += '\n';
  data_ += value;
  has_data_ = true;
}

void SseParser::dispatch(const OnEvent& on_event) {
  if (!has_data_) return;
  const std::string data = std::move(data_);
  data_.clear();
  has_data_ = false;
  on_event(data);
}

}  // namespace nearhub::inference
