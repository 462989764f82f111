#include "cli/file_paths.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>

#include <fmt/format.h>

#include "grucast/util/error.hpp"
#include "util/output.hpp"
#include "util/text.hpp"

namespace grucast::cli {

namespace {

// What a use names: the file's inode when it exists (stdin's or stdout's for "-"), else the
// path that writing would create, absolute, with symbolic links followed.
struct Identity {
  bool exists = false;
  struct stat info {};
  std::string path;
};

Identity identity_of(const FileUse& use) {
  Identity id;
  if (use.path == "-") {
    id.exists = ::fstat(use.output ? STDOUT_FILENO : STDIN_FILENO, &id.info) == 0;
    id.path = use.output ? "<stdout>" : "<stdin>";
    return id;
  }
  id.exists = ::stat(use.path.c_str(), &id.info) == 0;
  std::error_code ignored;
  std::string target = use.path;
  try {
    target = output_target(use.path);
  } catch (const Error&) {  // a link loop: AtomicFile reports it when the output is opened
  }
  id.path = std::filesystem::weakly_canonical(std::filesystem::absolute(target, ignored), ignored).string();
  return id;
}

bool same_identity(const Identity& a, const Identity& b, bool both_outputs) {
  if (a.exists != b.exists) return false;
  if (!a.exists) return a.path == b.path;
  if (a.info.st_dev != b.info.st_dev || a.info.st_ino != b.info.st_ino) return false;
  if (S_ISREG(a.info.st_mode)) return true;
  // Two outputs into one pipe interleave; a device may take any number of them.
  return both_outputs && (S_ISFIFO(a.info.st_mode) || S_ISSOCK(a.info.st_mode));
}

bool same_identity(const FileUse& a, const Identity& ia, const FileUse& b, const Identity& ib) {
  if (a.path == "-" && b.path == "-") return a.output && b.output;
  return same_identity(ia, ib, a.output && b.output);
}

// A path in full (quoted() would cut it): the user needs to see which file.
std::string path_text(const std::string& path) { return "'" + path + "'"; }

[[noreturn]] void refuse(const FileUse& later, const FileUse& earlier) {
  if (later.path == "-" && earlier.path == "-") {
    throw UsageError(fmt::format("{} and {} cannot both go to stdout", later.option, earlier.option), later.option,
                     fmt::format("give {} a file", later.option));
  }
  const FileUse& named = later.path == "-" ? earlier : later;  // the one given a file name
  const FileUse& other = later.path == "-" ? later : earlier;
  std::string what;
  if (other.path == "-") {
    what = other.output ? fmt::format("{} {} is where stdout goes", named.option, path_text(named.path))
                        : fmt::format("{} {} is the file stdin reads ({} -)", named.option, path_text(named.path),
                                      other.option);
  } else if (!other.output) {
    what = fmt::format("{} {} would replace the file {} reads", named.option, path_text(named.path), other.option);
  } else {
    what = fmt::format("{} and {} are the same file {}", named.option, other.option, path_text(named.path));
  }
  throw UsageError(what, named.option, fmt::format("give {} a file of its own", named.option));
}

}  // namespace

bool same_file(const FileUse& a, const FileUse& b) {
  return same_identity(a, identity_of(a), b, identity_of(b));
}

void check_file_uses(const std::vector<FileUse>& uses) {
  std::vector<Identity> ids;
  for (const FileUse& use : uses) ids.push_back(use.path.empty() ? Identity{} : identity_of(use));
  for (std::size_t i = 0; i < uses.size(); ++i) {
    for (std::size_t j = 0; j < i; ++j) {
      if (uses[i].path.empty() || uses[j].path.empty() || !(uses[i].output || uses[j].output)) continue;
      if (same_identity(uses[i], ids[i], uses[j], ids[j])) {
        if (uses[i].output) refuse(uses[i], uses[j]);
        refuse(uses[j], uses[i]);
      }
    }
  }
}

void check_plot_path(const std::string& path, const std::string& option) {
  if (path == "-") {
    throw UsageError("a plot cannot go to stdout", option, fmt::format("give a file name, e.g. {} plot.svg", option));
  }
}

}  // namespace grucast::cli
