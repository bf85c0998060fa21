#pragma once
// The run shapes of spec/assistants.md §1.7 and §4.4: the Run object of T11/T13/T14, and the
// synthetic payloads of a streamed run's first events. Every key present, in the original's
// order, times in Unix seconds.

#include <cstdint>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "threads/run_store.h"

namespace nearhub::threads {

// The Run object, with what is stored (the original emitted fixed nulls for last_error,
// truncation_strategy, response_format and tool_choice: docs/compatibility.md).
nlohmann::ordered_json run_json(const Run& run);

// The synthetic run payload (§4.4) of thread.run.created / queued / in_progress / expired:
// created_at and expires_at from `now_us`, `status` as given, started_at = now for in_progress.
nlohmann::ordered_json synthetic_run_payload(const Run& run, std::string_view status,
                                             std::int64_t now_us);
// The step payload (§4.4) of thread.run.step.created / in_progress.
nlohmann::ordered_json step_payload(const Run& run, std::int64_t now_us);

// One frame of a run stream (§4.1): `data: {"event": <event>, "data": <data_json>}\n\n`.
// `data_json` is JSON text, spliced in as it is.
std::string run_stream_frame(std::string_view event, std::string_view data_json);

// True for the events after which a run stream ends (§4.3 [REC]).
bool is_closing_event(std::string_view event);

}  // namespace nearhub::threads
