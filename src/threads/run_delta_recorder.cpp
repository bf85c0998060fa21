#include "threads/run_delta_recorder.h"

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

bool RunDeltaRecorder::may_write(const inference::RunDeltaTarget& target) {
  const auto key = std::make_pair(target.run_id, target.account_id);
  {
    std::lock_guard lock(mutex_);
    if (auto found = allowed_.find(key); found != allowed_.end()) return found->second;
  }
  std::optional<Run> run;
  {
    auto session = database_.session();
    run = RunStore(*session).find_run(target.run_id);
  }
  const bool allowed = run && run->owner_id == target.account_id;
  std::lock_guard lock(mutex_);
  if (allowed_.size() >= kMaxRemembered) allowed_.clear();
  allowed_[key] = allowed;
  return allowed;
}

void RunDeltaRecorder::on_delta(const inference::RunDeltaTarget& target, const std::string& text) {
  if (!may_write(target)) return;
  const ordered_json data = {
      {"id", message_id(target)},
      {"object", "thread.message.delta"},
      {"delta",
       {{"content",
         ordered_json::array({{{"index", 0}, {"type", "text"}, {"text", {{"value", text}}}}})}}}};
  events_.append(target.run_id, "thread.message.delta", util::dump_json(data));
}

void RunDeltaRecorder::on_completed(const inference::RunDeltaTarget& target) {
  if (!may_write(target)) return;
  const ordered_json data = {
      {"id", message_id(target)}, {"object", "thread.message.completed"}, {"delta", ""}};
  events_.append(target.run_id, "thread.message.completed", util::dump_json(data));
}

}  // namespace nearhub::threads
