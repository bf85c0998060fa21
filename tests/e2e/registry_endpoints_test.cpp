// The registry, stars and permissions endpoints over HTTP (spec/platform.md §6, §7.1–7.4):
// shapes, error bodies, and what a second account, an admin and an anonymous caller may do.

#include <gtest/gtest.h>

#include "auth/credentials.h"
#include "db/database.h"
#include "e2e/support/registry_api.h"
#include "e2e/support/server_process.h"
#include "e2e/support/shared_server.h"
#include "e2e/support/tokens.h"

namespace nearhub::e2e {
namespace {

using nlohmann::json;

class RegistryEndpoints : public SharedServerTest<RegistryEndpoints> {
 public:
  static ServerProcess::Options server_options() {
    return {.environment = {{"NEARHUB_ACCESS_LOG", "false"},
                            {"NEARHUB_REGISTRY_ADMIN_ACCOUNTS", admin().account_id},
                            {"NEARHUB_REGISTRY_MAX_FILE_BYTES", "2000"}}};
  }
  static const auth::NearCredentials& admin() {
    static const auth::NearCredentials credentials = auth::generate_implicit_credentials();
    return credentials;
  }

 protected:
  static RegistryApi api() { return RegistryApi(server_->base_url()); }
  std::string token(const auth::NearCredentials& who) { return sign_token(who); }
  Location at(const auth::NearCredentials& who, const std::string& name,
              const std::string& version = "1.0") {
    return {who.account_id, name, version};
  }
  void publish(const auth::NearCredentials& who, const Location& location,
               const json& metadata = entry_metadata()) {
    const FullReply reply = api().upload_metadata(token(who), location, metadata);
    ASSERT_EQ(reply.status, 200) << reply.body;
  }
  void upload(const auth::NearCredentials& who, const Location& location, const std::string& path,
              const std::string& data) {
    const FullReply reply = api().upload_file(token(who), location, path, data);
    ASSERT_EQ(reply.status, 200) << reply.body;
  }
  // Names ("name@version") of a list_entries answer.
  static std::vector<std::string> names(const FullReply& reply) {
    EXPECT_EQ(reply.status, 200) << reply.body;
    std::vector<std::string> out;
    for (const json& entry : reply.json()) {
      out.push_back(entry["name"].get<std::string>() + "@" + entry["version"].get<std::string>());
    }
    return out;
  }

  auth::NearCredentials alice_ = auth::generate_implicit_credentials();
  auth::NearCredentials bob_ = auth::generate_implicit_credentials();
};

TEST_F(RegistryEndpoints, UploadMetadataAnswersTheSanitizedMetadata) {
  // Raw text, so that the key order of `details` is the client's (z before a).
  const std::string body =
      R"({"entry_location": {"namespace": ")" + alice_.account_id +
      R"(", "name": "bot", "version": "1.0"}, "metadata": {"category": "agent", )"
      R"("description": "  \u201chello\u201d\r\n", "tags": [" Chat", "chat", "LLM"], )"
      R"("details": {"z": " last ", "a": "first"}, "show_entry": true}})";
  const FullReply reply =
      api().post("/v1/registry/upload_metadata", token(alice_), body, "application/json");
  ASSERT_EQ(reply.status, 200) << reply.body;
  // Field order as the original's models; details keep the client's key order.
  EXPECT_EQ(reply.body,
            R"({"status":"Updated metadata","namespace":")" + alice_.account_id +
                R"(","metadata":{"category":"agent","description":"\"hello\"","tags":["chat",)"
                R"("llm"],"details":{"z":"last","a":"first"},"show_entry":true,"name":"bot",)"
                R"("version":"1.0"}})");
  const FullReply read = api().download_metadata("", at(alice_, "bot"));
  ASSERT_EQ(read.status, 200);
  EXPECT_EQ(
      read.body.substr(read.body.find("\"details\"")),
      R"("details":{"z":"last","a":"first"},"show_entry":true,"name":"bot","version":"1.0"})");
}

TEST_F(RegistryEndpoints, UploadMetadataRefusals) {
  const FullReply other = api().upload_metadata(token(bob_), at(alice_, "bot2"), entry_metadata());
  EXPECT_EQ(other.status, 403);
  EXPECT_EQ(other.detail(),
            "Unauthorized. Namespace: " + alice_.account_id + " != Account: " + bob_.account_id);
  const FullReply bad =
      api().upload_metadata(token(alice_), at(alice_, "bad name"), entry_metadata());
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(bad.detail(), "Invalid identifier: 'bad name'. Should match ^[a-zA-Z0-9_\\-.]+$");
  for (const char* dots : {".", ".."}) {
    const FullReply dotted =
        api().upload_metadata(token(alice_), at(alice_, dots), entry_metadata());
    EXPECT_EQ(dotted.status, 400) << dotted.body;
    EXPECT_EQ(api().download_metadata("", at(alice_, dots)).status, 400);
  }
  json missing = entry_metadata();
  missing.erase("show_entry");
  EXPECT_EQ(api().upload_metadata(token(alice_), at(alice_, "bot2"), missing).status, 422);
  EXPECT_EQ(api().upload_metadata("", at(alice_, "bot2"), entry_metadata()).detail(),
            "Authorization required");
  // Nothing was created.
  EXPECT_EQ(api().download_metadata("", at(alice_, "bot2")).status, 404);
  // Admins may write the metadata of any namespace.
  EXPECT_EQ(api().upload_metadata(token(admin()), at(alice_, "bot2"), entry_metadata()).status,
            200);
}

TEST_F(RegistryEndpoints, UploadFileIsWriteOnceAndDownloadHasNoContentType) {
  const Location location = at(alice_, "files");
  EXPECT_EQ(api().upload_file(token(alice_), location, "a.py", "x").detail(),
            "Entry 'namespace='" + alice_.account_id + "' name='files' version='1.0'' not found");
  publish(alice_, location);
  const FullReply first = api().upload_file(token(alice_), location, "src/a.py", "print(1)\n");
  ASSERT_EQ(first.status, 200) << first.body;
  const std::string key = "registry/" + alice_.account_id + "/files/1.0/src/a.py";
  EXPECT_EQ(first.json(), json({{"status", "File uploaded"}, {"path", key}}));
  const FullReply again = api().upload_file(token(alice_), location, "./src/a.py", "other");
  EXPECT_EQ(again.status, 400);
  EXPECT_EQ(again.detail(), "File " + key + " already exists.");

  const FullReply download = api().download_file("", location, "src/a.py");
  ASSERT_EQ(download.status, 200);
  EXPECT_EQ(download.body, "print(1)\n");
  EXPECT_FALSE(download.headers.contains("content-type"));
  const FullReply missing = api().download_file("", location, "nope.py");
  EXPECT_EQ(missing.status, 404);
  EXPECT_EQ(missing.detail(), "File not found");
  // On the directory store a file cannot hold files, nor a folder be overwritten by a file.
  EXPECT_EQ(api().upload_file(token(alice_), location, "src/a.py/b.py", "x").status, 400);
  const FullReply over_folder = api().upload_file(token(alice_), location, "src", "x");
  EXPECT_EQ(over_folder.status, 400);
  EXPECT_NE(over_folder.detail().find("a path cannot be both a file and a folder"),
            std::string::npos)
      << over_folder.body;
}

TEST_F(RegistryEndpoints, UploadFileRefusals) {
  const Location location = at(alice_, "guarded");
  publish(alice_, location);
  const FullReply other = api().upload_file(token(bob_), location, "a.py", "x");
  EXPECT_EQ(other.status, 403);
  EXPECT_EQ(other.detail(),
            "Unauthorized. Namespace: " + alice_.account_id + " != Account: " + bob_.account_id);
  // Admins upload files only to near.ai.
  EXPECT_EQ(api().upload_file(token(admin()), location, "a.py", "x").status, 403);
  for (const std::string path : {"../escape.py", "/abs.py", "a\\b.py", "a/../../b"}) {
    const FullReply bad = api().upload_file(token(alice_), location, path, "x");
    EXPECT_EQ(bad.status, 400) << path;
    EXPECT_TRUE(bad.detail().starts_with("Invalid path: ")) << bad.body;
  }
  const FullReply big =
      api().upload_file(token(alice_), location, "big.bin", std::string(2001, 'b'));
  EXPECT_EQ(big.status, 413);
  const FullReply bad_name = api().upload_file(token(alice_), at(alice_, "a/b"), "a.py", "x");
  EXPECT_EQ(bad_name.status, 400);
  EXPECT_EQ(bad_name.detail(), "Invalid identifier: 'a/b'. Should match ^[a-zA-Z0-9_\\-.]+$");
  // Nothing was stored.
  const FullReply files = api().list_files("", location);
  ASSERT_EQ(files.status, 200);
  EXPECT_EQ(files.json(), json::array());
  EXPECT_EQ(api().upload_file(token(alice_), location, "fits.bin", std::string(2000, 'b')).status,
            200);
  EXPECT_EQ(api().upload_file("", location, "x", "x").status, 403);
}

TEST_F(RegistryEndpoints, NearAiFilesAreWrittenByAdmins) {
  const std::string name = "official" + alice_.account_id.substr(0, 8);
  const Location official{"near.ai", name, "1.0"};
  ASSERT_EQ(api().upload_metadata(token(admin()), official, entry_metadata()).status, 200);
  EXPECT_EQ(api().upload_file(token(admin()), official, "a.py", "x").status, 200);
  EXPECT_EQ(api().upload_file(token(alice_), official, "b.py", "x").status, 403);
}

TEST_F(RegistryEndpoints, LatestResolvesToTheNewestVersionCreated) {
  publish(alice_, at(alice_, "versions", "0.2"), entry_metadata("agent", {{"v", 2}}));
  publish(alice_, at(alice_, "versions", "0.1"), entry_metadata("agent", {{"v", 1}}));
  upload(alice_, at(alice_, "versions", "latest"), "f", "for 0.1");
  const FullReply latest = api().download_metadata("", at(alice_, "versions", "latest"));
  ASSERT_EQ(latest.status, 200);
  EXPECT_EQ(latest.json()["version"], "0.1");
  EXPECT_EQ(api().download_file("", at(alice_, "versions", "0.1"), "f").body, "for 0.1");
  EXPECT_EQ(api().list_files("", at(alice_, "versions", "latest")).json(),
            json::parse(R"([{"filename": "f"}])"));
}

TEST_F(RegistryEndpoints, PrivateEntriesAreForTheirOwnerAndAdmins) {
  const Location secret = at(alice_, "secret");
  publish(alice_, secret,
          entry_metadata("agent", {{"private_source", true}, {"encryption_key", "KEY"}}));
  upload(alice_, secret, "a.py", "encrypted");
  for (const std::string& who : {token(bob_), std::string()}) {
    EXPECT_EQ(api().download_file(who, secret, "a.py").status, 403);
    EXPECT_EQ(api().download_metadata(who, secret).detail(), "Unauthorized");
    EXPECT_EQ(api().list_files(who, secret).status, 403);
  }
  EXPECT_EQ(api().fork(token(bob_), secret, "stolen", "1").status, 403);
  const FullReply own = api().download_metadata(token(alice_), secret);
  EXPECT_EQ(own.json()["details"]["encryption_key"], "KEY");
  const FullReply as_admin = api().download_metadata(token(admin()), secret);
  ASSERT_EQ(as_admin.status, 200);
  EXPECT_EQ(as_admin.json()["details"]["encryption_key"], "<secret>");
  EXPECT_EQ(api().download_file(token(admin()), secret, "a.py").body, "encrypted");
  // Listed anyway, with the key hidden even from the owner.
  const FullReply listed = api().list_entries("namespace=" + alice_.account_id);
  ASSERT_EQ(listed.status, 200);
  ASSERT_EQ(listed.json().size(), 1u);
  EXPECT_EQ(listed.json()[0]["details"]["encryption_key"], "<secret>");
}

TEST_F(RegistryEndpoints, NonOwnersSeeTheEncryptionKeyObfuscated) {
  const Location location = at(alice_, "encrypted");
  publish(alice_, location, entry_metadata("agent", {{"encryption_key", "KEY"}, {"keep", "me"}}));
  EXPECT_EQ(api().download_metadata(token(bob_), location).json()["details"],
            json({{"encryption_key", "<secret>"}, {"keep", "me"}}));
  EXPECT_EQ(api().download_metadata("", location).json()["details"]["encryption_key"], "<secret>");
}

TEST_F(RegistryEndpoints, HiddenEntriesAreListedOnRequestAndReadDirectly) {
  publish(alice_, at(alice_, "shown"));
  publish(alice_, at(alice_, "hidden"),
          entry_metadata("agent", json::object(), json::array(), false));
  const std::string ns = "namespace=" + alice_.account_id;
  EXPECT_EQ(names(api().list_entries(ns)), (std::vector<std::string>{"shown@1.0"}));
  EXPECT_EQ(names(api().list_entries(ns + "&show_hidden=true")),
            (std::vector<std::string>{"hidden@1.0", "shown@1.0"}));
  EXPECT_EQ(api().download_metadata("", at(alice_, "hidden")).status, 200);
}

TEST_F(RegistryEndpoints, ListEntriesShapeAndFilters) {
  publish(alice_, at(alice_, "one", "1"),
          entry_metadata("agent", {{"encryption_key", "k"}}, {"x", "y"}));
  publish(alice_, at(alice_, "one", "2"), entry_metadata("agent", json::object(), {"x"}));
  publish(alice_, at(alice_, "two", "1"), entry_metadata("dataset", json::object(), {"y"}));
  const std::string ns = "namespace=" + alice_.account_id;
  const FullReply all = api().list_entries(ns);
  ASSERT_EQ(all.status, 200) << all.body;
  const json first = all.json()[0];
  // Field order of EntryInformation.
  const std::string text = all.body.substr(0, all.body.find("\"namespace\""));
  EXPECT_EQ(text.substr(0, 7), "[{\"id\":");
  EXPECT_TRUE(first["updated"].get<std::string>().ends_with("Z"));
  EXPECT_EQ(first["num_forks"], 0);
  EXPECT_EQ(first["num_stars"], 0);
  EXPECT_EQ(first["starred_by_point_of_view"], false);
  EXPECT_TRUE(first["fork_of"].is_null());
  EXPECT_EQ(names(all), (std::vector<std::string>{"two@1", "one@2"}));
  EXPECT_EQ(names(api().list_entries(ns + "&show_latest_version=false")),
            (std::vector<std::string>{"two@1", "one@2", "one@1"}));
  EXPECT_EQ(names(api().list_entries(ns + "&show_latest_version=0&tags=x,y")),
            (std::vector<std::string>{"one@1"}));
  EXPECT_EQ(names(api().list_entries(ns + "&category=dataset")),
            (std::vector<std::string>{"two@1"}));
  EXPECT_EQ(names(api().list_entries(ns + "&show_latest_version=no&total=1&offset=1")),
            (std::vector<std::string>{"one@2"}));
  EXPECT_EQ(api().list_entries("tags=a%20b").detail(),
            "Invalid tag: 'a b'. Should match ^[a-zA-Z0-9_\\-]+$");
  EXPECT_EQ(api().list_entries("category=a.b").status, 400);
  EXPECT_EQ(api().list_entries("namespace=a/b").status, 400);
  EXPECT_EQ(api().list_entries("total=-1").status, 422);
  EXPECT_EQ(api().list_entries("show_hidden=maybe").status, 422);
  // No token is read at all.
  EXPECT_EQ(api().post("/v1/registry/list_entries?" + ns, "garbage", "", "application/json").status,
            200);
}

TEST_F(RegistryEndpoints, StarsNeedAnAccountAndCountPerName) {
  publish(alice_, at(alice_, "starry", "1"));
  publish(alice_, at(alice_, "starry", "2"));
  EXPECT_EQ(api().add_star("", alice_.account_id, "starry").status, 403);
  const FullReply star = api().add_star(token(bob_), alice_.account_id, "starry");
  ASSERT_EQ(star.status, 200) << star.body;
  EXPECT_EQ(star.body, "null");
  EXPECT_EQ(api().add_star(token(bob_), alice_.account_id, "starry").detail(), "Already starred");
  EXPECT_EQ(api().add_star(token(alice_), alice_.account_id, "starry").status, 200);
  const std::string ns = "namespace=" + alice_.account_id;
  const json listed = api().list_entries(ns + "&star_point_of_view=" + bob_.account_id).json();
  EXPECT_EQ(listed[0]["num_stars"], 2);
  EXPECT_EQ(listed[0]["starred_by_point_of_view"], true);
  EXPECT_EQ(names(api().list_entries("starred_by=" + bob_.account_id)),
            (std::vector<std::string>{"starry@2"}));
  EXPECT_EQ(api().remove_star(token(bob_), alice_.account_id, "starry").status, 200);
  EXPECT_EQ(api().remove_star(token(bob_), alice_.account_id, "starry").detail(), "Not starred");
  EXPECT_TRUE(api().list_entries("starred_by=" + bob_.account_id).json().empty());
  EXPECT_EQ(api().list_entries(ns).json()[0]["num_stars"], 1);
}

TEST_F(RegistryEndpoints, ForkCopiesIntoTheCallersNamespace) {
  const Location source = at(alice_, "forkme");
  publish(alice_, source,
          entry_metadata("agent", {{"triggers", {{"events", {{"x_mentions", 1}}}}}}, {"t"}));
  upload(alice_, source, "agent.py", "code");
  upload(alice_, source, "lib/util.py", "util");
  const FullReply forked = api().fork(token(bob_), source, "myfork", "0.0.1", "mine");
  ASSERT_EQ(forked.status, 200) << forked.body;
  EXPECT_EQ(forked.json(),
            json({{"status", "Entry forked and uploaded"},
                  {"entry",
                   {{"namespace", bob_.account_id}, {"name", "myfork"}, {"version", "0.0.1"}}}}));
  const Location copy = at(bob_, "myfork", "0.0.1");
  EXPECT_EQ(api().list_files("", copy).json(),
            json::parse(R"([{"filename": "agent.py"}, {"filename": "lib/util.py"}])"));
  EXPECT_EQ(api().download_file("", copy, "lib/util.py").body, "util");
  const json meta = api().download_metadata("", copy).json();
  EXPECT_EQ(meta["description"], "mine");
  EXPECT_EQ(meta["details"], json::object());
  EXPECT_EQ(meta["tags"], json::array());
  const json mine = api().list_entries("namespace=" + bob_.account_id).json();
  EXPECT_EQ(mine[0]["fork_of"], json({{"namespace", alice_.account_id}, {"name", "forkme"}}));
  EXPECT_EQ(api().list_entries("namespace=" + alice_.account_id).json()[0]["num_forks"], 1);
  EXPECT_EQ(
      names(api().list_entries("fork_of_namespace=" + alice_.account_id + "&fork_of_name=forkme")),
      (std::vector<std::string>{"myfork@0.0.1"}));

  const FullReply again = api().fork(token(bob_), source, "myfork", "0.0.2");
  EXPECT_EQ(again.status, 409);
  EXPECT_EQ(again.detail(), "Fork request collides with existing entry. Choose a different name.");
  const FullReply bad = api().fork(token(bob_), source, "bad name", "1");
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(api().list_entries("namespace=" + bob_.account_id).json().size(), 1u);
  EXPECT_EQ(api().fork("", source, "anon", "1").status, 403);
  EXPECT_EQ(api().fork(token(bob_), at(alice_, "missing"), "x", "1").status, 404);
}

TEST_F(RegistryEndpoints, PermissionsNeedUpdatePermission) {
  const std::string query = "account_id=" + bob_.account_id + "&permission=worker";
  const FullReply denied = api().grant_permission(token(alice_), query);
  EXPECT_EQ(denied.status, 403);
  EXPECT_EQ(denied.detail(), "Permission denied. Missing permission `update_permission`");
  EXPECT_EQ(api().revoke_permission(token(alice_), query).status, 403);
  // The first holder is bootstrapped in the database, as with the original.
  {
    auto database = db::open(server_->database_url(), {.pool_size = 1});
    database->session()->execute(
        "INSERT INTO permissions (account_id, permission) VALUES (?, 'update_permission')",
        {alice_.account_id});
  }
  const FullReply granted = api().grant_permission(token(alice_), query);
  ASSERT_EQ(granted.status, 200) << granted.body;
  EXPECT_EQ(granted.body, "null");
  EXPECT_EQ(api().grant_permission(token(alice_), "permission=worker").detail(),
            "account_id is required");
  // Bob can't grant: worker is not update_permission.
  EXPECT_EQ(api()
                .grant_permission(token(bob_),
                                  "account_id=" + bob_.account_id + "&permission=update_permission")
                .status,
            403);
  const FullReply revoked = api().revoke_permission(token(alice_), query);
  EXPECT_EQ(revoked.status, 200) << revoked.body;  // [BUG] fixed: the original gives 500
  EXPECT_EQ(api().revoke_permission(token(alice_), "account_id=" + alice_.account_id).status, 200);
  EXPECT_EQ(api().grant_permission(token(alice_), query).status, 403);  // alice revoked herself
}

}  // namespace
}  // namespace nearhub::e2e
