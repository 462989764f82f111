// read_regular_file: open, check it is a regular file of a sane size, read it whole.
#include "util/file_read.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include <fmt/format.h>

#include "grucast/util/error.hpp"

namespace grucast {

namespace {

std::string size_name(std::uint64_t bytes) {
  return bytes >= (std::uint64_t{1} << 30) ? fmt::format("{} GiB", bytes >> 30) : fmt::format("{} MiB", bytes >> 20);
}

}  // namespace

std::string read_regular_file(const std::string& path, std::uint64_t max_bytes, const FileRole& role) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    const int error = errno;
    throw IoError(fmt::format("cannot open the {} ({})", role.name, std::strerror(error)), path,
                  error == ENOENT ? role.missing_hint : "check the path and its permissions");
  }
  struct Closer {
    int fd;
    ~Closer() { ::close(fd); }
  } closer{fd};
  struct stat info {};
  if (::fstat(fd, &info) != 0 || !S_ISREG(info.st_mode)) {
    throw IoError(fmt::format("the {} path is {}", role.short_name, S_ISDIR(info.st_mode) ? "a directory" : "not a regular file"),
                  path, role.regular_hint);
  }
  const auto size = static_cast<std::uint64_t>(info.st_size);
  if (size > max_bytes) {
    throw ModelError(fmt::format("the file is {} bytes, more than any grucast {} ({})", size, role.short_name,
                                 size_name(max_bytes)),
                     path, fmt::format("check the path: this is not a {}", role.name));
  }
  std::string bytes(size, '\0');
  std::size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t n = ::read(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      throw IoError(fmt::format("cannot read the {} ({})", role.name, std::strerror(errno)), path,
                    "check the file and the device it is on");
    }
    if (n == 0) break;  // it shrank while being read: the caller's checks say what is missing
    done += static_cast<std::size_t>(n);
  }
  bytes.resize(done);
  return bytes;
}

}  // namespace grucast
