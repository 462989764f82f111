#include "util/output.hpp"

#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <optional>

#include <fmt/format.h>

#include "grucast/util/error.hpp"

namespace grucast {

namespace {

// How to fix a failed write, from its errno.
std::string output_hint(int error) {
  switch (error) {
    case ENOSPC:
    case EDQUOT: return "free some space on the device, or write elsewhere";
    case EACCES:
    case EPERM:
    case EROFS: return "check the permissions of the directory, or write elsewhere";
    case ENOENT:
    case ENOTDIR: return "check that the directory exists";
    default: return "check that the directory exists and is writable, or write to stdout with -";
  }
}

// The target's stat when it exists; a directory is an error.
std::optional<struct stat> existing(const std::string& path) {
  struct stat info {};
  if (::stat(path.c_str(), &info) != 0) return std::nullopt;
  if (S_ISDIR(info.st_mode)) {
    throw IoError("the output path is a directory", path, "give a file name");
  }
  return info;
}

// Opens a new file beside `path` with a random name no one else has (mkostemps: O_EXCL, mode
// 0600, widened to 0666 less the umask below). The target's name is cut so that the temporary's
// name stays within NAME_MAX.
int open_temporary(const std::string& path, std::string& temporary) {
  const std::filesystem::path target(path);
  std::string name = target.filename().string().substr(0, 200);
  std::string pattern = (target.parent_path() / ("." + name + ".XXXXXX.tmp")).string();
  const int fd = ::mkostemps(pattern.data(), 4, O_CLOEXEC);
  if (fd >= 0) {
    const mode_t mask = ::umask(0);
    ::umask(mask);
    ::fchmod(fd, 0666 & ~mask);
  }
  temporary = pattern;
  return fd;
}

// Holds every signal back while it lives (on this thread), e.g. between creating a temporary and
// registering it.
struct BlockedSignals {
  sigset_t previous;
  BlockedSignals() {
    sigset_t all;
    sigfillset(&all);
    ::pthread_sigmask(SIG_BLOCK, &all, &previous);
  }
  ~BlockedSignals() { ::pthread_sigmask(SIG_SETMASK, &previous, nullptr); }
  BlockedSignals(const BlockedSignals&) = delete;
  BlockedSignals& operator=(const BlockedSignals&) = delete;
};

// The temporaries open now, for remove_temporaries_on_signal (32 at a time: grucast holds at
// most three; a path too long to register could not have been opened). A handler may run between any two
// instructions, so a slot's path is only read while its state is kReady.
constexpr int kFree = 0, kFilling = 1, kReady = 2;
struct TemporarySlot {
  std::atomic<int> state{kFree};
  char path[4096] = {};
};
TemporarySlot g_temporaries[32];

void remember_temporary(const std::string& path) {
  if (path.size() >= sizeof(TemporarySlot::path)) return;
  for (TemporarySlot& slot : g_temporaries) {
    int expected = kFree;
    if (!slot.state.compare_exchange_strong(expected, kFilling)) continue;
    std::memcpy(slot.path, path.c_str(), path.size() + 1);
    slot.state.store(kReady);
    return;
  }
}

void forget_temporary(const std::string& path) {
  for (TemporarySlot& slot : g_temporaries) {
    if (slot.state.load() == kReady && path == slot.path) {
      slot.state.store(kFree);
      return;
    }
  }
}

}  // namespace

void remove_temporaries_on_signal() {
  for (TemporarySlot& slot : g_temporaries) {
    if (slot.state.load() == kReady) ::unlink(slot.path);
  }
}

std::string output_target(const std::string& path) {
  std::filesystem::path current(path);
  for (int hops = 0; hops < 40; ++hops) {
    struct stat info {};
    if (::lstat(current.c_str(), &info) != 0 || !S_ISLNK(info.st_mode)) return current.string();
    if (::stat(current.c_str(), &info) == 0) {  // it leads somewhere: a file, or a pipe or device
      std::error_code error;
      const std::filesystem::path resolved = std::filesystem::canonical(current, error);
      return S_ISREG(info.st_mode) && !error ? resolved.string() : current.string();
    }
    if (errno == ELOOP) break;
    std::error_code error;
    const std::filesystem::path next = std::filesystem::read_symlink(current, error);
    if (error) return current.string();
    current = next.is_absolute() ? next : current.parent_path() / next;
  }
  throw IoError("the output path is a loop of symbolic links", path, "point the link at a file, or give another path");
}

AtomicFile::AtomicFile(std::string path) : path_(std::move(path)) {
  if (path_.empty()) throw UsageError("empty output path", "--out", "give a file name, or - for stdout");
  path_ = output_target(path_);  // through a symbolic link to its target, rather than replacing the link
  const std::optional<struct stat> target = existing(path_);
  if (!target || S_ISREG(target->st_mode)) {
    const BlockedSignals blocked;  // a signal handler must not miss a temporary that exists
    fd_ = open_temporary(path_, temporary_);
    if (fd_ >= 0) remember_temporary(temporary_);
  } else {
    fd_ = ::open(path_.c_str(), O_WRONLY | O_TRUNC | O_CLOEXEC);
  }
  if (fd_ < 0) {
    temporary_.clear();
    const int error = errno;
    throw IoError(fmt::format("cannot write the output ({})", std::strerror(error)), path_, output_hint(error));
  }
  if (target && !temporary_.empty()) {  // the replacement keeps the old file's mode and owner
    ::fchmod(fd_, target->st_mode & 07777);
    if (::geteuid() == 0 && ::fchown(fd_, target->st_uid, target->st_gid) != 0) ::fchmod(fd_, 0600);
  }
}

AtomicFile::~AtomicFile() {
  if (fd_ >= 0) ::close(fd_);
  if (!temporary_.empty()) {
    ::unlink(temporary_.c_str());
    forget_temporary(temporary_);
  }
}

void AtomicFile::fail(const std::string& what) {
  const int error = errno;
  throw IoError(fmt::format("{} ({})", what, std::strerror(error)), path_, output_hint(error));
}

void AtomicFile::write(std::string_view text) {
  while (!text.empty()) {
    const ssize_t n = ::write(fd_, text.data(), text.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) fail("cannot write the output");
    text.remove_prefix(static_cast<std::size_t>(n));
  }
}

void AtomicFile::sync() {
  if (fd_ < 0) return;
  const bool synced = temporary_.empty() || ::fsync(fd_) == 0;
  const int sync_error = errno;
  const bool closed = ::close(fd_) == 0;
  fd_ = -1;
  if (!synced || !closed) {
    if (!synced) errno = sync_error;
    fail("cannot write the output");
  }
}

void AtomicFile::commit() {
  sync();
  if (temporary_.empty()) return;
  if (std::rename(temporary_.c_str(), path_.c_str()) != 0) fail("cannot replace the output file");
  forget_temporary(temporary_);
  temporary_.clear();
}

}  // namespace grucast
