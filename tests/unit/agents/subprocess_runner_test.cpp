// SubprocessRunner with /bin/sh scripts: exit statuses, stderr in the error, timeouts (prompt,
// and SIGKILL for a child that ignores SIGTERM), the clean environment, the payload on stdin,
// large inputs and outputs, concurrent runs, and no child left unreaped.

#include "agents/subprocess_runner.h"

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <thread>

#include <gtest/gtest.h>

#include "unit/db/temp_directory.h"
#include "util/json.h"

namespace nearhub::agents {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;
using db::testing::TempDirectory;

RunnerInvocation invocation(std::chrono::milliseconds deadline_in = 60s) {
  RunnerInvocation call;
  call.run_id = "run_1";
  call.thread_id = "thread_1";
  call.agent = "alice.near/echo/1.0.0";
  call.payload = nlohmann::ordered_json::parse(
      R"({"agents":"alice.near/echo/1.0.0","thread_id":"thread_1","run_id":"run_1",
          "auth":{"nonce":"1730000000000","message":"h\u00e9"},"params":{"z":1,"a":2}})");
  call.deadline = Clock::now() + deadline_in;
  return call;
}

SubprocessRunner shell(const std::string& script, std::chrono::milliseconds timeout = 10s,
                       std::vector<std::string> passthrough = {"PATH"}) {
  return SubprocessRunner({"/bin/sh", "-c", script}, timeout, std::move(passthrough));
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// Every child was reaped: the process has none left, running or zombie.
void expect_no_children() {
  errno = 0;
  EXPECT_EQ(::waitpid(-1, nullptr, WNOHANG), -1);
  EXPECT_EQ(errno, ECHILD);
}

TEST(SubprocessRunner, ExitZeroIsSuccess) {
  const RunnerOutcome outcome = shell("cat >/dev/null; echo done; exit 0").run(invocation());
  EXPECT_TRUE(outcome.ok) << outcome.error;
  EXPECT_FALSE(outcome.timed_out);
  EXPECT_EQ(outcome.error, "");
  expect_no_children();
}

TEST(SubprocessRunner, NonZeroExitFailsWithTheEndOfStderr) {
  const RunnerOutcome outcome =
      shell("echo 'agent failed: no such model' >&2; exit 3").run(invocation());
  EXPECT_FALSE(outcome.ok);
  EXPECT_FALSE(outcome.timed_out);
  EXPECT_EQ(outcome.error, "runner exited with status 3: agent failed: no such model");
  expect_no_children();
}

TEST(SubprocessRunner, OnlyTheLast200BytesOfStderrAreQuoted) {
  // 70,000 'a's then 'END': more than the 64 KiB kept, and the error shows the tail.
  const RunnerOutcome outcome =
      shell("head -c 70000 /dev/zero | tr '\\0' a >&2; printf END >&2; exit 1").run(invocation());
  EXPECT_EQ(outcome.error, "runner exited with status 1: " + std::string(197, 'a') + "END");
}

TEST(SubprocessRunner, KilledBySignal) {
  const RunnerOutcome outcome = shell("kill -9 $$").run(invocation());
  EXPECT_FALSE(outcome.ok);
  EXPECT_FALSE(outcome.timed_out);
  EXPECT_EQ(outcome.error, "runner was killed by signal 9");
}

TEST(SubprocessRunner, StopsAChildThatOverrunsPromptly) {
  const auto start = Clock::now();
  const RunnerOutcome outcome = shell("echo working >&2; sleep 30", 300ms).run(invocation());
  const auto took = Clock::now() - start;
  EXPECT_FALSE(outcome.ok);
  EXPECT_TRUE(outcome.timed_out);
  EXPECT_EQ(outcome.error, "runner did not finish in time; stopped it with SIGTERM: working");
  EXPECT_GE(took, 290ms);
  EXPECT_LT(took, 1500ms);
  expect_no_children();
}

TEST(SubprocessRunner, TheRunsDeadlineWinsOverALongerTimeout) {
  const auto start = Clock::now();
  const RunnerOutcome outcome = shell("sleep 30", 600s).run(invocation(300ms));
  EXPECT_TRUE(outcome.timed_out);
  EXPECT_LT(Clock::now() - start, 1500ms);
}

TEST(SubprocessRunner, SigkillsAChildThatIgnoresSigtermAndWhatItStarted) {
  TempDirectory directory;
  const std::string marker = directory.file("grandchild-survived");
  const auto start = Clock::now();
  // The grandchild ignores SIGTERM too and would leave a file behind if it outlived the run.
  const RunnerOutcome outcome =
      shell("trap '' TERM; (trap '' TERM; sleep 4; touch " + marker + ") & sleep 30", 200ms)
          .run(invocation());
  const auto took = Clock::now() - start;
  EXPECT_TRUE(outcome.timed_out);
  EXPECT_EQ(outcome.error, "runner did not finish in time; stopped it with SIGKILL");
  EXPECT_GE(took, 2100ms);
  EXPECT_LT(took, 4s);
  expect_no_children();
  std::this_thread::sleep_for(2500ms);
  EXPECT_FALSE(std::filesystem::exists(marker));
}

TEST(SubprocessRunner, ReturnsWhenTheChildExitsEvenIfABackgroundProcessHoldsItsOutput) {
  const auto start = Clock::now();
  const RunnerOutcome outcome = shell("sleep 3 & exit 0").run(invocation());
  EXPECT_TRUE(outcome.ok) << outcome.error;
  EXPECT_LT(Clock::now() - start, 1500ms);
}

TEST(SubprocessRunner, PassesThePayloadAndANewlineOnStdin) {
  TempDirectory directory;
  const std::string file = directory.file("stdin");
  const RunnerInvocation call = invocation();
  ASSERT_TRUE(shell("cat > " + file).run(call).ok);
  EXPECT_EQ(read_file(file), util::dump_json(call.payload) + "\n");
}

TEST(SubprocessRunner, ALargePayloadIsWrittenWhileTheChildReadsIt) {
  TempDirectory directory;
  const std::string file = directory.file("stdin");
  RunnerInvocation call = invocation();
  call.payload["params"]["big"] = std::string(1'000'000, 'x');
  // The child also writes a lot on stdout and stderr meanwhile: nothing may block.
  const RunnerOutcome outcome =
      shell("head -c 300000 /dev/zero; head -c 300000 /dev/zero >&2; cat > " + file).run(call);
  ASSERT_TRUE(outcome.ok) << outcome.error;
  EXPECT_EQ(read_file(file), util::dump_json(call.payload) + "\n");
}

TEST(SubprocessRunner, AChildThatNeverReadsStdinDoesNotHurt) {
  RunnerInvocation call = invocation();
  call.payload["params"]["big"] = std::string(1'000'000, 'x');
  // Exiting with the pipe full of unread input: the write fails with EPIPE, not a SIGPIPE.
  const RunnerOutcome outcome = shell("exit 0").run(call);
  EXPECT_TRUE(outcome.ok) << outcome.error;
  // Closing stdin and living on: the writes fail with EPIPE while it runs.
  const RunnerOutcome closed = shell("exec 0<&-; sleep 0.3; exit 4").run(call);
  EXPECT_EQ(closed.error, "runner exited with status 4");
}

TEST(SubprocessRunner, TheChildGetsACleanEnvironment) {
  TempDirectory directory;
  const std::string file = directory.file("env");
  ::setenv("NEARHUB_TEST_SECRET", "do-not-leak", 1);
  ::setenv("RUNNER_TEST_PASSED", "yes", 1);
  SubprocessRunner runner = shell("env > " + file, 10s, {"PATH", "RUNNER_TEST_PASSED", "UNSET_X"});
  ::unsetenv("NEARHUB_TEST_SECRET");
  ::unsetenv("RUNNER_TEST_PASSED");
  ASSERT_TRUE(runner.run(invocation()).ok);
  const std::string env = read_file(file);
  EXPECT_EQ(env.find("NEARHUB_TEST_SECRET"), std::string::npos) << env;
  EXPECT_EQ(env.find("UNSET_X"), std::string::npos) << env;
  EXPECT_NE(env.find("RUNNER_TEST_PASSED=yes\n"), std::string::npos) << env;
  EXPECT_NE(env.find("PATH=" + std::string(std::getenv("PATH")) + "\n"), std::string::npos) << env;
  EXPECT_EQ(env.find("HOME="), std::string::npos) << env;
}

TEST(SubprocessRunner, TheChildSeesNoDescriptorsButItsStandardOnes) {
  TempDirectory directory;
  const std::string file = directory.file("fds");
  // A descriptor opened without O_CLOEXEC (as some libraries do) is not inherited either.
  const int leaky = ::open("/dev/null", O_RDONLY);
  ASSERT_GE(leaky, 3);
  const bool ran = shell("ls /proc/self/fd > " + file).run(invocation()).ok;
  ::close(leaky);
  ASSERT_TRUE(ran);
  // ls's own: 0, 1 (the file), 2 and the directory it lists.
  std::istringstream listed(read_file(file));
  std::vector<std::string> fds;
  for (std::string fd; listed >> fd;) fds.push_back(fd);
  EXPECT_LE(fds.size(), 4u) << read_file(file);
}

TEST(SubprocessRunner, AnExecutableIsFoundInPath) {
  EXPECT_TRUE(SubprocessRunner({"true"}, 10s).run(invocation()).ok);
  const RunnerOutcome outcome = SubprocessRunner({"false"}, 10s).run(invocation());
  EXPECT_EQ(outcome.error, "runner exited with status 1");
}

TEST(SubprocessRunner, AMissingExecutableFailsClearly) {
  const RunnerOutcome outcome =
      SubprocessRunner({"/nonexistent/nearhub-runner"}, 10s).run(invocation());
  EXPECT_FALSE(outcome.ok);
  EXPECT_FALSE(outcome.timed_out);
  EXPECT_EQ(outcome.error,
            "cannot start runner /nonexistent/nearhub-runner: No such file or directory");
  expect_no_children();
}

TEST(SubprocessRunner, AnEmptyCommandIsRefused) {
  EXPECT_THROW(SubprocessRunner({}, 10s), std::invalid_argument);
  EXPECT_THROW(SubprocessRunner({""}, 10s), std::invalid_argument);
}

TEST(SubprocessRunner, ManyRunsAtOnceEachGetTheirOwnInput) {
  TempDirectory directory;
  // One runner shared by the threads; each child files its input under the payload's run id.
  SubprocessRunner runner = shell(
      "input=$(cat); id=$(printf '%s' \"$input\" | sed 's/.*\"run_id\":\"\\([^\"]*\\)\".*/\\1/'); "
      "printf '%s\\n' \"$input\" > " +
      directory.path().string() + "/$id");
  std::vector<std::thread> threads;
  std::atomic<int> succeeded = 0;
  for (int i = 0; i < 8; ++i) {
    threads.emplace_back([&, i] {
      RunnerInvocation call = invocation();
      call.payload["run_id"] = "run_" + std::to_string(i);
      if (runner.run(call).ok) ++succeeded;
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(succeeded, 8);
  for (int i = 0; i < 8; ++i) {
    const auto payload =
        nlohmann::json::parse(read_file(directory.file("run_" + std::to_string(i))));
    EXPECT_EQ(payload["run_id"], "run_" + std::to_string(i));
  }
  expect_no_children();
}

}  // namespace
}  // namespace nearhub::agents
