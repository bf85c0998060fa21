// What only the filesystem backend does: its layout on disk and its temporary directory.

#include "blob/filesystem_blob_store.h"

#include <gtest/gtest.h>

#include <fstream>

#include "blob_test_support.h"

namespace nearhub::blob::testing {
namespace {

namespace fs = std::filesystem;

TEST(FilesystemBlobStore, KeysAreFilesUnderTheRoot) {
  TempDirectory directory;
  FilesystemBlobStore store(directory.path() / "root");
  StringSource source("abc");
  store.put("registry/alice.near/x/1.0/a.txt", source, 10, true);
  std::ifstream file(directory.path() / "root/registry/alice.near/x/1.0/a.txt");
  std::string content;
  std::getline(file, content);
  EXPECT_EQ(content, "abc");
  EXPECT_TRUE(fs::is_empty(directory.path() / "root/.tmp"));
}

TEST(FilesystemBlobStore, TheTemporaryDirectoryIsNotAKeyAndIsNotListed) {
  TempDirectory directory;
  FilesystemBlobStore store(directory.path());
  StringSource source("x");
  EXPECT_THROW(store.put(".tmp/evil", source, 10, false), BlobError);
  EXPECT_THROW(store.get(".tmp"), BlobError);
  std::ofstream(directory.path() / ".tmp" / "put-leftover") << "partial";
  EXPECT_TRUE(store.list("").empty());
  EXPECT_TRUE(store.list(".t").empty());
}

TEST(FilesystemBlobStore, OldLeftoversOfCrashedPutsAreRemovedAtStart) {
  TempDirectory directory;
  fs::create_directories(directory.path() / ".tmp");
  const fs::path old_file = directory.path() / ".tmp" / "put-old";
  const fs::path new_file = directory.path() / ".tmp" / "put-new";
  std::ofstream(old_file) << "old";
  std::ofstream(new_file) << "new";
  fs::last_write_time(old_file, fs::file_time_type::clock::now() - std::chrono::hours(25));
  FilesystemBlobStore store(directory.path());
  EXPECT_FALSE(fs::exists(old_file));
  EXPECT_TRUE(fs::exists(new_file));  // may belong to a put running in another process
}

TEST(FilesystemBlobStore, SymlinksAreNotBlobs) {
  TempDirectory directory;
  FilesystemBlobStore store(directory.path());
  StringSource source("x");
  store.put("a/real", source, 10, false);
  fs::create_symlink("/etc/passwd", directory.path() / "a" / "link");
  const auto listed = store.list("a/");
  ASSERT_EQ(listed.size(), 1u);
  EXPECT_EQ(listed[0].key, "a/real");
  EXPECT_EQ(store.get("a/link"), nullptr);
  EXPECT_FALSE(store.exists("a/link"));
}

}  // namespace
}  // namespace nearhub::blob::testing
