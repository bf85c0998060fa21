#pragma once
// Incremental Server-Sent Events parser for upstream streams: bytes arrive in arbitrary pieces
// (a line, even a UTF-8 character, may be split across two), events come out whole.

#include <functional>
#include <string>
#include <string_view>

namespace nearhub::inference {

class SseParser {
 public:
  using OnEvent = std::function<void(const std::string& data)>;

  // Feeds a piece; calls `on_event` with the data of every event it completes (multi-line data
  // joined with "\n"). Comments and fields other than data: are skipped.
  void feed(std::string_view piece, const OnEvent& on_event);
  // End of stream: an event not yet terminated by a blank line is delivered (lenient).
  void finish(const OnEvent& on_event);

 private:
  void line(std::string_view text, const OnEvent& on_event);
  void dispatch(const OnEvent& on_event);

  std::string buffer_;  // bytes of the current incomplete line
  std::string data_;    // data of the current event
  bool has_data_ = false;
  bool last_was_cr_ = false;
};

}  // namespace nearhub::inference
