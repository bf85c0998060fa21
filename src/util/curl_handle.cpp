#include "util/curl_handle.h"

#include <array>
#include <mutex>

#include "util/http_client.h"

namespace nearhub::util {
namespace {

// The share object's locks: libcurl asks for one per kind of shared data.
std::array<std::mutex, CURL_LOCK_DATA_LAST> share_locks;

void lock_share(CURL*, curl_lock_data data, curl_lock_access, void*) {
  share_locks[static_cast<std::size_t>(data)].lock();
}
void unlock_share(CURL*, curl_lock_data data, void*) {
  share_locks[static_cast<std::size_t>(data)].unlock();
}

// Created once, before the first handle (curl_global_init is not thread-safe), and kept for the
// life of the process: handles may be cleaned up on any thread at any time.
CURLSH* process_share() {
  static CURLSH* share = [] {
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
      throw HttpClientError("libcurl could not be initialised");
    }
    CURLSH* created = curl_share_init();
    if (created == nullptr) throw HttpClientError("libcurl could not create a share object");
    curl_share_setopt(created, CURLSHOPT_LOCKFUNC, lock_share);
    curl_share_setopt(created, CURLSHOPT_UNLOCKFUNC, unlock_share);
    curl_share_setopt(created, CURLSHOPT_SHARE, CURL_LOCK_DATA_CONNECT);
    curl_share_setopt(created, CURLSHOPT_SHARE, CURL_LOCK_DATA_DNS);
    return created;
  }();
  return share;
}

}  // namespace

CurlHandle make_curl_handle() {
  CURLSH* share = process_share();
  CurlHandle handle(curl_easy_init());
  if (!handle) throw HttpClientError("libcurl could not create a handle");
  curl_easy_setopt(handle.get(), CURLOPT_SHARE, share);
  return handle;
}

CurlMultiHandle make_curl_multi() {
  process_share();  // curl_global_init runs before the first handle of any kind
  CurlMultiHandle multi(curl_multi_init());
  if (!multi) throw HttpClientError("libcurl could not create a multi handle");
  return multi;
}

CurlHeaderList make_curl_headers(const std::vector<std::pair<std::string, std::string>>& headers) {
  CurlHeaderList list;
  for (const auto& [name, value] : headers) {
    const std::string line = name + ": " + value;
    curl_slist* extended = curl_slist_append(list.get(), line.c_str());
    if (extended == nullptr) throw HttpClientError("libcurl could not allocate a header");
    static_cast<void>(list.release());  // `extended` is the same list, grown
    list.reset(extended);
  }
  return list;
}

void apply_request(CURL* handle, const HttpRequest& request, curl_slist* headers) {
  curl_easy_setopt(handle, CURLOPT_URL, request.url.c_str());
  curl_easy_setopt(handle, CURLOPT_CUSTOMREQUEST, request.method.c_str());
  if (request.method == "HEAD") curl_easy_setopt(handle, CURLOPT_NOBODY, 1L);
  if (!request.body.empty()) {
    curl_easy_setopt(handle, CURLOPT_POSTFIELDS, request.body.data());
    curl_easy_setopt(handle, CURLOPT_POSTFIELDSIZE_LARGE,
                     static_cast<curl_off_t>(request.body.size()));
  }
  curl_easy_setopt(handle, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(handle, CURLOPT_CONNECTTIMEOUT_MS,
                   static_cast<long>(request.connect_timeout.count()));
  curl_easy_setopt(handle, CURLOPT_TIMEOUT_MS, static_cast<long>(request.total_timeout.count()));
  // Signals cannot interrupt DNS on worker threads; without this, timeouts use SIGALRM.
  curl_easy_setopt(handle, CURLOPT_NOSIGNAL, 1L);
}

}  // namespace nearhub::util
