// The JSON import (grucast import): import_torch_json on untrusted text. A model it accepts
// must save as a model file (what import does next) and export and import again.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "grucast/io/model_file.hpp"
#include "grucast/io/torch_json.hpp"
#include "fuzz_support.hpp"

namespace {

void import(std::string_view text) {
  const grucast::TrainedModel model = grucast::import_torch_json(text, "fuzz.json");
  grucast::fuzz::must_succeed("saving an imported model", [&] {
    (void)grucast::parse_model(grucast::model_bytes(model), "fuzz.grc");
  });
  grucast::fuzz::must_succeed("importing an exported model", [&] {
    (void)grucast::import_torch_json(grucast::torch_json(model).dump(), "fuzz.json");
  });
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  grucast::fuzz::expect_only_grucast_errors([&] { import(text); });
  return 0;
}
