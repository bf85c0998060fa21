#pragma once
// The output-file de-duplication of message lists (spec/assistants.md §2.9 step 10): agents in
// debug mode upload the same log file many times, each upload announced by a message
// "Output file: <name>" with an attachment; a page keeps only the newest of each name.

#include <vector>

#include "threads/store.h"

namespace nearhub::threads {

// `page` without the older output-file messages of each filename (newest = highest seq), the
// rest in their order.
std::vector<Message> collapse_output_files(std::vector<Message> page);

}  // namespace nearhub::threads
