// Signals: temporary output files removed on the way out, and a graceful stop for training.
#pragma once

#include <atomic>
#include <string>

namespace grucast::cli {

/// Handles SIGINT, SIGTERM, SIGHUP (inside a GracefulStop the first of them sets its flag) and
/// SIGPIPE, SIGQUIT, SIGXFSZ, SIGALRM, SIGUSR1, SIGUSR2, SIGABRT: the temporary output files are
/// removed and the process ends by the signal. Signals the parent ignores stay ignored. Called
/// from the main thread, the one that creates output files: a signal sent to the process that
/// another thread receives is passed on to it.
void install_signal_handlers();

/// "SIGINT", "SIGTERM", "SIGHUP".
std::string signal_name(int signal_number);

/// While it lives, the first SIGINT, SIGTERM or SIGHUP asks the work to stop (flag()) instead of
/// ending the process; a second ends it.
class GracefulStop {
 public:
  GracefulStop();
  ~GracefulStop();
  GracefulStop(const GracefulStop&) = delete;
  GracefulStop& operator=(const GracefulStop&) = delete;
  const std::atomic<bool>* flag() const;
  int signal() const;  ///< the signal that asked, or 0
};

}  // namespace grucast::cli
