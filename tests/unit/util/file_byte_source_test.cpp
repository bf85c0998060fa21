#include "util/file_byte_source.h"

#include <gtest/gtest.h>

#include <fstream>
#include <string>

#include "unit/http/stream_support.h"

namespace nearhub::util {
namespace {

using http::testing::pattern;
using http::testing::TempDir;

std::filesystem::path write_file(const TempDir& dir, const std::string& content) {
  std::filesystem::path path = dir.path() / "data.bin";
  std::ofstream(path, std::ios::binary) << content;
  return path;
}

std::string read_all(ByteSource& source, std::size_t piece = 1000) {
  std::string out;
  std::string buffer(piece, '\0');
  while (std::size_t got = source.read(buffer.data(), buffer.size())) out.append(buffer, 0, got);
  return out;
}

TEST(FileByteSource, ReadsTheWholeFileAndKnowsItsSize) {
  TempDir dir;
  const std::string content = pattern(250'000);
  FileByteSource source(write_file(dir, content));
  EXPECT_EQ(source.size(), content.size());
  EXPECT_EQ(read_all(source, 4096), content);
  char byte;
  EXPECT_EQ(source.read(&byte, 1), 0u);  // the end stays the end
}

TEST(FileByteSource, ReadsOneRange) {
  TempDir dir;
  const std::string content = pattern(100'000);
  FileByteSource source(write_file(dir, content), 12'345, 50'000);
  EXPECT_EQ(source.size(), 50'000u);
  EXPECT_EQ(read_all(source, 777), content.substr(12'345, 50'000));
}

TEST(FileByteSource, EmptyRangeAtTheEndIsEmpty) {
  TempDir dir;
  FileByteSource source(write_file(dir, "abc"), 3, 0);
  EXPECT_EQ(source.size(), 0u);
  EXPECT_EQ(read_all(source), "");
}

TEST(FileByteSource, RangeBeyondTheEndIsRefused) {
  TempDir dir;
  auto path = write_file(dir, "abcdef");
  EXPECT_THROW(FileByteSource(path, 4, 3), std::runtime_error);
  EXPECT_THROW(FileByteSource(path, 7, 0), std::runtime_error);
}

TEST(FileByteSource, MissingFileIsAnError) {
  TempDir dir;
  EXPECT_THROW(FileByteSource(dir.path() / "nope"), std::runtime_error);
}

TEST(FileByteSource, FileTruncatedWhileReadingIsAnError) {
  TempDir dir;
  auto path = write_file(dir, pattern(10'000));
  FileByteSource source(path);
  char buffer[1000];
  EXPECT_EQ(source.read(buffer, sizeof buffer), 1000u);
  std::filesystem::resize_file(path, 2000);
  EXPECT_EQ(source.read(buffer, sizeof buffer), 1000u);
  EXPECT_THROW(source.read(buffer, sizeof buffer), std::runtime_error);
}

TEST(FileByteSource, KeepsReadingAFileRemovedAfterOpening) {
  TempDir dir;
  const std::string content = pattern(5000);
  auto path = write_file(dir, content);
  FileByteSource source(path);
  std::filesystem::remove(path);
  EXPECT_EQ(read_all(source), content);
}

}  // namespace
}  // namespace nearhub::util
