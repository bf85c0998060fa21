#include "agents/subprocess_runner.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <stdexcept>
#include <system_error>
#include <thread>
#include <utility>

#include <spdlog/spdlog.h>

#include "util/json.h"

namespace nearhub::agents {
namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

constexpr milliseconds kKillGrace{2'000};  // SIGTERM, then SIGKILL this much later
constexpr std::size_t kErrorTailBytes = 200;

std::string errno_text(int error) { return std::generic_category().message(error); }

// A file descriptor closed when it goes out of scope.
class Fd {
 public:
  Fd() = default;
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  ~Fd() { reset(); }
  int get() const { return fd_; }
  bool open() const { return fd_ >= 0; }
  void reset(int fd = -1) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = fd;
  }

 private:
  int fd_ = -1;
};

// A pipe whose two ends are close-on-exec: a child started by another thread at the same time
// must not inherit them (it would hold our child's stdin or stdout open).
void make_pipe(Fd& read_end, Fd& write_end) {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) {
    throw std::runtime_error("cannot create a pipe: " + errno_text(errno));
  }
  read_end.reset(fds[0]);
  write_end.reset(fds[1]);
}

void set_nonblocking(int fd) { ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) | O_NONBLOCK); }

// What a child wrote to one of its outputs, bounded: the head (stdout, for the log) or the
// tail (stderr, for the error message: the last lines say what went wrong).
class Capture {
 public:
  explicit Capture(bool keep_tail) : keep_tail_(keep_tail) {}
  void add(const char* data, std::size_t size) {
    if (keep_tail_) {
      text_.append(data, size);
      if (text_.size() > SubprocessRunner::kOutputLimit) {
        text_.erase(0, text_.size() - SubprocessRunner::kOutputLimit);
      }
    } else if (text_.size() < SubprocessRunner::kOutputLimit) {
      text_.append(data, std::min(size, SubprocessRunner::kOutputLimit - text_.size()));
    }
  }
  const std::string& text() const { return text_; }

 private:
  bool keep_tail_;
  std::string text_;
};

// Reads what is available now. Closes `fd` at end of file or on an error.
void read_available(Fd& fd, Capture& capture) {
  char buffer[16 * 1024];
  // Bounded, so a writer that never stops cannot keep this thread here.
  for (int round = 0; round < 64 && fd.open(); ++round) {
    const ssize_t count = ::read(fd.get(), buffer, sizeof buffer);
    if (count > 0) {
      capture.add(buffer, static_cast<std::size_t>(count));
    } else if (count < 0 && errno == EINTR) {
      continue;
    } else if (count < 0 && errno == EAGAIN) {
      return;
    } else {
      fd.reset();
    }
  }
}

// Whether the child has exited, without reaping it: while it is a zombie its pid and process
// group id cannot be reused, so signalling the group stays safe until waitpid.
// ECHILD (someone else reaped it, or SIGCHLD is ignored) counts as exited.
bool has_exited(pid_t pid) {
  siginfo_t info{};
  if (::waitid(P_PID, static_cast<id_t>(pid), &info, WEXITED | WNOHANG | WNOWAIT) != 0) {
    return errno == ECHILD;
  }
  return info.si_pid == pid;
}

std::string tail(const std::string& text, std::size_t bytes) {
  std::string result = text.size() > bytes ? text.substr(text.size() - bytes) : text;
  while (!result.empty() && (result.back() == '\n' || result.back() == '\r')) result.pop_back();
  return result;
}

// Blocks SIGPIPE in this thread while it writes to the child's stdin, so that a child that
// exits without reading does not kill nearhub; the signal a failed write raised is consumed
// before the mask is restored.
class SigpipeGuard {
 public:
  SigpipeGuard() {
    sigemptyset(&pipe_);
    sigaddset(&pipe_, SIGPIPE);
    pthread_sigmask(SIG_BLOCK, &pipe_, &previous_);
  }
  ~SigpipeGuard() {
    if (broken_) {
      const timespec zero{};
      while (sigtimedwait(&pipe_, nullptr, &zero) == SIGPIPE) {
      }
    }
    pthread_sigmask(SIG_SETMASK, &previous_, nullptr);
  }
  void saw_broken_pipe() { broken_ = true; }

 private:
  sigset_t pipe_{};
  sigset_t previous_{};
  bool broken_ = false;
};

// posix_spawn's attributes and file actions, destroyed on every path.
struct SpawnSetup {
  posix_spawn_file_actions_t actions{};
  posix_spawnattr_t attributes{};
  SpawnSetup() {
    posix_spawn_file_actions_init(&actions);
    posix_spawnattr_init(&attributes);
  }
  ~SpawnSetup() {
    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attributes);
  }
  SpawnSetup(const SpawnSetup&) = delete;
  SpawnSetup& operator=(const SpawnSetup&) = delete;
};

pid_t spawn(const std::vector<std::string>& argv, const std::vector<std::string>& environment,
            int child_stdin, int child_stdout, int child_stderr) {
  SpawnSetup setup;
  posix_spawn_file_actions_adddup2(&setup.actions, child_stdin, STDIN_FILENO);
  posix_spawn_file_actions_adddup2(&setup.actions, child_stdout, STDOUT_FILENO);
  posix_spawn_file_actions_adddup2(&setup.actions, child_stderr, STDERR_FILENO);
#if defined(__GLIBC__) && (__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 34))
  // Descriptors someone opened without O_CLOEXEC (libraries do) stay out of the child too.
  posix_spawn_file_actions_addclosefrom_np(&setup.actions, STDERR_FILENO + 1);
#endif
  // Its own process group, so a timeout reaches what it started; signals as a fresh process
  // has them (the calling thread may block SIGTERM for sigwait, or ignore SIGPIPE).
  sigset_t no_signals;
  sigemptyset(&no_signals);
  sigset_t defaults;
  sigemptyset(&defaults);
  for (const int signal :
       {SIGPIPE, SIGTERM, SIGINT, SIGHUP, SIGQUIT, SIGCHLD, SIGUSR1, SIGUSR2, SIGALRM}) {
    sigaddset(&defaults, signal);
  }
  posix_spawnattr_setflags(&setup.attributes,
                           POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
  posix_spawnattr_setpgroup(&setup.attributes, 0);
  posix_spawnattr_setsigmask(&setup.attributes, &no_signals);
  posix_spawnattr_setsigdefault(&setup.attributes, &defaults);

  std::vector<char*> args;
  for (const auto& arg : argv) args.push_back(const_cast<char*>(arg.c_str()));
  args.push_back(nullptr);
  std::vector<char*> env;
  for (const auto& variable : environment) env.push_back(const_cast<char*>(variable.c_str()));
  env.push_back(nullptr);

  pid_t pid = 0;
  // posix_spawnp looks argv[0] up in nearhub's PATH, not the child's.
  const int error =
      posix_spawnp(&pid, args[0], &setup.actions, &setup.attributes, args.data(), env.data());
  if (error != 0) {
    throw std::runtime_error("cannot start runner " + argv[0] + ": " + errno_text(error));
  }
  return pid;
}

// Ends a child that overran: SIGTERM to its group, up to kKillGrace to exit, then SIGKILL to
// the group (also to anything it left running). Returns what was needed.
const char* stop_child(pid_t pid) {
  ::kill(-pid, SIGTERM);
  const auto give_up = Clock::now() + kKillGrace;
  while (!has_exited(pid) && Clock::now() < give_up) {
    std::this_thread::sleep_for(milliseconds(10));
  }
  const bool exited = has_exited(pid);
  ::kill(-pid, SIGKILL);
  return exited ? "SIGTERM" : "SIGKILL";
}

}  // namespace

SubprocessRunner::SubprocessRunner(std::vector<std::string> argv, std::chrono::milliseconds timeout,
                                   std::vector<std::string> env_passthrough)
    : argv_(std::move(argv)), timeout_(timeout) {
  if (argv_.empty() || argv_[0].empty()) {
    throw std::invalid_argument("the runner command is empty");
  }
  for (const auto& name : env_passthrough) {
    if (const char* value = std::getenv(name.c_str())) environment_.push_back(name + "=" + value);
  }
}

RunnerOutcome SubprocessRunner::run(const RunnerInvocation& invocation) {
  try {
    return run_child(invocation);
  } catch (const std::exception& error) {
    RunnerOutcome outcome;
    outcome.error = error.what();
    return outcome;
  }
}

RunnerOutcome SubprocessRunner::run_child(const RunnerInvocation& invocation) {
  RunnerOutcome outcome;
  const auto start = Clock::now();
  const auto deadline = std::min(start + timeout_, invocation.deadline);
  if (deadline <= start) {
    outcome.timed_out = true;
    outcome.error = "the run's deadline passed before the runner was started";
    return outcome;
  }

  const std::string input = util::dump_json(invocation.payload) + "\n";
  Fd stdin_read, stdin_write, stdout_read, stdout_write, stderr_read, stderr_write;
  make_pipe(stdin_read, stdin_write);
  make_pipe(stdout_read, stdout_write);
  make_pipe(stderr_read, stderr_write);
  const pid_t pid =
      spawn(argv_, environment_, stdin_read.get(), stdout_write.get(), stderr_write.get());
  // Only the child holds these now: end of file on stdout/stderr once it (and its children)
  // close them.
  stdin_read.reset();
  stdout_write.reset();
  stderr_write.reset();
  for (const Fd* fd : {&stdin_write, &stdout_read, &stderr_read}) set_nonblocking(fd->get());

  std::size_t written = 0;
  Capture out(false), err(true);
  bool timed_out = false;
  try {
    SigpipeGuard sigpipe_guard;
    while (true) {
      if (has_exited(pid)) {
        // What it wrote before exiting; a grandchild may hold the pipes open, so no waiting.
        read_available(stdout_read, out);
        read_available(stderr_read, err);
        break;
      }
      const auto now = Clock::now();
      if (now >= deadline) {
        timed_out = true;
        break;
      }
      pollfd fds[3];
      nfds_t count = 0;
      if (stdin_write.open()) fds[count++] = {stdin_write.get(), POLLOUT, 0};
      if (stdout_read.open()) fds[count++] = {stdout_read.get(), POLLIN, 0};
      if (stderr_read.open()) fds[count++] = {stderr_read.get(), POLLIN, 0};
      // Wakes up now and then to notice an exit that closed no pipe (a grandchild holds them);
      // right after the pipes close, the exit itself is a moment away.
      const auto left = std::chrono::ceil<milliseconds>(deadline - now);
      const milliseconds slice = std::min(left, count == 0 ? milliseconds(5) : milliseconds(100));
      if (::poll(fds, count, static_cast<int>(slice.count())) < 0 && errno != EINTR) {
        throw std::runtime_error("poll failed: " + errno_text(errno));
      }
      for (nfds_t i = 0; i < count; ++i) {
        if (fds[i].revents == 0) continue;
        if (fds[i].fd == stdin_write.get()) {
          const ssize_t sent =
              ::write(stdin_write.get(), input.data() + written, input.size() - written);
          if (sent > 0) written += static_cast<std::size_t>(sent);
          if (sent < 0 && errno == EPIPE) sigpipe_guard.saw_broken_pipe();
          // A child that exits without reading its input is not an error by itself.
          if (written == input.size() || (sent < 0 && errno != EAGAIN && errno != EINTR)) {
            stdin_write.reset();
          }
        } else if (fds[i].fd == stdout_read.get()) {
          read_available(stdout_read, out);
        } else if (fds[i].fd == stderr_read.get()) {
          read_available(stderr_read, err);
        }
      }
    }
  } catch (...) {
    // Nothing may outlive a failed run, unreaped or running.
    ::kill(-pid, SIGKILL);
    while (::waitpid(pid, nullptr, 0) < 0 && errno == EINTR) {
    }
    throw;
  }
  stdin_write.reset();
  stdout_read.reset();
  stderr_read.reset();

  const char* stopped_by = timed_out ? stop_child(pid) : nullptr;
  int status = 0;
  bool reaped = false;
  while (!reaped) {
    if (::waitpid(pid, &status, 0) == pid) {
      reaped = true;
    } else if (errno != EINTR) {
      break;
    }
  }

  const std::string stderr_tail = tail(err.text(), kErrorTailBytes);
  if (!out.text().empty() || !stderr_tail.empty()) {
    spdlog::debug("runner for run {} wrote {} bytes on stdout; stderr ends with: {}",
                  invocation.run_id, out.text().size(), stderr_tail);
  }
  if (timed_out) {
    outcome.timed_out = true;
    outcome.error = "runner did not finish in time; stopped it with " + std::string(stopped_by);
    if (!stderr_tail.empty()) outcome.error += ": " + stderr_tail;
  } else if (!reaped) {
    outcome.error = "runner exited, but its exit status is unknown (reaped elsewhere)";
  } else if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
    outcome.ok = true;
  } else {
    outcome.error = WIFEXITED(status)
                        ? "runner exited with status " + std::to_string(WEXITSTATUS(status))
                        : "runner was killed by signal " + std::to_string(WTERMSIG(status));
    if (!stderr_tail.empty()) outcome.error += ": " + stderr_tail;
  }
  return outcome;
}

}  // namespace nearhub::agents
