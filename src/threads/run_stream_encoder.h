#pragma once
// How a run's events are written to one client. Two wire formats:
//
// - Hub (the default; spec/assistants.md §4.1): `data: {"event": <name>, "data": <data>}` frames
//   with no `event:` line, exactly as the original sent them — the hub's web app listens for
//   unnamed events, and the Python SDK and the nearai CLI parse these frames.
// - OpenAI: for clients that send an `OpenAI-Beta: assistants=...` header (the official SDKs do on
//   every Assistants call) — `event: <name>` then `data: <data>`, as OpenAI streams runs. The
//   Node SDK (since v5) only recognises assistant events in this form, and its stream helper
//   (`runs.stream()`) also needs a message lifecycle around the deltas: agents stream their
//   completions without a message id, so the encoder opens each streamed message with
//   `thread.message.created` under an id derived from the run, gives the deltas that id, and
//   closes it with `thread.message.completed` carrying the accumulated Message.
//
// One encoder per client: it keeps the message being streamed. Ids are derived
// deterministically, so every subscriber of a run sees the same ones.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "http/request.h"
#include "threads/run_store.h"

namespace nearhub::threads {

enum class RunStreamFormat { Hub, OpenAi };

// OpenAi when the request carries an `OpenAI-Beta` header naming assistants, else Hub.
RunStreamFormat run_stream_format(const http::Request& request);

class RunStreamEncoder {
 public:
  RunStreamEncoder(RunStreamFormat format, const Run& run) : format_(format), run_(run) {}

  // The frames for one event: none, one or several. `data_json` is JSON text.
  std::string encode(std::string_view event, std::string_view data_json);

 private:
  std::string openai_frame(std::string_view event, std::string_view data_json) const;
  std::string message_json(const std::string& status) const;

  const RunStreamFormat format_;
  const Run run_;
  // The message being streamed (OpenAI format).
  std::optional<std::string> message_id_;
  std::string text_;
  std::int64_t message_created_at_ = 0;
  int messages_ = 0;  // messages opened so far: the next id's index
};

}  // namespace nearhub::threads
