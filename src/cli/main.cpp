#include <cerrno>

#include <fcntl.h>
#include <unistd.h>

#include "cli/commands.hpp"

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

}  // namespace

int main(int argc, char** argv) {
  if (!open_closed_standard_descriptors()) return 1;
  return grucast::cli::run(argc, argv);
}
