#include "inference/stream_relay.h"

#include <spdlog/spdlog.h>

namespace nearhub::inference {

namespace {

constexpr std::size_t kMaxErrorBody = 64 * 1024;
using PieceAction = util::AsyncHttpClient::PieceAction;

bool success(long status) { return status >= 200 && status < 300; }

// Whether a chunk carries generated text: choices[0].delta.content (chat) or choices[0].text.
bool carries_text(const nlohmann::json& chunk) {
  const auto choices = chunk.find("choices");
  if (choices == chunk.end() || !choices->is_array() || choices->empty()) return false;
  const nlohmann::json& choice = (*choices)[0];
  if (!choice.is_object()) return false;
  const auto text = choice.find("text");
  if (text != choice.end() && text->is_string() && !text->get_ref<const std::string&>().empty()) {
    return true;
  }
  const auto delta = choice.find("delta");
  if (delta == choice.end() || !delta->is_object()) return false;
  const auto content = delta->find("content");
  return content != delta->end() && content->is_string() &&
         !content->get_ref<const std::string&>().empty();
}

}  // namespace

StreamRelay::StreamRelay(bool hide_usage_chunk, Callbacks callbacks, OnAnswer on_answer)
    : hide_usage_chunk_(hide_usage_chunk),
      callbacks_(std::move(callbacks)),
      on_answer_(std::move(on_answer)) {}

std::shared_ptr<StreamRelay> StreamRelay::start(
    util::AsyncHttpClient& client, const Provider& provider, const std::string& path,
    std::string body, const UpstreamOptions& options, bool hide_usage_chunk, Callbacks callbacks,
    OnAnswer on_answer, util::AsyncHttpClient::Clock::time_point not_before) {
  std::shared_ptr<StreamRelay> relay(
      new StreamRelay(hide_usage_chunk, std::move(callbacks), std::move(on_answer)));
  util::HttpRequest request = upstream_request(provider, "POST", path, std::move(body), options);
  request.headers.emplace_back("Accept", "text/event-stream");
  request.total_timeout = std::chrono::milliseconds(0);  // a stream may last; idle time is bounded
  // The transfer's callbacks keep the relay alive until it ends.
  util::AsyncHttpClient::StreamCallbacks transfer;
  transfer.on_piece = [relay](long status, std::string_view piece) {
    return relay->on_piece(status, piece);
  };
  transfer.done = [relay](util::HttpOutcome outcome) { relay->on_done(std::move(outcome)); };
  auto control =
      client.stream(std::move(request), std::move(transfer), options.read_timeout, not_before);
  // The upstream may have answered already, and the client's stream may exist already.
  bool resume = false;
  bool cancel = false;
  {
    std::lock_guard lock(relay->mutex_);
    relay->control_ = control;
    resume = relay->writer_ != nullptr;
    cancel = relay->cancelled_;
  }
  if (cancel) {
    control->cancel();
  } else if (resume) {
    control->resume();
  }
  return relay;
}

void StreamRelay::attach(std::shared_ptr<http::SseWriter> writer) {
  // The client leaving cancels the upstream transfer.
  writer->on_close([weak = weak_from_this()] {
    if (auto self = weak.lock()) self->cancel();
  });
  std::shared_ptr<util::AsyncHttpClient::TransferControl> control;
  {
    std::lock_guard lock(mutex_);
    writer_ = std::move(writer);
    control = control_;
  }
  if (control) control->resume();
}

void StreamRelay::cancel() {
  std::shared_ptr<util::AsyncHttpClient::TransferControl> control;
  {
    std::lock_guard lock(mutex_);
    cancelled_ = true;
    control = control_;
  }
  if (control) control->cancel();
}

void StreamRelay::answer(std::optional<UpstreamAnswer> failure) {
  answered_ = true;
  OnAnswer on_answer = std::move(on_answer_);
  on_answer_ = nullptr;
  on_answer(shared_from_this(), std::move(failure));
}

PieceAction StreamRelay::on_piece(long status, std::string_view piece) {
  if (status_ == 0) {
    status_ = status;
    if (success(status)) answer(std::nullopt);
  }
  if (!success(status_)) {
    if (failure_.body.size() < kMaxErrorBody) failure_.body.append(piece);
    return PieceAction::Continue;
  }
  if (!attached_) {
    std::lock_guard lock(mutex_);
    if (cancelled_) return PieceAction::Stop;
    attached_ = writer_;
  }
  // Held by curl until attach() resumes the transfer.
  if (!attached_) return PieceAction::Pause;
  parser_.feed(piece, [this](const std::string& data) { on_event(data); });
  return attached_->is_closed() ? PieceAction::Stop : PieceAction::Continue;
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
  if (chunk.is_object() && carries_text(chunk)) ++text_chunks_;
  attached_->send_data(data);
  if (chunk.is_object() && callbacks_.on_chunk) callbacks_.on_chunk(chunk);
}

void StreamRelay::on_done(util::HttpOutcome outcome) {
  const bool complete = outcome.status != 0;
  if (!answered_) {
    // No 2xx ever came: the caller gets the failure (an empty 2xx body counts as one).
    UpstreamAnswer failure;
    failure.status = outcome.status;
    failure.body = std::move(failure_.body);
    failure.transport_error = std::move(outcome.error);
    failure.retry_after = outcome.retry_after;
    if (success(failure.status)) {
      failure.status = 502;
      failure.body = "the provider closed an empty stream";
    }
    answer(std::move(failure));
    return;
  }
  if (!attached_) return;  // cancelled before the client's stream existed
  if (complete) parser_.finish([this](const std::string& data) { on_event(data); });
  if (attached_->is_closed()) {
    // The client left: no [DONE]; what was generated until then is still accounted for.
    if (callbacks_.on_abandoned) callbacks_.on_abandoned(chunks_, text_chunks_);
    return;
  }
  if (!complete) {
    // The upstream broke off mid-stream (or the hub is stopping): the client sees the stream
    // end without [DONE].
    spdlog::warn("inference: upstream stream ended early: {}", outcome.error);
    attached_->close();
    return;
  }
  if (!callbacks_.on_end) return finish();
  // The transfer is over: from here on only `then` touches the relay, on whichever thread.
  callbacks_.on_end([self = shared_from_this()] { self->finish(); });
}

void StreamRelay::finish() {
  attached_->send_data("[DONE]");
  attached_->close();
  if (callbacks_.on_finish) callbacks_.on_finish(chunks_, usage_);
}

}  // namespace nearhub::inference
