#pragma once
// Object identifiers of the assistants API (spec/assistants.md §1.3): a prefix and the first 24
// hex digits of a random 128-bit value, like the original's `prefix + uuid4().hex[:24]`.

#include <string>
#include <string_view>

namespace nearhub::threads {

// `prefix` + 24 lower-case hex digits from the system's secure random source.
std::string new_object_id(std::string_view prefix);

inline std::string new_thread_id() { return new_object_id("thread_"); }
inline std::string new_message_id() { return new_object_id("msg_"); }
inline std::string new_run_id() { return new_object_id("run_"); }

}  // namespace nearhub::threads
