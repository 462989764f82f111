// The model file's framing: the round trip, the byte layout, damage of any kind (cut, flipped,
// oversized, not a model), load errors and inspect (test_model_header.cpp has the header fields).
#include <doctest/doctest.h>
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <limits>

#include <fmt/format.h>

#include "grucast/io/model_file.hpp"
#include "grucast/util/error.hpp"
#include "support/files.hpp"
#include "support/model_files.hpp"
#include "util/hash.hpp"

using namespace grucast;
using namespace grucast::test;

namespace grucast::cli {
int run(int argc, const char* const* argv);  // src/cli/commands.hpp
}

namespace {

// Runs the command line in this process with stdout and stderr sent to files; returns the status.
int run_cli(const std::vector<std::string>& args, const TempDir& dir, std::string& out, std::string& err) {
  std::vector<const char*> argv = {"grucast"};
  for (const std::string& a : args) argv.push_back(a.c_str());
  std::fflush(stdout);
  std::fflush(stderr);
  const int saved_out = ::dup(1), saved_err = ::dup(2);
  const int out_fd = ::open((dir / "stdout").c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  const int err_fd = ::open((dir / "stderr").c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  ::dup2(out_fd, 1);
  ::dup2(err_fd, 2);
  const int status = grucast::cli::run(static_cast<int>(argv.size()), argv.data());
  std::fflush(stdout);
  std::fflush(stderr);
  ::dup2(saved_out, 1);
  ::dup2(saved_err, 2);
  for (const int fd : {saved_out, saved_err, out_fd, err_fd}) ::close(fd);
  out = read_text(dir / "stdout");
  err = read_text(dir / "stderr");
  return status;
}

}  // namespace

TEST_SUITE("model_file") {
  TEST_CASE("save and load round-trip every field bit-exactly, in f32 and f64") {
    TempDir dir;
    for (const Precision precision : {Precision::f32, Precision::f64}) {
      CAPTURE(precision_name(precision));
      const TrainedModel model = small_model(precision);
      const std::string path = (dir / "m.grc").string();
      save_model(model, path);
      const TrainedModel loaded = load_model(path);
      check_same(model, loaded);
      CHECK(read_text(path) == model_bytes(model));
      // The example of docs/model-format.md: GRUCAST_TEST_KEEP_MODEL=small.grc grucast_tests -tc='save and load*'
      const char* keep = std::getenv("GRUCAST_TEST_KEEP_MODEL");
      if (keep != nullptr && precision == Precision::f32) write_text(keep, read_text(path));
      CHECK(model_bytes(loaded) == model_bytes(model));
      const std::size_t element = precision == Precision::f64 ? 8 : 4;
      CHECK(read_text(path).size() == 40 + header_length(model_bytes(model)) + 160 * element);
    }
  }

  TEST_CASE("model_bytes is deterministic and lays out magic, version, header, values and checksum") {
    const TrainedModel model = small_model(Precision::f32);
    const std::string bytes = model_bytes(model);
    CHECK(model_bytes(small_model(Precision::f32)) == bytes);
    CHECK(bytes.substr(0, 8) == std::string("GRUCAST\x1a", 8));
    CHECK(bytes.substr(8, 4) == std::string("\x01\x00\x00\x00", 4));
    const std::size_t n = header_length(bytes);
    const Json header = Json::parse(bytes.substr(20, n));
    CHECK(header == model_header(model));
    CHECK(header["format"] == "grucast-model");
    CHECK(header["config"]["hidden"] == 3);
    CHECK(header["training"]["validation_losses"][2].is_null());
    CHECK(header["test"]["methods"][0]["mape"].is_null());
    CHECK(header["slices"][0] == Json{{"name", "gru.weight_ih_l0"}, {"rows", 9}, {"cols", 3}, {"offset", 0}});
    CHECK(header["parameters"] == Json{{"count", 160}, {"precision", "f32"}});
    CHECK(bytes.substr(20 + n, 4) == std::string("\x04\x00\x00\x00", 4));
    CHECK(get_u64(bytes, 24 + n) == 160);
    float first = 0;
    std::memcpy(&first, bytes.data() + 32 + n, 4);
    CHECK(first == model.params_of<float>()[0]);
    CHECK(get_u64(bytes, bytes.size() - 8) == fnv1a64(std::string_view(bytes).substr(0, bytes.size() - 8)));
    CHECK(fnv1a64("") == 0xcbf29ce484222325ULL);
    CHECK(fnv1a64("a") == 0xaf63dc4c8601ec8cULL);  // the published FNV-1a 64 test vector
  }

  TEST_CASE("an infinite loss is stored as null and reads back as NaN") {
    TrainedModel model = small_model(Precision::f32);
    model.summary.best_loss = std::numeric_limits<double>::infinity();
    model.summary.train_losses[0] = -std::numeric_limits<double>::infinity();
    const TrainedModel loaded = parse_model(model_bytes(model), "m.grc");
    CHECK(std::isnan(loaded.summary.best_loss));
    CHECK(std::isnan(loaded.summary.train_losses[0]));
  }

  TEST_CASE("a file cut off at any byte is refused, saying how long it is and should be") {
    const std::string bytes = model_bytes(small_model(Precision::f32));
    std::size_t refused = 0;
    for (std::size_t size = 0; size < bytes.size(); ++size) {
      const std::string message = message_of(bytes.substr(0, size));
      const bool ok = size == 0 ? message.find("the file is empty") != std::string::npos
                                : message.find(fmt::format("the file is truncated: it has {} bytes, but ", size)) == 0;
      if (!ok) {
        INFO("size ", size, ": ", message);
        CHECK(ok);
        break;
      }
      ++refused;
    }
    CHECK(refused == bytes.size());
    const std::size_t n = header_length(bytes);
    CHECK(message_of(bytes.substr(0, 10)) ==
          "the file is truncated: it has 10 bytes, but a model file has at least 40, m.grc, the file was cut off (an "
          "interrupted copy or a full disk): copy it again, or re-train");
    CHECK(message_of(bytes.substr(0, 100)) ==
          fmt::format("the file is truncated: it has 100 bytes, but its header length ({} bytes) implies at least {}, "
                      "m.grc, the file was cut off (an interrupted copy or a full disk): copy it again, or re-train",
                      n, n + 40));
    CHECK(message_of(bytes.substr(0, bytes.size() - 1)).find(fmt::format(
              "it has {} bytes, but its header and parameter count (160 x 4 bytes) imply {}", bytes.size() - 1,
              bytes.size())) != std::string::npos);
  }

  TEST_CASE("flipping any byte is caught: by the checksum, or by the field it lands in") {
    const std::string bytes = model_bytes(small_model(Precision::f32));
    const std::size_t n = header_length(bytes);
    std::size_t caught = 0;
    for (std::size_t i = 0; i < bytes.size(); ++i) {
      std::string damaged = bytes;
      damaged[i] = static_cast<char>(damaged[i] ^ 0xff);
      const std::string message = message_of(damaged);
      std::vector<std::string> expected;
      if (i < 8) {
        expected = {"does not start with GRUCAST"};
      } else if (i < 12) {
        expected = {"was written by a newer grucast"};
      } else if (i < 20) {  // the header length: too long, or the sections after it move
        expected = {"over the limit", "truncated", "trailing bytes", "element size"};
      } else if (i >= 20 + n && i < 24 + n) {
        expected = {"element size is"};
      } else if (i >= 24 + n && i < 32 + n) {
        expected = {"truncated", "trailing bytes"};
      } else {
        expected = {"checksum mismatch: the file is damaged, m.grc, re-train the model, or copy the file again"};
      }
      const bool ok = std::any_of(expected.begin(), expected.end(),
                                  [&](const std::string& e) { return message.find(e) != std::string::npos; });
      if (!ok) {
        INFO("byte ", i, ": ", message);
        CHECK(ok);
        break;
      }
      ++caught;
    }
    CHECK(caught == bytes.size());
  }

  TEST_CASE("what is not a model says so, and what it might be") {
    CHECK(message_of("date,value\n2020-01-01,3\n") ==
          "the file is not a grucast model file (it does not start with GRUCAST), m.grc, it looks like text, perhaps a "
          "data file: give the model file that grucast train wrote");
    CHECK(message_of("{\"format\": \"grucast-model\"}").find("it looks like JSON") != std::string::npos);
    CHECK(message_of(std::string("\x1f\x8b\x08\x00", 4)).find("it is gzip-compressed") != std::string::npos);
    CHECK(message_of("GRU") == "the file is truncated: it has 3 bytes, but a model file has at least 40, m.grc, the "
                               "file was cut off (an interrupted copy or a full disk): copy it again, or re-train");
    CHECK(message_of("").find("the file is empty, not a grucast model, m.grc") == 0);
  }

  TEST_CASE("a newer format version asks for a newer grucast, version 0 is damage") {
    std::string bytes = model_bytes(small_model(Precision::f32));
    bytes[8] = 2;
    CHECK(message_of(bytes) ==
          "the model was written by a newer grucast (model format 2; this grucast reads 1), m.grc, upgrade grucast to "
          "read it, or re-train the model with this version");
    bytes[8] = 0;
    CHECK(message_of(bytes).find("the file has model format version 0, which no grucast writes") == 0);
  }

  TEST_CASE("sizes are checked before anything is allocated") {
    const std::string bytes = model_bytes(small_model(Precision::f32));
    const std::size_t n = header_length(bytes);
    std::string huge_header = bytes;
    set_u64(huge_header, 12, (std::uint64_t{64} << 20) + 1);
    CHECK(message_of(huge_header).find("the model header length is 67108865 bytes, over the limit of 67108864") == 0);
    std::string huge_count = bytes;
    set_u64(huge_count, 24 + n, std::uint64_t{1} << 61);
    CHECK(message_of(huge_count).find("its header and parameter count (2305843009213693952 x 4 bytes) imply") !=
          std::string::npos);
    set_u64(huge_count, 24 + n, std::numeric_limits<std::uint64_t>::max());
    CHECK(message_of(huge_count).find("implies more than 2^64") != std::string::npos);
    std::string element = bytes;
    element[20 + n] = 5;
    CHECK(message_of(element).find("the parameter element size is 5, not 4 (f32) or 8 (f64)") == 0);
    CHECK(message_of(bytes + "xyz") ==
          fmt::format("the file has 3 trailing bytes: it has {} bytes, but its header and parameter count imply {}, "
                      "m.grc, the file is damaged or something was appended to it: copy it again, or re-train",
                      bytes.size() + 3, bytes.size()));
  }

  TEST_CASE("load_model reports files it cannot read") {
    TempDir dir;
    const std::string missing = (dir / "none.grc").string();
    CHECK_THROWS_WITH_AS(load_model(missing),
                         ("cannot open the model file (No such file or directory), " + missing +
                          ", check the path, or train a model first with grucast train")
                             .c_str(),
                         IoError);
    CHECK_THROWS_WITH_AS(load_model(dir.path().string()), doctest::Contains("the model path is a directory"), IoError);
    CHECK_THROWS_WITH_AS(load_model("/dev/null"), doctest::Contains("the model path is not a regular file"), IoError);
    const std::string big = (dir / "big.grc").string();
    write_text(big, "GRUCAST");
    std::filesystem::resize_file(big, (std::uint64_t{4} << 30) + 1);  // sparse: nothing is written
    CHECK_THROWS_WITH_AS(load_model(big),
                         doctest::Contains("the file is 4294967297 bytes, more than any grucast model (4 GiB)"),
                         ModelError);
  }

  TEST_CASE("inspect prints the report, --json the header, and a damaged file fails with status 1") {
    TempDir dir;
    const std::string path = (dir / "m.grc").string();
    TrainedModel model = small_model(Precision::f32);
    for (int i = 0; i < 23; ++i) {
      model.scalers.push_back({fmt::format("extra{}", i), Scaler{ScalerKind::minmax, {0.0, 0.0}, {1.0, 1.0}}});
    }
    save_model(model, path);
    std::string out, err;
    REQUIRE(run_cli({"inspect", path}, dir, out, err) == 0);
    CHECK(err.empty());
    CHECK(out.find("grucast model (format 1), 160 parameters") != std::string::npos);
    CHECK(out.find("  hidden units (H)      3\n") != std::string::npos);
    CHECK(out.find("  split                 60% train, 15% validation, 25% test\n") != std::string::npos);
    CHECK(out.find("  time column           date (format %Y-%m-%d)\n") != std::string::npos);
    CHECK(out.find("  frequency             quarterly (month end)\n") != std::string::npos);
    CHECK(out.find("  gru.weight_hh_l1      9 x 3                     27\n") != std::string::npos);
    CHECK(out.find("  total                                          160\n") != std::string::npos);
    CHECK(out.find("extra17") != std::string::npos);
    CHECK(out.find("extra18") == std::string::npos);  // 20 series shown
    CHECK(out.find("  ... and 5 more series (--json lists them all)\n") != std::string::npos);
    CHECK(out.find("  best validation loss  0.125\n") != std::string::npos);
    CHECK(out.find("  gru             1.1000      1.3000       n/a   12.5000    0.9000          48\n") !=
          std::string::npos);
    REQUIRE(run_cli({"inspect", path, "--json"}, dir, out, err) == 0);
    CHECK(Json::parse(out) == model_header(model));
    CHECK(out.rfind("{\n  \"format\": \"grucast-model\",\n", 0) == 0);
    write_text(dir / "m.grc", model_bytes(model) + "x");
    CHECK(run_cli({"inspect", path}, dir, out, err) == 1);
    CHECK(out.empty());
    CHECK(err.find("grucast: error: the file has 1 trailing byte: ") == 0);
    CHECK(run_cli({"inspect"}, dir, out, err) == 2);
  }
}
