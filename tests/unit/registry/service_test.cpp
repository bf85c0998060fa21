// RegistryService on both engines, with an in-memory blob store: the rules of spec §6 and
// §7.1–7.2, and that refused requests change nothing.

#include "registry/service.h"

#include <gtest/gtest.h>

#include "api/error.h"
#include "registry/permission_store.h"
#include "unit/db/engine_under_test.h"
#include "unit/registry/memory_blob_store.h"

namespace nearhub::registry {
namespace {

using nlohmann::ordered_json;
using testing::MemoryBlobStore;
using testing::read_all;
using testing::StringSource;

api::Identity as(const std::string& account) {
  api::Identity identity;
  identity.account_id = account;
  return identity;
}

// "<status> <detail>" of the api::Error `call` throws.
template <typename Call>
std::string failure(Call&& call) {
  try {
    call();
  } catch (const api::Error& error) {
    return std::to_string(error.status()) + " " + error.message();
  }
  return "no error";
}

ordered_json metadata(const std::string& category = "agent",
                      ordered_json details = ordered_json::object(),
                      std::vector<std::string> tags = {}, bool show = true) {
  if (details.is_null()) details = ordered_json::object();
  return {{"category", category},
          {"description", "desc"},
          {"tags", tags},
          {"details", std::move(details)},
          {"show_entry", show}};
}

class RegistryServiceTest : public db::testing::EngineTest {
 protected:
  void SetUp() override {
    EngineTest::SetUp();
    if (IsSkipped()) return;
    database_ = open_database();
    database_->migrate();
    RegistryOptions options;
    options.admin_accounts = {"admin.near"};
    options.trusted_runner_api_keys = {"runner-key"};
    options.max_file_bytes = 1000;
    service_ = std::make_unique<RegistryService>(*database_, blobs_, options);
  }

  EntryMetadata publish(const std::string& account, const EntryLocation& location,
                        ordered_json meta = metadata()) {
    return service_->upload_metadata(as(account), location, std::move(meta));
  }
  std::string upload(const std::string& account, const EntryLocation& location,
                     const std::string& path, const std::string& data = "bytes") {
    StringSource source(data);
    return service_->upload_file(as(account), location, path, source);
  }
  std::string download(const std::optional<api::Identity>& caller, const EntryLocation& location,
                       const std::string& path) {
    return read_all(*service_->download_file(caller, location, path));
  }
  std::vector<ListedEntry> list(ListEntriesParams params = {}) {
    return service_->list_entries(params);
  }
  static std::vector<std::string> names(const std::vector<ListedEntry>& entries) {
    std::vector<std::string> out;
    for (const auto& e : entries)
      out.push_back(e.entry.location.name + "@" + e.entry.location.version);
    return out;
  }

  MemoryBlobStore blobs_;
  std::unique_ptr<db::Database> database_;
  std::unique_ptr<RegistryService> service_;
};

TEST_P(RegistryServiceTest, MetadataIsCreatedReadAndReplaced) {
  const EntryMetadata created = publish("alice.near", {"alice.near", "bot", "1.0"},
                                        metadata("agent", {{"k", "v"}}, {"B", "a"}));
  EXPECT_EQ(created.tags, (std::vector<std::string>{"b", "a"}));
  EntryMetadata read = service_->download_metadata(std::nullopt, {"alice.near", "bot", "1.0"});
  EXPECT_EQ(read.entry.category, "agent");
  EXPECT_EQ(read.entry.details, ordered_json({{"k", "v"}}));
  EXPECT_EQ(read.tags, (std::vector<std::string>{"b", "a"}));
  publish("alice.near", {"alice.near", "bot", "1.0"},
          metadata("model", ordered_json::object(), {"c"}, false));
  read = service_->download_metadata(std::nullopt, {"alice.near", "bot", "1.0"});
  EXPECT_EQ(read.entry.id, created.entry.id);
  EXPECT_EQ(read.entry.created_at, created.entry.created_at);
  EXPECT_EQ(read.entry.category, "model");
  EXPECT_FALSE(read.entry.show_entry);
  EXPECT_EQ(read.tags, (std::vector<std::string>{"c"}));
}

TEST_P(RegistryServiceTest, MetadataIsSanitized) {
  const EntryMetadata stored =
      service_->upload_metadata(as("alice.near"), {"alice.near", "bot", "1.0"},
                                {{"category", " agent\r\n"},
                                 {"description", "\xE2\x80\x9Cquoted\xE2\x80\x9D\x01"},
                                 {"tags", {" X ", "x"}},
                                 {"details", {{"note", "line1\r\nline2 "}}},
                                 {"show_entry", true}});
  EXPECT_EQ(stored.entry.category, "agent");
  EXPECT_EQ(stored.entry.description, "\"quoted\"");
  EXPECT_EQ(stored.entry.details["note"], "line1\nline2");
  EXPECT_EQ(stored.tags, (std::vector<std::string>{"x"}));
}

TEST_P(RegistryServiceTest, LatestIsTheNewestVersionCreated) {
  publish("alice.near", {"alice.near", "bot", "2.0"});
  publish("alice.near", {"alice.near", "bot", "1.0"});
  publish("alice.near", {"alice.near", "bot", "2.0"}, metadata("agent", {{"again", true}}));
  EXPECT_EQ(service_->download_metadata(std::nullopt, {"alice.near", "bot", "latest"})
                .entry.location.version,
            "1.0");
  // Writes do not resolve `latest`: it is a literal version, and the newest one now.
  publish("alice.near", {"alice.near", "bot", "latest"});
  EXPECT_EQ(service_->download_metadata(std::nullopt, {"alice.near", "bot", "latest"})
                .entry.location.version,
            "latest");
  EXPECT_EQ(failure([&] {
              service_->download_metadata(std::nullopt, {"alice.near", "nope", "latest"});
            }),
            "404 Entry 'namespace='alice.near' name='nope' version='latest'' not found");
}

TEST_P(RegistryServiceTest, NamesAreCaseSensitive) {
  publish("alice.near", {"alice.near", "Bot", "1.0"});
  EXPECT_EQ(failure([&] {
              service_->download_metadata(std::nullopt, {"alice.near", "bot", "1.0"});
            }).substr(0, 3),
            "404");
}

TEST_P(RegistryServiceTest, MetadataWriteRule) {
  EXPECT_EQ(failure([&] {
              publish("bob.near", {"alice.near", "bot", "1.0"});
            }),
            "403 Unauthorized. Namespace: alice.near != Account: bob.near");
  EXPECT_EQ(failure([&] {
              service_->download_metadata(std::nullopt, {"alice.near", "bot", "1.0"});
            }).substr(0, 3),
            "404");
  publish("admin.near", {"alice.near", "bot", "1.0"});  // admins may write any namespace
  EXPECT_EQ(failure([&] {
              publish("alice.near", {"alice.near", "bad/name", "1.0"});
            }),
            "400 Invalid identifier: 'bad/name'. Should match ^[a-zA-Z0-9_\\-.]+$");
}

TEST_P(RegistryServiceTest, FileWriteRule) {
  publish("alice.near", {"alice.near", "bot", "1.0"});
  publish("admin.near", {"near.ai", "official", "1.0"});
  EXPECT_EQ(upload("alice.near", {"alice.near", "bot", "1.0"}, "a.py"),
            "registry/alice.near/bot/1.0/a.py");
  EXPECT_EQ(failure([&] {
              upload("bob.near", {"alice.near", "bot", "1.0"}, "b.py");
            }),
            "403 Unauthorized. Namespace: alice.near != Account: bob.near");
  // Admins may upload files only to near.ai (the original's asymmetry).
  EXPECT_EQ(failure([&] {
              upload("admin.near", {"alice.near", "bot", "1.0"}, "c.py");
            }),
            "403 Unauthorized. Namespace: alice.near != Account: admin.near");
  upload("admin.near", {"near.ai", "official", "1.0"}, "d.py");
  EXPECT_EQ(blobs_.object_count(), 2u);
}

TEST_P(RegistryServiceTest, FilesAreWriteOnceAndNeedTheEntry) {
  EXPECT_EQ(failure([&] {
              upload("alice.near", {"alice.near", "bot", "1.0"}, "a.py");
            }),
            "404 Entry 'namespace='alice.near' name='bot' version='1.0'' not found");
  publish("alice.near", {"alice.near", "bot", "1.0"});
  upload("alice.near", {"alice.near", "bot", "1.0"}, "dir/a.py", "first");
  EXPECT_EQ(failure([&] {
              upload("alice.near", {"alice.near", "bot", "1.0"}, "./dir//a.py", "second");
            }),
            "400 File registry/alice.near/bot/1.0/dir/a.py already exists.");
  EXPECT_EQ(download(std::nullopt, {"alice.near", "bot", "1.0"}, "dir/a.py"), "first");
  // `latest` resolves for uploads too.
  EXPECT_EQ(upload("alice.near", {"alice.near", "bot", "latest"}, "b.py"),
            "registry/alice.near/bot/1.0/b.py");
}

TEST_P(RegistryServiceTest, APathIsEitherAFileOrAFolder) {
  // The memory store, like S3, has no folders: the service refuses the clash itself, as a
  // directory store must.
  const EntryLocation bot{"alice.near", "bot", "1.0"};
  publish("alice.near", bot);
  upload("alice.near", bot, "lib");
  upload("alice.near", bot, "src/deep/a.py");
  EXPECT_EQ(failure([&] { upload("alice.near", bot, "lib/x.py"); }),
            "400 File registry/alice.near/bot/1.0/lib/x.py clashes with "
            "registry/alice.near/bot/1.0/lib: a path cannot be both a file and a folder");
  EXPECT_EQ(failure([&] { upload("alice.near", bot, "src"); }),
            "400 File registry/alice.near/bot/1.0/src clashes with "
            "registry/alice.near/bot/1.0/src/deep/a.py: a path cannot be both a file and a folder");
  EXPECT_EQ(failure([&] { upload("alice.near", bot, "src/deep"); }).substr(0, 4), "400 ");
  upload("alice.near", bot, "src/deep/b.py");  // a sibling is fine
  upload("alice.near", bot, "library");        // so is a name that only starts the same
  EXPECT_EQ(blobs_.object_count(), 4u);
}

TEST_P(RegistryServiceTest, BadPathsAndOversizedFilesStoreNothing) {
  publish("alice.near", {"alice.near", "bot", "1.0"});
  for (const std::string path : {"../x", "/etc/passwd", "a\\b", "", "a/../../b"}) {
    EXPECT_EQ(failure([&] {
                upload("alice.near", {"alice.near", "bot", "1.0"}, path);
              }).substr(0, 17),
              "400 Invalid path:")
        << path;
  }
  EXPECT_EQ(failure([&] {
              upload("alice.near", {"alice.near", "bot", "1.0"}, "big", std::string(1001, 'x'));
            }),
            "413 File too large: the limit is 1000 bytes");
  upload("alice.near", {"alice.near", "bot", "1.0"}, "fits", std::string(1000, 'x'));
  EXPECT_EQ(blobs_.object_count(), 1u);
}

TEST_P(RegistryServiceTest, DownloadErrors) {
  publish("alice.near", {"alice.near", "bot", "1.0"});
  EXPECT_EQ(failure([&] {
              download(std::nullopt, {"alice.near", "bot", "1.0"}, "missing");
            }),
            "404 File not found");
  publish("alice.near", {"alice.near", "elsewhere", "1.0"},
          metadata("agent", {{"_source", {{"origin", "s3"}, {"bucket", "b"}, {"key", "k"}}}}));
  EXPECT_EQ(failure([&] {
              download(std::nullopt, {"alice.near", "elsewhere", "1.0"}, "a");
            }),
            "400 Unsupported source: {'origin': 's3', 'bucket': 'b', 'key': 'k'}");
}

TEST_P(RegistryServiceTest, PrivateEntriesAreReadByOwnerAndAdminsOnly) {
  const EntryLocation secret{"alice.near", "secret", "1.0"};
  publish("alice.near", secret,
          metadata("agent", {{"private_source", true}, {"encryption_key", "K"}}));
  upload("alice.near", secret, "a.py", "code");
  EXPECT_EQ(download(as("alice.near"), secret, "a.py"), "code");
  EXPECT_EQ(download(as("admin.near"), secret, "a.py"), "code");
  EXPECT_EQ(failure([&] { download(as("bob.near"), secret, "a.py"); }), "403 Unauthorized");
  EXPECT_EQ(failure([&] { download(std::nullopt, secret, "a.py"); }), "403 Unauthorized");
  EXPECT_EQ(failure([&] { service_->list_files(as("bob.near"), secret); }), "403 Unauthorized");
  EXPECT_EQ(failure([&] { service_->download_metadata(as("bob.near"), secret); }),
            "403 Unauthorized");
  // Still listed, with the key hidden.
  const auto listed = list();
  ASSERT_EQ(listed.size(), 1u);
  EXPECT_EQ(listed[0].entry.details["encryption_key"], "<secret>");
}

TEST_P(RegistryServiceTest, EncryptionKeyIsShownToTheOwnerAndTrustedRunnersOnly) {
  const EntryLocation location{"alice.near", "bot", "1.0"};
  publish("alice.near", location, metadata("agent", {{"encryption_key", "K"}, {"x", 1}}));
  EXPECT_EQ(service_->download_metadata(as("alice.near"), location).entry.details["encryption_key"],
            "K");
  EXPECT_EQ(service_->download_metadata(as("bob.near"), location).entry.details["encryption_key"],
            "<secret>");
  EXPECT_EQ(service_->download_metadata(as("admin.near"), location).entry.details["encryption_key"],
            "<secret>");
  EXPECT_EQ(service_->download_metadata(std::nullopt, location).entry.details["encryption_key"],
            "<secret>");
  api::Identity runner = as("bob.near");
  runner.runner_data = R"({"runner_api_key": "runner-key"})";
  EXPECT_EQ(service_->download_metadata(runner, location).entry.details["encryption_key"], "K");
  runner.runner_data = R"({"runner_api_key": "other"})";
  EXPECT_EQ(service_->download_metadata(runner, location).entry.details["encryption_key"],
            "<secret>");
  runner.runner_data = "not json";
  EXPECT_EQ(service_->download_metadata(runner, location).entry.details["encryption_key"],
            "<secret>");
  // The listing hides it even from the owner.
  EXPECT_EQ(list()[0].entry.details["encryption_key"], "<secret>");
}

TEST_P(RegistryServiceTest, ListFilesHasNoCap) {
  const EntryLocation location{"alice.near", "big", "1.0"};
  publish("alice.near", location);
  publish("alice.near", {"alice.near", "big", "1.0.1"});
  for (int i = 0; i < 1200; ++i) upload("alice.near", location, "f" + std::to_string(10000 + i));
  upload("alice.near", {"alice.near", "big", "1.0.1"}, "other");
  const auto files = service_->list_files(std::nullopt, location);
  ASSERT_EQ(files.size(), 1200u);
  EXPECT_EQ(files.front(), "f10000");
  EXPECT_EQ(files.back(), "f11199");
}

TEST_P(RegistryServiceTest, ListEntriesLatestHiddenAndOrder) {
  publish("alice.near", {"alice.near", "a", "1"});
  publish("alice.near", {"alice.near", "b", "1"});
  publish("alice.near", {"alice.near", "a", "2"});
  publish("alice.near", {"alice.near", "c", "1"}, metadata("agent", {}, {}, false));
  EXPECT_EQ(names(list()), (std::vector<std::string>{"a@2", "b@1"}));
  EXPECT_EQ(names(list({.show_hidden = true})), (std::vector<std::string>{"c@1", "a@2", "b@1"}));
  EXPECT_EQ(names(list({.show_latest_version = false})),
            (std::vector<std::string>{"a@2", "b@1", "a@1"}));
  EXPECT_EQ(names(list({.total = 1, .offset = 1, .show_latest_version = false})),
            (std::vector<std::string>{"b@1"}));
  // [QUIRK] kept: a hidden newest version hides the name from the default listing.
  publish("alice.near", {"alice.near", "b", "2"}, metadata("agent", {}, {}, false));
  EXPECT_EQ(names(list()), (std::vector<std::string>{"a@2"}));
}

TEST_P(RegistryServiceTest, LatestVersionFilterIsPerCategory) {
  publish("alice.near", {"alice.near", "same", "1"}, metadata("agent"));
  publish("alice.near", {"alice.near", "same", "2"}, metadata("dataset"));
  EXPECT_EQ(names(list()), (std::vector<std::string>{"same@2", "same@1"}));
  // `latest` in reads still follows the newest row of the name.
  EXPECT_EQ(
      service_->download_metadata(std::nullopt, {"alice.near", "same", "latest"}).entry.category,
      "dataset");
}

TEST_P(RegistryServiceTest, ListEntriesFilters) {
  publish("alice.near", {"alice.near", "a", "1"}, metadata("agent", {}, {"x", "y"}));
  publish("bob.near", {"bob.near", "b", "1"}, metadata("model", {}, {"x"}));
  publish("bob.near", {"bob.near", "c", "1"}, metadata("agent", {}, {"y", "x", "z"}));
  EXPECT_EQ(names(list({.namespace_ = "bob.near"})), (std::vector<std::string>{"c@1", "b@1"}));
  EXPECT_EQ(names(list({.category = "agent"})), (std::vector<std::string>{"c@1", "a@1"}));
  EXPECT_EQ(names(list({.tags = "x"})), (std::vector<std::string>{"c@1", "b@1", "a@1"}));
  EXPECT_EQ(names(list({.tags = "x,y"})), (std::vector<std::string>{"c@1", "a@1"}));
  EXPECT_EQ(names(list({.tags = ",y,,x,y"})), (std::vector<std::string>{"c@1", "a@1"}));
  EXPECT_EQ(names(list({.namespace_ = "bob.near", .category = "agent", .tags = "x"})),
            (std::vector<std::string>{"c@1"}));
  EXPECT_TRUE(list({.tags = "x,nope"}).empty());
  // All tags come back, not only the matched ones, in upload order.
  EXPECT_EQ(list({.tags = "z"})[0].tags, (std::vector<std::string>{"y", "x", "z"}));
  EXPECT_EQ(failure([&] { list({.category = "a.b"}); }),
            "400 Invalid tag: 'a.b'. Should match ^[a-zA-Z0-9_\\-]+$");
  EXPECT_EQ(failure([&] { list({.namespace_ = "a b"}); }),
            "400 Invalid identifier: 'a b'. Should match ^[a-zA-Z0-9_\\-.]+$");
  EXPECT_EQ(failure([&] { list({.tags = "ok,not ok"}); }),
            "400 Invalid tag: 'not ok'. Should match ^[a-zA-Z0-9_\\-]+$");
  EXPECT_EQ(failure([&] { list({.fork_of_name = "a", .fork_of_namespace = "a/b"}); }),
            "400 Invalid identifier: 'a/b'. Should match ^[a-zA-Z0-9_\\-.]+$");
  // The fork_of filter applies only with both parts.
  EXPECT_EQ(list({.fork_of_namespace = "a/b"}).size(), 3u);
}

TEST_P(RegistryServiceTest, StarredByCombinesWithTheOtherFiltersNewestFirst) {
  publish("alice.near", {"alice.near", "old", "1"}, metadata("agent", {}, {"x"}));
  publish("bob.near", {"bob.near", "model", "1"}, metadata("model", {}, {"x"}));
  publish("bob.near", {"bob.near", "unstarred", "1"}, metadata("agent", {}, {"x"}));
  publish("bob.near", {"bob.near", "new", "1"}, metadata("agent", {}, {"y"}));
  publish("alice.near", {"alice.near", "old", "2"}, metadata("agent", {}, {"x"}));
  for (const auto& [ns, name] : std::vector<std::pair<std::string, std::string>>{
           {"alice.near", "old"}, {"bob.near", "model"}, {"bob.near", "new"}}) {
    service_->add_star(as("carol.near"), ns, name);
  }
  // Stars are per name: the newest version of a starred name is listed, newest entry first.
  EXPECT_EQ(names(list({.starred_by = "carol.near"})),
            (std::vector<std::string>{"old@2", "new@1", "model@1"}));
  EXPECT_EQ(names(list({.show_latest_version = false, .starred_by = "carol.near"})),
            (std::vector<std::string>{"old@2", "new@1", "model@1", "old@1"}));
  EXPECT_EQ(names(list({.category = "agent", .tags = "x", .starred_by = "carol.near"})),
            (std::vector<std::string>{"old@2"}));
  EXPECT_EQ(names(list({.namespace_ = "bob.near", .starred_by = "carol.near"})),
            (std::vector<std::string>{"new@1", "model@1"}));
  EXPECT_EQ(names(list({.total = 1, .offset = 1, .starred_by = "carol.near"})),
            (std::vector<std::string>{"new@1"}));
  EXPECT_TRUE(list({.starred_by = "dave.near"}).empty());
}

TEST_P(RegistryServiceTest, StarsAreCountedPerName) {
  publish("alice.near", {"alice.near", "a", "1"});
  publish("alice.near", {"alice.near", "a", "2"});
  publish("alice.near", {"alice.near", "b", "1"});
  service_->add_star(as("bob.near"), "alice.near", "a");
  service_->add_star(as("carol.near"), "alice.near", "a");
  service_->add_star(as("bob.near"), "nobody.near", "ghost");  // need not exist
  EXPECT_EQ(failure([&] { service_->add_star(as("bob.near"), "alice.near", "a"); }),
            "400 Already starred");
  auto entries = list({.show_latest_version = false, .star_point_of_view = "bob.near"});
  ASSERT_EQ(entries.size(), 3u);
  EXPECT_EQ(names(entries), (std::vector<std::string>{"b@1", "a@2", "a@1"}));
  EXPECT_EQ(entries[0].num_stars, 0);
  EXPECT_FALSE(entries[0].starred_by_point_of_view);
  EXPECT_EQ(entries[1].num_stars, 2);
  EXPECT_EQ(entries[2].num_stars, 2);
  EXPECT_TRUE(entries[1].starred_by_point_of_view);
  EXPECT_EQ(names(list({.starred_by = "carol.near"})), (std::vector<std::string>{"a@2"}));
  service_->remove_star(as("carol.near"), "alice.near", "a");
  EXPECT_EQ(failure([&] { service_->remove_star(as("carol.near"), "alice.near", "a"); }),
            "400 Not starred");
  EXPECT_TRUE(list({.starred_by = "carol.near"}).empty());
  EXPECT_EQ(list({.namespace_ = "alice.near", .tags = ""})[1].num_stars, 1);
}

TEST_P(RegistryServiceTest, ForkCopiesEntryAndFiles) {
  const EntryLocation source{"alice.near", "bot", "1.0"};
  publish("alice.near", source,
          metadata("agent",
                   {{"encryption_key", "K"},
                    {"triggers", {{"events", {{"x_mentions", {{"a", 1}}}}}}},
                    {"keep", 1}},
                   {"t"}));
  upload("alice.near", source, "a.py", "A");
  upload("alice.near", source, "dir/b.py", "B");
  const EntryLocation forked =
      service_->fork(as("bob.near"), source, {"mybot", "my description", "0.1"});
  EXPECT_EQ(forked.namespace_, "bob.near");
  EXPECT_EQ(download(as("bob.near"), forked, "dir/b.py"), "B");
  EXPECT_EQ(service_->list_files(std::nullopt, forked),
            (std::vector<std::string>{"a.py", "dir/b.py"}));
  const EntryMetadata meta = service_->download_metadata(as("bob.near"), forked);
  EXPECT_EQ(meta.entry.category, "agent");
  EXPECT_EQ(meta.entry.description, "my description");
  // The non-owner's copy keeps the marker, not the key; the X trigger is gone; tags are not copied.
  EXPECT_EQ(meta.entry.details, ordered_json({{"encryption_key", "<secret>"}, {"keep", 1}}));
  EXPECT_TRUE(meta.tags.empty());
  const auto listed = list({.show_latest_version = false});
  ASSERT_EQ(listed.size(), 2u);
  EXPECT_EQ(listed[0].entry.location.name, "mybot");
  ASSERT_TRUE(listed[0].fork_of);
  EXPECT_EQ(listed[0].fork_of->namespace_, "alice.near");
  EXPECT_EQ(listed[1].num_forks, 1);
  EXPECT_EQ(names(list({.fork_of_name = "bot", .fork_of_namespace = "alice.near"})),
            (std::vector<std::string>{"mybot@0.1"}));
  // The owner forking their own entry keeps the real key.
  const EntryLocation own = service_->fork(as("alice.near"), source, {"copy", "d", "1.0"});
  EXPECT_EQ(service_->download_metadata(as("alice.near"), own).entry.details["encryption_key"],
            "K");
}

TEST_P(RegistryServiceTest, ForkRefusalsWriteNothing) {
  const EntryLocation source{"alice.near", "bot", "1.0"};
  publish("alice.near", source);
  upload("alice.near", source, "a.py");
  publish("bob.near", {"bob.near", "taken", "9"});
  const std::size_t objects = blobs_.object_count();
  EXPECT_EQ(failure([&] {
              service_->fork(as("bob.near"), source, {"bad name", "d", "1"});
            }),
            "400 Invalid identifier: 'bad name'. Should match ^[a-zA-Z0-9_\\-.]+$");
  EXPECT_EQ(failure([&] {
              service_->fork(as("bob.near"), source, {"ok", "d", "1/2"});
            }).substr(0, 3),
            "400");
  EXPECT_EQ(failure([&] {
              service_->fork(as("bob.near"), source, {"taken", "d", "1"});
            }),
            "409 Fork request collides with existing entry. Choose a different name.");
  EXPECT_EQ(failure([&] {
              service_->fork(as("bob.near"), {"alice.near", "nope", "1"}, {"x", "d", "1"});
            }).substr(0, 3),
            "404");
  publish("alice.near", {"alice.near", "private", "1"},
          metadata("agent", {{"private_source", true}}));
  EXPECT_EQ(failure([&] {
              service_->fork(as("bob.near"), {"alice.near", "private", "1"}, {"x", "d", "1"});
            }),
            "403 Unauthorized");
  EXPECT_EQ(blobs_.object_count(), objects);
  EXPECT_EQ(list({.namespace_ = "bob.near"}).size(), 1u);
}

TEST_P(RegistryServiceTest, ForkThatFailsMidwayRemovesItsCopies) {
  const EntryLocation source{"alice.near", "bot", "1.0"};
  publish("alice.near", source);
  for (const char* path : {"a", "b", "c"}) upload("alice.near", source, path);
  blobs_.fail_copy_after(2);
  EXPECT_THROW(service_->fork(as("bob.near"), source, {"copy", "d", "1"}), blob::BlobError);
  blobs_.fail_copy_after(-1);
  EXPECT_EQ(blobs_.object_count(), 3u);
  EXPECT_TRUE(list({.namespace_ = "bob.near"}).empty());
  EXPECT_EQ(list()[0].num_forks, 0);
  // And the same fork works afterwards.
  service_->fork(as("bob.near"), source, {"copy", "d", "1"});
  EXPECT_EQ(blobs_.object_count(), 6u);
}

TEST_P(RegistryServiceTest, AForkNeverReplacesAFileAlreadyAtItsTarget) {
  const EntryLocation source{"alice.near", "bot", "1.0"};
  publish("alice.near", source);
  for (const char* path : {"a", "b", "c"}) upload("alice.near", source, path, "alice's");
  // What a racing write left at the target between the fork's checks and its copies.
  StringSource theirs("bob's own");
  blobs_.put("registry/bob.near/copy/1/b", theirs, UINT64_MAX, false);
  EXPECT_EQ(failure([&] {
              service_->fork(as("bob.near"), source, {"copy", "d", "1"});
            }),
            "409 Fork request collides with existing entry. Choose a different name.");
  EXPECT_EQ(read_all(*blobs_.get("registry/bob.near/copy/1/b")), "bob's own");
  EXPECT_FALSE(blobs_.exists("registry/bob.near/copy/1/a"));  // its own copy, removed
  EXPECT_EQ(blobs_.object_count(), 4u);
  EXPECT_TRUE(list({.namespace_ = "bob.near"}).empty());
}

TEST_P(RegistryServiceTest, PermissionsGrantCheckRevoke) {
  auto session = database_->session();
  PermissionStore store(*session);
  EXPECT_EQ(failure([&] { require_permission(*session, "alice.near", "worker"); }),
            "403 Permission denied. Missing permission `worker`");
  store.grant("alice.near", "worker");
  store.grant("alice.near", "worker");
  store.grant("alice.near", "submit_job");
  require_permission(*session, "alice.near", "worker");
  EXPECT_EQ(store.revoke("alice.near", "worker"), 1);
  EXPECT_FALSE(store.has("alice.near", "worker"));
  EXPECT_TRUE(store.has("alice.near", "submit_job"));
  EXPECT_EQ(store.revoke("alice.near", ""), 1);
  EXPECT_FALSE(store.has("alice.near", "submit_job"));
}

INSTANTIATE_ENGINE_SUITE(RegistryServiceTest);

}  // namespace
}  // namespace nearhub::registry
