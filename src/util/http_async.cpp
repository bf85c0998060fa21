#include "util/http_async.h"

#include <curl/curl.h>

#include <algorithm>
#include <map>
#include <mutex>
#include <thread>
#include <unordered_map>
#include <vector>

#include <spdlog/spdlog.h>

#include "util/curl_handle.h"

namespace nearhub::util {
namespace {

constexpr auto kIdlePoll = std::chrono::milliseconds(1000);

struct Transfer {
  HttpRequest request;
  AsyncHttpClient::Done done;
  AsyncHttpClient::Clock::time_point not_before;
  CurlHandle handle;
  CurlHeaderList headers;
  HttpOutcome outcome;
};

std::size_t append_body(char* data, std::size_t size, std::size_t count, void* user) {
  static_cast<Transfer*>(user)->outcome.body.append(data, size * count);
  return size * count;
}

std::string describe(const HttpRequest& request, const std::string& reason) {
  return request.method + " " + request.url + ": " + reason;
}

// `done` must not throw into the loop: a failing callback would stop every other transfer.
void finish(std::unique_ptr<Transfer> transfer) {
  try {
    transfer->done(std::move(transfer->outcome));
  } catch (const std::exception& error) {
    spdlog::error("outbound HTTP callback for {} failed: {}", transfer->request.url, error.what());
  }
}

}  // namespace

struct AsyncHttpClient::Impl {
  CurlMultiHandle multi_handle = make_curl_multi();
  CURLM* const multi = multi_handle.get();
  std::mutex mutex;
  std::vector<std::unique_ptr<Transfer>> submitted;  // guarded by mutex
  bool stopping = false;                             // guarded by mutex
  std::thread thread;

  // Owned by the thread.
  std::multimap<Clock::time_point, std::unique_ptr<Transfer>> waiting;
  std::unordered_map<CURL*, std::unique_ptr<Transfer>> running;

  void loop();
  void start(std::unique_ptr<Transfer> transfer);
  void collect_finished();
  std::chrono::milliseconds poll_timeout() const;
  void fail_everything();
};

void AsyncHttpClient::Impl::start(std::unique_ptr<Transfer> transfer) {
  try {
    transfer->handle = make_curl_handle();
    transfer->headers = make_curl_headers(transfer->request.headers);
  } catch (const HttpClientError& error) {
    transfer->outcome.error = describe(transfer->request, error.what());
    finish(std::move(transfer));
    return;
  }
  CURL* handle = transfer->handle.get();
  apply_request(handle, transfer->request, transfer->headers.get());
  curl_easy_setopt(handle, CURLOPT_WRITEFUNCTION, append_body);
  curl_easy_setopt(handle, CURLOPT_WRITEDATA, transfer.get());
  if (curl_multi_add_handle(multi, handle) != CURLM_OK) {
    transfer->outcome.error = describe(transfer->request, "could not start the transfer");
    finish(std::move(transfer));
    return;
  }
  running.emplace(handle, std::move(transfer));
}

void AsyncHttpClient::Impl::collect_finished() {
  int queued = 0;
  while (CURLMsg* message = curl_multi_info_read(multi, &queued)) {
    if (message->msg != CURLMSG_DONE) continue;
    CURL* handle = message->easy_handle;
    const CURLcode result = message->data.result;
    curl_multi_remove_handle(multi, handle);
    auto found = running.find(handle);
    if (found == running.end()) continue;
    std::unique_ptr<Transfer> transfer = std::move(found->second);
    running.erase(found);
    if (result == CURLE_OK) {
      curl_easy_getinfo(handle, CURLINFO_RESPONSE_CODE, &transfer->outcome.status);
    } else {
      transfer->outcome.body.clear();
      transfer->outcome.error = describe(transfer->request, curl_easy_strerror(result));
    }
    finish(std::move(transfer));
  }
}

std::chrono::milliseconds AsyncHttpClient::Impl::poll_timeout() const {
  if (waiting.empty()) return kIdlePoll;
  const auto until =
      std::chrono::ceil<std::chrono::milliseconds>(waiting.begin()->first - Clock::now());
  return std::clamp(until, std::chrono::milliseconds(0), kIdlePoll);
}

void AsyncHttpClient::Impl::loop() {
  for (;;) {
    std::vector<std::unique_ptr<Transfer>> arrived;
    {
      std::lock_guard lock(mutex);
      if (stopping) break;
      arrived.swap(submitted);
    }
    const auto now = Clock::now();
    for (auto& transfer : arrived) {
      if (transfer->not_before <= now) {
        start(std::move(transfer));
      } else {
        const auto when = transfer->not_before;
        waiting.emplace(when, std::move(transfer));
      }
    }
    while (!waiting.empty() && waiting.begin()->first <= now) {
      std::unique_ptr<Transfer> transfer = std::move(waiting.begin()->second);
      waiting.erase(waiting.begin());
      start(std::move(transfer));
    }
    int still_running = 0;
    curl_multi_perform(multi, &still_running);
    collect_finished();
    // Woken early by curl_multi_wakeup when send() or stop() has news.
    curl_multi_poll(multi, nullptr, 0, static_cast<int>(poll_timeout().count()), nullptr);
  }
  fail_everything();
}

void AsyncHttpClient::Impl::fail_everything() {
  std::vector<std::unique_ptr<Transfer>> abandoned;
  for (auto& [handle, transfer] : running) {
    curl_multi_remove_handle(multi, handle);
    abandoned.push_back(std::move(transfer));
  }
  running.clear();
  for (auto& [when, transfer] : waiting) abandoned.push_back(std::move(transfer));
  waiting.clear();
  {
    std::lock_guard lock(mutex);
    for (auto& transfer : submitted) abandoned.push_back(std::move(transfer));
    submitted.clear();
  }
  for (auto& transfer : abandoned) {
    transfer->outcome = {};
    transfer->outcome.error = describe(transfer->request, "shutting down");
    finish(std::move(transfer));
  }
}

AsyncHttpClient::AsyncHttpClient() : impl_(std::make_unique<Impl>()) {
  impl_->thread = std::thread([impl = impl_.get()] { impl->loop(); });
}

AsyncHttpClient::~AsyncHttpClient() { stop(); }

void AsyncHttpClient::send(HttpRequest request, Done done, Clock::time_point not_before) {
  auto transfer = std::make_unique<Transfer>();
  transfer->request = std::move(request);
  transfer->done = std::move(done);
  transfer->not_before = not_before;
  {
    std::lock_guard lock(impl_->mutex);
    if (!impl_->stopping) {
      impl_->submitted.push_back(std::move(transfer));
    }
  }
  if (transfer) {
    transfer->outcome.error = describe(transfer->request, "shutting down");
    finish(std::move(transfer));
    return;
  }
  curl_multi_wakeup(impl_->multi);
}

void AsyncHttpClient::stop() {
  {
    std::lock_guard lock(impl_->mutex);
    impl_->stopping = true;
  }
  curl_multi_wakeup(impl_->multi);
  if (impl_->thread.joinable()) impl_->thread.join();
}

}  // namespace nearhub::util
