#include "threads/output_files.h"

#include <map>
#include <optional>
#include <string>

#include "threads/content.h"

namespace nearhub::threads {

namespace {

constexpr std::string_view kPrefix = "Output file: ";

std::optional<std::string> output_filename(const Message& message) {
  if (!message.attachments || !message.attachments->is_array() || message.attachments->empty()) {
    return std::nullopt;
  }
  const std::string text = content_text(message.content);
  if (!text.starts_with(kPrefix)) return std::nullopt;
  return text.substr(kPrefix.size());
}

}  // namespace

std::vector<Message> collapse_output_files(std::vector<Message> page) {
  std::map<std::string, std::int64_t> newest;  // filename → highest seq on the page
  for (const Message& message : page) {
    if (auto name = output_filename(message)) {
      auto [at, inserted] = newest.emplace(*name, message.seq);
      if (!inserted && message.seq > at->second) at->second = message.seq;
    }
  }
  if (newest.empty()) return page;
  std::vector<Message> kept;
  kept.reserve(page.size());
  for (Message& message : page) {
    const auto name = output_filename(message);
    if (name && newest.at(*name) != message.seq) continue;
    kept.push_back(std::move(message));
  }
  return kept;
}

}  // namespace nearhub::threads
