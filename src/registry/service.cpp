#include "registry/service.h"

#include <algorithm>
#include <set>

#include <spdlog/spdlog.h>

#include "api/error.h"
#include "registry/details.h"
#include "registry/sanitize.h"

namespace nearhub::registry {

namespace {

api::Error unauthorized_write(const EntryLocation& location, const api::Identity& caller) {
  return api::Error::http(
      403, "Unauthorized. Namespace: " + location.namespace_ + " != Account: " + caller.account_id);
}

std::string valid_path(const std::string& path) {
  std::optional<std::string> normalized = normalize_path(path);
  if (!normalized) {
    throw api::Error::http(400, "Invalid path: " + python_repr(path) +
                                    ". A path is relative to the entry, without '..', "
                                    "backslashes or NUL characters");
  }
  return *normalized;
}

std::optional<std::string> caller_account(const std::optional<api::Identity>& caller) {
  if (!caller) return std::nullopt;
  return caller->account_id;
}

}  // namespace

RegistryService::RegistryService(db::Database& database, blob::BlobStore& blobs,
                                 RegistryOptions options)
    : database_(database), blobs_(blobs), options_(std::move(options)) {}

bool RegistryService::is_admin(const std::string& account_id) const {
  return std::find(options_.admin_accounts.begin(), options_.admin_accounts.end(), account_id) !=
         options_.admin_accounts.end();
}

bool RegistryService::is_trusted_runner(const std::optional<api::Identity>& caller) const {
  if (!caller || !caller->runner_data || options_.trusted_runner_api_keys.empty()) return false;
  // The original answers 500 on runner_data that is not JSON; here it just earns no trust.
  const nlohmann::json data = nlohmann::json::parse(*caller->runner_data, nullptr, false);
  if (!data.is_object()) return false;
  const auto key = data.find("runner_api_key");
  if (key == data.end() || !key->is_string()) return false;
  const auto& keys = options_.trusted_runner_api_keys;
  return std::find(keys.begin(), keys.end(), key->get<std::string>()) != keys.end();
}

std::string RegistryService::entry_key(const EntryLocation& location) const {
  std::string key = options_.blob_prefix.empty() ? "" : options_.blob_prefix + "/";
  return key + location.namespace_ + "/" + location.name + "/" + location.version;
}

std::string RegistryService::files_prefix(const Entry& entry) const {
  // [SEC] The original also serves `_source: {"origin": "s3", "bucket", "key"}` entries from
  // any bucket and key, which would let an entry point at another account's private files.
  // nearhub has one store and serves an entry's own files only.
  const auto source = entry.details.find("_source");
  if (source != entry.details.end() && !source->is_null()) {
    throw api::Error::http(400, "Unsupported source: " + python_repr_json(*source));
  }
  return entry_key(entry.location) + "/";
}

bool RegistryService::may_read(const std::optional<std::string>& account,
                               const Entry& entry) const {
  if (!is_private(entry.details)) return true;
  return account && (*account == entry.location.namespace_ || is_admin(*account));
}

Entry RegistryService::read_entry(db::Session& session, const std::optional<api::Identity>& caller,
                                  const EntryLocation& location) const {
  RegistryStore store(session);
  std::optional<Entry> entry = location.version == "latest"
                                   ? store.find_latest(location.namespace_, location.name)
                                   : store.find(location);
  if (!entry) throw api::Error::http(404, not_found_detail(location));
  const std::optional<std::string> account = caller_account(caller);
  const bool owner = account && *account == entry->location.namespace_;
  if (!may_read(account, *entry)) throw api::Error::http(403, "Unauthorized");
  if (!owner && !is_trusted_runner(caller)) obfuscate_encryption_key(entry->details);
  return *entry;
}

void RegistryService::check_file_write(const api::Identity& caller,
                                       const EntryLocation& location) const {
  if (caller.account_id == location.namespace_) return;
  if (location.namespace_ == kOfficialNamespace && is_admin(caller.account_id)) return;
  throw unauthorized_write(location, caller);
}

void RegistryService::check_metadata_write(const api::Identity& caller,
                                           const EntryLocation& location) const {
  if (caller.account_id == location.namespace_ || is_admin(caller.account_id)) return;
  throw unauthorized_write(location, caller);
}

std::string RegistryService::upload_file(const api::Identity& caller, const EntryLocation& location,
                                         const std::string& path, util::ByteSource& content) {
  check_location(location);
  check_file_write(caller, location);
  const std::string relative = valid_path(path);
  std::optional<Entry> entry;
  {
    auto session = database_.session();
    RegistryStore store(*session);
    entry = location.version == "latest" ? store.find_latest(location.namespace_, location.name)
                                         : store.find(location);
  }  // no connection is held while the bytes are stored
  if (!entry) throw api::Error::http(404, not_found_detail(location));
  const std::string prefix = entry_key(entry->location) + "/";
  const std::string key = prefix + relative;
  check_no_file_folder_clash(prefix, relative);
  try {
    blobs_.put(key, content, options_.max_file_bytes, /*if_absent=*/true);
  } catch (const blob::BlobExists&) {
    throw api::Error::http(400, "File " + key + " already exists.");
  } catch (const blob::BlobTooLarge&) {
    throw api::Error::http(
        413, "File too large: the limit is " + std::to_string(options_.max_file_bytes) + " bytes");
  }
  return key;
}

void RegistryService::check_no_file_folder_clash(const std::string& prefix,
                                                 const std::string& relative) {
  // A directory store cannot hold "a" and "a/b" both, and S3 can; refusing the second on every
  // store keeps an entry downloadable as a folder tree wherever it is stored.
  const auto clash = [&](const std::string& other) {
    throw api::Error::http(400, "File " + prefix + relative + " clashes with " + prefix + other +
                                    ": a path cannot be both a file and a folder");
  };
  for (std::size_t slash = relative.find('/'); slash != std::string::npos;
       slash = relative.find('/', slash + 1)) {
    if (blobs_.exists(prefix + relative.substr(0, slash))) clash(relative.substr(0, slash));
  }
  const std::vector<blob::BlobInfo> inside = blobs_.list(prefix + relative + "/");
  if (!inside.empty()) clash(inside.front().key.substr(prefix.size()));
}

std::unique_ptr<util::ByteSource> RegistryService::download_file(
    const std::optional<api::Identity>& caller, const EntryLocation& location,
    const std::string& path) {
  check_location(location);
  Entry entry;
  {
    auto session = database_.session();
    entry = read_entry(*session, caller, location);
  }
  const std::string prefix = files_prefix(entry);
  const std::string relative = valid_path(path);
  std::unique_ptr<util::ByteSource> source = blobs_.get(prefix + relative);
  // [BUG] fixed: the original answers 500 for a missing object (spec §6.3).
  if (!source) throw api::Error::http(404, "File not found");
  return source;
}

EntryMetadata RegistryService::upload_metadata(const api::Identity& caller,
                                               const EntryLocation& location,
                                               nlohmann::ordered_json metadata) {
  check_location(location);
  check_metadata_write(caller, location);
  sanitize_json(metadata);
  EntryFields fields;
  fields.category = metadata.at("category").get<std::string>();
  fields.description = metadata.at("description").get<std::string>();
  fields.details = metadata.at("details");
  fields.show_entry = metadata.at("show_entry").get<bool>();
  const std::vector<std::string> tags =
      normalize_tags(metadata.at("tags").get<std::vector<std::string>>());
  auto session = database_.session();
  Entry entry = RegistryStore(*session).upsert_metadata(location, fields, tags);
  return {std::move(entry), tags};
}

EntryMetadata RegistryService::download_metadata(const std::optional<api::Identity>& caller,
                                                 const EntryLocation& location) {
  check_location(location);
  auto session = database_.session();
  Entry entry = read_entry(*session, caller, location);
  std::vector<std::string> tags = RegistryStore(*session).tags(entry.id);
  return {std::move(entry), std::move(tags)};
}

std::vector<std::string> RegistryService::list_files(const std::optional<api::Identity>& caller,
                                                     const EntryLocation& location) {
  check_location(location);
  Entry entry;
  {
    auto session = database_.session();
    entry = read_entry(*session, caller, location);
  }
  const std::string prefix = files_prefix(entry);
  std::vector<std::string> files;
  // [BUG] fixed: every file, not the first 1000 (spec §6.6).
  for (const blob::BlobInfo& blob : blobs_.list(prefix)) {
    files.push_back(blob.key.substr(prefix.size()));
  }
  return files;
}

std::vector<ListedEntry> RegistryService::list_entries(const ListEntriesParams& params) {
  // Checked in the original's order: category, namespace, fork origin, tags.
  ListQuery query;
  if (!params.category.empty()) check_tag(params.category);
  query.category = params.category;
  if (!params.namespace_.empty()) check_identifier(params.namespace_);
  query.namespace_ = params.namespace_;
  if (!params.fork_of_name.empty() && !params.fork_of_namespace.empty()) {
    check_identifier(params.fork_of_namespace);
    query.fork_of = ForkOrigin{params.fork_of_namespace, params.fork_of_name};
  }
  std::set<std::string> seen;
  for (std::size_t start = 0; start <= params.tags.size();) {
    std::size_t end = params.tags.find(',', start);
    if (end == std::string::npos) end = params.tags.size();
    std::string tag = params.tags.substr(start, end - start);
    start = end + 1;
    if (tag.empty() || !seen.insert(tag).second) continue;
    check_tag(tag);
    query.tags.push_back(std::move(tag));
  }
  query.total = params.total;
  query.offset = params.offset;
  query.show_hidden = params.show_hidden;
  query.show_latest_version = params.show_latest_version;
  query.starred_by = params.starred_by;
  query.star_point_of_view = params.star_point_of_view;

  auto session = database_.session();
  std::vector<ListedEntry> entries = RegistryStore(*session).list(query);
  // The listing always hides encryption keys, even from the owner (spec §6.7 [QUIRK]).
  for (ListedEntry& listed : entries) obfuscate_encryption_key(listed.entry.details);
  return entries;
}

std::vector<Entry> RegistryService::find_agents(const api::Identity& caller,
                                                const FindAgentsQuery& query) {
  // The private and capabilities tests need the details JSON (private_source is truthy in
  // Python's sense), so they run here rather than in SQL; LIMIT and OFFSET therefore count
  // matches here too. The store hands over pages in id order, each sized to what is still
  // needed, so a request reads about offset + limit rows plus those filtered out.
  constexpr std::int64_t kMinPage = 50;
  constexpr std::int64_t kMaxPage = 1000;
  std::vector<Entry> found;
  if (query.limit && *query.limit <= 0) return found;
  std::int64_t to_skip = query.offset;
  AgentScan scan;
  scan.namespace_ = query.owner_id;
  scan.latest_versions_only = query.latest_versions_only;
  const std::optional<std::string> account = caller.account_id;
  auto session = database_.session();
  RegistryStore store(*session);
  for (;;) {
    const std::int64_t remaining =
        query.limit ? *query.limit - static_cast<std::int64_t>(found.size()) : kMaxPage;
    const std::int64_t wanted =
        to_skip >= kMaxPage || remaining >= kMaxPage - to_skip ? kMaxPage : to_skip + remaining;
    scan.count = std::clamp(wanted, kMinPage, kMaxPage);
    std::vector<Entry> page = store.scan_agents(scan);
    for (Entry& entry : page) {
      scan.after_id = entry.id;
      if (!may_read(account, entry)) continue;
      if (query.with_capabilities) {
        const auto capabilities = entry.details.find("capabilities");
        if (capabilities == entry.details.end() || capabilities->is_null()) continue;
      }
      if (to_skip > 0) {
        --to_skip;
        continue;
      }
      // [SEC] fixed: the original returns the real key (spec §5.2); listings hide it.
      obfuscate_encryption_key(entry.details);
      found.push_back(std::move(entry));
      if (query.limit && static_cast<std::int64_t>(found.size()) == *query.limit) return found;
    }
    if (static_cast<std::int64_t>(page.size()) < scan.count) return found;
  }
}

EntryLocation RegistryService::fork(const api::Identity& caller, const EntryLocation& source,
                                    const ForkModifications& modifications) {
  check_location(source);
  // Everything is checked before anything is written ([BUG] fixed: the original validated the
  // new name after committing it, spec §6.8).
  Entry from;
  EntryLocation target{caller.account_id, modifications.name, modifications.version};
  EntryFields fields;
  {
    auto session = database_.session();
    from = read_entry(*session, caller, source);
    check_identifier(target.name);
    check_identifier(target.version);
    // The copy keeps what the forker could read: a non-owner's fork carries "<secret>", so
    // clients ask for the key instead of the key leaking to a new owner.
    fields.category = from.category;
    fields.description = modifications.description;
    fields.details = from.details;
    remove_x_mentions_trigger(fields.details);
    fields.show_entry = true;
    if (RegistryStore(*session).fork_target_taken(target.namespace_, target.name, fields.category,
                                                  target.version)) {
      throw api::Error::http(409,
                             "Fork request collides with existing entry. Choose a different name.");
    }
  }
  const std::string from_prefix = files_prefix(from);
  const std::string to_prefix = entry_key(target) + "/";

  // Storage first, then the rows in one transaction; if anything fails, the copies go. Copies
  // are write-once: a file already at the target (a concurrent fork, or an entry created there
  // meanwhile) is never replaced, and the fork is refused as a collision.
  std::vector<std::string> copied;
  try {
    for (const blob::BlobInfo& blob : blobs_.list(from_prefix)) {
      const std::string to = to_prefix + blob.key.substr(from_prefix.size());
      blobs_.copy(blob.key, to);
      copied.push_back(to);
    }
    auto session = database_.session();
    RegistryStore(*session).insert_fork(target, fields,
                                        {from.location.namespace_, from.location.name});
  } catch (...) {
    // Every file in `copied` was written by this fork alone.
    for (const std::string& key : copied) {
      try {
        blobs_.remove(key);
      } catch (const std::exception& error) {
        spdlog::warn("fork cleanup: cannot remove {}: {}", key, error.what());
      }
    }
    try {
      throw;
    } catch (const db::ConstraintError&) {
      throw api::Error::http(409,
                             "Fork request collides with existing entry. Choose a different name.");
    } catch (const blob::BlobExists&) {
      throw api::Error::http(409,
                             "Fork request collides with existing entry. Choose a different name.");
    }
  }
  return target;
}

void RegistryService::add_star(const api::Identity& caller, const std::string& namespace_,
                               const std::string& name) {
  auto session = database_.session();
  if (!RegistryStore(*session).add_star(caller.account_id, namespace_, name)) {
    throw api::Error::http(400, "Already starred");
  }
}

void RegistryService::remove_star(const api::Identity& caller, const std::string& namespace_,
                                  const std::string& name) {
  auto session = database_.session();
  if (!RegistryStore(*session).remove_star(caller.account_id, namespace_, name)) {
    throw api::Error::http(400, "Not starred");
  }
}

}  // namespace nearhub::registry
