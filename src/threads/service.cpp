#include "threads/service.h"

#include <algorithm>
#include <limits>

#include "api/error.h"
#include "threads/content.h"
#include "threads/ids.h"
#include "threads/output_files.h"
#include "threads/thread_metadata.h"
#include "threads/thread_topics.h"
#include "util/time.h"

namespace nearhub::threads {

using nlohmann::ordered_json;

namespace {

const char* const kNoPermission = "You don't have permission to access messages from this thread";

// A fork's or subthread's copy of `source` (spec §2.6): new id and time, same everything else.
Message copy_message(const Message& source, const std::string& thread_id, std::int64_t created_at) {
  Message copy = source;
  copy.seq = 0;
  copy.id = new_message_id();
  copy.thread_id = thread_id;
  copy.created_at = created_at;
  copy.status = "completed";
  return copy;
}

std::optional<ordered_json> stored_metadata(const std::optional<ordered_json>& metadata) {
  if (!metadata || metadata->is_null()) return std::nullopt;
  return metadata_for_storage(*metadata);
}

std::optional<std::string> optional_string(const ordered_json& body, const char* key) {
  if (!body.contains(key) || body[key].is_null()) return std::nullopt;
  return body[key].get<std::string>();
}

}  // namespace

Thread check_thread(ThreadStore& store, const api::Identity& caller, const std::string& id) {
  std::optional<Thread> thread = store.find_thread(id);
  if (!thread) throw api::Error::http(404, "Thread not found");
  if (thread->owner_id != caller.account_id) throw api::Error::http(403, kNoPermission);
  return std::move(*thread);
}

Message make_message(const std::string& thread_id, std::int64_t created_at,
                     const NewMessage& input) {
  return {
      .id = new_message_id(),
      .thread_id = thread_id,
      .created_at = created_at,
      .role = input.role,
      .content = normalize_content(input.content),
      .attachments = input.attachments.is_null()
                         ? std::nullopt
                         : std::optional<ordered_json>(normalize_attachments(input.attachments)),
      .metadata = input.metadata,
      .assistant_id = input.assistant_id,
      .run_id = input.run_id};
}

NewMessage NewMessage::from_json(const ordered_json& body) {
  NewMessage message;
  message.role = body.at("role").get<std::string>();
  message.content = body.at("content");
  if (body.contains("attachments")) message.attachments = body["attachments"];
  if (body.contains("metadata") && !body["metadata"].is_null()) {
    message.metadata = body["metadata"];
  }
  message.assistant_id = optional_string(body, "assistant_id");
  message.run_id = optional_string(body, "run_id");
  return message;
}

Thread ThreadService::create_thread(const api::Identity& caller,
                                    const std::optional<ordered_json>& metadata,
                                    const std::optional<ordered_json>& tool_resources,
                                    const std::vector<NewMessage>& messages) {
  const std::int64_t now = util::now_unix_us();
  Thread thread{.id = new_thread_id(),
                .owner_id = caller.account_id,
                .created_at = now,
                .metadata = stored_metadata(metadata),
                .tool_resources =
                    tool_resources && !tool_resources->is_null() ? tool_resources : std::nullopt};
  auto session = database_.session();
  ThreadStore store(*session);
  db::Transaction transaction(*session);
  store.insert_thread(thread);
  for (std::size_t i = 0; i < messages.size(); ++i) {
    // Strictly increasing times keep the given order visible in created_at too.
    store.insert_message(make_message(thread.id, now + static_cast<std::int64_t>(i), messages[i]));
  }
  transaction.commit();
  return thread;
}

std::vector<Thread> ThreadService::list_threads(const api::Identity& caller,
                                                bool include_subthreads) {
  auto session = database_.session();
  return ThreadStore(*session).list_threads(caller.account_id, include_subthreads);
}

Thread ThreadService::get_thread(const api::Identity& caller, const std::string& thread_id) {
  auto session = database_.session();
  ThreadStore store(*session);
  return check_thread(store, caller, thread_id);
}

Thread ThreadService::modify_thread(const api::Identity& caller, const std::string& thread_id,
                                    const std::optional<ordered_json>& metadata,
                                    const std::optional<ordered_json>& tool_resources) {
  auto session = database_.session();
  ThreadStore store(*session);
  Thread thread = check_thread(store, caller, thread_id);
  std::optional<ordered_json> new_metadata = stored_metadata(metadata);
  std::optional<ordered_json> new_tools;
  if (tool_resources && !tool_resources->is_null()) new_tools = tool_resources;
  store.update_thread(thread_id, new_metadata, new_tools);
  if (new_metadata) thread.metadata = new_metadata;
  if (new_tools) thread.tool_resources = new_tools;
  return thread;
}

void ThreadService::delete_thread(const api::Identity& caller, const std::string& thread_id) {
  auto session = database_.session();
  ThreadStore store(*session);
  db::Transaction transaction(*session);
  check_thread(store, caller, thread_id);
  store.delete_thread(thread_id);
  transaction.commit();
}

Thread ThreadService::fork_thread(const api::Identity& caller, const std::string& thread_id) {
  auto session = database_.session();
  ThreadStore store(*session);
  db::Transaction transaction(*session);
  const Thread source = check_thread(store, caller, thread_id);
  const std::int64_t now = util::now_unix_us();
  Thread fork{.id = new_thread_id(),
              .owner_id = caller.account_id,
              .created_at = now,
              .metadata = source.metadata,
              .tool_resources = source.tool_resources};
  store.insert_thread(fork);
  const std::vector<Message> messages = store.thread_messages(thread_id);
  for (std::size_t i = 0; i < messages.size(); ++i) {
    store.insert_message(copy_message(messages[i], fork.id, now + static_cast<std::int64_t>(i)));
  }
  transaction.commit();
  return fork;
}

Thread ThreadService::create_subthread(const api::Identity& caller, const std::string& parent_id,
                                       const std::vector<std::string>& messages_to_copy,
                                       const std::vector<NewMessage>& new_messages) {
  auto session = database_.session();
  ThreadStore store(*session);
  db::Transaction transaction(*session);
  const std::optional<Thread> parent = store.find_thread(parent_id);
  if (!parent) throw api::Error::http(404, "Parent thread not found");
  if (parent->owner_id != caller.account_id) {
    throw api::Error::http(403, "You don't have permission to create a subthread for this thread");
  }
  const std::int64_t now = util::now_unix_us();
  Thread child{.id = new_thread_id(),
               .owner_id = caller.account_id,
               .parent_id = parent_id,
               .created_at = now,
               .metadata = parent->metadata,
               .tool_resources = parent->tool_resources};
  store.insert_thread(child);
  std::int64_t at = now;
  if (!messages_to_copy.empty()) {
    for (const Message& message : store.thread_messages(parent_id, messages_to_copy)) {
      store.insert_message(copy_message(message, child.id, at++));
    }
  }
  for (const NewMessage& input : new_messages) {
    store.insert_message(make_message(child.id, at++, input));
  }
  transaction.commit();
  return child;
}

Message ThreadService::add_message(const api::Identity& caller, const std::string& thread_id,
                                   const NewMessage& input) {
  auto session = database_.session();
  ThreadStore store(*session);
  const Thread thread = check_thread(store, caller, thread_id);
  Message message = make_message(thread_id, util::now_unix_us(), input);
  store.insert_message(message);
  const bool named =
      thread.metadata && thread.metadata->is_object() && thread.metadata->contains("topic");
  if (topics_ && !named) topics_->after_message(thread_id);
  return message;
}

MessagePage ThreadService::list_messages(const api::Identity& caller, const std::string& thread_id,
                                         const MessageListQuery& query) {
  auto session = database_.session();
  ThreadStore store(*session);
  check_thread(store, caller, thread_id);

  MessagePageQuery page;
  page.thread_ids = {thread_id};
  if (query.include_subthreads) {
    for (std::string& child : store.child_thread_ids(thread_id)) {
      page.thread_ids.push_back(std::move(child));
    }
  }
  // A cursor is a message of the listed threads; any other id is ignored, as an unknown id is
  // in the original (and another account's message tells nothing about this list).
  auto cursor = [&](const std::optional<std::string>& id) -> std::optional<std::int64_t> {
    if (!id) return std::nullopt;
    const std::optional<Message> message = store.find_message(*id);
    if (!message) return std::nullopt;
    if (std::find(page.thread_ids.begin(), page.thread_ids.end(), message->thread_id) ==
        page.thread_ids.end()) {
      return std::nullopt;
    }
    return message->seq;
  };
  const std::optional<std::int64_t> after = cursor(query.after);
  const std::optional<std::int64_t> before = cursor(query.before);
  // OpenAI semantics: `after` continues in list order, `before` goes back against it.
  page.after_seq = query.ascending ? after : before;
  page.before_seq = query.ascending ? before : after;
  page.run_id = query.run_id;
  // With only `before`, the page is the `limit` items just before the cursor: read them walking
  // away from it, then put them back in list order.
  const bool backwards = before.has_value() && !after.has_value();
  page.ascending = backwards ? !query.ascending : query.ascending;
  // One more row than asked tells whether there is more (spec §2.9 [REC]).
  const std::int64_t limit = std::min<std::int64_t>(query.limit, 1'000'000'000);
  page.limit = limit + 1;

  std::vector<Message> rows = store.list_messages(page);
  MessagePage result;
  result.has_more = static_cast<std::int64_t>(rows.size()) > limit;
  if (result.has_more) rows.resize(static_cast<std::size_t>(limit));
  if (backwards) std::reverse(rows.begin(), rows.end());
  result.data = collapse_output_files(std::move(rows));
  return result;
}

Message ThreadService::get_message(const api::Identity& caller, const std::string& thread_id,
                                   const std::string& message_id) {
  auto session = database_.session();
  ThreadStore store(*session);
  std::optional<Message> message = store.find_message(message_id);
  if (!message || message->thread_id != thread_id) {
    throw api::Error::http(404, "Message not found");
  }
  check_thread(store, caller, message->thread_id);
  return std::move(*message);
}

Message ThreadService::update_message_metadata(const api::Identity& caller,
                                               const std::string& thread_id,
                                               const std::string& message_id,
                                               const std::optional<ordered_json>& metadata) {
  auto session = database_.session();
  ThreadStore store(*session);
  std::optional<Message> message = store.find_message(message_id);
  // The original checks only the message's own thread; a path naming another thread is a
  // mismatch, not an alias (§2.10 [REC]).
  if (!message || message->thread_id != thread_id) {
    throw api::Error::http(404, "Message not found");
  }
  check_thread(store, caller, message->thread_id);
  store.update_message_metadata(message_id, metadata);
  message->metadata = metadata;
  return std::move(*message);
}

}  // namespace nearhub::threads
