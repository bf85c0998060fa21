#pragma once
// How message inputs become stored message fields (spec/assistants.md §2.8 "Normalisation"),
// shared by every endpoint that creates messages (T1, T7, T8; runs later). Inputs have already
// been validated against the MessageCreate schema (threads/schemas.h).

#include <nlohmann/json.hpp>

namespace nearhub::threads {

// A string becomes one text block ("" becomes " ", as in the original); in an array, text parts
// {"type":"text","text":s} become text blocks and image parts are kept as given.
nlohmann::ordered_json normalize_content(const nlohmann::ordered_json& content);

// Each attachment as {"file_id", "tools"} (tools null when not given); null stays null.
nlohmann::ordered_json normalize_attachments(const nlohmann::ordered_json& attachments);

// The concatenated text of a message's content blocks.
std::string content_text(const nlohmann::ordered_json& content);

}  // namespace nearhub::threads
