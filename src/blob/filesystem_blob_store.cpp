#include "blob/filesystem_blob_store.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <random>
#include <system_error>
#include <utility>
#include <vector>

#include "blob/key.h"
#include "util/file_byte_source.h"

namespace nearhub::blob {
namespace fs = std::filesystem;

namespace {

constexpr std::size_t kCopyBuffer = 64 * 1024;
constexpr const char* kTempDirName = ".tmp";

[[noreturn]] void fail(const std::string& what, const fs::path& path, int error = errno) {
  throw BlobError(what + " '" + path.string() + "': " + std::strerror(error));
}

// Removes a temporary file on every path out of put() that did not move it into place.
class TempFile {
 public:
  explicit TempFile(fs::path path) : path_(std::move(path)) {}
  ~TempFile() {
    if (!path_.empty()) ::unlink(path_.c_str());
  }
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;
  const fs::path& path() const { return path_; }
  void release() { path_.clear(); }

 private:
  fs::path path_;
};

class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }
  int release() { return std::exchange(fd_, -1); }

 private:
  int fd_;
};

void write_all(int fd, const char* data, std::size_t size, const fs::path& path) {
  while (size > 0) {
    const ssize_t n = ::write(fd, data, size);
    if (n < 0) {
      if (errno == EINTR) continue;
      fail("writing", path);
    }
    data += n;
    size -= static_cast<std::size_t>(n);
  }
}

// A directory entry (new file, rename, link) is durable only once its directory is synced.
void sync_directory(const fs::path& directory) {
  const Fd fd(::open(directory.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (fd.get() < 0) fail("opening directory", directory);
  if (::fsync(fd.get()) != 0) fail("syncing directory", directory);
}

// Streams `content` into the open file, counting against `max_bytes`.
std::uint64_t copy_into(int fd, util::ByteSource& content, std::uint64_t max_bytes,
                        const fs::path& path) {
  std::vector<char> buffer(kCopyBuffer);
  std::uint64_t total = 0;
  while (true) {
    const std::size_t n = content.read(buffer.data(), buffer.size());
    if (n == 0) return total;
    total += n;
    if (total > max_bytes) {
      throw BlobTooLarge("blob larger than " + std::to_string(max_bytes) + " bytes");
    }
    write_all(fd, buffer.data(), n, path);
  }
}

}  // namespace

FilesystemBlobStore::FilesystemBlobStore(fs::path root)
    : root_(std::move(root)), temp_dir_(root_ / kTempDirName) {
  std::error_code error;
  fs::create_directories(temp_dir_, error);
  if (error) {
    throw BlobError("cannot create blob directory '" + temp_dir_.string() +
                    "': " + error.message());
  }
  // Leftovers of puts cut short by a crash. A put writes its temporary file from a local stream
  // in far less than a day, so older files belong to no live put, in any process.
  const auto cutoff = fs::file_time_type::clock::now() - std::chrono::hours(24);
  for (fs::directory_iterator it(temp_dir_, error), end; !error && it != end; it.increment(error)) {
    std::error_code ignored;
    if (it->last_write_time(ignored) < cutoff && !ignored) fs::remove(it->path(), ignored);
  }
}

fs::path FilesystemBlobStore::path_of(const std::string& key) const {
  check_key(key);
  if (key == kTempDirName || key.starts_with(std::string(kTempDirName) + "/")) {
    throw BlobError("invalid blob key '" + key + "': '.tmp' is reserved by the store");
  }
  return root_ / key;
}

fs::path FilesystemBlobStore::temp_name() const {
  // Unique across threads and processes sharing the root: pid, a counter and random bits.
  static std::atomic<std::uint64_t> counter{0};
  thread_local std::mt19937_64 random{std::random_device{}()};
  return temp_dir_ / ("put-" + std::to_string(::getpid()) + "-" + std::to_string(++counter) + "-" +
                      std::to_string(random()));
}

void FilesystemBlobStore::make_parents(const fs::path& path) const {
  // Walk up to the first existing ancestor, then create downwards, syncing each parent so the
  // new directory survives a crash together with the file put into it.
  std::vector<fs::path> missing;
  for (fs::path dir = path.parent_path(); dir != root_ && !fs::exists(dir);
       dir = dir.parent_path()) {
    missing.push_back(dir);
  }
  for (auto it = missing.rbegin(); it != missing.rend(); ++it) {
    if (::mkdir(it->c_str(), 0755) != 0 && errno != EEXIST) fail("creating directory", *it);
    sync_directory(it->parent_path());
  }
}

std::uint64_t FilesystemBlobStore::put(const std::string& key, util::ByteSource& content,
                                       std::uint64_t max_bytes, bool if_absent) {
  const fs::path target = path_of(key);
  if (const auto size = content.size(); size && *size > max_bytes) {
    throw BlobTooLarge("blob larger than " + std::to_string(max_bytes) + " bytes");
  }
  if (if_absent && exists(key)) throw BlobExists("blob '" + key + "' already exists");

  TempFile temp(temp_name());
  Fd fd(::open(temp.path().c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644));
  if (fd.get() < 0) fail("creating", temp.path());
  const std::uint64_t total = copy_into(fd.get(), content, max_bytes, temp.path());
  if (::fsync(fd.get()) != 0) fail("syncing", temp.path());
  if (::close(fd.release()) != 0) fail("closing", temp.path());

  make_parents(target);
  if (if_absent) {
    // link(2) never replaces: of two concurrent puts exactly one succeeds, the other sees EEXIST.
    if (::link(temp.path().c_str(), target.c_str()) != 0) {
      if (errno == EEXIST) throw BlobExists("blob '" + key + "' already exists");
      fail("linking", target);
    }
  } else if (::rename(temp.path().c_str(), target.c_str()) == 0) {
    temp.release();
  } else {
    fail("renaming into", target);
  }
  sync_directory(target.parent_path());
  return total;
}

std::unique_ptr<util::ByteSource> FilesystemBlobStore::get(const std::string& key) {
  const fs::path path = path_of(key);
  // Blobs are regular files the store wrote; a symlink planted in the root is not one.
  Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW));
  if (fd.get() < 0) {
    if (errno == ENOENT || errno == ENOTDIR || errno == ELOOP) return nullptr;
    fail("opening", path);
  }
  struct stat info {};
  if (::fstat(fd.get(), &info) != 0) fail("reading attributes of", path);
  if (!S_ISREG(info.st_mode)) return nullptr;  // a directory of other keys, not an object
  return std::make_unique<util::FileByteSource>(fd.release(),
                                                static_cast<std::uint64_t>(info.st_size));
}

bool FilesystemBlobStore::exists(const std::string& key) {
  const fs::path path = path_of(key);
  struct stat info {};
  if (::lstat(path.c_str(), &info) != 0) {
    if (errno == ENOENT || errno == ENOTDIR) return false;
    fail("reading attributes of", path);
  }
  return S_ISREG(info.st_mode);
}

void FilesystemBlobStore::copy(const std::string& from, const std::string& to) {
  const fs::path source = path_of(from);
  const fs::path target = path_of(to);
  if (!exists(from)) throw BlobError("cannot copy missing blob '" + from + "'");
  make_parents(target);
  // Blobs are write-once (put replaces by rename, never in place), so a hard link is a copy;
  // link(2) never replaces, so an existing `to` is kept and reported.
  if (::link(source.c_str(), target.c_str()) != 0) {
    if (errno == EEXIST) throw BlobExists("blob '" + to + "' already exists");
    if (errno != EPERM && errno != EXDEV && errno != EMLINK && errno != ENOTSUP) {
      fail("linking", source);
    }
    // No hard links here (some shared filesystems): copy the bytes instead.
    auto reader = get(from);
    if (!reader) throw BlobError("cannot copy missing blob '" + from + "'");
    put(to, *reader, UINT64_MAX, /*if_absent=*/true);
    return;
  }
  sync_directory(target.parent_path());
}

std::vector<BlobInfo> FilesystemBlobStore::list(const std::string& prefix) {
  check_prefix(prefix);
  // Only the directory named by the prefix's complete segments can hold matches.
  const auto slash = prefix.rfind('/');
  const fs::path start = slash == std::string::npos ? root_ : root_ / prefix.substr(0, slash);
  std::vector<BlobInfo> found;
  std::error_code error;
  if (!fs::is_directory(fs::symlink_status(start, error))) return found;
  fs::recursive_directory_iterator it(start, error);
  if (error) throw BlobError("cannot list '" + start.string() + "': " + error.message());
  for (const fs::recursive_directory_iterator end; it != end; it.increment(error)) {
    if (error) throw BlobError("cannot list '" + start.string() + "': " + error.message());
    const fs::path& path = it->path();
    const auto status = it->symlink_status(error);
    if (error) continue;  // removed while we walked
    if (fs::is_directory(status)) {
      if (path == temp_dir_) it.disable_recursion_pending();
      continue;
    }
    if (!fs::is_regular_file(status)) continue;  // symlinks and others are not blobs
    std::string key = path.lexically_relative(root_).generic_string();
    if (!key.starts_with(prefix)) continue;
    const auto size = it->file_size(error);
    if (error) continue;
    found.push_back({std::move(key), size});
  }
  std::sort(found.begin(), found.end(),
            [](const BlobInfo& a, const BlobInfo& b) { return a.key < b.key; });
  return found;
}

void FilesystemBlobStore::remove(const std::string& key) {
  const fs::path path = path_of(key);
  if (::unlink(path.c_str()) != 0) {
    if (errno == ENOENT || errno == ENOTDIR || errno == EISDIR) return;
    fail("removing", path);
  }
  sync_directory(path.parent_path());
}

}  // namespace nearhub::blob
