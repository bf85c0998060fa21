#include "blob/s3_object_reader.h"

#include <algorithm>
#include <charconv>
#include <cstring>

#include "blob/blob_store.h"

namespace nearhub::blob {
namespace {

std::size_t parse_number(std::string_view text, const std::string& header) {
  std::size_t value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size() || text.empty()) {
    throw BlobError("S3 sent a bad Content-Range: '" + header + "'");
  }
  return value;
}

struct ContentRange {
  std::size_t first = 0, last = 0, total = 0;
};

// "bytes 0-4194303/20971520"
ContentRange parse_content_range(const std::string& header) {
  const std::string_view text = header;
  if (!text.starts_with("bytes ")) throw BlobError("S3 sent a bad Content-Range: '" + header + "'");
  const std::size_t dash = text.find('-', 6);
  const std::size_t slash = text.find('/', 6);
  if (dash == std::string_view::npos || slash == std::string_view::npos || dash > slash) {
    throw BlobError("S3 sent a bad Content-Range: '" + header + "'");
  }
  return {parse_number(text.substr(6, dash - 6), header),
          parse_number(text.substr(dash + 1, slash - dash - 1), header),
          parse_number(text.substr(slash + 1), header)};
}

}  // namespace

S3ObjectReader::S3ObjectReader(std::shared_ptr<S3Client> client, std::string path,
                               std::size_t chunk_bytes)
    : client_(std::move(client)), path_(std::move(path)), chunk_bytes_(chunk_bytes) {}

std::unique_ptr<S3ObjectReader> S3ObjectReader::open(std::shared_ptr<S3Client> client,
                                                     std::string path, std::size_t chunk_bytes) {
  std::unique_ptr<S3ObjectReader> reader(new S3ObjectReader(std::move(client), std::move(path),
                                                            std::max<std::size_t>(chunk_bytes, 1)));
  if (!reader->fetch(true)) return nullptr;
  return reader;
}

bool S3ObjectReader::fetch(bool first) {
  S3Request request;
  request.method = "GET";
  request.path = path_;
  request.max_response_bytes = chunk_bytes_;
  request.headers.emplace_back("Range", "bytes=" + std::to_string(offset_) + "-" +
                                            std::to_string(offset_ + chunk_bytes_ - 1));
  if (!first) request.headers.emplace_back("If-Match", etag_);
  S3Response response = client_->send(request);

  if (first && response.status == 404) return false;
  if (first && response.status == 416) {  // a range of an empty object: nothing to satisfy
    total_ = 0;
    return true;
  }
  if (!first && (response.status == 412 || response.status == 404)) {
    throw BlobError("blob '" + path_ + "' was replaced or removed while being read");
  }
  if (first && response.status == 200) {  // the server sent the whole (small) object
    total_ = response.body.size();
  } else if (response.status == 206) {
    const auto header = response.headers.find("content-range");
    if (header == response.headers.end()) throw BlobError("S3 sent 206 without Content-Range");
    const ContentRange range = parse_content_range(header->second);
    if (range.first != offset_ || range.last < range.first ||
        range.last - range.first + 1 != response.body.size()) {
      throw BlobError("S3 sent a range other than the one asked for: '" + header->second + "'");
    }
    if (first) {
      total_ = range.total;
    } else if (range.total != total_) {
      throw BlobError("blob '" + path_ + "' changed size while being read");
    }
  } else {
    throw BlobError("S3 GET " + path_ + " failed: " + response.describe());
  }
  if (first) {
    const auto etag = response.headers.find("etag");
    etag_ = etag == response.headers.end() ? "*" : etag->second;
  }
  chunk_ = std::move(response.body);
  chunk_pos_ = 0;
  offset_ += chunk_.size();
  return true;
}

std::size_t S3ObjectReader::read(char* buffer, std::size_t capacity) {
  if (chunk_pos_ == chunk_.size()) {
    if (offset_ >= total_) return 0;
    fetch(false);
    if (chunk_.empty()) throw BlobError("S3 sent an empty range of '" + path_ + "'");
  }
  const std::size_t n = std::min(capacity, chunk_.size() - chunk_pos_);
  std::memcpy(buffer, chunk_.data() + chunk_pos_, n);
  chunk_pos_ += n;
  return n;
}

}  // namespace nearhub::blob
