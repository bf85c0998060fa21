#include "inference/stream_relay.h"

#include <thread>

#include <spdlog/spdlog.h>

#include "util/http_stream.h"

namespace nearhub::inference {

namespace {

// How long a 2xx upstream waits for the client's stream to be set up before giving up.
constexpr std::chrono::seconds kAttachTimeout{30};
constexpr std::size_t kMaxErrorBody = 64 * 1024;

}  // namespace

void ActiveStreams::enter() {
  std::lock_guard lock(mutex_);
  ++active_;
}

void ActiveStreams::leave() {
  std::lock_guard lock(mutex_);
  --active_;
  changed_.notify_all();
}

void ActiveStreams::stop_and_wait(std::chrono::milliseconds timeout) {
  stopping_ = true;
  std::unique_lock lock(mutex_);
  if (!changed_.wait_for(lock, timeout, [this] { return active_ == 0; })) {
    spdlog::warn("inference: {} upstream streams still running at shutdown", active_);
  }
}

StreamRelay::StreamRelay(bool hide_usage_chunk, Callbacks callbacks, ActiveStreams& active)
    : hide_usage_chunk_(hide_usage_chunk), callbacks_(std::move(callbacks)), active_(active) {}

std::shared_ptr<StreamRelay> StreamRelay::start(const Provider& provider, const std::string& path,
                                                std::string body, const UpstreamOptions& options,
                                                bool hide_usage_chunk, Callbacks callbacks,
                                                ActiveStreams& active) {
  std::shared_ptr<StreamRelay> relay(
      new StreamRelay(hide_usage_chunk, std::move(callbacks), active));
  util::HttpRequest request = upstream_request(provider, "POST", path, std::move(body), options);
  request.headers.emplace_back("Accept", "text/event-stream");
  request.total_timeout = std::chrono::milliseconds(0);  // a stream may last; idle time is bounded
  active.enter();
  std::thread([relay, request = std::move(request), idle = options.read_timeout]() mutable {
    relay->run(std::move(request), idle);
    relay->active_.leave();
  }).detach();
  return relay;
}

std::optional<UpstreamAnswer> StreamRelay::wait_for_answer() {
  std::unique_lock lock(mutex_);
  changed_.wait(lock, [this] { return answered_; });
  if (streaming_) return std::nullopt;
  return failure_;
}

void StreamRelay::attach(std::shared_ptr<http::SseWriter> writer) {
  // The client leaving cancels the upstream transfer (curl polls cancelled_).
  writer->on_close([weak = weak_from_this()] {
    if (auto self = weak.lock()) self->cancelled_ = true;
  });
  {
    std::lock_guard lock(mutex_);
    writer_ = std::move(writer);
  }
  changed_.notify_all();
}

void StreamRelay::cancel() {
  cancelled_ = true;
  changed_.notify_all();
}

void StreamRelay::run(util::HttpRequest request, std::chrono::milliseconds idle_timeout) {
  util::HttpStreamOptions options;
  options.idle_timeout = idle_timeout;
  options.cancelled = [this] { return cancelled_.load() || active_.stopping(); };
  UpstreamAnswer failure;
  bool complete = false;
  try {
    failure.status = util::stream_http_request(
        request, options,
        [this](long status, std::string_view piece) { return on_piece(status, piece); });
    complete = true;
  } catch (const util::HttpStreamCancelled&) {
    failure.transport_error = "cancelled";
  } catch (const util::HttpClientError& error) {
    failure.transport_error = error.what();
  }

  bool streaming = false;
  {
    std::lock_guard lock(mutex_);
    streaming = streaming_;
    if (!answered_) {
      // No 2xx ever came: the handler gets the failure (an empty 2xx body counts as an error).
      if (complete && failure.status >= 200 && failure.status < 300) {
        failure.status = 502;
        failure.body = "the provider closed an empty stream";
      }
      if (!complete) failure.status = 0;
      failure.body = std::move(failure_.body) + failure.body;
      failure_ = std::move(failure);
      answered_ = true;
    }
  }
  changed_.notify_all();
  if (streaming) end_stream(complete && !cancelled_.load());
}

bool StreamRelay::on_piece(long status, std::string_view piece) {
  if (status_ == 0) {
    status_ = status;
    if (status >= 200 && status < 300) {
      std::unique_lock lock(mutex_);
      streaming_ = true;
      answered_ = true;
      changed_.notify_all();
      // Pause until the client's stream exists (or never will).
      const bool attached = changed_.wait_for(
          lock, kAttachTimeout, [this] { return writer_ != nullptr || cancelled_.load(); });
      if (!attached || !writer_) return false;
    }
  }
  if (status_ < 200 || status_ >= 300) {
    std::lock_guard lock(mutex_);
    if (failure_.body.size() < kMaxErrorBody) failure_.body.append(piece);
    return true;
  }
  parser_.feed(piece, [this](const std::string& data) { on_event(data); });
  return !cancelled_.load() && !writer_->is_closed();
}

void StreamRelay::on_event(const std::string& data) {
  if (data == "[DONE]") return;  // our own [DONE] ends the client's stream
  chunks_ += data;
  nlohmann::json chunk = nlohmann::json::parse(data, nullptr, false);
  bool forward = true;
  if (chunk.is_object()) {
    const auto usage = chunk.find("usage");
    if (usage != chunk.end() && usage->is_object()) usage_ = *usage;
    const auto choices = chunk.find("choices");
    const bool usage_only = usage != chunk.end() && usage->is_object() && choices != chunk.end() &&
                            choices->is_array() && choices->empty();
    if (hide_usage_chunk_ && usage_only) forward = false;
  }
  if (!forward) return;
  writer_->send_data(data);
  if (chunk.is_object() && callbacks_.on_chunk) callbacks_.on_chunk(chunk);
}

void StreamRelay::end_stream(bool upstream_complete) {
  // Wait for the writer only if the transfer ended before attach() (a very short stream).
  {
    std::unique_lock lock(mutex_);
    changed_.wait_for(lock, kAttachTimeout,
                      [this] { return writer_ != nullptr || cancelled_.load(); });
    if (!writer_) return;
  }
  if (upstream_complete) {
    parser_.finish([this](const std::string& data) { on_event(data); });
  }
  if (writer_->is_closed()) return;  // the client left: no [DONE], no usage row (spec §4.2.4)
  if (!upstream_complete) {
    // The upstream broke off mid-stream: the client sees the stream end without [DONE].
    spdlog::warn("inference: upstream stream ended early");
    writer_->close();
    return;
  }
  if (callbacks_.on_end) callbacks_.on_end();
  writer_->send_data("[DONE]");
  writer_->close();
  if (callbacks_.on_finish) callbacks_.on_finish(chunks_, usage_);
}

}  // namespace nearhub::inference
