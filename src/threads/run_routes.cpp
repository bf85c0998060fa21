#include "threads/run_routes.h"

#include "auth/token.h"
#include "http/sse.h"
#include "threads/route_inputs.h"
#include "threads/run_serialize.h"
#include "threads/schemas.h"
#include "util/json.h"
#include "util/time.h"

namespace nearhub::threads {

namespace {

using nlohmann::ordered_json;

const char* const kTag = "runs";
const std::vector<int> kRunErrors = {403, 404};

// T11 with stream=true: the five synthetic start events (§4.2 item 1, the fifth as a proper
// object), then the run's stored events as they come.
http::Response stream_new_run(RunStreams& streams, const Run& run, RunStreamFormat format) {
  return http::Response::event_stream(
      [&streams, run, format](std::shared_ptr<http::SseWriter> writer) {
        const std::int64_t now = util::now_unix_us();
        const std::string step = util::dump_json(step_payload(run, now));
        RunStreamEncoder encoder(format, run);
        std::string frames;
        frames += encoder.encode("thread.run.created",
                                 util::dump_json(synthetic_run_payload(run, "queued", now)));
        frames += encoder.encode("thread.run.queued",
                                 util::dump_json(synthetic_run_payload(run, "queued", now)));
        frames += encoder.encode("thread.run.in_progress",
                                 util::dump_json(synthetic_run_payload(run, "in_progress", now)));
        frames += encoder.encode("thread.run.step.created", step);
        frames += encoder.encode("thread.run.step.in_progress", step);
        writer->write(std::move(frames));
        streams.subscribe(std::move(writer), run, format);
      });
}

}  // namespace

void add_run_routes(api::RouteTable& table, RunService& service, RunStreams& streams) {
  table.add({
      .method = "POST",
      .path = "/v1/threads/{thread_id}/runs",
      .tag = kTag,
      .summary = "Create a run",
      .description =
          "Runs the registry agent `assistant_id` on the thread. The run is queued and executed "
          "by a runner (at `schedule_at` when given); with `delegate_execution` the caller "
          "executes it and reports its status (POST .../runs/{run_id}). With `stream: true` "
          "the answer is a text/event-stream of `data: {\"event\", \"data\"}` frames: five "
          "start events, the run's message deltas, and a closing status event, after which "
          "the response ends. `additional_messages` are added to the thread first.",
      .params = {path_id("thread_id")},
      .body_kind = api::BodyKind::Json,
      .body_schema = schemas::create_run_body(),
      .response_schema = schemas::run(),
      .error_codes = {400, 403, 404},
      .handler =
          [&service, &streams](api::Call& call) {
            CreatedRun created =
                service.create_run(call.caller(), text_param(call, "thread_id"), ordered_body(call),
                                   auth::token_text(call.request));
            if (created.stream) {
              return stream_new_run(streams, created.run, run_stream_format(call.request));
            }
            return api::json(run_json(created.run));
          },
  });
  table.add({
      .method = "GET",
      .path = "/v1/threads/{thread_id}/stream/{run_id}",
      .tag = kTag,
      .summary = "Subscribe to a run's events",
      .description = "A text/event-stream of the run's events from the first one (a late "
                     "subscriber replays them), then each new one as it happens, until a "
                     "closing status event (completed, failed, expired, requires_action, ...). "
                     "Comment lines keep an idle stream alive; after 10 minutes the stream "
                     "sends thread.run.expired and ends.",
      .params = {path_id("thread_id"), path_id("run_id")},
      .response_content_type = "text/event-stream",
      .error_codes = kRunErrors,
      .handler =
          [&service, &streams](api::Call& call) {
            const Run run = service.run_to_stream(call.caller(), text_param(call, "thread_id"),
                                                  text_param(call, "run_id"));
            return http::Response::event_stream(
                [&streams, run, format = run_stream_format(call.request)](
                    std::shared_ptr<http::SseWriter> writer) {
                  streams.subscribe(std::move(writer), run, format);
                });
          },
  });
  table.add({
      .method = "GET",
      .path = "/v1/threads/{thread_id}/runs/{run_id}",
      .tag = kTag,
      .summary = "Retrieve a run",
      .params = {path_id("thread_id"), path_id("run_id")},
      .response_schema = schemas::run(),
      .error_codes = kRunErrors,
      .handler =
          [&service](api::Call& call) {
            return api::json(run_json(service.get_run(call.caller(), text_param(call, "thread_id"),
                                                      text_param(call, "run_id"))));
          },
  });
  table.add({
      .method = "POST",
      .path = "/v1/threads/{thread_id}/runs/{run_id}",
      .tag = kTag,
      .summary = "Update a run (the agent's status report)",
      .description = "Sets the given status, completed_at, failed_at and (non-empty) metadata. "
                     "A status is also sent to the run's stream subscribers as "
                     "`thread.run.<status>` with the Run object.",
      .params = {path_id("thread_id"), path_id("run_id")},
      .body_kind = api::BodyKind::Json,
      .body_schema = schemas::update_run_body(),
      .response_schema = schemas::run(),
      .error_codes = kRunErrors,
      .handler =
          [&service](api::Call& call) {
            return api::json(
                run_json(service.update_run(call.caller(), text_param(call, "thread_id"),
                                            text_param(call, "run_id"), ordered_body(call))));
          },
  });
}

}  // namespace nearhub::threads
