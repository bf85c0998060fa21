// What only the S3 backend does: signing, ranged reads, paging, prefixes, errors from S3.

#include <gtest/gtest.h>

#include "backends.h"
#include "blob/open.h"

namespace nearhub::blob::testing {
namespace {

class S3BlobStoreTest : public ::testing::Test {
 protected:
  S3Backend backend_;
  nearhub::testing::FakeS3Server& server() { return backend_.server(); }

  static void put(BlobStore& store, const std::string& key, const std::string& data) {
    StringSource source(data);
    store.put(key, source, UINT64_MAX, false);
  }
};

std::string error_of(const std::function<void()>& action) {
  try {
    action();
  } catch (const BlobError& error) {
    return error.what();
  }
  return "(no error)";
}

TEST_F(S3BlobStoreTest, WrongSecretIsRefusedWithS3sErrorCode) {
  S3Options options = backend_.options();
  options.connection.secret_key = "not-the-secret";
  S3BlobStore store(options);
  const std::string message = error_of([&] { put(store, "k", "v"); });
  EXPECT_NE(message.find("403 SignatureDoesNotMatch"), std::string::npos) << message;
  EXPECT_TRUE(server().keys().empty());
  EXPECT_NE(error_of([&] { store.list(""); }).find("SignatureDoesNotMatch"), std::string::npos);
  EXPECT_NE(error_of([&] { store.get("k"); }).find("SignatureDoesNotMatch"), std::string::npos);
  // HEAD answers carry no body: the status alone is reported.
  EXPECT_NE(error_of([&] { store.exists("k"); }).find("403"), std::string::npos);
}

TEST_F(S3BlobStoreTest, WrongAccessKeyAndRegionAreRefused) {
  S3Options options = backend_.options();
  options.connection.access_key = "AKIDUNKNOWN";
  EXPECT_NE(error_of([&] { S3BlobStore(options).list(""); }).find("InvalidAccessKeyId"),
            std::string::npos);
  options = backend_.options();
  options.connection.region = "eu-west-3";
  EXPECT_NE(error_of([&] { S3BlobStore(options).list(""); }).find("AuthorizationHeaderMalformed"),
            std::string::npos);
}

TEST(S3SessionToken, TemporaryCredentialsSendTheirTokenSigned) {
  S3Backend backend("FwoGZXIvYXdzEXAMPLETOKEN");
  S3Options options = backend.options();
  options.connection.session_token.clear();
  // Without the token the keys are refused, as S3 refuses an STS session's keys alone.
  EXPECT_NE(error_of([&] { S3BlobStore(options).list(""); }).find("403 InvalidToken"),
            std::string::npos);
  auto store = backend.make_store();
  StringSource source("v");
  store->put("k", source, UINT64_MAX, false);
  EXPECT_EQ(read_blob(*store, "k"), std::optional<std::string>("v"));
}

TEST_F(S3BlobStoreTest, ObjectsLiveUnderThePrefix) {
  auto store = backend_.make_store();
  put(*store, "registry/a.near/x/1/file.txt", "data");
  EXPECT_EQ(server().keys(), std::vector<std::string>{"hub/blobs/registry/a.near/x/1/file.txt"});
  // Objects outside the prefix are invisible to the store.
  server().put_object("elsewhere/file", "zzz");
  server().put_object("hub/blobsX", "zzz");
  const auto listed = store->list("");
  ASSERT_EQ(listed.size(), 1u);
  EXPECT_EQ(listed[0].key, "registry/a.near/x/1/file.txt");
}

TEST_F(S3BlobStoreTest, ReadsInBoundedRanges) {
  auto store = backend_.make_store();
  GeneratedSource source(3 * S3Backend::kChunk + 10, 3, true);
  store->put("big", source, UINT64_MAX, false);
  auto reader = store->get("big");
  ASSERT_NE(reader, nullptr);
  read_all(*reader);
  int ranged_gets = 0;
  for (const auto& request : server().received()) {
    if (request.method != "GET" || request.target.find("/big") == std::string::npos) continue;
    ++ranged_gets;
    EXPECT_EQ(request.status, 206);
    EXPECT_TRUE(request.headers.contains("range"));
    if (ranged_gets > 1) {
      EXPECT_TRUE(request.headers.contains("if-match"));
    }
  }
  EXPECT_EQ(ranged_gets, 4);
}

TEST_F(S3BlobStoreTest, AReaderFailsWhenTheObjectIsReplacedMidRead) {
  auto store = backend_.make_store();
  GeneratedSource source(2 * S3Backend::kChunk, 3, true);
  store->put("changing", source, UINT64_MAX, false);
  auto reader = store->get("changing");
  ASSERT_NE(reader, nullptr);
  std::vector<char> buffer(S3Backend::kChunk);
  EXPECT_EQ(reader->read(buffer.data(), buffer.size()), S3Backend::kChunk);
  put(*store, "changing", std::string(2 * S3Backend::kChunk, 'n'));
  EXPECT_THROW(reader->read(buffer.data(), buffer.size()), BlobError);
}

TEST_F(S3BlobStoreTest, ListingPagesWithContinuationTokens) {
  auto store = backend_.make_store();
  for (int i = 0; i < 7; ++i) put(*store, "p/" + std::to_string(i), "x");
  EXPECT_EQ(store->list("p/").size(), 7u);
  int pages = 0;
  for (const auto& request : server().received()) {
    if (request.target.find("list-type=2") == std::string::npos) continue;
    ++pages;
    EXPECT_EQ(request.status, 200);
    EXPECT_EQ(request.target.find("continuation-token") != std::string::npos, pages > 1);
  }
  EXPECT_EQ(pages, 3);  // 3 + 3 + 1 with the fake's page size of 3
}

TEST_F(S3BlobStoreTest, StreamedUploadsAreUnsignedPayloadsAndEmptyBodiesAreHashed) {
  auto store = backend_.make_store();
  put(*store, "k", "value");
  store->exists("k");
  const auto received = server().received();
  ASSERT_EQ(received.size(), 2u);
  EXPECT_EQ(received[0].headers.at("x-amz-content-sha256"), "UNSIGNED-PAYLOAD");
  EXPECT_EQ(received[1].headers.at("x-amz-content-sha256"),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST_F(S3BlobStoreTest, UnreachableEndpointIsABlobError) {
  S3Options options = backend_.options();
  options.connection.endpoint = "http://127.0.0.1:1";
  options.connection.connect_timeout = std::chrono::milliseconds(2000);
  EXPECT_THROW(S3BlobStore(options).exists("k"), BlobError);
}

// A source whose size() is wrong must not leave a truncated or padded object behind.
class LyingSource final : public util::ByteSource {
 public:
  LyingSource(std::string data, std::size_t claimed) : inner_(std::move(data)), claimed_(claimed) {}
  std::size_t read(char* buffer, std::size_t capacity) override {
    return inner_.read(buffer, capacity);
  }
  std::optional<std::size_t> size() const override { return claimed_; }

 private:
  StringSource inner_;
  std::size_t claimed_;
};

TEST_F(S3BlobStoreTest, SourcesThatMisstateTheirSizeStoreNothing) {
  auto store = backend_.make_store();
  LyingSource longer(std::string(300'000, 'a'), 200'000);
  EXPECT_THROW(store->put("lie/longer", longer, UINT64_MAX, false), BlobError);
  LyingSource shorter(std::string(100'000, 'a'), 200'000);
  EXPECT_THROW(store->put("lie/shorter", shorter, UINT64_MAX, false), BlobError);
  EXPECT_TRUE(server().keys().empty());
}

TEST(OpenBlobStore, BuildsEitherBackendAndRefusesBadOptions) {
  TempDirectory directory;
  BlobStoreOptions options;
  options.directory = directory.path() / "blobs";
  auto filesystem = open_blob_store(options);
  StringSource source("x");
  filesystem->put("a/b", source, 10, false);
  EXPECT_TRUE(std::filesystem::exists(directory.path() / "blobs" / "a" / "b"));

  nearhub::testing::FakeS3Server server;
  BlobStoreOptions s3;
  s3.kind = "s3";
  s3.s3_bucket = server.options().bucket;
  s3.s3_endpoint = server.endpoint();
  s3.s3_access_key = server.options().access_key;
  s3.s3_secret_key = server.options().secret_key;  // region defaults to us-east-1, as the fake
  auto bucket = open_blob_store(s3);
  StringSource other("y");
  bucket->put("a/b", other, 10, false);
  EXPECT_EQ(server.object("a/b"), std::optional<std::string>("y"));

  s3.s3_secret_key.clear();
  EXPECT_THROW(open_blob_store(s3), BlobError);
  s3.s3_secret_key = "s";
  s3.s3_bucket.clear();
  EXPECT_THROW(open_blob_store(s3), BlobError);
  options.kind = "ftp";
  EXPECT_THROW(open_blob_store(options), BlobError);
}

}  // namespace
}  // namespace nearhub::blob::testing
