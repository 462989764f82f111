// Models with calendar features: the inputs they train on, their model file (and files without the
// key), the recursive roll-out that encodes the future rows' own timestamps, and gradients.
#include <doctest/doctest.h>

#include <cmath>
#include <cstring>
#include <functional>
#include <numbers>

#include "grucast/io/model_file.hpp"
#include "grucast/util/error.hpp"
#include "grucast/workflow/fit.hpp"
#include "data/calendar_features.hpp"
#include "data/prepare.hpp"
#include "data/window.hpp"
#include "nn/loss.hpp"
#include "nn/network.hpp"
#include "support/gradient_check.hpp"
#include "util/hash.hpp"
#include "workflow/prepared_data.hpp"

using namespace grucast;
using Json = nlohmann::ordered_json;

namespace {

constexpr TimePoint kJan1st2024 = 1704067200;

// An hourly series written in UTC offset `offset`, with a daily cycle in its local time.
Frame hourly_frame(std::size_t n, int offset) {
  Frame frame;
  frame.source = "synthetic";
  frame.columns = {"y"};
  frame.time_column = "time";
  frame.frequency = Frequency{FrequencyUnit::seconds, 3600};
  Series s;
  s.values.set_size(1, n);
  for (std::size_t i = 0; i < n; ++i) {
    const TimePoint t = kJan1st2024 + 3600 * static_cast<TimePoint>(i);
    const double hour = static_cast<double>(((t + offset) / 3600) % 24);
    s.values(0, i) = 10.0 + 3.0 * std::sin(2.0 * std::numbers::pi * hour / 24.0) + 0.5 * std::sin(0.37 * i);
    s.time.push_back(t);
    s.offsets.push_back(offset);
    s.lines.push_back(i + 2);
  }
  frame.series.push_back(std::move(s));
  return frame;
}

ModelConfig calendar_config(std::vector<CalendarItem> calendar, std::size_t lookback, std::size_t horizon) {
  ModelConfig config;
  config.lookback = lookback;
  config.season = config.prep.season = 24;
  config.prep.calendar = std::move(calendar);
  config.shape = {config.prep.inputs(0), 6, 1, horizon, 0.0};
  config.train.epochs = 2;
  config.train.threads = 1;
  return config;
}

DataConfig hourly_data() {
  DataConfig data;
  data.target = "y";
  data.time_column = "time";
  data.frequency = Frequency{FrequencyUnit::seconds, 3600};
  return data;
}

// The file with its header edited, its length and checksum set to match.
std::string with_header(const std::string& bytes, const std::function<void(std::string&)>& edit) {
  std::uint64_t n = 0;
  std::memcpy(&n, bytes.data() + 12, 8);
  std::string header = bytes.substr(20, n);
  edit(header);
  std::string out = bytes.substr(0, 12) + std::string(8, '\0') + header + bytes.substr(20 + n);
  n = header.size();
  std::memcpy(out.data() + 12, &n, 8);
  const std::uint64_t checksum = fnv1a64(std::string_view(out).substr(0, out.size() - 8));
  std::memcpy(out.data() + out.size() - 8, &checksum, 8);
  return out;
}

std::string with_json_header(const std::string& bytes, const std::function<void(Json&)>& edit) {
  return with_header(bytes, [&](std::string& text) {
    Json header = Json::parse(text);
    edit(header);
    text = header.dump();
  });
}

std::string load_error(const std::string& bytes) {
  try {
    parse_model(bytes, "m.grc");
  } catch (const ModelError& e) {
    return e.what();
  }
  return "(no error)";
}

TrainedModel untrained_calendar_model() {
  TrainedModel m;
  m.config = calendar_config({CalendarItem::doy, CalendarItem::hour}, 8, 3);
  m.data = hourly_data();
  m.scalers.push_back({"", Scaler{ScalerKind::zscore, {1.5}, {2.0}}});
  init_params(network_layout(m.config.shape), m.params_of<float>(), 3);
  return m;
}

const std::string kEdited = ", m.grc, the header is not what grucast train writes (was it edited?): re-train the model";

}  // namespace

TEST_SUITE("calendar model") {
  TEST_CASE("the prepared series carry the calendar rows of their own timestamps below the scaled values") {
    const Frame frame = hourly_frame(300, 5 * 3600 + 1800);
    const ModelConfig config = calendar_config({CalendarItem::hour, CalendarItem::dow}, 24, 6);
    CHECK(config.shape.inputs == 1 + 4 + 1);  // the target, two items, the window center
    const PreparedData data = prepare_data(frame, config);
    REQUIRE(data.set.prepared.size() == 1);
    const arma::mat& prepared = data.set.prepared[0];
    REQUIRE(prepared.n_rows == 5);
    CHECK(arma::approx_equal(prepared.rows(1, 4), calendar_rows(config.prep.calendar, frame.series[0], 0, 300),
                             "absdiff", 0.0));
    // 2024-01-01T00:00Z is 05:30 at +05:30: sin(2π · 5.5/24)
    CHECK(prepared(1, 0) == doctest::Approx(std::sin(2.0 * std::numbers::pi * 5.5 / 24.0)));
  }

  TEST_CASE("a calendar model round-trips through its file, a file without the key has no calendar") {
    const TrainedModel m = untrained_calendar_model();
    const std::string bytes = model_bytes(m);
    CHECK(bytes.find("\"normalize\":\"window\",\"calendar\":[\"doy\",\"hour\"],") != std::string::npos);
    const TrainedModel loaded = parse_model(bytes, "m.grc");
    CHECK(loaded.config.prep.calendar == m.config.prep.calendar);
    CHECK(loaded.config.shape.inputs == 6);
    CHECK(arma::approx_equal(loaded.params_of<float>(), m.params_of<float>(), "absdiff", 0.0f));
    CHECK(model_bytes(loaded) == bytes);

    // Files written before calendar features: the same bytes without "calendar":[].
    TrainedModel plain = m;
    plain.config.prep.calendar.clear();
    plain.config.shape.inputs = plain.config.prep.inputs(0);
    init_params(network_layout(plain.config.shape), plain.params_of<float>(), 3);
    const std::string old = with_header(model_bytes(plain), [](std::string& header) {
      const std::string key = "\"calendar\":[],";
      const std::size_t at = header.find(key);
      REQUIRE(at != std::string::npos);
      header.erase(at, key.size());
    });
    REQUIRE(old.find("calendar") == std::string::npos);
    const TrainedModel read_old = parse_model(old, "old.grc");
    CHECK(read_old.config.prep.calendar.empty());
    CHECK(read_old.config.shape.inputs == 2);
  }

  TEST_CASE("a calendar that the header does not allow is named by its field") {
    const std::string bytes = model_bytes(untrained_calendar_model());
    CHECK(load_error(with_json_header(bytes, [](Json& h) { h["config"]["calendar"][1] = "week"; })) ==
          "model header field config.calendar[1] is 'week', not one of hour, dow, month, doy" + kEdited);
    CHECK(load_error(with_json_header(bytes, [](Json& h) { h["config"]["calendar"][1] = "doy"; })) ==
          "model header field config.calendar[1] repeats 'doy'" + kEdited);
    CHECK(load_error(with_json_header(bytes, [](Json& h) { h["config"]["calendar"] = "hour"; })) ==
          "model header field config.calendar is a string, not an array" + kEdited);
    CHECK(load_error(with_json_header(bytes, [](Json& h) { h["config"]["calendar"].erase(1); })) ==
          "model header field data.features has 0 names, but config.inputs is 6 (the target, 0 features, 2 calendar "
          "inputs and the window center)" + kEdited);
    CHECK(load_error(with_json_header(bytes, [](Json& h) { h["data"]["time_column"] = ""; })) ==
          "model header field data.time_column is \"\", but config.calendar needs timestamps (a time column and its "
          "frequency)" + kEdited);
  }

  TEST_CASE("past its K outputs, a calendar model rolls out with the features of the future timestamps") {
    const int offset = 2 * 3600;
    const Frame frame = hourly_frame(400, offset);
    const TrainedModel model =
        fit_model(frame, calendar_config({CalendarItem::hour, CalendarItem::doy}, 24, 6), hourly_data(), nullptr);
    NetworkForecaster forecaster(model, frame.source);
    forecaster.set_threads(1);
    const Series& s = frame.series[0];
    const std::size_t N = s.size(), K = 6;
    arma::mat rolled;
    forecaster.forecast(s, std::span<const std::size_t>(&N, 1), 3 * K, rolled);
    REQUIRE(rolled.n_rows == 3 * K);
    REQUIRE(rolled.is_finite());

    // The second pass by hand: the series extended by the first pass's K forecasts at the next K hours.
    Series extended = s;
    extended.values = arma::join_rows(s.values, rolled.col(0).head(K).t());
    for (std::size_t h = 1; h <= K; ++h) {
      extended.time.push_back(s.time.back() + 3600 * static_cast<TimePoint>(h));
      extended.offsets.push_back(offset);
    }
    const std::size_t end = N + K;
    arma::mat second;
    forecaster.forecast(extended, std::span<const std::size_t>(&end, 1), K, second);
    CHECK(arma::approx_equal(rolled.col(0).subvec(K, 2 * K - 1), second.col(0), "absdiff", 1e-9));

    // Other timestamps for the future rows give another forecast: the test sees the features.
    Series shifted = extended;
    for (std::size_t i = N; i < end; ++i) shifted.time[i] += 5 * 3600;
    arma::mat other;
    forecaster.forecast(shifted, std::span<const std::size_t>(&end, 1), K, other);
    CHECK_FALSE(arma::approx_equal(other.col(0), second.col(0), "absdiff", 1e-6));
  }

  TEST_CASE("a model with features still cannot roll out, calendar or not") {
    Frame frame = hourly_frame(300, 0);
    frame.columns.push_back("x");
    Series& s = frame.series[0];
    s.values = arma::join_cols(s.values, arma::linspace<arma::rowvec>(0.0, 1.0, s.size()));
    ModelConfig config = calendar_config({CalendarItem::hour}, 24, 4);
    config.shape.inputs = config.prep.inputs(1);
    DataConfig data = hourly_data();
    data.features = {"x"};
    const TrainedModel model = fit_model(frame, config, data, nullptr);
    const NetworkForecaster forecaster(model, frame.source);
    const std::size_t N = s.size();
    arma::mat out;
    CHECK_THROWS_WITH_AS(forecaster.forecast(s, std::span<const std::size_t>(&N, 1), 5, out),
                         doctest::Contains("a model with --features cannot roll out recursively"), UsageError);
  }

  TEST_CASE("gradients through windows with calendar inputs equal central differences") {
    const Frame frame = hourly_frame(200, -3 * 3600);
    const ModelConfig config = calendar_config(
        {CalendarItem::hour, CalendarItem::dow, CalendarItem::month, CalendarItem::doy}, 5, 3);
    const PreparedData data = prepare_data(frame, config);
    arma::Cube<double> raw, x;
    arma::Mat<double> y;
    const std::vector<std::size_t> batch = {0, 7, 30};
    gather_batch(data.set.prepared, data.set.train, batch, raw, y);
    std::vector<double> centers;
    normalize_windows<double>(raw, x, &y, centers);
    REQUIRE(x.n_rows == config.shape.inputs);
    const Network<double> model(config.shape);
    arma::vec params;
    init_params(model.layout(), params, 21);
    arma::mat flat(x.memptr(), x.n_rows, x.n_cols * x.n_slices, false, true);
    NetworkCache<double> cache;
    const double scale = 1.0 / static_cast<double>(y.n_elem);
    const auto loss = [&] {
      return scale * loss_sum<double>(LossKind::mse, model.forward(params, flat, batch.size(), cache), y, nullptr, 0);
    };
    loss();
    arma::mat dprediction, dx;
    loss_sum(LossKind::mse, cache.prediction, y, &dprediction, scale);
    arma::vec grad(params.n_elem, arma::fill::zeros);
    model.backward(params, flat, cache, dprediction, grad, &dx);
    const auto by_params = test::check_gradient(params, grad, loss, test::slice_names(model.layout()));
    CHECK_MESSAGE(by_params.worst < 1e-6, by_params.describe());
    arma::vec x_flat(flat.memptr(), flat.n_elem, false, true);
    const auto by_input = test::check_gradient(x_flat, arma::vectorise(dx), loss, test::named("x"));
    CHECK_MESSAGE(by_input.worst < 1e-6, by_input.describe());
  }
}
