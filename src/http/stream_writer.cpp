#include "http/stream_writer.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "http/connection.h"

namespace nearhub::http {
namespace {

constexpr std::size_t kMaxQueuedBytes = 8 * 1024 * 1024;

}  // namespace

StreamWriter::StreamWriter(std::shared_ptr<Connection> connection, bool chunked,
                           asio::thread_pool& callback_pool)
    : chunked_(chunked),
      callback_pool_(callback_pool),
      executor_(connection->socket().get_executor()),
      connection_(std::move(connection)) {}

bool StreamWriter::write(std::string bytes) {
  std::lock_guard lock(mutex_);
  if (closing_ || ended_) return false;
  if (bytes.empty()) return true;
  if (queued_.size() + bytes.size() > kMaxQueuedBytes) {
    // The client stopped reading; dropping it beats holding an unbounded backlog.
    closing_ = true;
    asio::post(executor_, [self = shared_from_this()] { self->end(); });
    return false;
  }
  if (queued_.empty()) {
    queued_ = std::move(bytes);
  } else {
    queued_.append(bytes);
  }
  schedule_flush();
  return true;
}

void StreamWriter::close() {
  std::lock_guard lock(mutex_);
  if (closing_ || ended_) return;
  closing_ = true;
  schedule_flush();
}

bool StreamWriter::is_closed() const {
  std::lock_guard lock(mutex_);
  return closing_ || ended_;
}

void StreamWriter::on_close(std::function<void()> callback) {
  {
    std::lock_guard lock(mutex_);
    if (!ended_) {
      on_close_.push_back(std::move(callback));
      return;
    }
  }
  callback();
}

void StreamWriter::schedule_flush() {
  if (flush_scheduled_) return;
  flush_scheduled_ = true;
  asio::post(executor_, [self = shared_from_this()] { self->flush(); });
}

void StreamWriter::flush() {
  // A write in flight picks up whatever was queued meanwhile when it completes.
  if (writing_) return;
  std::string data;
  bool last;
  {
    std::lock_guard lock(mutex_);
    flush_scheduled_ = false;
    if (ended_) return;
    data.swap(queued_);
    last = closing_;
  }
  if (data.empty() && !last) return;

  chunk_.clear();
  if (chunked_) {
    if (!data.empty()) {
      fmt::format_to(std::back_inserter(chunk_), "{:x}\r\n", data.size());
      chunk_.append(data).append("\r\n");
    }
    if (last) chunk_.append("0\r\n\r\n");
  } else {
    chunk_ = std::move(data);
  }
  if (chunk_.empty()) {
    end();
    return;
  }
  writing_ = true;
  asio::async_write(connection_->socket(), asio::buffer(chunk_),
                    [self = shared_from_this(), last](error_code ec, std::size_t) {
                      self->writing_ = false;
                      if (ec || last) {
                        self->end();
                      } else {
                        self->flush();
                      }
                    });
}

void StreamWriter::end() {
  std::vector<std::function<void()>> callbacks;
  {
    std::lock_guard lock(mutex_);
    if (ended_) return;
    ended_ = true;
    closing_ = true;
    queued_.clear();
    callbacks.swap(on_close_);
  }
  connection_->close_socket();
  connection_.reset();
  for (auto& callback : callbacks) {
    asio::post(callback_pool_, [callback = std::move(callback)] {
      try {
        callback();
      } catch (const std::exception& error) {
        spdlog::error("stream on_close callback failed: {}", error.what());
      }
    });
  }
}

}  // namespace nearhub::http
