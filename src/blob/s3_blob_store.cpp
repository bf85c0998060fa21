#include "blob/s3_blob_store.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <utility>

#include "blob/key.h"
#include "blob/s3_object_reader.h"
#include "blob/s3_xml.h"
#include "util/file_byte_source.h"
#include "util/url.h"

namespace nearhub::blob {
namespace {

constexpr std::size_t kSpoolBuffer = 64 * 1024;

std::string trim_slashes(std::string text) {
  while (!text.empty() && text.front() == '/') text.erase(text.begin());
  while (!text.empty() && text.back() == '/') text.pop_back();
  return text;
}

class EmptySource final : public util::ByteSource {
 public:
  std::size_t read(char*, std::size_t) override { return 0; }
  std::optional<std::size_t> size() const override { return 0; }
};

[[noreturn]] void too_large(std::uint64_t max_bytes) {
  throw BlobTooLarge("blob larger than " + std::to_string(max_bytes) + " bytes");
}

}  // namespace

S3BlobStore::S3BlobStore(S3Options options) : options_(std::move(options)) {
  if (options_.bucket.empty()) throw BlobError("the S3 blob store needs a bucket");
  if (options_.connection.endpoint.empty()) throw BlobError("the S3 blob store needs an endpoint");
  if (options_.connection.region.empty()) throw BlobError("the S3 blob store needs a region");
  while (options_.connection.endpoint.ends_with('/')) options_.connection.endpoint.pop_back();
  const std::string prefix = trim_slashes(options_.prefix);
  if (!prefix.empty()) {
    check_key(prefix);
    key_prefix_ = prefix + "/";
  }
  options_.list_page_size = std::clamp<std::size_t>(options_.list_page_size, 1, 1000);
  std::error_code error;
  std::filesystem::create_directories(options_.spool_directory, error);
  if (error) {
    throw BlobError("cannot create the spool directory '" + options_.spool_directory.string() +
                    "': " + error.message());
  }
  client_ = std::make_shared<S3Client>(options_.connection);
}

std::string S3BlobStore::object_name(const std::string& key) const { return key_prefix_ + key; }

std::string S3BlobStore::object_path(const std::string& key) const {
  // Path-style addressing; SigV4 for S3 encodes each segment once and keeps the slashes.
  return "/" + util::percent_encode(options_.bucket) + "/" +
         util::percent_encode(object_name(key), true);
}

std::uint64_t S3BlobStore::put(const std::string& key, util::ByteSource& content,
                               std::uint64_t max_bytes, bool if_absent) {
  check_key(key);
  if (const auto size = content.size()) {
    if (*size > max_bytes) too_large(max_bytes);
    return put_sized(key, content, *size, max_bytes, if_absent);
  }
  // Length unknown: spool to an unlinked temporary file (counting against the cap), then send
  // one PUT with Content-Length. A single PUT is atomic and honours If-None-Match, while a
  // multipart upload would need 5 MiB parts, leave orphaned parts behind when we crash (billed
  // until a lifecycle rule cleans them), and cost three kinds of requests. Chunked PUTs are not
  // accepted by S3 without aws-chunked signing, which libcurl does not do. Memory stays bounded
  // either way; the spool costs one local write of the blob.
  int fd = ::open(options_.spool_directory.c_str(), O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
  if (fd < 0 && (errno == EOPNOTSUPP || errno == EISDIR || errno == EINVAL)) {
    // No O_TMPFILE on this filesystem: a named file, unlinked at once.
    std::string name = (options_.spool_directory / "s3-spool-XXXXXX").string();
    fd = ::mkostemp(name.data(), O_CLOEXEC);
    if (fd >= 0) ::unlink(name.c_str());
  }
  if (fd < 0) {
    throw BlobError("cannot create a spool file in '" + options_.spool_directory.string() +
                    "': " + std::strerror(errno));
  }
  // Closes the spool file on any failure until the reader below takes it over.
  struct CloseOnExit {
    int fd;
    ~CloseOnExit() {
      if (fd >= 0) ::close(fd);
    }
  } owner{fd};
  std::vector<char> buffer(kSpoolBuffer);
  std::uint64_t total = 0;
  while (const std::size_t n = content.read(buffer.data(), buffer.size())) {
    total += n;
    if (total > max_bytes) too_large(max_bytes);
    for (std::size_t written = 0; written < n;) {
      const ssize_t w = ::write(fd, buffer.data() + written, n - written);
      if (w < 0 && errno == EINTR) continue;
      if (w < 0) throw BlobError(std::string("spooling a blob failed: ") + std::strerror(errno));
      written += static_cast<std::size_t>(w);
    }
  }
  util::FileByteSource spool(std::exchange(owner.fd, -1), total);
  return put_sized(key, spool, total, max_bytes, if_absent);
}

std::uint64_t S3BlobStore::put_sized(const std::string& key, util::ByteSource& content,
                                     std::uint64_t size, std::uint64_t max_bytes, bool if_absent) {
  S3Request request;
  request.method = "PUT";
  request.path = object_path(key);
  request.upload = S3Upload{&content, size, max_bytes};
  // S3 conditional writes: the PUT fails with 412 when the key exists, atomically.
  if (if_absent) request.headers.emplace_back("If-None-Match", "*");
  const S3Response response = client_->send(request);
  if (response.status == 200) return size;
  if (if_absent && response.status == 412) throw BlobExists("blob '" + key + "' already exists");
  // 409 ConditionalRequestConflict: another conditional write of this key is in flight; it is
  // the one that will create the object.
  if (if_absent && response.status == 409) throw BlobExists("blob '" + key + "' is being written");
  throw BlobError("S3 PUT '" + key + "' failed: " + response.describe());
}

std::unique_ptr<util::ByteSource> S3BlobStore::get(const std::string& key) {
  check_key(key);
  return S3ObjectReader::open(client_, object_path(key), options_.read_chunk_bytes);
}

bool S3BlobStore::exists(const std::string& key) {
  check_key(key);
  S3Request request;
  request.method = "HEAD";
  request.path = object_path(key);
  const S3Response response = client_->send(request);
  if (response.status == 200) return true;
  if (response.status == 404) return false;
  throw BlobError("S3 HEAD '" + key + "' failed: " + response.describe());
}

void S3BlobStore::copy(const std::string& from, const std::string& to) {
  check_key(from);
  check_key(to);
  EmptySource nothing;
  S3Request request;
  request.method = "PUT";
  request.path = object_path(to);
  request.upload = S3Upload{&nothing, 0, 0};
  request.headers.emplace_back("x-amz-copy-source", object_path(from));
  // Conditional copy: 412 when `to` exists (409 while another write of it is in flight).
  request.headers.emplace_back("If-None-Match", "*");
  const S3Response response = client_->send(request);
  if (response.status == 404) throw BlobError("cannot copy missing blob '" + from + "'");
  if (response.status == 412 || response.status == 409) {
    throw BlobExists("blob '" + to + "' already exists");
  }
  // CopyObject may answer 200 and still fail: the error is then in the body.
  if (response.status != 200 || response.body.find("<Error>") != std::string::npos) {
    S3Response failed = response;
    failed.error_code = xml_element_text(response.body, "Code").value_or("");
    failed.error_message = xml_element_text(response.body, "Message").value_or("");
    throw BlobError("S3 copy '" + from + "' -> '" + to + "' failed: " + failed.describe());
  }
}

std::vector<BlobInfo> S3BlobStore::list(const std::string& prefix) {
  check_prefix(prefix);
  const std::string full_prefix = object_name(prefix);
  std::vector<BlobInfo> found;
  std::string token;
  while (true) {
    // Parameters in SigV4 canonical form: encoded, sorted by name.
    std::string query;
    if (!token.empty()) query += "continuation-token=" + util::percent_encode(token) + "&";
    query += "list-type=2&max-keys=" + std::to_string(options_.list_page_size);
    if (!full_prefix.empty()) query += "&prefix=" + util::percent_encode(full_prefix);
    S3Request request;
    request.method = "GET";
    request.path = "/" + util::percent_encode(options_.bucket);
    request.query = query;
    request.max_response_bytes = 16 << 20;  // a page of 1000 keys of up to 1 KiB, with markup
    const S3Response response = client_->send(request);
    if (response.status != 200) {
      throw BlobError("S3 listing '" + prefix + "' failed: " + response.describe());
    }
    S3ListPage page = parse_list_page(response.body);
    for (auto& object : page.objects) {
      if (!object.key.starts_with(full_prefix)) {
        throw BlobError("S3 listed '" + object.key + "' outside the prefix asked for");
      }
      found.push_back({object.key.substr(key_prefix_.size()), object.size});
    }
    if (!page.truncated) break;
    token = std::move(page.next_continuation_token);
  }
  std::sort(found.begin(), found.end(),
            [](const BlobInfo& a, const BlobInfo& b) { return a.key < b.key; });
  return found;
}

void S3BlobStore::remove(const std::string& key) {
  check_key(key);
  S3Request request;
  request.method = "DELETE";
  request.path = object_path(key);
  const S3Response response = client_->send(request);
  if (response.status == 204 || response.status == 200 || response.status == 404) return;
  throw BlobError("S3 DELETE '" + key + "' failed: " + response.describe());
}

}  // namespace nearhub::blob
