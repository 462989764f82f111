// Runs the grucast executable as a user would, capturing exit status, stdout and stderr.
#pragma once

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <vector>

#include "support/files.hpp"

extern char** environ;

namespace grucast::test {

// AddressSanitizer reserves terabytes of address space and multiplies the memory a run takes:
// the tests of memory limits and sizes skip under it (doctest::skip(kAddressSanitizer)).
#if defined(__SANITIZE_ADDRESS__)
inline constexpr bool kAddressSanitizer = true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
inline constexpr bool kAddressSanitizer = true;
#else
inline constexpr bool kAddressSanitizer = false;
#endif
#else
inline constexpr bool kAddressSanitizer = false;
#endif

struct RunResult {
  int status = -1;  ///< exit code, or 128 + signal
  std::string out;
  std::string err;
};

/// Starts `argv` in `cwd` with stdout and stderr going to io/stdout and io/stderr, and stdin
/// read from `stdin_fd` (-1: the file io/stdin); `close_fd` (-1: none) is closed in the child.
inline pid_t spawn_program(std::vector<std::string> argv_text, const std::filesystem::path& io,
                           const std::filesystem::path& cwd, int stdin_fd = -1, int close_fd = -1) {
  std::vector<char*> argv;
  for (std::string& arg : argv_text) argv.push_back(arg.data());
  argv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  if (stdin_fd >= 0) {
    posix_spawn_file_actions_adddup2(&actions, stdin_fd, 0);
  } else {
    posix_spawn_file_actions_addopen(&actions, 0, (io / "stdin").c_str(), O_RDONLY, 0);
  }
  if (close_fd >= 0) posix_spawn_file_actions_addclose(&actions, close_fd);
  posix_spawn_file_actions_addopen(&actions, 1, (io / "stdout").c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_addopen(&actions, 2, (io / "stderr").c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_addchdir_np(&actions, cwd.c_str());
  pid_t pid = 0;
  const int spawned = posix_spawnp(&pid, argv[0], &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (spawned != 0) throw std::runtime_error("cannot start " + argv_text.front());
  return pid;
}

/// Waits for a spawned program: its exit code (or 128 + the signal), stdout and stderr.
inline RunResult wait_program(pid_t pid, const std::filesystem::path& io) {
  int wait_status = 0;
  ::waitpid(pid, &wait_status, 0);
  RunResult result;
  result.status = WIFEXITED(wait_status) ? WEXITSTATUS(wait_status) : 128 + WTERMSIG(wait_status);
  result.out = read_text(io / "stdout");
  result.err = read_text(io / "stderr");
  return result;
}

/// Runs `program args...` in `cwd` with `input` on stdin.
inline RunResult run_program(const std::string& program, const std::vector<std::string>& args,
                             const std::string& input = "", const std::filesystem::path& cwd = ".",
                             const std::vector<std::string>& prefix = {}) {
  TempDir io;
  write_text(io / "stdin", input);
  std::vector<std::string> argv = prefix;
  argv.push_back(program);
  argv.insert(argv.end(), args.begin(), args.end());
  return wait_program(spawn_program(argv, io.path(), cwd), io.path());
}

/// Runs the grucast executable under test.
inline RunResult run_grucast(const std::vector<std::string>& args, const std::string& input = "",
                             const std::filesystem::path& cwd = ".") {
  return run_program(GRUCAST_EXECUTABLE, args, input, cwd);
}

/// `command` run by sh in `dir`; its exit code, or 128 + the signal that ended it.
inline int run_shell(const std::filesystem::path& dir, const std::string& command) {
  const int status = std::system(("cd '" + dir.string() + "' && " + command).c_str());
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

}  // namespace grucast::test
