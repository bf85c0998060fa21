#include "api/spooled_form.h"

#include <optional>
#include <vector>

#include "api/error.h"
#include "http/multipart.h"
#include "util/file_byte_source.h"

namespace nearhub::api {
namespace {

constexpr std::size_t kParseChunk = 64 * 1024;

// The part being parsed: a text field gathers its value, a file part only its range.
struct CurrentPart {
  std::string name;
  bool is_file = false;
  std::string value;
  Upload upload;
  std::optional<std::uint64_t> offset;  // of the first data byte; unset while no data came
};

}  // namespace

SpooledForm read_spooled_form(const http::Request& request) {
  SpooledForm form;
  const std::shared_ptr<const http::SpooledBody>& spool = request.spooled_body;
  if (!spool) return form;
  const auto boundary = http::multipart_boundary(request.headers.get("Content-Type").value_or(""));
  if (!boundary) return form;

  CurrentPart part;
  std::unique_ptr<http::MultipartParser> parser;
  http::MultipartCallbacks callbacks;
  callbacks.on_part_begin = [&](const http::PartInfo& info) {
    part = CurrentPart{};
    part.name = info.name;
    part.is_file = info.filename.has_value();
    if (part.is_file) {
      part.upload.filename = *info.filename;
      part.upload.content_type = info.content_type;
    }
  };
  callbacks.on_part_data = [&](std::string_view data) {
    if (!part.is_file) {
      part.value.append(data);  // bounded by MultipartLimits::max_field_bytes
      return;
    }
    if (!part.offset) part.offset = parser->data_offset();
    part.upload.size += data.size();
  };
  callbacks.on_part_end = [&] {
    if (!part.is_file) {
      form.fields[part.name] = std::move(part.value);
      return;
    }
    std::uint64_t offset = part.offset.value_or(0);
    std::uint64_t size = part.upload.size;
    // The closure shares the spool file, which therefore outlives the request if need be.
    part.upload.open = [spool, offset, size]() -> std::unique_ptr<util::ByteSource> {
      return std::make_unique<util::FileByteSource>(spool->path(), offset, size);
    };
    form.uploads[part.name] = std::move(part.upload);
  };

  try {
    parser = std::make_unique<http::MultipartParser>(*boundary, std::move(callbacks));
    util::FileByteSource file(spool->path());
    std::vector<char> chunk(kParseChunk);
    while (std::size_t got = file.read(chunk.data(), chunk.size())) {
      parser->feed(std::string_view(chunk.data(), got));
    }
    parser->finish();
  } catch (const http::MultipartError& error) {
    throw Error::http(error.status(), error.what());
  }
  return form;
}

}  // namespace nearhub::api
