#pragma once
// The registry's rules (spec/platform.md §6, §7.1–7.2): who may read, write, fork and star
// what; `latest`; private entries and the encryption-key obfuscation; sanitization; the storage
// key layout; write-once files; a fork that leaves nothing half-made. No HTTP here: errors are
// api::Error values with the original's status and detail.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "api/identity.h"
#include "blob/blob_store.h"
#include "db/database.h"
#include "registry/identifiers.h"
#include "registry/store.h"
#include "util/byte_source.h"

namespace nearhub::registry {

struct RegistryOptions {
  // Accounts that may read private entries, write any entry's metadata and upload files to the
  // `near.ai` namespace (the original's hard-coded ADMIN_LIST; empty by default).
  std::vector<std::string> admin_accounts;
  // runner_data.runner_api_key values that see real encryption keys (spec §2.8).
  std::vector<std::string> trusted_runner_api_keys;
  // First segment of every storage key: "<prefix>/<namespace>/<name>/<version>/<path>".
  // Empty: keys start at the namespace.
  std::string blob_prefix = "registry";
  // Largest file upload_file stores (413 above it).
  std::uint64_t max_file_bytes = 1ull << 30;
};

// The official namespace whose files admins may upload (spec §6.1).
inline constexpr const char* kOfficialNamespace = "near.ai";

// download_metadata / upload_metadata model: the entry and its tags.
struct EntryMetadata {
  Entry entry;
  std::vector<std::string> tags;
};

// The raw list_entries query parameters (spec §6.7), validated by list_entries().
struct ListEntriesParams {
  std::string namespace_;
  std::string category;
  std::string tags;  // comma-separated
  std::int64_t total = 32;
  std::int64_t offset = 0;
  bool show_hidden = false;
  bool show_latest_version = true;
  std::string starred_by;
  std::string star_point_of_view;
  std::string fork_of_name;
  std::string fork_of_namespace;
};

// The filters of find_agents (spec/assistants.md §5.2), already validated.
struct FindAgentsQuery {
  std::optional<std::string> owner_id;      // a namespace; nullopt: every namespace
  bool with_capabilities = false;           // only agents whose details.capabilities is not null
  bool latest_versions_only = true;         // only the newest agent version of each name
  std::optional<std::int64_t> limit = 100;  // nullopt: no limit
  std::int64_t offset = 0;
};

struct ForkModifications {
  std::string name;
  std::string description;
  std::string version;
};

class RegistryService {
 public:
  RegistryService(db::Database& database, blob::BlobStore& blobs, RegistryOptions options);

  const RegistryOptions& options() const { return options_; }

  // 403 "Unauthorized. Namespace: <ns> != Account: <account>" unless the caller may upload
  // files to `location` (its namespace, or near.ai for admins).
  void check_file_write(const api::Identity& caller, const EntryLocation& location) const;
  // Stores one file of an existing entry (`latest` resolved), write-once. Returns the storage
  // key. 400 bad path or existing file, 404 unknown entry, 413 over max_file_bytes.
  std::string upload_file(const api::Identity& caller, const EntryLocation& location,
                          const std::string& path, util::ByteSource& content);
  // The bytes of one file. 400 bad path or unsupported _source, 403 private, 404 unknown entry
  // or file.
  std::unique_ptr<util::ByteSource> download_file(const std::optional<api::Identity>& caller,
                                                  const EntryLocation& location,
                                                  const std::string& path);

  // 403 unless the caller may write the metadata (its namespace, or any namespace for admins).
  void check_metadata_write(const api::Identity& caller, const EntryLocation& location) const;
  // Creates or updates the entry at exactly `location` (`latest` is a literal version here).
  // `metadata` is the validated EntryMetadataInput object. Returns what was stored.
  EntryMetadata upload_metadata(const api::Identity& caller, const EntryLocation& location,
                                nlohmann::ordered_json metadata);
  EntryMetadata download_metadata(const std::optional<api::Identity>& caller,
                                  const EntryLocation& location);
  // Paths relative to the entry, in key order, all of them.
  std::vector<std::string> list_files(const std::optional<api::Identity>& caller,
                                      const EntryLocation& location);
  std::vector<ListedEntry> list_entries(const ListEntriesParams& params);
  // Agents in id order (oldest first), after `offset` matches, at most `limit`. Private agents
  // only for those who may read them; details.encryption_key always "<secret>", as listings.
  std::vector<Entry> find_agents(const api::Identity& caller, const FindAgentsQuery& query);

  // Copies the readable entry `source` to the caller's namespace. Returns the new location.
  EntryLocation fork(const api::Identity& caller, const EntryLocation& source,
                     const ForkModifications& modifications);

  // 400 "Already starred" / "Not starred".
  void add_star(const api::Identity& caller, const std::string& namespace_,
                const std::string& name);
  void remove_star(const api::Identity& caller, const std::string& namespace_,
                   const std::string& name);

  // "<prefix>/<ns>/<name>/<version>" (no trailing slash).
  std::string entry_key(const EntryLocation& location) const;

 private:
  bool is_admin(const std::string& account_id) const;
  bool is_trusted_runner(const std::optional<api::Identity>& caller) const;
  // The private-entry rule: a private entry is readable by its namespace's account and admins.
  bool may_read(const std::optional<std::string>& account, const Entry& entry) const;
  // Loads the entry (resolving `latest`), enforces the private rule and obfuscates the key
  // for readers who may not see it (spec §6.1 "get_read_access").
  Entry read_entry(db::Session& session, const std::optional<api::Identity>& caller,
                   const EntryLocation& location) const;
  // The key prefix of an entry's files ("<entry_key>/"); 400 for an unsupported _source.
  std::string files_prefix(const Entry& entry) const;
  // 400 when `relative` would be a file inside an existing file, or a file where files already
  // live as in a folder.
  void check_no_file_folder_clash(const std::string& prefix, const std::string& relative);

  db::Database& database_;
  blob::BlobStore& blobs_;
  RegistryOptions options_;
};

}  // namespace nearhub::registry
