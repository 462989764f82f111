// The files a command reads and writes, checked together: no output replaces an input or
// another output, through any symbolic link.
#pragma once

#include <string>
#include <vector>

namespace grucast::cli {

/// One file a command reads or writes, named by its option (e.g. "--out").
struct FileUse {
  std::string option;
  std::string path;  ///< "-": stdin for an input, stdout for an output; empty: not given
  bool output = false;
};

/// The one check of a command's files, before any output is opened: a UsageError when an output
/// is the same file as an input or an earlier output (the same regular file or FIFO once symbolic
/// links are followed, or the same path not yet created), or when two outputs go to stdout.
/// A device (/dev/null, a terminal) may be named more than once.
void check_file_uses(const std::vector<FileUse>& uses);

/// Whether two uses would touch the same file in the sense of check_file_uses.
bool same_file(const FileUse& a, const FileUse& b);

/// A UsageError when a plot (given with `option`) would go to stdout.
void check_plot_path(const std::string& path, const std::string& option);

}  // namespace grucast::cli
