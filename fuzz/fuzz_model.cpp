// The model-file loader: parse_model on untrusted bytes; a model it accepts must save again and
// forecast. Input: [mode] then
//   mode 0: the file's bytes as they are (magic, version, sizes, checksum),
//   mode 1: the file's bytes with the checksum recomputed, so mutations reach the header,
//   mode 2, 3: header JSON, NUL, parameter bytes (f32 or f64): framed here with the right
//           lengths and checksum, so every mutation of the header is read as JSON.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string>

#include "grucast/forecast/evaluate.hpp"
#include "grucast/io/model_file.hpp"
#include "fuzz_support.hpp"
#include "util/hash.hpp"

namespace {

// docs/model-format.md: magic, version, header length, header, element size, count, values, checksum.
std::string framed(std::string_view rest, std::uint64_t element) {
  const std::size_t nul = std::min(rest.find('\0'), rest.size());
  const std::string_view header = rest.substr(0, nul);
  const std::string_view values = rest.substr(std::min(nul + 1, rest.size()));
  const std::uint64_t count = values.size() / element;
  std::string out("GRUCAST\x1a", 8);
  grucast::put_le(out, grucast::kModelFormatVersion, 4);
  grucast::put_le(out, header.size(), 8);
  out += header;
  grucast::put_le(out, element, 4);
  grucast::put_le(out, count, 8);
  out += values.substr(0, count * element);
  grucast::put_le(out, grucast::fnv1a64(out), 8);
  return out;
}

// One series per scaler, the model's columns, a smooth positive signal and the model's frequency.
grucast::Frame frame_for(const grucast::TrainedModel& model, std::size_t rows) {
  grucast::Frame frame;
  frame.source = "fuzz.csv";
  frame.columns.push_back(model.data.target);
  frame.columns.insert(frame.columns.end(), model.data.features.begin(), model.data.features.end());
  frame.id_column = model.data.id_column;
  frame.frequency = model.data.frequency;
  const grucast::TimePoint start = frame.frequency.unit == grucast::FrequencyUnit::index ? 0 : 946684800;
  for (const grucast::SeriesScaler& scaler : model.scalers) {
    grucast::Series series;
    series.id = scaler.id;
    series.values.set_size(frame.columns.size(), rows);
    for (std::size_t i = 0; i < rows; ++i) {
      series.values.col(i).fill(10.0 + std::sin(0.3 * static_cast<double>(i)) + 0.01 * static_cast<double>(i));
      series.time.push_back(grucast::advance(start, frame.frequency, static_cast<std::int64_t>(i)));
      series.lines.push_back(i + 2);
    }
    frame.series.push_back(std::move(series));
  }
  return frame;
}

// What forecast does with the model: a direct forecast, and a recursive roll-out past K when
// the model has no features. Small models only, so that each input stays fast.
void forecast_with(const grucast::TrainedModel& model) {
  grucast::NetworkForecaster forecaster(model, "fuzz.csv");
  forecaster.set_threads(1);
  const std::size_t history = forecaster.min_history();
  if (history > 256 || model.scalers.size() > 4 || model.parameter_count() > 20000) return;
  const grucast::Frame frame = frame_for(model, history + 4);
  const std::size_t K = model.config.shape.outputs;
  const std::size_t horizon = model.data.features.empty() ? K + 1 : K;
  (void)grucast::forecast_future(frame, forecaster, horizon);
}

void load(grucast::fuzz::Input input) {
  const std::uint8_t mode = input.byte() & 3u;
  const std::string bytes = mode == 0   ? std::string(input.rest())
                            : mode == 1 ? grucast::fuzz::with_checksum(std::string(input.rest()))
                                        : framed(input.rest(), mode == 2 ? 4 : 8);
  const grucast::TrainedModel model = grucast::parse_model(bytes, "fuzz.grc");
  grucast::fuzz::must_succeed("saving a model that loaded", [&] {
    (void)grucast::parse_model(grucast::model_bytes(model), "fuzz.grc");
  });
  forecast_with(model);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  grucast::fuzz::expect_only_grucast_errors([&] { load(grucast::fuzz::Input(data, size)); });
  return 0;
}
