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

using PieceAction = AsyncHttpClient::PieceAction;

struct Transfer {
  std::uint64_t id = 0;
  HttpRequest request;
  AsyncHttpClient::Done done;
  // Streams only: where the body goes, and the silence that aborts them.
  std::function<PieceAction(long, std::string_view)> on_piece;
  std::chrono::milliseconds idle_timeout{0};
  AsyncHttpClient::Clock::time_point not_before;
  CurlHandle handle;
  CurlHeaderList headers;
  HttpOutcome outcome;
  bool stopped = false;  // by on_piece or a cancel: the outcome is "cancelled"
};

std::size_t on_body(char* data, std::size_t size, std::size_t count, void* user) {
  auto* transfer = static_cast<Transfer*>(user);
  const std::size_t length = size * count;
  if (!transfer->on_piece) {
    transfer->outcome.body.append(data, length);
    return length;
  }
  long status = 0;
  curl_easy_getinfo(transfer->handle.get(), CURLINFO_RESPONSE_CODE, &status);
  switch (transfer->on_piece(status, std::string_view(data, length))) {
    case PieceAction::Continue:
      return length;
    case PieceAction::Pause:
      return CURL_WRITEFUNC_PAUSE;
    case PieceAction::Stop:
      break;
  }
  transfer->stopped = true;
  return 0;  // anything short of `length` makes curl abort with CURLE_WRITE_ERROR
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

void finish_with_error(std::unique_ptr<Transfer> transfer, const std::string& reason) {
  transfer->outcome = {};
  transfer->outcome.error = describe(transfer->request, reason);
  finish(std::move(transfer));
}

}  // namespace

struct AsyncHttpClient::Impl {
  CurlMultiHandle multi_handle = make_curl_multi();
  CURLM* const multi = multi_handle.get();
  std::thread thread;

  struct Command {
    std::uint64_t id;
    bool cancel;  // else resume
  };
  std::mutex mutex;
  std::vector<std::unique_ptr<Transfer>> submitted;  // guarded by mutex
  std::vector<Command> commands;                     // guarded by mutex
  bool stopping = false;                             // guarded by mutex
  std::uint64_t last_id = 0;                         // guarded by mutex

  // Owned by the thread.
  std::multimap<Clock::time_point, std::unique_ptr<Transfer>> waiting;
  std::unordered_map<std::uint64_t, std::unique_ptr<Transfer>> running;

  // Queues a transfer and returns its id; 0 (nothing queued) once stopping.
  std::uint64_t submit(std::unique_ptr<Transfer>& transfer);
  void command(Command command);
  void loop();
  void start(std::unique_ptr<Transfer> transfer);
  void apply(const Command& command);
  void collect_finished();
  std::chrono::milliseconds poll_timeout() const;
  void fail_everything();
};

std::uint64_t AsyncHttpClient::Impl::submit(std::unique_ptr<Transfer>& transfer) {
  std::uint64_t id = 0;
  {
    std::lock_guard lock(mutex);
    if (stopping) return 0;
    id = transfer->id = ++last_id;
    submitted.push_back(std::move(transfer));
  }
  curl_multi_wakeup(multi);
  return id;
}

void AsyncHttpClient::Impl::command(Command command) {
  {
    std::lock_guard lock(mutex);
    if (stopping) return;
    commands.push_back(command);
  }
  curl_multi_wakeup(multi);
}

void AsyncHttpClient::Impl::start(std::unique_ptr<Transfer> transfer) {
  try {
    transfer->handle = make_curl_handle();
    transfer->headers = make_curl_headers(transfer->request.headers);
  } catch (const HttpClientError& error) {
    finish_with_error(std::move(transfer), error.what());
    return;
  }
  CURL* handle = transfer->handle.get();
  apply_request(handle, transfer->request, transfer->headers.get());
  curl_easy_setopt(handle, CURLOPT_WRITEFUNCTION, on_body);
  curl_easy_setopt(handle, CURLOPT_WRITEDATA, transfer.get());
  curl_easy_setopt(handle, CURLOPT_PRIVATE, transfer.get());
  if (transfer->on_piece) {
    // Relay small pieces at once rather than coalescing them.
    curl_easy_setopt(handle, CURLOPT_TCP_NODELAY, 1L);
    if (transfer->idle_timeout.count() > 0) {
      // "Fewer than 1 byte/s for N seconds" is curl's idle timeout.
      curl_easy_setopt(handle, CURLOPT_LOW_SPEED_LIMIT, 1L);
      curl_easy_setopt(
          handle, CURLOPT_LOW_SPEED_TIME,
          static_cast<long>(std::max<std::int64_t>(
              1, std::chrono::ceil<std::chrono::seconds>(transfer->idle_timeout).count())));
    }
  }
  if (curl_multi_add_handle(multi, handle) != CURLM_OK) {
    finish_with_error(std::move(transfer), "could not start the transfer");
    return;
  }
  running.emplace(transfer->id, std::move(transfer));
}

void AsyncHttpClient::Impl::apply(const Command& command) {
  if (auto found = running.find(command.id); found != running.end()) {
    CURL* handle = found->second->handle.get();
    if (!command.cancel) {
      // May deliver the held piece at once (on_piece runs inside this call).
      curl_easy_pause(handle, CURLPAUSE_CONT);
      return;
    }
    curl_multi_remove_handle(multi, handle);
    std::unique_ptr<Transfer> transfer = std::move(found->second);
    running.erase(found);
    finish_with_error(std::move(transfer), "cancelled");
    return;
  }
  if (!command.cancel) return;
  for (auto it = waiting.begin(); it != waiting.end(); ++it) {
    if (it->second->id != command.id) continue;
    std::unique_ptr<Transfer> transfer = std::move(it->second);
    waiting.erase(it);
    finish_with_error(std::move(transfer), "cancelled");
    return;
  }
}

void AsyncHttpClient::Impl::collect_finished() {
  int queued = 0;
  while (CURLMsg* message = curl_multi_info_read(multi, &queued)) {
    if (message->msg != CURLMSG_DONE) continue;
    CURL* handle = message->easy_handle;
    const CURLcode result = message->data.result;
    Transfer* raw = nullptr;
    curl_easy_getinfo(handle, CURLINFO_PRIVATE, &raw);
    curl_multi_remove_handle(multi, handle);
    auto found = raw == nullptr ? running.end() : running.find(raw->id);
    if (found == running.end()) continue;
    std::unique_ptr<Transfer> transfer = std::move(found->second);
    running.erase(found);
    if (transfer->stopped) {
      finish_with_error(std::move(transfer), "cancelled");
    } else if (result != CURLE_OK) {
      finish_with_error(std::move(transfer), curl_easy_strerror(result));
    } else {
      curl_easy_getinfo(handle, CURLINFO_RESPONSE_CODE, &transfer->outcome.status);
      curl_off_t retry_after = 0;
      curl_easy_getinfo(handle, CURLINFO_RETRY_AFTER, &retry_after);
      transfer->outcome.retry_after = std::chrono::seconds(retry_after);
      finish(std::move(transfer));
    }
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
    std::vector<Command> orders;
    {
      std::lock_guard lock(mutex);
      if (stopping) break;
      arrived.swap(submitted);
      orders.swap(commands);
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
    // After the arrivals, so that a stream cancelled right after it was sent is found.
    for (const Command& order : orders) apply(order);
    while (!waiting.empty() && waiting.begin()->first <= now) {
      std::unique_ptr<Transfer> transfer = std::move(waiting.begin()->second);
      waiting.erase(waiting.begin());
      start(std::move(transfer));
    }
    int still_running = 0;
    curl_multi_perform(multi, &still_running);
    collect_finished();
    // Woken early by curl_multi_wakeup when send(), a command or stop() has news.
    curl_multi_poll(multi, nullptr, 0, static_cast<int>(poll_timeout().count()), nullptr);
  }
  fail_everything();
}

void AsyncHttpClient::Impl::fail_everything() {
  std::vector<std::unique_ptr<Transfer>> abandoned;
  for (auto& [id, transfer] : running) {
    curl_multi_remove_handle(multi, transfer->handle.get());
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
  for (auto& transfer : abandoned) finish_with_error(std::move(transfer), "shutting down");
}

AsyncHttpClient::AsyncHttpClient() : impl_(std::make_shared<Impl>()) {
  impl_->thread = std::thread([impl = impl_.get()] { impl->loop(); });
}

AsyncHttpClient::~AsyncHttpClient() { stop(); }

std::shared_ptr<AsyncHttpClient::TransferControl> AsyncHttpClient::send(
    HttpRequest request, Done done, Clock::time_point not_before) {
  auto transfer = std::make_unique<Transfer>();
  transfer->request = std::move(request);
  transfer->done = std::move(done);
  transfer->not_before = not_before;
  auto control = std::make_shared<TransferControl>();
  control->client_ = impl_;
  control->id_ = impl_->submit(transfer);
  if (control->id_ == 0) finish_with_error(std::move(transfer), "shutting down");
  return control;
}

std::shared_ptr<AsyncHttpClient::TransferControl> AsyncHttpClient::stream(
    HttpRequest request, StreamCallbacks callbacks, std::chrono::milliseconds idle_timeout,
    Clock::time_point not_before) {
  auto transfer = std::make_unique<Transfer>();
  transfer->request = std::move(request);
  transfer->done = std::move(callbacks.done);
  transfer->on_piece = std::move(callbacks.on_piece);
  transfer->idle_timeout = idle_timeout;
  transfer->not_before = not_before;
  auto control = std::make_shared<TransferControl>();
  control->client_ = impl_;
  control->id_ = impl_->submit(transfer);
  if (control->id_ == 0) finish_with_error(std::move(transfer), "shutting down");
  return control;
}

void AsyncHttpClient::TransferControl::command(bool cancel) const {
  if (auto client = client_.lock()) client->command({id_, cancel});
}

void AsyncHttpClient::TransferControl::resume() { command(false); }
void AsyncHttpClient::TransferControl::cancel() { command(true); }

void AsyncHttpClient::stop() {
  {
    std::lock_guard lock(impl_->mutex);
    impl_->stopping = true;
  }
  curl_multi_wakeup(impl_->multi);
  if (impl_->thread.joinable()) impl_->thread.join();
}

}  // namespace nearhub::util
