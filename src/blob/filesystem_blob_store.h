#pragma once
// Blobs as files under one directory (DESIGN.md "Data"): <root>/<key>. A put writes a temporary
// file under <root>/.tmp, fsyncs it, then renames (or, with if_absent, hard-links) it into place
// and fsyncs the directory, so a reader or a crash never sees a partial object. The root may be
// shared by several processes on one machine or on shared storage that honours link/rename.

#include <filesystem>

#include "blob/blob_store.h"

namespace nearhub::blob {

class FilesystemBlobStore final : public BlobStore {
 public:
  // Creates `root` (and <root>/.tmp) when missing; throws BlobError when it cannot.
  explicit FilesystemBlobStore(std::filesystem::path root);

  std::uint64_t put(const std::string& key, util::ByteSource& content, std::uint64_t max_bytes,
                    bool if_absent) override;
  std::unique_ptr<util::ByteSource> get(const std::string& key) override;
  bool exists(const std::string& key) override;
  void copy(const std::string& from, const std::string& to) override;
  std::vector<BlobInfo> list(const std::string& prefix) override;
  void remove(const std::string& key) override;

 private:
  // The file of a checked key (refuses keys under the reserved ".tmp" directory).
  std::filesystem::path path_of(const std::string& key) const;
  // Creates the directories above `path` that are missing, fsyncing each new entry's parent.
  void make_parents(const std::filesystem::path& path) const;
  // A fresh, unique name under <root>/.tmp (the file itself is not created).
  std::filesystem::path temp_name() const;

  std::filesystem::path root_;
  std::filesystem::path temp_dir_;
};

}  // namespace nearhub::blob
