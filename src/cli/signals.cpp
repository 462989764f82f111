// SIGINT, SIGTERM and SIGHUP: a graceful stop while training, else an exit that leaves no
// temporary output file behind.
#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <string>

#include "common.hpp"
#include "grucast/output.hpp"

namespace grucast::cli {

namespace {

std::atomic<bool> g_stop{false};
std::atomic<bool> g_graceful{false};
volatile sig_atomic_t g_signal = 0;

// The first signal during a graceful section only asks the work to stop; any other removes the
// temporaries and ends the process the default way, so the parent sees the signal.
void on_signal(int signal_number) {
  if (g_graceful.load() && g_signal == 0) {
    g_signal = signal_number;
    g_stop.store(true);
    return;
  }
  remove_temporaries_on_signal();
  ::signal(signal_number, SIG_DFL);
  ::raise(signal_number);
}

}  // namespace

void install_signal_handlers() {
  struct sigaction action {};
  action.sa_handler = on_signal;
  sigemptyset(&action.sa_mask);
  for (const int signal_number : {SIGINT, SIGTERM, SIGHUP}) ::sigaction(signal_number, &action, nullptr);
}

std::string signal_name(int signal_number) {
  switch (signal_number) {
    case SIGINT: return "SIGINT";
    case SIGTERM: return "SIGTERM";
    case SIGHUP: return "SIGHUP";
    default: return "signal " + std::to_string(signal_number);
  }
}

GracefulStop::GracefulStop() { g_graceful.store(true); }
GracefulStop::~GracefulStop() { g_graceful.store(false); }
const std::atomic<bool>* GracefulStop::flag() const { return &g_stop; }
int GracefulStop::signal() const { return g_signal; }

}  // namespace grucast::cli
