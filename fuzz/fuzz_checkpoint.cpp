// The checkpoint loader: parse_checkpoint on untrusted bytes (a checkpoint is read back by
// --resume, perhaps from a damaged disk or another machine). A checkpoint it accepts must save
// again and read back the same. Input: [mode] then
//   mode 0: the file's bytes as they are (magic, checksum, version, sizes),
//   mode 1: the file's bytes with the checksum recomputed, so mutations reach the sizes, the
//           embedded model file, the state JSON and the window order.
#include <cstddef>
#include <cstdint>
#include <string>

#include "fuzz_support.hpp"
#include "io/checkpoint.hpp"

namespace {

void load(grucast::fuzz::Input input) {
  const bool fix_checksum = (input.byte() & 1u) != 0;
  const std::string bytes = fix_checksum ? grucast::fuzz::with_checksum(std::string(input.rest()))
                                         : std::string(input.rest());
  const grucast::Checkpoint checkpoint = grucast::parse_checkpoint(bytes, "fuzz.ckpt");
  grucast::fuzz::must_succeed("saving a checkpoint that loaded", [&] {
    const std::string saved = grucast::checkpoint_bytes(checkpoint);
    if (grucast::checkpoint_bytes(grucast::parse_checkpoint(saved, "fuzz.ckpt")) != saved) {
      throw grucast::ModelError("a saved checkpoint reads back differently", "fuzz.ckpt", "");
    }
  });
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  grucast::fuzz::expect_only_grucast_errors([&] { load(grucast::fuzz::Input(data, size)); });
  return 0;
}
