#include "threads/run_stream_encoder.h"

#include <nlohmann/json.hpp>

#include "auth/sha256.h"
#include "threads/run_serialize.h"
#include "util/hex.h"
#include "util/json.h"
#include "util/time.h"

namespace nearhub::threads {

using nlohmann::ordered_json;

namespace {

// "msg_" + 24 hex of sha256(run id, index): the same for every subscriber of the run.
std::string derived_message_id(const std::string& run_id, int index) {
  const auth::Sha256Digest digest =
      auth::sha256(util::as_bytes(run_id + ":" + std::to_string(index)));
  return "msg_" + util::hex_encode(digest).substr(0, 24);
}

}  // namespace

RunStreamFormat run_stream_format(const http::Request& request) {
  const auto beta = request.headers.get("OpenAI-Beta");
  return beta && beta->find("assistants") != std::string_view::npos ? RunStreamFormat::OpenAi
                                                                    : RunStreamFormat::Hub;
}

std::string RunStreamEncoder::encode(std::string_view event, std::string_view data_json) {
  if (format_ == RunStreamFormat::Hub) return run_stream_frame(event, data_json);

  if (event == "thread.message.delta") {
    ordered_json data = ordered_json::parse(data_json, nullptr, false);
    if (!data.is_object()) return {};
    std::string frames;
    if (!message_id_) {
      message_id_ = data["id"].is_string() ? data["id"].get<std::string>()
                                           : derived_message_id(run_.id, messages_);
      ++messages_;
      text_.clear();
      message_created_at_ = util::now_unix_us() / 1'000'000;
      frames += openai_frame("thread.message.created", message_json("in_progress"));
    }
    for (const ordered_json& part : data["delta"].value("content", ordered_json::array())) {
      if (part.contains("text")) text_ += part["text"].value("value", "");
    }
    data["id"] = *message_id_;
    frames += openai_frame(event, util::dump_json(data));
    return frames;
  }
  if (event == "thread.message.completed") {
    if (!message_id_) return {};  // nothing was streamed
    std::string frame = openai_frame(event, message_json("completed"));
    message_id_.reset();
    return frame;
  }
  return openai_frame(event, data_json);
}

std::string RunStreamEncoder::openai_frame(std::string_view event,
                                           std::string_view data_json) const {
  std::string frame;
  frame.reserve(event.size() + data_json.size() + 16);
  frame += "event: ";
  frame += event;
  frame += "\ndata: ";
  frame += data_json;
  frame += "\n\n";
  return frame;
}

std::string RunStreamEncoder::message_json(const std::string& status) const {
  ordered_json content = ordered_json::array();
  if (status == "completed") {
    content.push_back(
        {{"type", "text"}, {"text", {{"value", text_}, {"annotations", ordered_json::array()}}}});
  }
  const ordered_json message = {
      {"id", *message_id_},
      {"object", "thread.message"},
      {"created_at", message_created_at_},
      {"thread_id", run_.thread_id},
      {"status", status},
      {"incomplete_details", nullptr},
      {"completed_at", status == "completed" ? ordered_json(util::now_unix_us() / 1'000'000)
                                             : ordered_json(nullptr)},
      {"incomplete_at", nullptr},
      {"role", "assistant"},
      {"content", std::move(content)},
      {"assistant_id", run_.assistant_id},
      {"run_id", run_.id},
      {"attachments", ordered_json::array()},
      {"metadata", ordered_json::object()}};
  return util::dump_json(message);
}

}  // namespace nearhub::threads
