#include "blob/s3_client.h"

#include <curl/curl.h>

#include <algorithm>
#include <cctype>
#include <exception>

#include "blob/blob_store.h"
#include "blob/s3_xml.h"

namespace nearhub::blob {
namespace {

void ensure_curl_initialized() {
  static std::once_flag once;
  std::call_once(once, [] {
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
      throw BlobError("libcurl could not be initialised");
    }
  });
}

struct HeaderListDeleter {
  void operator()(curl_slist* list) const { curl_slist_free_all(list); }
};

// What the callbacks of one transfer share. Callbacks must not throw through libcurl, so a
// failure is parked here and rethrown after curl_easy_perform returns.
struct Transfer {
  S3Response response;
  std::size_t max_response_bytes = 0;
  bool response_too_large = false;
  const S3Upload* upload = nullptr;
  std::uint64_t sent = 0;
  std::exception_ptr upload_error;
};

std::size_t on_body(char* data, std::size_t size, std::size_t count, void* user) {
  auto& transfer = *static_cast<Transfer*>(user);
  const std::size_t n = size * count;
  if (transfer.response.body.size() + n > transfer.max_response_bytes) {
    transfer.response_too_large = true;
    return 0;  // aborts the transfer
  }
  transfer.response.body.append(data, n);
  return n;
}

std::size_t on_header(char* data, std::size_t size, std::size_t count, void* user) {
  auto& transfer = *static_cast<Transfer*>(user);
  const std::size_t n = size * count;
  std::string line(data, n);
  while (!line.empty() && (line.back() == '\r' || line.back() == '\n')) line.pop_back();
  if (line.starts_with("HTTP/")) {
    transfer.response.headers.clear();  // a new response (after "100 Continue")
    return n;
  }
  const std::size_t colon = line.find(':');
  if (colon == std::string::npos) return n;
  std::string name = line.substr(0, colon);
  std::transform(name.begin(), name.end(), name.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  std::size_t value_start = colon + 1;
  while (value_start < line.size() && line[value_start] == ' ') ++value_start;
  transfer.response.headers[name] = line.substr(value_start);
  return n;
}

std::size_t on_upload(char* buffer, std::size_t size, std::size_t count, void* user) {
  auto& transfer = *static_cast<Transfer*>(user);
  const S3Upload& upload = *transfer.upload;
  try {
    const std::uint64_t left = upload.size - transfer.sent;
    if (left == 0) return 0;  // an empty body (libcurl stops asking after the declared size)
    const std::size_t want = static_cast<std::size_t>(std::min<std::uint64_t>(size * count, left));
    const std::size_t n = upload.source->read(buffer, want);
    if (n == 0) throw BlobError("blob source ended before its declared size");
    transfer.sent += n;
    if (transfer.sent > upload.max_bytes) {
      throw BlobTooLarge("blob larger than " + std::to_string(upload.max_bytes) + " bytes");
    }
    if (transfer.sent == upload.size) {
      // The last declared bytes: a source holding more than it said must not be stored cut
      // short, and aborting now, before they are sent, makes S3 discard the whole request.
      char probe;
      if (upload.source->read(&probe, 1) != 0) {
        throw BlobError("blob source holds more bytes than its declared size");
      }
    }
    return n;
  } catch (...) {
    transfer.upload_error = std::current_exception();
    return CURL_READFUNC_ABORT;
  }
}

}  // namespace

std::string S3Response::describe() const {
  std::string text = std::to_string(status);
  if (!error_code.empty()) text += " " + error_code;
  if (!error_message.empty()) text += ": " + error_message;
  return text;
}

// Idle handles keep their connection caches; shared with nothing else.
struct S3Client::Pool {
  std::mutex mutex;
  std::vector<CURL*> idle;
  ~Pool() {
    for (CURL* handle : idle) curl_easy_cleanup(handle);
  }
  CURL* take() {
    {
      const std::lock_guard lock(mutex);
      if (!idle.empty()) {
        CURL* handle = idle.back();
        idle.pop_back();
        curl_easy_reset(handle);
        return handle;
      }
    }
    CURL* handle = curl_easy_init();
    if (handle == nullptr) throw BlobError("libcurl could not create a handle");
    return handle;
  }
  void give_back(CURL* handle) {
    const std::lock_guard lock(mutex);
    idle.push_back(handle);
  }
};

S3Client::S3Client(S3Connection connection)
    : connection_(std::move(connection)), pool_(std::make_shared<Pool>()) {
  ensure_curl_initialized();
}

S3Client::~S3Client() = default;

S3Response S3Client::send(const S3Request& request) {
  // Every header we add is signed by libcurl; S3 requires x-amz-content-sha256 on every request:
  // the hash of the empty body, or UNSIGNED-PAYLOAD for streamed bodies (TLS protects them, and
  // hashing first would mean reading the stream twice).
  static const std::string kEmptySha256 =
      "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
  std::unique_ptr<curl_slist, HeaderListDeleter> headers;
  auto add_header = [&](const std::string& line) {
    curl_slist* extended = curl_slist_append(headers.get(), line.c_str());
    if (extended == nullptr) throw BlobError("libcurl could not allocate a header");
    static_cast<void>(headers.release());
    headers.reset(extended);
  };
  for (const auto& [name, value] : request.headers) add_header(name + ": " + value);
  if (!connection_.session_token.empty()) {
    add_header("x-amz-security-token: " + connection_.session_token);
  }
  const bool has_body = request.upload && request.upload->size > 0;
  add_header(std::string("x-amz-content-sha256: ") +
             (has_body ? "UNSIGNED-PAYLOAD" : kEmptySha256));

  const std::string url =
      connection_.endpoint + request.path + (request.query.empty() ? "" : "?" + request.query);
  const std::string sigv4 = "aws:amz:" + connection_.region + ":s3";

  Transfer transfer;
  transfer.max_response_bytes = request.max_response_bytes;
  transfer.upload = request.upload ? &*request.upload : nullptr;

  CURL* handle = pool_->take();
  struct GiveBack {
    Pool& pool;
    CURL* handle;
    ~GiveBack() { pool.give_back(handle); }
  } give_back{*pool_, handle};

  curl_easy_setopt(handle, CURLOPT_URL, url.c_str());
  curl_easy_setopt(handle, CURLOPT_AWS_SIGV4, sigv4.c_str());
  curl_easy_setopt(handle, CURLOPT_USERNAME, connection_.access_key.c_str());
  curl_easy_setopt(handle, CURLOPT_PASSWORD, connection_.secret_key.c_str());
  curl_easy_setopt(handle, CURLOPT_HTTPHEADER, headers.get());
  curl_easy_setopt(handle, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(handle, CURLOPT_CONNECTTIMEOUT_MS,
                   static_cast<long>(connection_.connect_timeout.count()));
  curl_easy_setopt(handle, CURLOPT_WRITEFUNCTION, on_body);
  curl_easy_setopt(handle, CURLOPT_WRITEDATA, &transfer);
  curl_easy_setopt(handle, CURLOPT_HEADERFUNCTION, on_header);
  curl_easy_setopt(handle, CURLOPT_HEADERDATA, &transfer);
  if (request.upload) {
    curl_easy_setopt(handle, CURLOPT_UPLOAD, 1L);  // PUT with Content-Length
    curl_easy_setopt(handle, CURLOPT_INFILESIZE_LARGE,
                     static_cast<curl_off_t>(request.upload->size));
    curl_easy_setopt(handle, CURLOPT_READFUNCTION, on_upload);
    curl_easy_setopt(handle, CURLOPT_READDATA, &transfer);
  } else if (request.method == "HEAD") {
    curl_easy_setopt(handle, CURLOPT_NOBODY, 1L);
  } else if (request.method != "GET") {
    curl_easy_setopt(handle, CURLOPT_CUSTOMREQUEST, request.method.c_str());
  }
  // Uploads, ranged reads and server-side copies of large objects may take long on a slow link:
  // give up on a stalled transfer rather than on a slow one. Requests that move no payload
  // (HEAD, DELETE) also get a fixed deadline.
  curl_easy_setopt(handle, CURLOPT_LOW_SPEED_LIMIT, 1024L);
  curl_easy_setopt(handle, CURLOPT_LOW_SPEED_TIME,
                   static_cast<long>(connection_.stall_timeout.count()));
  if (request.method == "HEAD" || request.method == "DELETE") {
    curl_easy_setopt(handle, CURLOPT_TIMEOUT_MS,
                     static_cast<long>(connection_.request_timeout.count()));
  }

  const CURLcode result = curl_easy_perform(handle);
  if (transfer.upload_error) std::rethrow_exception(transfer.upload_error);
  if (transfer.response_too_large) {
    throw BlobError("S3 answered " + request.method + " " + request.path + " with more than " +
                    std::to_string(request.max_response_bytes) + " bytes");
  }
  if (result != CURLE_OK) {
    throw BlobError("S3 request " + request.method + " " + request.path +
                    " failed: " + curl_easy_strerror(result));
  }
  curl_easy_getinfo(handle, CURLINFO_RESPONSE_CODE, &transfer.response.status);
  S3Response response = std::move(transfer.response);
  if (response.status >= 300 && response.body.find("<Error>") != std::string::npos) {
    response.error_code = xml_element_text(response.body, "Code").value_or("");
    response.error_message = xml_element_text(response.body, "Message").value_or("");
  }
  return response;
}

}  // namespace nearhub::blob
