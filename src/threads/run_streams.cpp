#include "threads/run_streams.h"

#include <algorithm>
#include <optional>

#include "db/events.h"
#include "threads/run_events.h"
#include "threads/run_serialize.h"
#include "util/json.h"
#include "util/time.h"

namespace nearhub::threads {

namespace {

constexpr int kBatch = 200;
constexpr auto kTick = std::chrono::milliseconds(250);

}  // namespace

struct RunStreams::Subscriber {
  Subscriber(const Run& run, RunStreamFormat format)
      : run(run),
        ended_before(is_closing_event("thread.run." + run.status)),
        encoder(format, run) {}

  Run run;  // as it was read before subscribing
  // The run had ended when it was read: its closing event is in the log (the status and its
  // event are written in one transaction), unless the log has been purged since.
  const bool ended_before;
  std::shared_ptr<http::SseWriter> writer;
  std::chrono::steady_clock::time_point deadline;
  std::chrono::steady_clock::time_point next_heartbeat;
  db::Subscription subscription;  // cancelled under `mutex`

  std::mutex mutex;
  bool pumping = false;  // a pump task owns the fields below
  bool dirty = false;    // woken while pumping: read again before stopping
  bool done = false;     // the stream ended; nothing more is sent

  // Owned by the pumping task (the ticker encodes only closing events, which touch no state).
  RunStreamEncoder encoder;
  std::int64_t cursor = 0;
  std::optional<RunEvent> held;  // a closing event waiting for the events stored before it
  // Set by the ticker at a heartbeat: the next read also checks that the run still exists.
  std::atomic<bool> check_run_exists = false;
};

RunStreams::RunStreams(db::Database& database, RunStreamOptions options)
    : database_(database),
      options_(options),
      ticker_([this] { tick_until_stopped(); }),
      pumps_(options.pump_threads) {}

RunStreams::~RunStreams() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  stopping_changed_.notify_all();
  ticker_.join();
  std::vector<std::shared_ptr<Subscriber>> subscribers;
  {
    std::lock_guard lock(mutex_);
    subscribers.swap(subscribers_);
  }
  for (const auto& subscriber : subscribers) {
    {
      std::lock_guard lock(subscriber->mutex);
      subscriber->done = true;
      subscriber->subscription.cancel();  // no bus callback reaches this object any more
    }
    subscriber->writer->close();
  }
}

void RunStreams::subscribe(std::shared_ptr<http::SseWriter> writer, const Run& run,
                           RunStreamFormat format) {
  auto subscriber = std::make_shared<Subscriber>(run, format);
  subscriber->writer = std::move(writer);
  const auto now = std::chrono::steady_clock::now();
  subscriber->deadline = now + options_.max_duration;
  subscriber->next_heartbeat = now + options_.heartbeat;
  const std::weak_ptr<Subscriber> weak = subscriber;
  // Subscribe before the first read, so that nothing appended in between is missed.
  subscriber->subscription =
      database_.events().subscribe(RunEventLog::channel(run.id), [this, weak](const std::string&) {
        if (auto self = weak.lock()) pumps_.post([this, self] { pump(self); });
      });
  subscriber->writer->on_close([weak] {
    if (auto self = weak.lock()) {
      // Under the mutex: the destructor may cancel at the same time. The bus callback never
      // takes this mutex, so waiting for it here cannot deadlock.
      std::lock_guard lock(self->mutex);
      self->done = true;
      self->subscription.cancel();
    }
  });
  {
    std::lock_guard lock(mutex_);
    subscribers_.push_back(subscriber);
  }
  pumps_.post([this, subscriber] { pump(subscriber); });
}

std::size_t RunStreams::open_streams() const {
  std::lock_guard lock(mutex_);
  return static_cast<std::size_t>(
      std::count_if(subscribers_.begin(), subscribers_.end(), [](const auto& subscriber) {
        std::lock_guard sub_lock(subscriber->mutex);
        return !subscriber->done;
      }));
}

void RunStreams::pump(const std::shared_ptr<Subscriber>& subscriber) {
  {
    std::lock_guard lock(subscriber->mutex);
    if (subscriber->done) return;
    if (subscriber->pumping) {
      subscriber->dirty = true;
      return;
    }
    subscriber->pumping = true;
    subscriber->dirty = false;
  }
  while (true) {
    bool batch_full = false;
    bool ended = false;
    try {
      ended = pump_once(*subscriber, batch_full);
    } catch (const std::exception&) {
      // The database is unreachable: end the stream rather than leave the client waiting on a
      // cursor that no longer advances.
      subscriber->writer->close();
      ended = true;
    }
    std::lock_guard lock(subscriber->mutex);
    if (ended) subscriber->done = true;
    if (ended || subscriber->done || (!batch_full && !subscriber->dirty)) {
      subscriber->pumping = false;
      return;
    }
    subscriber->dirty = false;
  }
}

bool RunStreams::pump_once(Subscriber& subscriber, bool& batch_full) {
  std::vector<RunEvent> events;
  {
    auto session = database_.session();
    RunStore store(*session);
    events = store.events_after(subscriber.run.id, subscriber.cursor, kBatch);
    if (events.empty() && subscriber.check_run_exists.exchange(false) &&
        !store.find_run(subscriber.run.id)) {
      // Its thread was deleted: no event will ever come.
      subscriber.writer->close();
      return true;
    }
  }
  batch_full = events.size() == static_cast<std::size_t>(kBatch);
  std::string frames;
  for (RunEvent& event : events) {
    subscriber.cursor = event.seq;
    if (is_closing_event(event.event)) {
      // Held until the events stored before it have been read (§4.3); a second closing event
      // (an agent marking a run twice) is not sent.
      if (!subscriber.held) subscriber.held = std::move(event);
      continue;
    }
    frames += subscriber.encoder.encode(event.event, event.data);
  }
  if (!frames.empty() && !subscriber.writer->write(std::move(frames))) return true;
  if (!batch_full && !subscriber.held && subscriber.ended_before) {
    // The log of an ended run is gone (purged after runs.event_retention_s): its status is the
    // closing event, rather than a wait for one that never comes.
    subscriber.held = RunEvent{.seq = subscriber.cursor,
                               .event = "thread.run." + subscriber.run.status,
                               .data = util::dump_json(run_json(subscriber.run))};
  }
  if (subscriber.held && !batch_full) {
    subscriber.writer->write(
        subscriber.encoder.encode(subscriber.held->event, subscriber.held->data));
    subscriber.writer->close();
    return true;
  }
  return false;
}

void RunStreams::tick_until_stopped() {
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    stopping_changed_.wait_for(lock, kTick);
    if (stopping_) return;
    const auto now = std::chrono::steady_clock::now();
    std::vector<std::shared_ptr<Subscriber>> expired;
    std::vector<std::shared_ptr<Subscriber>> resync;
    std::erase_if(subscribers_, [&](const std::shared_ptr<Subscriber>& subscriber) {
      std::lock_guard sub_lock(subscriber->mutex);
      if (subscriber->done) return true;
      // Not while its pump runs: the pump may be sending the run's own closing event, and a
      // stream ends with one closing event. The next tick tries again.
      if (now >= subscriber->deadline && !subscriber->pumping) {
        subscriber->done = true;
        subscriber->subscription.cancel();
        expired.push_back(subscriber);
        return true;
      }
      if (now >= subscriber->next_heartbeat) {
        subscriber->writer->send_comment("keep-alive");
        subscriber->next_heartbeat = now + options_.heartbeat;
        subscriber->check_run_exists = true;
        resync.push_back(subscriber);
      }
      return false;
    });
    lock.unlock();
    // A wake-up can be lost (a PostgreSQL listener reconnecting): an idle stream reads its log
    // again at each heartbeat, so a lost announcement delays its events, never strands them;
    // the stream of a run deleted with its thread ends then too.
    for (const auto& subscriber : resync) pumps_.post([this, subscriber] { pump(subscriber); });
    for (const auto& subscriber : expired) {
      // The cap (§4.2 item 3): thread.run.expired with the synthetic payload, then the end.
      subscriber->writer->write(subscriber->encoder.encode(
          "thread.run.expired",
          util::dump_json(synthetic_run_payload(subscriber->run, "queued", util::now_unix_us()))));
      subscriber->writer->close();
    }
    lock.lock();
  }
}

}  // namespace nearhub::threads
