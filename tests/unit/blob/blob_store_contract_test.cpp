// One contract for every BlobStore backend: the filesystem store and the S3 store (against the
// in-process fake S3, which checks SigV4 signatures).

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "backends.h"

namespace nearhub::blob::testing {
namespace {

template <typename Backend>
class BlobStoreContract : public ::testing::Test {
 protected:
  Backend backend_;
  std::unique_ptr<BlobStore> store_ = backend_.make_store();

  void put(const std::string& key, const std::string& data) {
    StringSource source(data);
    ASSERT_EQ(store_->put(key, source, UINT64_MAX, false), data.size());
  }
};

using Backends = ::testing::Types<FilesystemBackend, S3Backend>;
class BackendNames {
 public:
  template <typename T>
  static std::string GetName(int) {
    return T::kName;
  }
};
TYPED_TEST_SUITE(BlobStoreContract, Backends, BackendNames);

TYPED_TEST(BlobStoreContract, RoundTrip) {
  this->put("registry/alice.near/agent/0.0.1/agent.py", "print('hi')\n");
  EXPECT_TRUE(this->store_->exists("registry/alice.near/agent/0.0.1/agent.py"));
  auto reader = this->store_->get("registry/alice.near/agent/0.0.1/agent.py");
  ASSERT_NE(reader, nullptr);
  EXPECT_EQ(reader->size(), std::optional<std::size_t>(12));
  EXPECT_EQ(read_all(*reader), "print('hi')\n");
}

TYPED_TEST(BlobStoreContract, EmptyObjectAndOverwrite) {
  this->put("a/empty", "");
  EXPECT_EQ(read_blob(*this->store_, "a/empty"), std::optional<std::string>(""));
  this->put("a/empty", "now full");
  EXPECT_EQ(read_blob(*this->store_, "a/empty"), std::optional<std::string>("now full"));
}

TYPED_TEST(BlobStoreContract, KeysWithCharactersThatNeedEscaping) {
  const std::string key = "dir with space/ü & <x> 'q' \"d\"+=%20;?#.txt";
  this->put(key, "odd");
  EXPECT_EQ(read_blob(*this->store_, key), std::optional<std::string>("odd"));
  const auto listed = this->store_->list("dir with space/");
  ASSERT_EQ(listed.size(), 1u);
  EXPECT_EQ(listed[0].key, key);
  EXPECT_EQ(listed[0].size, 3u);
}

// 24 MiB through the store and back without either side holding it: the source generates bytes
// on demand, the reader is checked chunk by chunk.
void streams_large_blob(BlobStore& store, bool announce_size) {
  constexpr std::uint64_t kSize = 24ull << 20;
  GeneratedSource source(kSize, 7, announce_size);
  EXPECT_EQ(store.put("big/blob.bin", source, kSize, false), kSize);
  EXPECT_LE(source.largest_read, std::size_t{1} << 20) << "the store asked for huge reads";

  auto reader = store.get("big/blob.bin");
  ASSERT_NE(reader, nullptr);
  EXPECT_EQ(reader->size(), std::optional<std::size_t>(kSize));
  std::vector<char> buffer(65536);
  std::uint64_t position = 0;
  bool same = true;
  while (const std::size_t n = reader->read(buffer.data(), buffer.size())) {
    for (std::size_t i = 0; i < n && same; ++i) {
      same = buffer[i] == GeneratedSource::byte_at(position + i, 7);
    }
    position += n;
  }
  EXPECT_TRUE(same);
  EXPECT_EQ(position, kSize);
}

TYPED_TEST(BlobStoreContract, StreamsLargeBlobOfKnownSize) {
  streams_large_blob(*this->store_, true);
}

TYPED_TEST(BlobStoreContract, StreamsLargeBlobOfUnknownSize) {
  streams_large_blob(*this->store_, false);
}

TYPED_TEST(BlobStoreContract, SizeCapRefusesAndStoresNothing) {
  for (const bool announce : {true, false}) {
    GeneratedSource source(100'001, 1, announce);
    EXPECT_THROW(this->store_->put("capped/blob", source, 100'000, false), BlobTooLarge);
    EXPECT_FALSE(this->store_->exists("capped/blob"));
    EXPECT_EQ(this->store_->get("capped/blob"), nullptr);
    EXPECT_TRUE(this->store_->list("").empty());
    EXPECT_TRUE(this->backend_.raw_files().empty());
  }
  // A size cap of exactly the size is fine.
  GeneratedSource exact(100'000, 1, false);
  EXPECT_EQ(this->store_->put("capped/blob", exact, 100'000, false), 100'000u);
}

TYPED_TEST(BlobStoreContract, SizeCapKeepsAnExistingObject) {
  this->put("capped/blob", "old");
  GeneratedSource source(2'000, 1, false);
  EXPECT_THROW(this->store_->put("capped/blob", source, 1'000, false), BlobTooLarge);
  EXPECT_EQ(read_blob(*this->store_, "capped/blob"), std::optional<std::string>("old"));
}

TYPED_TEST(BlobStoreContract, IfAbsentRefusesAnExistingKey) {
  StringSource first("first");
  EXPECT_EQ(this->store_->put("once/file", first, 100, true), 5u);
  StringSource second("second");
  EXPECT_THROW(this->store_->put("once/file", second, 100, true), BlobExists);
  EXPECT_EQ(read_blob(*this->store_, "once/file"), std::optional<std::string>("first"));
}

TYPED_TEST(BlobStoreContract, ConcurrentIfAbsentPutsHaveOneWinner) {
  constexpr int kWriters = 8;
  std::atomic<int> winners{0}, refused{0}, other{0};
  std::atomic<int> winner_id{-1};
  std::vector<std::thread> threads;
  for (int i = 0; i < kWriters; ++i) {
    threads.emplace_back([&, i] {
      // Each writer gets its own store object, like separate processes would.
      auto store = this->backend_.make_store();
      StringSource source("writer " + std::to_string(i) + std::string(200'000, 'x'));
      try {
        store->put("race/key", source, UINT64_MAX, true);
        ++winners;
        winner_id = i;
      } catch (const BlobExists&) {
        ++refused;
      } catch (...) {
        ++other;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(winners, 1);
  EXPECT_EQ(refused, kWriters - 1);
  EXPECT_EQ(other, 0);
  const auto stored = read_blob(*this->store_, "race/key");
  ASSERT_TRUE(stored);
  EXPECT_EQ(*stored, "writer " + std::to_string(winner_id.load()) + std::string(200'000, 'x'));
}

TYPED_TEST(BlobStoreContract, BadKeysAreRefusedEverywhere) {
  using namespace std::string_literals;
  for (const std::string& key :
       {""s, "/abs"s, "a/../b"s, "./a"s, "a//b"s, "a\\b"s, "a\0b"s, "a\nb"s, "a/"s}) {
    StringSource source("x");
    EXPECT_THROW(this->store_->put(key, source, 100, false), BlobError) << key;
    EXPECT_THROW(this->store_->get(key), BlobError) << key;
    EXPECT_THROW(this->store_->exists(key), BlobError) << key;
    EXPECT_THROW(this->store_->remove(key), BlobError) << key;
    EXPECT_THROW(this->store_->copy(key, "ok"), BlobError) << key;
    EXPECT_THROW(this->store_->copy("ok", key), BlobError) << key;
  }
  EXPECT_THROW(this->store_->list("../"), BlobError);
  EXPECT_TRUE(this->backend_.raw_files().empty());
}

TYPED_TEST(BlobStoreContract, ListIsSortedRecursiveAndFilteredByPrefix) {
  for (const std::string key : {"b", "a/c", "ab", "a/b2", "a/b/c", "a/b/a", "a-z"}) {
    this->put(key, key + "!");
  }
  auto keys = [&](const std::string& prefix) {
    std::vector<std::string> out;
    for (const auto& info : this->store_->list(prefix)) {
      out.push_back(info.key);
      EXPECT_EQ(info.size, info.key.size() + 1);
    }
    return out;
  };
  using Keys = std::vector<std::string>;
  EXPECT_EQ(keys(""), (Keys{"a-z", "a/b/a", "a/b/c", "a/b2", "a/c", "ab", "b"}));
  EXPECT_EQ(keys("a/"), (Keys{"a/b/a", "a/b/c", "a/b2", "a/c"}));
  EXPECT_EQ(keys("a/b"), (Keys{"a/b/a", "a/b/c", "a/b2"}));
  EXPECT_EQ(keys("a/b/"), (Keys{"a/b/a", "a/b/c"}));
  EXPECT_EQ(keys("a"), (Keys{"a-z", "a/b/a", "a/b/c", "a/b2", "a/c", "ab"}));
  EXPECT_EQ(keys("zzz"), Keys{});
  EXPECT_EQ(keys("a/b/c"), Keys{"a/b/c"});
}

TYPED_TEST(BlobStoreContract, ListHasNoCapAndPages) {
  const std::size_t count = std::max<std::size_t>(3 * this->backend_.list_page_size() + 2, 25);
  std::vector<std::string> expected;
  for (std::size_t i = 0; i < count; ++i) {
    char name[32];
    std::snprintf(name, sizeof name, "many/%03zu", i);
    expected.push_back(name);
    this->put(name, "x");
  }
  this->put("other/x", "x");
  std::vector<std::string> listed;
  for (const auto& info : this->store_->list("many/")) listed.push_back(info.key);
  EXPECT_EQ(listed, expected);
}

TYPED_TEST(BlobStoreContract, CopyMakesAnIndependentObject) {
  this->put("src/file", "content");
  this->store_->copy("src/file", "dst/deep/file");
  EXPECT_EQ(read_blob(*this->store_, "dst/deep/file"), std::optional<std::string>("content"));
  // Replacing or removing the source leaves the copy alone (blobs are write-once).
  this->put("src/file", "changed");
  this->store_->remove("src/file");
  EXPECT_EQ(read_blob(*this->store_, "dst/deep/file"), std::optional<std::string>("content"));
  // A copy is write-once: an existing target is kept, and the copy says so.
  this->put("src/other", "other");
  EXPECT_THROW(this->store_->copy("src/other", "dst/deep/file"), BlobExists);
  EXPECT_EQ(read_blob(*this->store_, "dst/deep/file"), std::optional<std::string>("content"));
}

TYPED_TEST(BlobStoreContract, CopyOfAMissingObjectFails) {
  EXPECT_THROW(this->store_->copy("nothing/here", "dst"), BlobError);
  EXPECT_FALSE(this->store_->exists("dst"));
}

TYPED_TEST(BlobStoreContract, RemoveAndMissingObjects) {
  EXPECT_EQ(this->store_->get("missing/key"), nullptr);
  EXPECT_FALSE(this->store_->exists("missing/key"));
  EXPECT_NO_THROW(this->store_->remove("missing/key"));
  this->put("gone/soon", "x");
  this->put("gone/stays", "y");
  this->store_->remove("gone/soon");
  EXPECT_EQ(this->store_->get("gone/soon"), nullptr);
  EXPECT_FALSE(this->store_->exists("gone/soon"));
  EXPECT_EQ(read_blob(*this->store_, "gone/stays"), std::optional<std::string>("y"));
}

TYPED_TEST(BlobStoreContract, DirectoriesOfKeysAreNotObjects) {
  this->put("dir/file", "x");
  EXPECT_FALSE(this->store_->exists("dir"));
  EXPECT_EQ(this->store_->get("dir"), nullptr);
}

}  // namespace
}  // namespace nearhub::blob::testing
