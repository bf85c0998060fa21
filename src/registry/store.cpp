#include "registry/store.h"

#include <algorithm>
#include <unordered_map>

#include "util/json.h"
#include "util/time.h"

namespace nearhub::registry {

namespace {

constexpr const char* kEntryColumns =
    "id, namespace, name, version, created_at, category, description, details, show_entry";

// The columns of kEntryColumns, from `first` on.
Entry read_entry(const db::Row& row, std::size_t first = 0) {
  Entry entry;
  entry.id = row.integer(first);
  entry.location = {row.text(first + 1), row.text(first + 2), row.text(first + 3)};
  entry.created_at = row.integer(first + 4);
  entry.category = row.text(first + 5);
  entry.description = row.text(first + 6);
  entry.details = nlohmann::ordered_json::parse(row.text(first + 7), nullptr, false);
  if (!entry.details.is_object()) entry.details = nlohmann::ordered_json::object();
  entry.show_entry = row.integer(first + 8) != 0;
  return entry;
}

std::optional<Entry> first_entry(const db::Rows& rows) {
  if (rows.empty()) return std::nullopt;
  return read_entry(rows.front());
}

std::string placeholders(std::size_t count) {
  std::string out;
  for (std::size_t i = 0; i < count; ++i) out += i == 0 ? "?" : ", ?";
  return out;
}

// IN lists are padded to a few fixed lengths, so that the per-connection statement cache
// holds a handful of shapes rather than one per page size.
std::size_t padded_length(std::size_t count) {
  for (std::size_t length : {8, 64, 512}) {
    if (count <= length) return length;
  }
  return 512;
}

}  // namespace

std::optional<Entry> RegistryStore::find(const EntryLocation& location) {
  return first_entry(
      session_.query(std::string("SELECT ") + kEntryColumns +
                         " FROM registry_entry WHERE namespace = ? AND name = ? AND version = ?",
                     {location.namespace_, location.name, location.version}));
}

std::optional<Entry> RegistryStore::find_latest(const std::string& namespace_,
                                                const std::string& name) {
  return first_entry(session_.query(std::string("SELECT ") + kEntryColumns +
                                        " FROM registry_entry WHERE namespace = ? AND name = ? "
                                        "ORDER BY id DESC LIMIT 1",
                                    {namespace_, name}));
}

std::vector<std::string> RegistryStore::tags(std::int64_t entry_id) {
  std::vector<std::string> tags;
  for (const db::Row& row : session_.query(
           "SELECT tag FROM entry_tags WHERE registry_id = ? ORDER BY position", {entry_id})) {
    tags.push_back(row.text(0));
  }
  return tags;
}

Entry RegistryStore::upsert_metadata(const EntryLocation& location, const EntryFields& fields,
                                     const std::vector<std::string>& tags) {
  db::Transaction transaction(session_);
  // The creation time and the id stay when the metadata of an existing version is replaced:
  // `latest` and the listing order follow creation, not updates (spec §6.1).
  const db::Rows rows = session_.query(
      std::string("INSERT INTO registry_entry (namespace, name, version, created_at, category, "
                  "description, details, show_entry) VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
                  "ON CONFLICT (namespace, name, version) DO UPDATE SET "
                  "category = excluded.category, description = excluded.description, "
                  "details = excluded.details, show_entry = excluded.show_entry RETURNING ") +
          kEntryColumns,
      {location.namespace_, location.name, location.version, util::now_unix_us(), fields.category,
       fields.description, util::dump_json(fields.details),
       std::int64_t{fields.show_entry ? 1 : 0}});
  Entry entry = read_entry(rows.at(0));
  replace_tags(entry.id, tags);
  transaction.commit();
  return entry;
}

void RegistryStore::replace_tags(std::int64_t entry_id, const std::vector<std::string>& tags) {
  session_.execute("DELETE FROM entry_tags WHERE registry_id = ?", {entry_id});
  for (std::size_t i = 0; i < tags.size(); ++i) {
    session_.execute("INSERT INTO entry_tags (registry_id, tag, position) VALUES (?, ?, ?)",
                     {entry_id, tags[i], static_cast<std::int64_t>(i)});
  }
}

bool RegistryStore::fork_target_taken(const std::string& namespace_, const std::string& name,
                                      const std::string& category, const std::string& version) {
  return !session_
              .query(
                  "SELECT 1 FROM registry_entry WHERE namespace = ? AND name = ? "
                  "AND (category = ? OR version = ?) LIMIT 1",
                  {namespace_, name, category, version})
              .empty();
}

Entry RegistryStore::insert_entry(const EntryLocation& location, const EntryFields& fields) {
  const db::Rows rows = session_.query(
      std::string("INSERT INTO registry_entry (namespace, name, version, created_at, category, "
                  "description, details, show_entry) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING ") +
          kEntryColumns,
      {location.namespace_, location.name, location.version, util::now_unix_us(), fields.category,
       fields.description, util::dump_json(fields.details),
       std::int64_t{fields.show_entry ? 1 : 0}});
  return read_entry(rows.at(0));
}

Entry RegistryStore::insert_fork(const EntryLocation& target, const EntryFields& fields,
                                 const ForkOrigin& source) {
  db::Transaction transaction(session_);
  Entry entry = insert_entry(target, fields);
  session_.execute(
      "INSERT INTO forks (category, from_namespace, from_name, to_namespace, to_name) "
      "VALUES (?, ?, ?, ?, ?)",
      {fields.category, source.namespace_, source.name, target.namespace_, target.name});
  session_.execute(
      "INSERT INTO registry_fork_counts (category, namespace, name, forks) VALUES (?, ?, ?, 1) "
      "ON CONFLICT (category, namespace, name) DO UPDATE SET "
      "forks = registry_fork_counts.forks + 1",
      {fields.category, source.namespace_, source.name});
  transaction.commit();
  return entry;
}

bool RegistryStore::add_star(const std::string& account_id, const std::string& namespace_,
                             const std::string& name) {
  db::Transaction transaction(session_);
  const std::int64_t inserted = session_.execute(
      "INSERT INTO stars (account_id, namespace, name) VALUES (?, ?, ?) "
      "ON CONFLICT (account_id, namespace, name) DO NOTHING",
      {account_id, namespace_, name});
  if (inserted == 0) return false;  // rolled back: nothing was written
  session_.execute(
      "INSERT INTO registry_star_counts (namespace, name, stars) VALUES (?, ?, 1) "
      "ON CONFLICT (namespace, name) DO UPDATE SET stars = registry_star_counts.stars + 1",
      {namespace_, name});
  transaction.commit();
  return true;
}

bool RegistryStore::remove_star(const std::string& account_id, const std::string& namespace_,
                                const std::string& name) {
  db::Transaction transaction(session_);
  const std::int64_t removed =
      session_.execute("DELETE FROM stars WHERE account_id = ? AND namespace = ? AND name = ?",
                       {account_id, namespace_, name});
  if (removed == 0) return false;
  session_.execute(
      "UPDATE registry_star_counts SET stars = stars - 1 WHERE namespace = ? AND name = ?",
      {namespace_, name});
  transaction.commit();
  return true;
}

std::vector<ListedEntry> RegistryStore::list(const ListQuery& query) {
  // Two steps in one statement. The inner query finds the page's ids from the filters alone:
  // each required tag by entry_tags' primary key, a starred_by account by the stars primary
  // key, the fork origin by the forks primary key, and "is the newest version" as the absence
  // of a higher id for the same name (and category: [BUG] fixed, spec §6.7) in
  // registry_entry_latest_idx. It walks ids downwards and stops after the page — through the
  // first tag's index (tag, registry_id) when there is a tag, so that a rare tag does not cost a
  // scan of every entry carrying it. The outer query then fetches the counters, the fork origin
  // and the caller's star for the page's rows only.
  std::string page = "SELECT r.id FROM registry_entry r";
  std::vector<db::Value> page_params;
  if (!query.starred_by.empty()) {
    page +=
        " JOIN stars sb ON sb.account_id = ? AND sb.namespace = r.namespace "
        "AND sb.name = r.name";
    page_params.emplace_back(query.starred_by);
  }
  for (std::size_t i = 0; i < query.tags.size(); ++i) {
    const std::string alias = "t" + std::to_string(i);
    page += " JOIN entry_tags " + alias + " ON " + alias + ".registry_id = r.id AND " + alias +
            ".tag = ?";
    page_params.emplace_back(query.tags[i]);
  }
  if (query.fork_of) {
    page +=
        " JOIN forks pf ON pf.category = r.category AND pf.to_namespace = r.namespace"
        " AND pf.to_name = r.name AND pf.from_namespace = ? AND pf.from_name = ?";
    page_params.emplace_back(query.fork_of->namespace_);
    page_params.emplace_back(query.fork_of->name);
  }
  page += " WHERE 1 = 1";
  if (!query.show_hidden) page += " AND r.show_entry = 1";
  if (query.show_latest_version) {
    page +=
        " AND NOT EXISTS (SELECT 1 FROM registry_entry n WHERE n.namespace = r.namespace "
        "AND n.name = r.name AND n.id > r.id AND n.category = r.category)";
  }
  if (!query.category.empty()) {
    page += " AND r.category = ?";
    page_params.emplace_back(query.category);
  }
  if (!query.namespace_.empty()) {
    page += " AND r.namespace = ?";
    page_params.emplace_back(query.namespace_);
  }
  // t0.registry_id is r.id; naming the tag's column lets the engine read the tag index in order.
  page += query.tags.empty() ? " ORDER BY r.id DESC" : " ORDER BY t0.registry_id DESC";
  page += " LIMIT ? OFFSET ?";
  page_params.emplace_back(query.total);
  page_params.emplace_back(query.offset);

  std::string sql =
      "SELECT r.id, r.namespace, r.name, r.version, r.created_at, r.category, r.description, "
      "r.details, r.show_entry, COALESCE(sc.stars, 0), COALESCE(fc.forks, 0), "
      "f.from_namespace, f.from_name, ";
  std::vector<db::Value> params;
  if (query.star_point_of_view.empty()) {
    sql += "0";
  } else {
    sql +=
        "CASE WHEN EXISTS (SELECT 1 FROM stars p WHERE p.account_id = ? "
        "AND p.namespace = r.namespace AND p.name = r.name) THEN 1 ELSE 0 END";
    params.emplace_back(query.star_point_of_view);
  }
  sql += " FROM (" + page + ") page JOIN registry_entry r ON r.id = page.id" +
         " LEFT JOIN registry_star_counts sc ON sc.namespace = r.namespace AND sc.name = r.name"
         " LEFT JOIN registry_fork_counts fc ON fc.category = r.category"
         " AND fc.namespace = r.namespace AND fc.name = r.name"
         " LEFT JOIN forks f ON f.category = r.category AND f.to_namespace = r.namespace"
         " AND f.to_name = r.name"
         " ORDER BY r.id DESC";
  for (db::Value& value : page_params) params.push_back(std::move(value));

  std::vector<ListedEntry> entries;
  for (const db::Row& row : session_.query(sql, params)) {
    ListedEntry listed;
    listed.entry = read_entry(row);
    listed.num_stars = row.integer(9);
    listed.num_forks = row.integer(10);
    if (!row.is_null(11) && !row.is_null(12)) {
      listed.fork_of = ForkOrigin{row.text(11), row.text(12)};
    }
    listed.starred_by_point_of_view = row.integer(13) != 0;
    entries.push_back(std::move(listed));
  }
  fill_tags(entries);
  return entries;
}

std::vector<Entry> RegistryStore::scan_agents(const AgentScan& scan) {
  // Walks registry_entry_category_idx (category, id) upwards from `after_id`; the latest test is
  // one point lookup per row in registry_entry_latest_idx, as in list().
  std::string sql = std::string("SELECT ") + kEntryColumns +
                    " FROM registry_entry r WHERE r.category = 'agent' AND r.id > ?";
  std::vector<db::Value> params{scan.after_id};
  if (scan.namespace_) {
    sql += " AND r.namespace = ?";
    params.emplace_back(*scan.namespace_);
  }
  if (scan.latest_versions_only) {
    sql +=
        " AND NOT EXISTS (SELECT 1 FROM registry_entry n WHERE n.namespace = r.namespace "
        "AND n.name = r.name AND n.category = r.category AND n.id > r.id)";
  }
  sql += " ORDER BY r.id LIMIT ?";
  params.emplace_back(scan.count);
  std::vector<Entry> entries;
  for (const db::Row& row : session_.query(sql, params)) entries.push_back(read_entry(row));
  return entries;
}

void RegistryStore::fill_tags(std::vector<ListedEntry>& entries) {
  std::size_t done = 0;
  while (done < entries.size()) {
    const std::size_t count = std::min<std::size_t>(entries.size() - done, 512);
    const std::size_t length = padded_length(count);
    std::vector<db::Value> ids;
    ids.reserve(length);
    for (std::size_t i = 0; i < length; ++i) {
      ids.emplace_back(entries[done + std::min(i, count - 1)].entry.id);
    }
    const db::Rows rows =
        session_.query("SELECT registry_id, tag FROM entry_tags WHERE registry_id IN (" +
                           placeholders(length) + ") ORDER BY registry_id, position",
                       ids);
    std::unordered_map<std::int64_t, std::size_t> index;
    for (std::size_t i = done; i < done + count; ++i) index.emplace(entries[i].entry.id, i);
    for (const db::Row& row : rows) {
      const auto it = index.find(row.integer(0));
      if (it != index.end()) entries[it->second].tags.push_back(row.text(1));
    }
    done += count;
  }
}

}  // namespace nearhub::registry
