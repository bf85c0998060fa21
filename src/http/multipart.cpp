#include "http/multipart.h"

#include <algorithm>

#include "http/header_params.h"
#include "util/url.h"

namespace nearhub::http {
namespace {

constexpr std::size_t kMaxBoundaryLength = 70;     // RFC 2046 §5.1.1
constexpr std::size_t kMaxTransportPadding = 256;  // whitespace allowed after a delimiter

[[noreturn]] void malformed(const std::string& why) {
  throw MultipartError(false, "malformed multipart body: " + why);
}

[[noreturn]] void too_large(const std::string& why) { throw MultipartError(true, why); }

// RFC 5987 ext-value: charset'language'percent-encoded. Only the encoded text is kept; every
// client sends UTF-8.
std::optional<std::string> decode_ext_value(std::string_view value) {
  std::size_t first = value.find('\'');
  if (first == std::string_view::npos) return std::nullopt;
  std::size_t second = value.find('\'', first + 1);
  if (second == std::string_view::npos) return std::nullopt;
  return util::percent_decode(value.substr(second + 1));
}

}  // namespace

MultipartParser::MultipartParser(std::string_view boundary, MultipartCallbacks callbacks,
                                 MultipartLimits limits)
    : delimiter_("\r\n--"), callbacks_(std::move(callbacks)), limits_(limits) {
  if (boundary.empty() || boundary.size() > kMaxBoundaryLength) malformed("bad boundary");
  delimiter_.append(boundary);
  // The first delimiter may open the body without a preceding line break.
  pending_ = "\r\n";
}

void MultipartParser::feed(std::string_view chunk) {
  if (state_ == State::Epilogue) return;
  pending_.append(chunk);
  while (step()) {
  }
}

void MultipartParser::finish() {
  if (state_ != State::Epilogue) malformed("the closing boundary is missing");
}

bool MultipartParser::step() {
  switch (state_) {
    case State::Preamble:
      return scan_for_delimiter(false);
    case State::PartData:
      return scan_for_delimiter(true);
    case State::AfterDelimiter: {
      if (pending_.size() < 2) return false;
      if (pending_.compare(0, 2, "--") == 0) {
        state_ = State::Epilogue;
        consume(pending_.size());
        return false;
      }
      std::size_t i = 0;
      while (i < pending_.size() && (pending_[i] == ' ' || pending_[i] == '\t')) ++i;
      if (i > kMaxTransportPadding) malformed("too much whitespace after a boundary");
      if (pending_.size() < i + 2) return false;
      if (pending_.compare(i, 2, "\r\n") != 0) malformed("a boundary is not followed by CRLF");
      consume(i + 2);
      state_ = State::PartHeaders;
      return true;
    }
    case State::PartHeaders: {
      // An empty header block is just the blank line.
      std::size_t end = pending_.compare(0, 2, "\r\n") == 0 ? 0 : pending_.find("\r\n\r\n");
      if (end == std::string::npos) {
        if (pending_.size() > limits_.max_part_header_bytes) too_large("part headers too large");
        return false;
      }
      if (end > limits_.max_part_header_bytes) too_large("part headers too large");
      begin_part(std::string_view(pending_).substr(0, end));
      consume(end == 0 ? 2 : end + 4);
      state_ = State::PartData;
      return true;
    }
    case State::Epilogue:
      consume(pending_.size());
      return false;
  }
  return false;
}

// Consumes input up to the next delimiter, passing it on as part data when `emit`. Without a
// delimiter in sight it keeps only the tail that could be the start of one.
bool MultipartParser::scan_for_delimiter(bool emit) {
  std::size_t found = pending_.find(delimiter_);
  std::size_t data_end = found;
  if (found == std::string::npos) {
    std::size_t keep = std::min(pending_.size(), delimiter_.size() - 1);
    data_end = pending_.size() - keep;
  }
  if (emit && data_end > 0) {
    if (current_is_field_) {
      field_bytes_ += data_end;
      if (field_bytes_ > limits_.max_field_bytes) too_large("form fields too large");
    }
    if (callbacks_.on_part_data)
      callbacks_.on_part_data(std::string_view(pending_).substr(0, data_end));
  }
  if (found == std::string::npos) {
    consume(data_end);
    return false;
  }
  if (emit && callbacks_.on_part_end) callbacks_.on_part_end();
  consume(found + delimiter_.size());
  state_ = State::AfterDelimiter;
  return true;
}

void MultipartParser::consume(std::size_t count) {
  pending_.erase(0, count);
  consumed_ += count;
}

void MultipartParser::begin_part(std::string_view header_block) {
  if (++parts_ > limits_.max_parts) too_large("too many multipart parts");
  PartInfo info;
  while (!header_block.empty()) {
    std::size_t line_end = header_block.find("\r\n");
    std::string_view line = header_block.substr(0, line_end);
    header_block =
        line_end == std::string_view::npos ? std::string_view() : header_block.substr(line_end + 2);
    std::size_t colon = line.find(':');
    if (colon == std::string_view::npos || colon == 0) malformed("bad part header line");
    std::string_view value = line.substr(colon + 1);
    while (!value.empty() && (value.front() == ' ' || value.front() == '\t'))
      value.remove_prefix(1);
    while (!value.empty() && (value.back() == ' ' || value.back() == '\t')) value.remove_suffix(1);
    info.headers.add(std::string(line.substr(0, colon)), std::string(value));
  }

  auto disposition = info.headers.get("content-disposition");
  if (!disposition) malformed("a part has no Content-Disposition");
  HeaderValue parsed = parse_header_value(*disposition);
  auto name = parsed.param("name");
  if (!name) malformed("a part has no name");
  info.name = std::string(*name);
  if (auto extended = parsed.param("filename*")) info.filename = decode_ext_value(*extended);
  if (!info.filename) {
    if (auto filename = parsed.param("filename")) info.filename = std::string(*filename);
  }
  if (auto content_type = info.headers.get("content-type")) {
    info.content_type = std::string(*content_type);
  }
  current_is_field_ = !info.filename.has_value();
  if (callbacks_.on_part_begin) callbacks_.on_part_begin(info);
}

std::optional<std::string> multipart_boundary(std::string_view content_type) {
  HeaderValue parsed = parse_header_value(content_type);
  if (parsed.token != "multipart/form-data") return std::nullopt;
  auto boundary = parsed.param("boundary");
  if (!boundary || boundary->empty() || boundary->size() > kMaxBoundaryLength) {
    return std::nullopt;
  }
  return std::string(*boundary);
}

std::vector<MultipartPart> parse_multipart(std::string_view body, std::string_view boundary,
                                           MultipartLimits limits) {
  std::vector<MultipartPart> parts;
  MultipartCallbacks callbacks;
  callbacks.on_part_begin = [&](const PartInfo& info) { parts.push_back({info, {}}); };
  callbacks.on_part_data = [&](std::string_view data) { parts.back().data.append(data); };
  MultipartParser parser(boundary, std::move(callbacks), limits);
  parser.feed(body);
  parser.finish();
  return parts;
}

}  // namespace nearhub::http
