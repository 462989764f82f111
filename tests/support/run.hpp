// Runs the grucast executable as a user would, capturing exit status, stdout and stderr.
#pragma once

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <stdexcept>
#include <string>
#include <vector>

#include "support/files.hpp"

extern char** environ;

namespace grucast::test {

struct RunResult {
  int status = -1;  ///< exit code, or 128 + signal
  std::string out;
  std::string err;
};

/// Runs `program args...` in `cwd` with `input` on stdin.
inline RunResult run_program(const std::string& program, const std::vector<std::string>& args,
                             const std::string& input = "", const std::filesystem::path& cwd = ".",
                             const std::vector<std::string>& prefix = {}) {
  TempDir io;
  write_text(io / "stdin", input);
  std::vector<std::string> argv_text = prefix;
  argv_text.push_back(program);
  argv_text.insert(argv_text.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (std::string& arg : argv_text) argv.push_back(arg.data());
  argv.push_back(nullptr);

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, (io / "stdin").c_str(), O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 1, (io / "stdout").c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_addopen(&actions, 2, (io / "stderr").c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_addchdir_np(&actions, cwd.c_str());
  pid_t pid = 0;
  const int spawned = posix_spawnp(&pid, argv[0], &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (spawned != 0) throw std::runtime_error("cannot start " + argv_text.front());
  int wait_status = 0;
  ::waitpid(pid, &wait_status, 0);
  RunResult result;
  result.status = WIFEXITED(wait_status) ? WEXITSTATUS(wait_status) : 128 + WTERMSIG(wait_status);
  result.out = read_text(io / "stdout");
  result.err = read_text(io / "stderr");
  return result;
}

/// Runs the grucast executable under test.
inline RunResult run_grucast(const std::vector<std::string>& args, const std::string& input = "",
                             const std::filesystem::path& cwd = ".") {
  return run_program(GRUCAST_EXECUTABLE, args, input, cwd);
}

}  // namespace grucast::test
