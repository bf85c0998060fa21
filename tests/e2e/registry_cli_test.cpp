// `nearhub registry upload | list | download` against a real nearhub: the client commands drive
// the server's registry API end to end, with a real signed token from a credentials file.

#include <gtest/gtest.h>
#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <fstream>

#include "auth/credentials.h"
#include "e2e/support/shared_server.h"

namespace nearhub::e2e {
namespace {

namespace fs = std::filesystem;

struct CommandResult {
  int status = -1;
  std::string output;  // stdout and stderr together
};

// Runs build/nearhub with `arguments` (already shell-quoted where needed) in `directory`.
CommandResult run_nearhub(const std::string& arguments, const fs::path& directory) {
  const std::string command = "cd '" + directory.string() + "' && HOME='" + directory.string() +
                              "' '" + NEARHUB_BINARY + "' " + arguments + " 2>&1";
  CommandResult result;
  FILE* pipe = ::popen(command.c_str(), "r");
  if (pipe == nullptr) return result;
  std::array<char, 4096> buffer{};
  while (std::size_t n = std::fread(buffer.data(), 1, buffer.size(), pipe)) {
    result.output.append(buffer.data(), n);
  }
  const int status = ::pclose(pipe);
  result.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return result;
}

std::string read_file(const fs::path& path) {
  std::ifstream file(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(file), {});
}

class RegistryCli : public SharedServerTest<RegistryCli> {
 protected:
  RegistryCli()
      : dir_(make_temp_dir("nearhub-cli")), credentials_(auth::generate_implicit_credentials()) {
    std::ofstream(dir_ / "me.json") << auth::credentials_json(credentials_);
  }
  ~RegistryCli() override { fs::remove_all(dir_); }

  std::string hub() const { return " --hub-url " + server_->base_url(); }
  std::string login() const { return hub() + " --credentials me.json"; }

  fs::path dir_;
  auth::NearCredentials credentials_;
};

TEST_F(RegistryCli, UploadListAndDownloadRoundTrip) {
  const fs::path agent = dir_ / "agent";
  fs::create_directories(agent / "prompts");
  std::ofstream(agent / "metadata.json") << R"({"name": "cli-agent", "version": "0.0.1",
      "category": "agent", "description": "Published by the CLI", "tags": ["cli-test"],
      "details": {"agent": {"framework": "prompt"}}, "show_entry": true})";
  std::ofstream(agent / "instructions.md") << "You are helpful.\n";
  std::string binary(300 * 1024, '\0');
  for (std::size_t i = 0; i < binary.size(); ++i) binary[i] = static_cast<char>(i * 7 % 251);
  std::ofstream(agent / "prompts" / "data.bin", std::ios::binary) << binary;

  const CommandResult upload = run_nearhub("registry upload agent" + login(), dir_);
  ASSERT_EQ(upload.status, 0) << upload.output;
  EXPECT_NE(upload.output.find("2 uploaded, 0 already there"), std::string::npos) << upload.output;

  // A second upload of the same version skips the write-once files instead of failing.
  const CommandResult again = run_nearhub("registry upload agent" + login(), dir_);
  ASSERT_EQ(again.status, 0) << again.output;
  EXPECT_NE(again.output.find("0 uploaded, 2 already there"), std::string::npos) << again.output;

  const CommandResult list = run_nearhub("registry list --tags cli-test" + hub(), dir_);
  ASSERT_EQ(list.status, 0) << list.output;
  EXPECT_NE(list.output.find(credentials_.account_id + "/cli-agent/0.0.1\tagent"),
            std::string::npos)
      << list.output;

  const CommandResult download = run_nearhub(
      "registry download " + credentials_.account_id + "/cli-agent/latest out" + hub(), dir_);
  ASSERT_EQ(download.status, 0) << download.output;
  EXPECT_EQ(read_file(dir_ / "out" / "instructions.md"), "You are helpful.\n");
  EXPECT_EQ(read_file(dir_ / "out" / "prompts" / "data.bin"), binary);
  const auto metadata = nlohmann::json::parse(read_file(dir_ / "out" / "metadata.json"));
  EXPECT_EQ(metadata["version"], "0.0.1");
  EXPECT_EQ(metadata["description"], "Published by the CLI");
}

TEST_F(RegistryCli, DownloadOfAMissingEntryFailsWithTheHubsMessage) {
  const CommandResult download =
      run_nearhub("registry download nobody.near/nothing/1.0" + hub(), dir_);
  EXPECT_EQ(download.status, 1);
  EXPECT_NE(download.output.find("404"), std::string::npos) << download.output;
  EXPECT_NE(download.output.find("not found"), std::string::npos) << download.output;
  EXPECT_FALSE(fs::exists(dir_ / "nobody.near"));
}

}  // namespace
}  // namespace nearhub::e2e
