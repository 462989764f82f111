#include <doctest/doctest.h>
#include <sys/stat.h>

#include <filesystem>

#include "grucast/util/error.hpp"
#include "support/files.hpp"
#include "util/output.hpp"

using grucast::AtomicFile;
using grucast::IoError;
using grucast::test::read_text;
using grucast::test::TempDir;
using grucast::test::write_text;

namespace {

std::size_t entries(const std::filesystem::path& dir) {
  return static_cast<std::size_t>(std::distance(std::filesystem::directory_iterator(dir), {}));
}

}  // namespace

TEST_SUITE("output") {
  TEST_CASE("commit replaces the target and leaves no temporary behind") {
    TempDir dir;
    write_text(dir / "out.csv", "old\n");
    {
      AtomicFile file((dir / "out.csv").string());
      file.write("new ");
      file.write("content\n");
      CHECK(read_text(dir / "out.csv") == "old\n");  // nothing visible before commit
      file.commit();
    }
    CHECK(read_text(dir / "out.csv") == "new content\n");
    CHECK(entries(dir.path()) == 1);
  }

  TEST_CASE("without commit the target keeps its old content, or stays absent") {
    TempDir dir;
    write_text(dir / "kept.csv", "old\n");
    {
      AtomicFile kept((dir / "kept.csv").string());
      kept.write("partial");
      AtomicFile absent((dir / "absent.csv").string());
      absent.write("partial");
    }
    CHECK(read_text(dir / "kept.csv") == "old\n");
    CHECK_FALSE(std::filesystem::exists(dir / "absent.csv"));
    CHECK(entries(dir.path()) == 1);
  }

  TEST_CASE("a path that cannot be written fails at once") {
    TempDir dir;
    CHECK_THROWS_WITH_AS(AtomicFile((dir / "no" / "such" / "dir.csv").string()),
                         doctest::Contains("cannot write the output (No such file or directory)"), IoError);
    CHECK_THROWS_WITH_AS(AtomicFile(dir.path().string()),
                         (std::string("the output path is a directory, ") + dir.path().string() + ", give a file name")
                             .c_str(),
                         IoError);
  }

  TEST_CASE("device targets are written in place, and a full device is an error") {
    {
      AtomicFile null("/dev/null");
      null.write("discarded");
      null.commit();
    }
    struct stat info {};
    REQUIRE(::stat("/dev/null", &info) == 0);
    CHECK(S_ISCHR(info.st_mode));
    AtomicFile full("/dev/full");
    CHECK_THROWS_WITH_AS(full.write("x"),
                         "cannot write the output (No space left on device), /dev/full, free some space on the device, "
                         "or write elsewhere",
                         IoError);
  }
}

TEST_SUITE("output") {
  TEST_CASE("a replaced file keeps its permissions") {
    TempDir dir;
    write_text(dir / "secret.csv", "old\n");
    std::filesystem::permissions(dir / "secret.csv", std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
    AtomicFile file((dir / "secret.csv").string());
    file.write("new\n");
    file.commit();
    CHECK(read_text(dir / "secret.csv") == "new\n");
    CHECK(std::filesystem::status(dir / "secret.csv").permissions() ==
          (std::filesystem::perms::owner_read | std::filesystem::perms::owner_write));
  }
}
