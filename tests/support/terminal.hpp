// Runs the grucast executable with stderr on a pseudo-terminal, as a user at a terminal sees it.
#pragma once

#include <fcntl.h>
#include <poll.h>
#include <spawn.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include <stdexcept>
#include <string>
#include <vector>

#include "support/files.hpp"
#include "support/run.hpp"

namespace grucast::test {

/// The environment of this process with `changes` applied: "NAME=value" sets, "NAME" removes.
inline std::vector<std::string> environment_with(const std::vector<std::string>& changes) {
  const auto name_of = [](const std::string& entry) { return entry.substr(0, entry.find('=')); };
  std::vector<std::string> env;
  for (char** e = environ; *e != nullptr; ++e) {
    const std::string entry = *e;
    bool changed = false;
    for (const std::string& change : changes) changed = changed || name_of(change) == name_of(entry);
    if (!changed) env.push_back(entry);
  }
  for (const std::string& change : changes) {
    if (change.find('=') != std::string::npos) env.push_back(change);
  }
  return env;
}

/// Runs grucast with stdin from /dev/null, stdout to a file and stderr on a new pseudo-terminal
/// (raw mode: no \r added), in an environment changed by `env` (see environment_with). `err`
/// is what the terminal received.
inline RunResult run_grucast_on_terminal(const std::vector<std::string>& args, const std::vector<std::string>& env) {
  const int master = ::posix_openpt(O_RDWR | O_NOCTTY);
  if (master < 0 || ::grantpt(master) != 0 || ::unlockpt(master) != 0) throw std::runtime_error("no pseudo-terminal");
  const int terminal = ::open(::ptsname(master), O_RDWR | O_NOCTTY);
  if (terminal < 0) throw std::runtime_error("cannot open the pseudo-terminal");
  termios mode{};
  ::tcgetattr(terminal, &mode);
  ::cfmakeraw(&mode);
  ::tcsetattr(terminal, TCSANOW, &mode);

  TempDir io;
  std::vector<std::string> argv_text = {GRUCAST_EXECUTABLE};
  argv_text.insert(argv_text.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (std::string& arg : argv_text) argv.push_back(arg.data());
  argv.push_back(nullptr);
  std::vector<std::string> env_text = environment_with(env);
  std::vector<char*> envp;
  for (std::string& entry : env_text) envp.push_back(entry.data());
  envp.push_back(nullptr);

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 1, (io / "stdout").c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_adddup2(&actions, terminal, 2);
  posix_spawn_file_actions_addclose(&actions, terminal);
  posix_spawn_file_actions_addclose(&actions, master);
  pid_t pid = 0;
  const int spawned = ::posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  if (spawned != 0) throw std::runtime_error("cannot start grucast");

  // The terminal stays open here, so reading never ends in EIO. What the child writes reaches
  // the master side a little after it is written: read while it runs, then until it is quiet.
  RunResult result;
  int wait_status = 0;
  bool running = true;
  pollfd ready{master, POLLIN, 0};
  char chunk[4096];
  for (;;) {
    if (running && ::waitpid(pid, &wait_status, WNOHANG) == pid) running = false;
    if (::poll(&ready, 1, running ? 20 : 300) > 0) {
      const ssize_t n = ::read(master, chunk, sizeof chunk);
      if (n > 0) result.err.append(chunk, static_cast<std::size_t>(n));
      if (n > 0 || running) continue;
    }
    if (!running) break;
  }
  result.status = WIFEXITED(wait_status) ? WEXITSTATUS(wait_status) : 128 + WTERMSIG(wait_status);
  ::close(terminal);
  ::close(master);
  result.out = read_text(io / "stdout");
  return result;
}

}  // namespace grucast::test
