#include "threads/store.h"

#include "util/json.h"

namespace nearhub::threads {

namespace {

using nlohmann::ordered_json;

constexpr const char* kThreadColumns =
    "id, owner_id, parent_id, created_at, metadata, tool_resources";
constexpr const char* kMessageColumns =
    "seq, id, thread_id, created_at, role, content, attachments, metadata, assistant_id, "
    "run_id, status";

db::Value json_value(const std::optional<ordered_json>& value) {
  if (!value) return nullptr;
  return util::dump_json(*value);
}

std::optional<ordered_json> json_column(const db::Row& row, std::size_t column) {
  if (row.is_null(column)) return std::nullopt;
  return ordered_json::parse(row.text(column));
}

Thread thread_from(const db::Row& row) {
  return {.id = row.text(0),
          .owner_id = row.text(1),
          .parent_id = row.optional_text(2),
          .created_at = row.integer(3),
          .metadata = json_column(row, 4),
          .tool_resources = json_column(row, 5)};
}

Message message_from(const db::Row& row) {
  return {.seq = row.integer(0),
          .id = row.text(1),
          .thread_id = row.text(2),
          .created_at = row.integer(3),
          .role = row.text(4),
          .content = ordered_json::parse(row.text(5)),
          .attachments = json_column(row, 6),
          .metadata = json_column(row, 7),
          .assistant_id = row.optional_text(8),
          .run_id = row.optional_text(9),
          .status = row.text(10)};
}

// "?, ?, ?" for `count` placeholders.
std::string placeholders(std::size_t count) {
  std::string out;
  for (std::size_t i = 0; i < count; ++i) out += i ? ", ?" : "?";
  return out;
}

std::vector<Message> messages_from(const db::Rows& rows) {
  std::vector<Message> out;
  out.reserve(rows.size());
  for (const db::Row& row : rows) out.push_back(message_from(row));
  return out;
}

}  // namespace

void ThreadStore::insert_thread(const Thread& thread) {
  session_.execute(
      "INSERT INTO threads (id, owner_id, parent_id, created_at, metadata, tool_resources) "
      "VALUES (?, ?, ?, ?, ?, ?)",
      {thread.id, thread.owner_id, db::nullable(thread.parent_id), thread.created_at,
       json_value(thread.metadata), json_value(thread.tool_resources)});
}

std::optional<Thread> ThreadStore::find_thread(const std::string& id) {
  const db::Rows rows =
      session_.query(std::string("SELECT ") + kThreadColumns + " FROM threads WHERE id = ?", {id});
  if (rows.empty()) return std::nullopt;
  return thread_from(rows.front());
}

std::vector<Thread> ThreadStore::list_threads(const std::string& owner_id,
                                              bool include_subthreads) {
  std::string sql = std::string("SELECT ") + kThreadColumns + " FROM threads WHERE owner_id = ?";
  if (!include_subthreads) sql += " AND parent_id IS NULL";
  sql += " ORDER BY created_at DESC, id DESC";
  std::vector<Thread> out;
  for (const db::Row& row : session_.query(sql, {owner_id})) out.push_back(thread_from(row));
  return out;
}

std::vector<std::string> ThreadStore::child_thread_ids(const std::string& parent_id) {
  std::vector<std::string> out;
  for (const db::Row& row : session_.query(
           "SELECT id FROM threads WHERE parent_id = ? ORDER BY created_at, id", {parent_id})) {
    out.push_back(row.text(0));
  }
  return out;
}

void ThreadStore::update_thread(const std::string& id, const std::optional<ordered_json>& metadata,
                                const std::optional<ordered_json>& tool_resources) {
  if (metadata) {
    session_.execute("UPDATE threads SET metadata = ? WHERE id = ?", {json_value(metadata), id});
  }
  if (tool_resources) {
    session_.execute("UPDATE threads SET tool_resources = ? WHERE id = ?",
                     {json_value(tool_resources), id});
  }
}

void ThreadStore::delete_thread(const std::string& id) {
  // Explicit rather than relying on ON DELETE CASCADE alone, which SQLite applies only when
  // foreign keys are enabled on the connection.
  session_.execute("DELETE FROM messages WHERE thread_id = ?", {id});
  session_.execute("UPDATE threads SET parent_id = NULL WHERE parent_id = ?", {id});
  session_.execute("DELETE FROM threads WHERE id = ?", {id});
}

void ThreadStore::insert_message(const Message& message) {
  session_.execute(
      "INSERT INTO messages (id, thread_id, created_at, role, content, attachments, metadata, "
      "assistant_id, run_id, status) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
      {message.id, message.thread_id, message.created_at, message.role,
       util::dump_json(message.content), json_value(message.attachments),
       json_value(message.metadata), db::nullable(message.assistant_id),
       db::nullable(message.run_id), message.status});
}

std::optional<Message> ThreadStore::find_message(const std::string& id) {
  const db::Rows rows = session_.query(
      std::string("SELECT ") + kMessageColumns + " FROM messages WHERE id = ?", {id});
  if (rows.empty()) return std::nullopt;
  return message_from(rows.front());
}

std::vector<Message> ThreadStore::thread_messages(
    const std::string& thread_id, const std::optional<std::vector<std::string>>& ids) {
  std::string sql = std::string("SELECT ") + kMessageColumns + " FROM messages WHERE thread_id = ?";
  std::vector<db::Value> params = {thread_id};
  if (ids) {
    if (ids->empty()) return {};
    sql += " AND id IN (" + placeholders(ids->size()) + ")";
    params.insert(params.end(), ids->begin(), ids->end());
  }
  sql += " ORDER BY seq";
  return messages_from(session_.query(sql, params));
}

std::vector<Message> ThreadStore::list_messages(const MessagePageQuery& query) {
  if (query.thread_ids.empty()) return {};
  std::string sql = std::string("SELECT ") + kMessageColumns + " FROM messages WHERE ";
  std::vector<db::Value> params;
  if (query.thread_ids.size() == 1) {
    sql += "thread_id = ?";  // the common case keeps to one range of the (thread_id, seq) index
  } else {
    sql += "thread_id IN (" + placeholders(query.thread_ids.size()) + ")";
  }
  params.insert(params.end(), query.thread_ids.begin(), query.thread_ids.end());
  if (query.after_seq) {
    sql += " AND seq > ?";
    params.push_back(*query.after_seq);
  }
  if (query.before_seq) {
    sql += " AND seq < ?";
    params.push_back(*query.before_seq);
  }
  if (query.run_id) {
    sql += " AND run_id = ?";
    params.push_back(*query.run_id);
  }
  sql += query.ascending ? " ORDER BY seq ASC" : " ORDER BY seq DESC";
  sql += " LIMIT ?";
  params.push_back(query.limit);
  return messages_from(session_.query(sql, params));
}

void ThreadStore::update_message_metadata(const std::string& id,
                                          const std::optional<ordered_json>& metadata) {
  session_.execute("UPDATE messages SET metadata = ? WHERE id = ?", {json_value(metadata), id});
}

}  // namespace nearhub::threads
