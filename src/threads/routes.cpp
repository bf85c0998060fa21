#include "threads/routes.h"

#include "threads/route_inputs.h"
#include "threads/schemas.h"
#include "threads/serialize.h"

namespace nearhub::threads {

namespace {

using nlohmann::json;
using nlohmann::ordered_json;

const char* const kTag = "threads";
const std::vector<int> kThreadErrors = {403, 404};

api::Param query(std::string name, json schema, std::string description) {
  return {.name = std::move(name),
          .in = api::ParamLocation::Query,
          .schema = std::move(schema),
          .required = false,
          .description = std::move(description)};
}

// body[key] when present and not null.
std::optional<ordered_json> present(const ordered_json& body, const char* key) {
  if (!body.contains(key) || body[key].is_null()) return std::nullopt;
  return body[key];
}

std::vector<NewMessage> new_messages(const ordered_json& body, const char* key) {
  std::vector<NewMessage> out;
  if (!body.contains(key) || body[key].is_null()) return out;
  for (const ordered_json& item : body[key]) out.push_back(NewMessage::from_json(item));
  return out;
}

const std::string& thread_id(const api::Call& call) { return text_param(call, "thread_id"); }

void add_thread_crud(api::RouteTable& table, ThreadService& service) {
  table.add({
      .method = "POST",
      .path = "/v1/threads",
      .tag = kTag,
      .summary = "Create a thread",
      .description = "Creates a thread owned by the caller, with the given `messages` in order. "
                     "`tool_resources` is stored but never returned.",
      .body_kind = api::BodyKind::Json,
      .body_schema = schemas::create_thread_body(),
      .response_schema = schemas::thread(),
      .handler =
          [&service](api::Call& call) {
            const ordered_json body = ordered_body(call);
            return api::json(thread_json(service.create_thread(
                call.caller(), present(body, "metadata"), present(body, "tool_resources"),
                new_messages(body, "messages"))));
          },
  });
  table.add({
      .method = "GET",
      .path = "/v1/threads",
      .tag = kTag,
      .summary = "List the caller's threads",
      .description = "A plain array (no list envelope), newest first.",
      .params = {query("include_subthreads", {{"type", "boolean"}, {"default", true}},
                       "When false, only threads that are not subthreads.")},
      .response_schema = {{"type", "array"}, {"items", schemas::thread()}},
      .handler =
          [&service](api::Call& call) {
            ordered_json out = ordered_json::array();
            for (const Thread& thread : service.list_threads(
                     call.caller(), call.params["include_subthreads"].get<bool>())) {
              out.push_back(thread_json(thread));
            }
            return api::json(out);
          },
  });
  table.add({
      .method = "GET",
      .path = "/v1/threads/{thread_id}",
      .tag = kTag,
      .summary = "Retrieve a thread",
      .params = {path_id("thread_id")},
      .response_schema = schemas::thread(),
      .error_codes = kThreadErrors,
      .handler =
          [&service](api::Call& call) {
            return api::json(thread_json(service.get_thread(call.caller(), thread_id(call))));
          },
  });
  table.add({
      .method = "POST",
      .path = "/v1/threads/{thread_id}",
      .tag = kTag,
      .summary = "Modify a thread",
      .description = "A non-null `metadata` or `tool_resources` replaces the stored value "
                     "(no merge); null or absent leaves it unchanged.",
      .params = {path_id("thread_id")},
      .body_kind = api::BodyKind::Json,
      .body_schema = schemas::modify_thread_body(),
      .response_schema = schemas::thread(),
      .error_codes = kThreadErrors,
      .handler =
          [&service](api::Call& call) {
            const ordered_json body = ordered_body(call);
            return api::json(thread_json(service.modify_thread(call.caller(), thread_id(call),
                                                               present(body, "metadata"),
                                                               present(body, "tool_resources"))));
          },
  });
  table.add({
      .method = "DELETE",
      .path = "/v1/threads/{thread_id}",
      .tag = kTag,
      .summary = "Delete a thread",
      .description = "Deletes the thread and its messages; its subthreads become top-level "
                     "threads.",
      .params = {path_id("thread_id")},
      .response_schema = schemas::thread_deleted(),
      .error_codes = kThreadErrors,
      .handler =
          [&service](api::Call& call) {
            service.delete_thread(call.caller(), thread_id(call));
            return api::json(thread_deleted_json(thread_id(call)));
          },
  });
  table.add({
      .method = "POST",
      .path = "/v1/threads/{thread_id}/fork",
      .tag = kTag,
      .summary = "Fork a thread",
      .description = "A new thread with the same metadata and copies of every message, in "
                     "order. Answers the original's smaller fork shape (raw stored metadata).",
      .params = {path_id("thread_id")},
      .response_schema = schemas::thread_fork(),
      .error_codes = kThreadErrors,
      .handler =
          [&service](api::Call& call) {
            return api::json(fork_json(service.fork_thread(call.caller(), thread_id(call))));
          },
  });
  table.add({
      .method = "POST",
      .path = "/v1/threads/{parent_id}/subthread",
      .tag = kTag,
      .summary = "Create a subthread",
      .description = "A child thread with the parent's metadata, copies of the parent's "
                     "messages listed in `messages_to_copy`, then `new_messages`.",
      .params = {path_id("parent_id")},
      .body_kind = api::BodyKind::Json,
      .body_schema = schemas::subthread_body(),
      .response_schema = schemas::thread(),
      .error_codes = kThreadErrors,
      .handler =
          [&service](api::Call& call) {
            const ordered_json body = ordered_body(call);
            std::vector<std::string> to_copy;
            if (body.contains("messages_to_copy")) {
              for (const ordered_json& id : body["messages_to_copy"]) {
                if (id.is_string()) to_copy.push_back(id.get<std::string>());  // ints: ignored
              }
            }
            return api::json(
                thread_json(service.create_subthread(call.caller(), call.params["parent_id"],
                                                     to_copy, new_messages(body, "new_messages"))));
          },
  });
}

void add_message_routes(api::RouteTable& table, ThreadService& service) {
  table.add({
      .method = "POST",
      .path = "/v1/threads/{thread_id}/messages",
      .tag = kTag,
      .summary = "Add a message",
      .description = "A string `content` becomes one text block; `attachments` are stored as "
                     "given.",
      .params = {path_id("thread_id")},
      .body_kind = api::BodyKind::Json,
      .body_schema = schemas::message_create(),
      .response_schema = schemas::message(),
      .error_codes = kThreadErrors,
      .handler =
          [&service](api::Call& call) {
            return api::json(message_json(service.add_message(
                call.caller(), thread_id(call), NewMessage::from_json(ordered_body(call)))));
          },
  });
  table.add({
      .method = "GET",
      .path = "/v1/threads/{thread_id}/messages",
      .tag = kTag,
      .summary = "List messages",
      .description =
          "A cursor page in insertion order. As in OpenAI: with `order=asc`, `after` gives newer "
          "and `before` older messages than the cursor; with `order=desc` the reverse. A cursor "
          "that is not a message of the listed threads is ignored. Messages of direct "
          "subthreads are included unless `include_subthreads=false`. Within a page, only the "
          "newest `Output file: <name>` message of each name is kept.",
      .params = {path_id("thread_id"),
                 query("limit", {{"type", "integer"}, {"minimum", 0}, {"default", 20}},
                       "Page size."),
                 query("order",
                       {{"type", "string"}, {"enum", {"asc", "desc"}}, {"default", "desc"}},
                       "By insertion order."),
                 query("after", json{{"type", {"string", "null"}}}, "Message id cursor."),
                 query("before", json{{"type", {"string", "null"}}}, "Message id cursor."),
                 query("run_id", json{{"type", {"string", "null"}}}, "Only messages of this run."),
                 query("include_subthreads", {{"type", "boolean"}, {"default", true}},
                       "Include the messages of direct subthreads.")},
      .response_schema = schemas::message_list(),
      .error_codes = kThreadErrors,
      .handler =
          [&service](api::Call& call) {
            MessageListQuery query;
            query.limit = call.params["limit"].get<std::int64_t>();
            query.ascending = call.params["order"] == "asc";
            for (auto [name, target] :
                 {std::pair{"after", &query.after}, std::pair{"before", &query.before},
                  std::pair{"run_id", &query.run_id}}) {
              if (call.params[name].is_string()) *target = call.params[name].get<std::string>();
            }
            query.include_subthreads = call.params["include_subthreads"].get<bool>();
            return api::json(
                message_list_json(service.list_messages(call.caller(), thread_id(call), query)));
          },
  });
  const auto update = [&service](api::Call& call) {
    const ordered_json body = ordered_body(call);
    return api::json(message_json(service.update_message_metadata(
        call.caller(), thread_id(call), call.params["message_id"], present(body, "metadata"))));
  };
  const std::string message_path = "/v1/threads/{thread_id}/messages/{message_id}";
  for (const char* method : {"PATCH", "POST"}) {
    table.add({
        .method = method,
        .path = message_path,
        .tag = kTag,
        .summary = std::string(method) == "PATCH" ? "Set a message's metadata"
                                                  : "Set a message's metadata (OpenAI's verb)",
        .description = "`metadata` replaces the stored object; null clears it.",
        .params = {path_id("thread_id"), path_id("message_id")},
        .body_kind = api::BodyKind::Json,
        .body_schema = schemas::message_metadata_body(),
        .response_schema = schemas::message(),
        .error_codes = kThreadErrors,
        .handler = update,
    });
  }
  table.add({
      .method = "GET",
      .path = message_path,
      .tag = kTag,
      .summary = "Retrieve a message",
      .params = {path_id("thread_id"), path_id("message_id")},
      .response_schema = schemas::message(),
      .error_codes = kThreadErrors,
      .handler =
          [&service](api::Call& call) {
            return api::json(message_json(
                service.get_message(call.caller(), thread_id(call), call.params["message_id"])));
          },
  });
}

}  // namespace

void add_thread_routes(api::RouteTable& table, ThreadService& service) {
  add_thread_crud(table, service);
  add_message_routes(table, service);
}

}  // namespace nearhub::threads
