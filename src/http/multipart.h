#pragma once
// A streaming multipart/form-data parser (RFC 7578) with bounds, for uploads that should not be
// held in memory twice. Feed the body in chunks of any size; callbacks see each part's headers,
// its data in pieces, and its end.

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "http/request.h"

namespace nearhub::http {

// Thrown for a malformed body (answer 400) or a body over one of the limits (answer 413).
class MultipartError : public std::runtime_error {
 public:
  MultipartError(bool too_large, const std::string& message)
      : std::runtime_error(message), too_large_(too_large) {}
  bool too_large() const { return too_large_; }
  int status() const { return too_large_ ? 413 : 400; }

 private:
  bool too_large_;
};

struct MultipartLimits {
  std::size_t max_parts = 1000;
  std::size_t max_part_header_bytes = 16 * 1024;  // one part's header block
  std::size_t max_field_bytes = 1024 * 1024;      // all parts without a filename, together
};

struct PartInfo {
  std::string name;
  std::optional<std::string> filename;  // present for file parts
  std::string content_type;             // empty when the part has no Content-Type
  Headers headers;
};

struct MultipartCallbacks {
  std::function<void(const PartInfo&)> on_part_begin;
  std::function<void(std::string_view data)> on_part_data;
  std::function<void()> on_part_end;
};

class MultipartParser {
 public:
  MultipartParser(std::string_view boundary, MultipartCallbacks callbacks,
                  MultipartLimits limits = {});
  // Throws MultipartError as soon as the input is known to be bad.
  void feed(std::string_view chunk);
  // Throws MultipartError unless the closing boundary has been seen.
  void finish();
  // Inside on_part_data: where the data's first byte is in the body (0 = the first byte fed).
  // A part's data arrives contiguously, so its first piece gives its byte range in the body.
  std::uint64_t data_offset() const { return consumed_ - 2; }  // minus the "\r\n" prefix

 private:
  enum class State { Preamble, AfterDelimiter, PartHeaders, PartData, Epilogue };

  bool step();  // one state transition; false when more input is needed
  bool scan_for_delimiter(bool emit);
  void begin_part(std::string_view header_block);
  void consume(std::size_t count);  // drops input from the front of pending_

  std::string delimiter_;  // "\r\n--" + boundary
  MultipartCallbacks callbacks_;
  MultipartLimits limits_;
  State state_ = State::Preamble;
  std::string pending_;         // input not consumed yet
  std::uint64_t consumed_ = 0;  // bytes dropped from pending_, the "\r\n" prefix included
  std::size_t parts_ = 0;
  std::size_t field_bytes_ = 0;
  bool current_is_field_ = false;
};

// The boundary parameter of a multipart Content-Type (quoted or not); nullopt when the type is
// not multipart/form-data or the boundary is missing or longer than RFC 2046's 70 characters.
std::optional<std::string> multipart_boundary(std::string_view content_type);

struct MultipartPart {
  PartInfo info;
  std::string data;
};

// Parses a whole body. Throws MultipartError.
std::vector<MultipartPart> parse_multipart(std::string_view body, std::string_view boundary,
                                           MultipartLimits limits = {});

}  // namespace nearhub::http
