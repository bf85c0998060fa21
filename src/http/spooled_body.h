#pragma once
// A request body the server wrote to a temporary file as it arrived (Handler::spool_body), so
// that large uploads are never held in memory. The file is removed when the last owner lets go:
// the Request, and whatever a handler derived from it (e.g. readers of multipart file parts).

#include <cstdint>
#include <filesystem>
#include <string_view>

namespace nearhub::http {

class SpooledBody {
 public:
  // Creates an empty temporary file in `directory` (created if missing). Throws
  // std::runtime_error when it cannot.
  explicit SpooledBody(const std::filesystem::path& directory);
  ~SpooledBody();  // closes and removes the file
  SpooledBody(const SpooledBody&) = delete;
  SpooledBody& operator=(const SpooledBody&) = delete;

  const std::filesystem::path& path() const { return path_; }
  std::uint64_t size() const { return size_; }

  // While the body arrives (server side): appends bytes; false when the disk write failed.
  bool append(std::string_view data);
  // The body is complete: closes the file for writing; false when that failed.
  bool finish();

 private:
  std::filesystem::path path_;
  int fd_ = -1;
  std::uint64_t size_ = 0;
};

}  // namespace nearhub::http
