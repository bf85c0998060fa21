#pragma once
// JSON Schemas of the threads and messages endpoints (spec/assistants.md §1.6, §1.7, §2):
// request bodies, validated pydantic-style by api/validator, and responses, for the OpenAPI
// document.

#include <nlohmann/json.hpp>

namespace nearhub::threads::schemas {

// Message metadata: an object of strings, or null (§1.6 [REC]: other values are 422).
nlohmann::json message_metadata();
// Thread metadata: the same, except that `agent_ids` may also be a list of strings (§2.4).
nlohmann::json thread_metadata();
// MessageCreate (§2.8): role user|assistant, content (string or parts), attachments, metadata,
// assistant_id, run_id.
nlohmann::json message_create();

// Bodies.
nlohmann::json create_thread_body();
nlohmann::json modify_thread_body();
nlohmann::json subthread_body();
nlohmann::json message_metadata_body();
// T11 (§2.11) and T14 (§2.14).
nlohmann::json create_run_body();
nlohmann::json update_run_body();

// Responses.
nlohmann::json thread();
nlohmann::json thread_fork();
nlohmann::json thread_deleted();
nlohmann::json message();
nlohmann::json message_list();
nlohmann::json run();

}  // namespace nearhub::threads::schemas
