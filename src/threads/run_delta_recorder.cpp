#include "threads/run_delta_recorder.h"

#include <algorithm>

#include <spdlog/spdlog.h>
#include <nlohmann/json.hpp>

#include "threads/run_store.h"
#include "util/json.h"

namespace nearhub::threads {

namespace {

using nlohmann::ordered_json;

// Entries remembered before the cache starts over (runs are short-lived; this bounds memory).
constexpr std::size_t kMaxRemembered = 10'000;

ordered_json message_id(const inference::RunDeltaTarget& target) {
  if (target.message_id.empty()) return nullptr;  // agents send no message_id header
  return target.message_id;
}

}  // namespace

RunDeltaRecorder::RunDeltaRecorder(db::Database& database, RunEventLog& events)
    : database_(database), events_(events), writer_([this] { write_loop(); }) {}

RunDeltaRecorder::~RunDeltaRecorder() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  queued_.notify_all();
  writer_.join();
}

bool RunDeltaRecorder::may_write(const inference::RunDeltaTarget& target) {
  const auto key = std::make_pair(target.run_id, target.account_id);
  if (auto found = allowed_.find(key); found != allowed_.end()) return found->second;
  std::optional<Run> run;
  {
    auto session = database_.session();
    run = RunStore(*session).find_run(target.run_id);
  }
  const bool allowed = run && run->owner_id == target.account_id;
  if (allowed_.size() >= kMaxRemembered) allowed_.clear();
  allowed_[key] = allowed;
  return allowed;
}

void RunDeltaRecorder::enqueue(Pending pending) {
  {
    std::lock_guard lock(mutex_);
    queue_.push_back(std::move(pending));
    ++enqueued_;
  }
  queued_.notify_one();
}

void RunDeltaRecorder::flush() {
  std::unique_lock lock(mutex_);
  const std::uint64_t target = enqueued_;
  handled_.wait(lock, [&] { return handled_count_ >= target; });
}

void RunDeltaRecorder::on_delta(const inference::RunDeltaTarget& target, const std::string& text) {
  const ordered_json data = {
      {"id", message_id(target)},
      {"object", "thread.message.delta"},
      {"delta",
       {{"content",
         ordered_json::array({{{"index", 0}, {"type", "text"}, {"text", {{"value", text}}}}})}}}};
  enqueue({target, "thread.message.delta", util::dump_json(data), nullptr});
}

void RunDeltaRecorder::on_completed(const inference::RunDeltaTarget& target,
                                    std::function<void()> then) {
  const ordered_json data = {
      {"id", message_id(target)}, {"object", "thread.message.completed"}, {"delta", ""}};
  enqueue({target, "thread.message.completed", util::dump_json(data), std::move(then)});
}

void RunDeltaRecorder::write_loop() {
  for (;;) {
    std::vector<Pending> batch;
    {
      std::unique_lock lock(mutex_);
      queued_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;  // stopping, and everything is written
      batch.swap(queue_);
    }
    write(batch);
    for (Pending& pending : batch) {
      if (!pending.then) continue;
      try {
        pending.then();
      } catch (const std::exception& error) {
        spdlog::error("run deltas: finishing a stream failed: {}", error.what());
      }
    }
    {
      std::lock_guard lock(mutex_);
      handled_count_ += batch.size();
    }
    handled_.notify_all();
  }
}

void RunDeltaRecorder::write(std::vector<Pending>& batch) {
  std::vector<const Pending*> allowed;
  try {
    for (const Pending& pending : batch) {
      if (may_write(pending.target)) allowed.push_back(&pending);
    }
    if (allowed.empty()) return;
    // Runs in one order (each run's own events keep theirs): an event locks its run's row until
    // the commit, and two writers locking the same runs in different orders could deadlock.
    std::stable_sort(allowed.begin(), allowed.end(), [](const Pending* a, const Pending* b) {
      return a->target.run_id < b->target.run_id;
    });
    // One transaction for the batch; each run's subscribers are woken once, after the commit.
    std::map<std::string, std::int64_t> last_seq;
    {
      auto session = database_.session();
      db::Transaction transaction(*session);
      for (const Pending* pending : allowed) {
        last_seq[pending->target.run_id] =
            events_.record(*session, pending->target.run_id, pending->event, pending->data_json);
      }
      transaction.commit();
    }
    for (const auto& [run_id, seq] : last_seq) events_.announce(run_id, seq);
    return;
  } catch (const std::exception& error) {
    if (allowed.size() <= 1) {
      spdlog::error("run deltas: an event could not be recorded: {}", error.what());
      return;
    }
  }
  // One bad event (its run deleted meanwhile, say) must not take the others with it.
  for (const Pending* pending : allowed) {
    try {
      events_.append(pending->target.run_id, pending->event, pending->data_json);
    } catch (const std::exception& error) {
      spdlog::error("run deltas: an event of run {} could not be recorded: {}",
                    pending->target.run_id, error.what());
    }
  }
}

}  // namespace nearhub::threads
