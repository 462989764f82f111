#include <cerrno>
#include <cstdlib>
#include <cstring>

#include <fcntl.h>
#include <unistd.h>

#include "cli/commands.hpp"
#include "util/blas_memory.hpp"

namespace {

// A standard descriptor closed by the caller (2>&-) would go to the next file opened, a model's
// temporary say, and messages would land in it: open 0, 1 and 2 on /dev/null first. False when
// that is impossible (no /dev/null); nothing can be said then, only the exit code.
bool open_closed_standard_descriptors() {
  for (int fd = 0; fd <= 2; ++fd) {
    if (::fcntl(fd, F_GETFD) != -1 || errno != EBADF) continue;
    const int opened = ::open("/dev/null", fd == 0 ? O_RDONLY : O_WRONLY);  // the lowest free: fd
    if (opened != fd) return false;
  }
  return true;
}

// OpenBLAS starts a thread per core when it loads, and each maps a 128 MiB work buffer at once;
// under ulimit -v or -d one that cannot retries forever at full speed, and exit waits for it.
// grucast runs BLAS single-threaded in its own threads, so under a limit the process starts
// again with OPENBLAS_NUM_THREADS=1, which OpenBLAS reads only when it loads. If exec fails, the
// run goes on as it is.
void restart_without_blas_threads(char** argv) {
  if (grucast::memory_limit_text().empty() || grucast::blas_threads_at_load() <= 1) return;
  const char* set = std::getenv("OPENBLAS_NUM_THREADS");
  if (set != nullptr && std::strcmp(set, "1") == 0) return;  // already restarted: never twice
  if (::setenv("OPENBLAS_NUM_THREADS", "1", 1) != 0) return;
  ::execv("/proc/self/exe", argv);
}

}  // namespace

int main(int argc, char** argv) {
  if (!open_closed_standard_descriptors()) return 1;
  restart_without_blas_threads(argv);
  return grucast::cli::run(argc, argv);
}
