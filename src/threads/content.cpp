#include "threads/content.h"

namespace nearhub::threads {

using nlohmann::ordered_json;

namespace {

ordered_json text_block(const std::string& text) {
  return {{"type", "text"}, {"text", {{"value", text}, {"annotations", ordered_json::array()}}}};
}

}  // namespace

ordered_json normalize_content(const ordered_json& content) {
  if (content.is_string()) {
    const std::string& text = content.get_ref<const std::string&>();
    // An empty text block is rejected by OpenAI-compatible models; the original stores a space.
    return ordered_json::array({text_block(text.empty() ? " " : text)});
  }
  ordered_json blocks = ordered_json::array();
  for (const ordered_json& part : content) {
    if (part.value("type", "") == "text") {
      blocks.push_back(text_block(part.at("text").get<std::string>()));
    } else {
      blocks.push_back(part);
    }
  }
  return blocks;
}

ordered_json normalize_attachments(const ordered_json& attachments) {
  if (attachments.is_null()) return nullptr;
  ordered_json out = ordered_json::array();
  for (const ordered_json& attachment : attachments) {
    out.push_back({{"file_id", attachment.at("file_id")},
                   {"tools", attachment.contains("tools") ? attachment["tools"] : nullptr}});
  }
  return out;
}

std::string content_text(const ordered_json& content) {
  std::string text;
  if (!content.is_array()) return text;
  for (const ordered_json& block : content) {
    if (block.value("type", "") != "text") continue;
    const ordered_json& body = block.at("text");
    if (body.is_object() && body.contains("value") && body["value"].is_string()) {
      text += body["value"].get<std::string>();
    }
  }
  return text;
}

}  // namespace nearhub::threads
