// Signals: a graceful stop while training, else an exit that leaves no temporary output file
// behind.
#include <pthread.h>
#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <string>

#include "cli/signals.hpp"
#include "util/output.hpp"

namespace grucast::cli {

namespace {

// A graceful section stops on these; the others only end the process after the clean-up.
constexpr int kStopSignals[] = {SIGINT, SIGTERM, SIGHUP};
constexpr int kFatalSignals[] = {SIGPIPE, SIGQUIT, SIGXFSZ, SIGALRM, SIGUSR1, SIGUSR2, SIGABRT};

std::atomic<bool> g_stop{false};
std::atomic<bool> g_graceful{false};
std::atomic<int> g_signal{0};  // the signal that asked for the stop; any thread may run the handler
pthread_t g_main_thread;       // the thread that creates the temporaries (with signals blocked meanwhile)

// Signals sent to the process (kill, a terminal's ^C) rather than raised by a thread's own action
// (a write to a closed pipe or past the file size limit, abort()).
bool sent_to_process(int signal_number) {
  return signal_number != SIGPIPE && signal_number != SIGXFSZ && signal_number != SIGABRT;
}

bool stops_gracefully(int signal_number) {
  for (const int s : kStopSignals) {
    if (s == signal_number) return true;
  }
  return false;
}

// The first stop signal during a graceful section only asks the work to stop; any other signal
// removes the temporaries and ends the process the default way, so the parent sees the signal.
void on_signal(int signal_number) {
  // The kernel may hand a process's signal to any thread (OpenBLAS's, the workers'), which does
  // not block it while the main thread creates and registers a temporary: pass it to the main
  // thread, which takes it once that is done.
  if (sent_to_process(signal_number) && !::pthread_equal(::pthread_self(), g_main_thread)) {
    ::pthread_kill(g_main_thread, signal_number);
    return;
  }
  int none = 0;
  if (g_graceful.load() && stops_gracefully(signal_number) && g_signal.compare_exchange_strong(none, signal_number)) {
    g_stop.store(true);
    return;
  }
  remove_temporaries_on_signal();
  ::signal(signal_number, SIG_DFL);
  ::raise(signal_number);
}

// A signal the parent ignores (nohup's SIGHUP, SIGINT for a script's background job) stays ignored.
void handle(int signal_number) {
  struct sigaction old {};
  if (::sigaction(signal_number, nullptr, &old) != 0 || old.sa_handler == SIG_IGN) return;
  struct sigaction action {};
  action.sa_handler = on_signal;
  action.sa_flags = SA_RESTART;  // a stop request must not fail the write it interrupts with EINTR
  sigfillset(&action.sa_mask);
  ::sigaction(signal_number, &action, nullptr);
}

}  // namespace

void install_signal_handlers() {
  g_main_thread = ::pthread_self();
  for (const int signal_number : kStopSignals) handle(signal_number);
  for (const int signal_number : kFatalSignals) handle(signal_number);
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
int GracefulStop::signal() const { return g_signal.load(); }

}  // namespace grucast::cli
