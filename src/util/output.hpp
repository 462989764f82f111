// Output files written all-or-nothing.
#pragma once

#include <string>
#include <string_view>

namespace grucast {

/// A file that appears complete or not at all: the content goes to a temporary file beside the
/// target, which commit() renames over it. Without commit() (an error on the way) the temporary
/// is removed and the target keeps its old content, or stays absent. A replaced file keeps its
/// mode (and, for root, its owner); a symbolic link is followed (output_target). Targets that are not regular
/// files (/dev/stdout, /dev/null, a FIFO) are written in place.
class AtomicFile {
 public:
  /// Creates the temporary now, so an unwritable path fails before any work is done.
  explicit AtomicFile(std::string path);
  ~AtomicFile();
  AtomicFile(const AtomicFile&) = delete;
  AtomicFile& operator=(const AtomicFile&) = delete;

  void write(std::string_view text);
  /// Syncs and closes the temporary (or the target written in place): the step of commit() that
  /// can fail for want of space. Done once; commit() does it when it was not done.
  void sync();
  /// Syncs, then renames the temporary over the target.
  void commit();

 private:
  [[noreturn]] void fail(const std::string& what);

  std::string path_;
  std::string temporary_;  // empty when writing in place
  int fd_ = -1;
};

/// Where writing to `path` goes: for a symbolic link, the file it points to, followed link by
/// link, so that a dangling link's target is created rather than the link replaced; a link to
/// something that is not a path (/dev/stdout on a pipe) stays as given, to be opened in place.
/// An IoError for a loop of links.
std::string output_target(const std::string& path);

/// Removes the temporary of every AtomicFile not yet committed or destroyed; async-signal-safe,
/// for a handler of a signal that ends the process (the targets keep their old content).
void remove_temporaries_on_signal();

}  // namespace grucast
