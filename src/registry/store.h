#pragma once
// Registry tables (src/db/migrations/0002_registry.sql): entries, tags, stars, forks and their
// counters. SQL only; the rules live in registry/service.h. Every statement runs on SQLite and
// PostgreSQL.

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "db/database.h"
#include "registry/identifiers.h"

namespace nearhub::registry {

struct Entry {
  std::int64_t id = 0;
  EntryLocation location;
  std::int64_t created_at = 0;  // Unix µs
  std::string category;
  std::string description;
  nlohmann::ordered_json details = nlohmann::ordered_json::object();
  bool show_entry = true;
};

struct EntryFields {
  std::string category;
  std::string description;
  nlohmann::ordered_json details = nlohmann::ordered_json::object();
  bool show_entry = true;
};

struct ForkOrigin {
  std::string namespace_;
  std::string name;
};

// One row of list_entries (spec §6.7).
struct ListedEntry {
  Entry entry;
  std::vector<std::string> tags;
  std::int64_t num_forks = 0;
  std::int64_t num_stars = 0;
  bool starred_by_point_of_view = false;
  std::optional<ForkOrigin> fork_of;
};

// The filters of list_entries, already validated. Empty strings mean "no filter".
struct ListQuery {
  std::string namespace_;
  std::string category;
  std::vector<std::string> tags;  // distinct; an entry must carry all of them
  std::int64_t total = 32;
  std::int64_t offset = 0;
  bool show_hidden = false;
  bool show_latest_version = true;
  std::string starred_by;
  std::string star_point_of_view;
  std::optional<ForkOrigin> fork_of;
};

// One page of the find_agents scan (spec/assistants.md §5.2): entries of category `agent` with
// an id above `after_id`, in id order.
struct AgentScan {
  std::optional<std::string> namespace_;  // nullopt: every namespace
  // Only rows with no higher id of the same namespace, name and category: the newest agent
  // version of each name (the per-category "latest" of list(), registry_entry_latest_idx).
  bool latest_versions_only = true;
  std::int64_t after_id = 0;
  std::int64_t count = 100;
};

class RegistryStore {
 public:
  explicit RegistryStore(db::Session& session) : session_(session) {}

  // The entry at exactly this location.
  std::optional<Entry> find(const EntryLocation& location);
  // The row with the highest id for (namespace, name): the newest version created.
  std::optional<Entry> find_latest(const std::string& namespace_, const std::string& name);
  // Tags in upload order.
  std::vector<std::string> tags(std::int64_t entry_id);

  // Creates the entry if it is new (created_at = now) or replaces its metadata, and replaces
  // its tags, in one transaction. Returns the entry as stored.
  Entry upsert_metadata(const EntryLocation& location, const EntryFields& fields,
                        const std::vector<std::string>& tags);

  // True when an entry named (namespace, name) exists with this category or this version:
  // a fork there would collide (spec §6.8).
  bool fork_target_taken(const std::string& namespace_, const std::string& name,
                         const std::string& category, const std::string& version);
  // Inserts the forked entry, its `forks` row and the source's fork counter in one transaction.
  // Throws db::ConstraintError when another request took the target first.
  Entry insert_fork(const EntryLocation& target, const EntryFields& fields,
                    const ForkOrigin& source);

  // False when the star already exists / did not exist. The counter moves with the row.
  bool add_star(const std::string& account_id, const std::string& namespace_,
                const std::string& name);
  bool remove_star(const std::string& account_id, const std::string& namespace_,
                   const std::string& name);

  std::vector<ListedEntry> list(const ListQuery& query);
  std::vector<Entry> scan_agents(const AgentScan& scan);

 private:
  Entry insert_entry(const EntryLocation& location, const EntryFields& fields);
  void replace_tags(std::int64_t entry_id, const std::vector<std::string>& tags);
  void fill_tags(std::vector<ListedEntry>& entries);

  db::Session& session_;
};

}  // namespace nearhub::registry
