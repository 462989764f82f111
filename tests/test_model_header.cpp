// The model file's JSON header: each field checked and named by its path, the slice table
// against the configuration, and what save refuses (test_model_file.cpp has the framing).
#include <doctest/doctest.h>

#include <cstring>
#include <filesystem>
#include <limits>

#include "grucast/io/model_file.hpp"
#include "grucast/util/error.hpp"
#include "grucast/workflow/fit.hpp"
#include "support/files.hpp"
#include "support/model_files.hpp"

using namespace grucast;
using namespace grucast::test;

TEST_SUITE("model_file") {
  TEST_CASE("header fields are checked one by one, each named by its path") {
    const std::string bytes = model_bytes(small_model(Precision::f32));
    CHECK(message_of(with_header(bytes, [](Json&) {})) == "(no error)");  // the editing itself is sound
    CHECK(message_of(with_header(bytes, [](Json& h) { h["config"].erase("hidden"); })) ==
          "model header field config.hidden is missing" + kEdited);
    CHECK(message_of(with_header(bytes, [](Json& h) { h["config"]["hidden"] = "3"; })) ==
          "model header field config.hidden is a string, not a whole number" + kEdited);
    CHECK(message_of(with_header(bytes, [](Json& h) { h["config"]["hidden"] = 0; })) ==
          "model header field config.hidden is 0, not in [1, 4096]" + kEdited);
    CHECK(message_of(with_header(bytes, [](Json& h) { h["config"]["layers"] = -1; })) ==
          "model header field config.layers is -1, not in [1, 64]" + kEdited);
    CHECK(message_of(with_header(bytes, [](Json& h) { h["config"]["lookback"] = 2.5; })) ==
          "model header field config.lookback is 2.5, not a whole number" + kEdited);
    CHECK(message_of(with_header(bytes, [](Json& h) { h["config"]["dropout"] = 1.0; })) ==
          "model header field config.dropout is 1.0, not in [0, 1)" + kEdited);
    CHECK(message_of(with_header(bytes, [](Json& h) { h["config"]["layers"] = 1; })) ==
          "model header field config.dropout is 0.25, but dropout acts between stacked layers and config.layers is 1" +
              kEdited);
    CHECK(message_of(with_header(bytes, [](Json& h) { h["config"]["epochs"] = 0; })) ==
          "model header field config.epochs is 0, not in [1, 1000000]" + kEdited);
    CHECK(message_of(with_header(bytes, [](Json& h) { h["config"]["lr"] = 100; })) ==
          "model header field config.lr is 100, not in (0, 10]" + kEdited);
    CHECK(message_of(with_header(bytes, [](Json& h) { h["config"]["loss"] = "l2"; })) ==
          "model header field config.loss is 'l2', not one of mse, mae, huber, quantile" + kEdited);
    CHECK(message_of(with_header(bytes, [](Json& h) { h["config"]["split"] = nullptr; })) ==
          "model header field config.split is null, not an object" + kEdited);
    CHECK(message_of(with_header(bytes, [](Json& h) { h["data"]["frequency"]["unit"] = "weeks"; })) ==
          "model header field data.frequency.unit is 'weeks', not one of index, seconds, business_days, months" +
              kEdited);
    CHECK(message_of(with_header(bytes, [](Json& h) { h["data"]["features"].push_back("rain"); })) ==
          "model header field data.features has 2 names, but config.inputs is 3 (the target, 2 features and the window center)" +
              kEdited);
    CHECK(message_of(with_header(bytes, [](Json& h) { h["scalers"][1]["scale"][1] = 0; })) ==
          "model header field scalers[1].scale[1] is 0, but a scale must be positive" + kEdited);
    CHECK(message_of(with_header(bytes, [](Json& h) { h["scalers"][0]["shift"].erase(1); })) ==
          "model header field scalers[0].shift has 1 values, but the data has 2 columns (the target and the features)" + kEdited);
    CHECK(message_of(with_header(bytes, [](Json& h) { h["scalers"][1]["id"] = "north"; })) ==
          "model header field scalers[1].id repeats the series id 'north'" + kEdited);
    CHECK(message_of(with_header(bytes, [](Json& h) { h["training"]["train_losses"].push_back(1.0); })) ==
          "model header field training.train_losses has 4 entries, but training.epochs_run is 3" + kEdited);
    CHECK(message_of(with_header(bytes, [](Json& h) { h["test"]["methods"][0]["mae"] = "1.1"; })) ==
          "model header field test.methods[0].mae is a string, not a number or null" + kEdited);
    CHECK(message_of(with_header(bytes, [](Json& h) { h.erase("format"); })) ==
          "model header field format is missing" + kEdited);
    CHECK(message_of(with_header_text(bytes, "[1, 2]")) == "the model header is an array, not an object" + kEdited);
    CHECK(message_of(with_header_text(bytes, "{\"format\": grucast}")).find(
              "the model header is not valid JSON (at byte 12 of the header, file offset 31: syntax error while "
              "parsing value - invalid literal; last read: '\"format\": g')") == 0);
    CHECK(message_of(with_header_text(bytes, "{\"format\": 1e400}")) ==
          "the model header is not valid JSON (number overflow parsing '1e400')" + kEdited);
    CHECK(message_of(with_header_text(bytes, "{\"format\": \"gru\xe9\"}"))  // the raw byte is shown escaped
              .find("ill-formed UTF-8 byte; last read: '\"gru\\xe9\"'") != std::string::npos);
  }

  TEST_CASE("the slice table, parameter count and precision must agree with the configuration") {
    const std::string bytes = model_bytes(small_model(Precision::f32));
    CHECK(message_of(with_header(bytes, [](Json& h) { h["slices"][1]["rows"] = 10; })) ==
          "model header field slices[1] is 'gru.weight_hh_l0' (10 x 3 at 27), but the configuration implies "
          "'gru.weight_hh_l0' (9 x 3 at 27)" +
              kEdited);
    CHECK(message_of(with_header(bytes, [](Json& h) { h["config"]["hidden"] = 4; })) ==
          "model header field slices[0] is 'gru.weight_ih_l0' (9 x 3 at 0), but the configuration implies "
          "'gru.weight_ih_l0' (12 x 3 at 0)" +
              kEdited);
    CHECK(message_of(with_header(bytes, [](Json& h) { h["slices"].erase(9); })) ==
          "model header field slices has 9 slices, but the configuration implies 10" + kEdited);
    CHECK(message_of(with_header(bytes, [](Json& h) { h["parameters"]["count"] = 150; })) ==
          "the file holds 160 parameters (header: 150), but the configuration implies 160" + kEdited);
    CHECK(message_of(with_header(bytes, [](Json& h) { h["parameters"]["precision"] = "f64"; })) ==
          "model header field parameters.precision is 'f64', but config.precision is 'f32'" + kEdited);
    CHECK(message_of(with_header(bytes, [](Json& h) {
            h["parameters"]["precision"] = "f64";
            h["config"]["precision"] = "f64";
          })) == "the parameters are 4-byte numbers, but the precision is f64" + kEdited);
  }

  TEST_CASE("a parameter that is not finite is refused on load and on save") {
    const TrainedModel model = small_model(Precision::f32);
    std::string bytes = model_bytes(model);
    const std::size_t values = 32 + header_length(bytes);
    const float nan = std::numeric_limits<float>::quiet_NaN();
    std::memcpy(bytes.data() + values + 4 * 29, &nan, 4);  // gru.weight_ih_l0 is 9 x 3: 29 is in weight_hh_l0
    CHECK(message_of(rechecksummed(bytes)) ==
          "the parameters are not finite (gru.weight_hh_l0[2, 0] is nan), m.grc, grucast never writes non-finite "
          "weights (was the file edited?): re-train the model");
    TempDir dir;
    write_text(dir / "m.grc", "old");
    TrainedModel bad = model;
    bad.params_of<float>()[159] = std::numeric_limits<float>::infinity();
    CHECK_THROWS_WITH_AS(save_model(bad, (dir / "m.grc").string()),
                         ("the parameters are not finite (head.bias[3, 0] is inf), " + (dir / "m.grc").string() +
                          ", training diverged: train again with a lower --lr")
                             .c_str(),
                         ModelError);
    CHECK(read_text(dir / "m.grc") == "old");
    CHECK_THROWS_WITH_AS(model_bytes(bad), doctest::Contains("is inf), the model being saved"), ModelError);
  }

  TEST_CASE("fit's validate_config and the reader refuse the same settings, by one range each") {
    TrainedModel model = small_model(Precision::f32);
    for (const RangedValue& v : ranged_values(model.config)) CHECK(v.range->contains(v.value));
    model.config.train.batch_size = 1'000'001;
    CHECK_THROWS_WITH_AS(validate_config(model.config),
                         "batch-size 1000001 is out of range, --batch-size, use a whole number from 1 to 1000000",
                         UsageError);
    CHECK_THROWS_WITH_AS(model_bytes(model), doctest::Contains("config.batch_size is 1000001, not in [1, 1000000]"),
                         ModelError);
    model.config.train.batch_size = 1'000'000;
    model.config.train.optimizer.beta2 = 1.0;
    CHECK_THROWS_WITH_AS(validate_config(model.config),
                         "beta2 1 is out of range, use a value from 0 up to, not including, 1", UsageError);
    CHECK_THROWS_WITH_AS(model_bytes(model), doctest::Contains("config.beta2 is 1.0, not in [0, 1)"), ModelError);
  }

  TEST_CASE("config.nonnegative and the training data's profile are optional, and checked when present") {
    for (const Precision precision : {Precision::f32, Precision::f64}) {
      const TrainedModel model = profiled_model(precision);
      const TrainedModel loaded = parse_model(model_bytes(model), "m.grc");
      check_same(model, loaded);
      CHECK(loaded.calibration.nonnegative);
    }
    const std::string bytes = model_bytes(profiled_model(Precision::f32));
    const Json header = Json::parse(bytes.substr(20, header_length(bytes)));
    CHECK(header["config"]["nonnegative"] == true);
    CHECK(header["profile"]["per_series"][1] ==
          Json{{"id", "süd, \"2\""}, {"rows", 80}, {"min", -0.0}, {"max", 1e300}, {"mean", nullptr}, {"sd", nullptr},
               {"last", 1'700'000'000}});
    // A file written before them: not non-negative, no profile (and so no data check).
    const TrainedModel old = parse_model(with_header(bytes, [](Json& h) {
                                           h["config"].erase("nonnegative");
                                           h.erase("profile");
                                         }),
                                         "m.grc");
    CHECK_FALSE(old.config.nonnegative);
    CHECK_FALSE(old.calibration.nonnegative);
    CHECK(old.profile.empty());
    const Json plain = model_header(small_model(Precision::f32));  // written only when there is something to say
    CHECK_FALSE(plain["config"].contains("nonnegative"));
    CHECK_FALSE(plain.contains("profile"));

    CHECK(message_of(with_header(bytes, [](Json& h) { h["config"]["nonnegative"] = "yes"; })) ==
          "model header field config.nonnegative is a string, not true or false" + kEdited);
    CHECK(message_of(with_header(bytes, [](Json& h) { h["profile"]["series"] = 0; })) ==
          "model header field profile.series is 0, not >= 1" + kEdited);
    CHECK(message_of(with_header(bytes, [](Json& h) { h["profile"]["series"] = 1; })) ==
          "model header field profile.per_series has 2 entries, but at most 1 (of 1 series) are kept" + kEdited);
    CHECK(message_of(with_header(bytes, [](Json& h) { h["profile"]["per_series"][1]["id"] = "north"; })) ==
          "model header field profile.per_series[1].id repeats the series id 'north'" + kEdited);
    CHECK(message_of(with_header(bytes, [](Json& h) { h["profile"]["all"]["min"] = 2e300; })) ==
          "model header field profile.all.min is 2e+300, above max (1e+300)" + kEdited);
    CHECK(message_of(with_header(bytes, [](Json& h) { h["profile"]["per_series"][0]["sd"] = -1; })) ==
          "model header field profile.per_series[0].sd is -1, but a standard deviation is not negative" + kEdited);
    CHECK(message_of(with_header(bytes, [](Json& h) { h["profile"]["all"].erase("last"); })) ==
          "model header field profile.all.last is missing" + kEdited);
  }

  TEST_CASE("the series --transform auto took logarithms of are marked in the scalers, and checked") {
    TrainedModel model = small_model(Precision::f32);
    model.config.prep.transform = TransformKind::sdiff;
    model.config.prep.logged = {"süd, \"2\""};
    const std::string bytes = model_bytes(model);
    const TrainedModel loaded = parse_model(bytes, "m.grc");
    check_same(model, loaded);
    CHECK(loaded.config.prep.transform_of("süd, \"2\"") == TransformKind::log_sdiff);
    CHECK(loaded.config.prep.transform_of("north") == TransformKind::sdiff);
    const Json header = Json::parse(bytes.substr(20, header_length(bytes)));
    CHECK(header["scalers"][1]["log"] == true);
    CHECK_FALSE(header["scalers"][0].contains("log"));  // written only where true: other models as before
    CHECK(parse_model(with_header(bytes, [](Json& h) { h["scalers"][1]["log"] = false; }), "m.grc")
              .config.prep.logged.empty());
    CHECK(message_of(with_header(bytes, [](Json& h) { h["scalers"][1]["log"] = 1; })) ==
          "model header field scalers[1].log is a number, not true or false" + kEdited);
    CHECK(message_of(with_header(bytes, [](Json& h) { h["config"]["transform"] = "log+sdiff"; })) ==
          "model header field scalers[1].log is true, but config.transform 'log+sdiff' takes logarithms of every "
          "series already" + kEdited);
  }

  TEST_CASE("the selection of each series' method is optional, and checked when present") {
    TrainedModel model = small_model(Precision::f32);
    model.selection.series = {{"north", "theta", 1.5, 2.0, 1.75, 1.5}, {"süd, \"2\"", "gru+ets", 0.5, 0.75, kNaN, 0.5}};
    const TrainedModel loaded = parse_model(model_bytes(model), "m.grc");
    REQUIRE(loaded.selection.series.size() == 2);
    CHECK(loaded.selection.policy == FallbackPolicy::automatic);
    CHECK(loaded.selection.series[0].method == "theta");
    CHECK(loaded.selection.series[1].id == "süd, \"2\"");
    CHECK(same(loaded.selection.series[1].naive_mae, kNaN));
    CHECK(same(loaded.selection.series[0].network_mae, 2.0));
    CHECK_FALSE(model_header(small_model(Precision::f32)).contains("selection"));
    const std::string bytes = model_bytes(model);
    CHECK(message_of(with_header(bytes, [](Json& h) { h["selection"]["series"][0]["method"] = "arima"; })) ==
          "model header field selection.series[0].method is 'arima', not one of gru, naive, snaive, drift, theta, "
          "comb, ets, gru+comb, gru+ets" + kEdited);
    CHECK(message_of(with_header(bytes, [](Json& h) { h["selection"]["series"][1]["id"] = "north"; })) ==
          "model header field selection.series[1].id is 'north', not one more series of the scalers" + kEdited);
    CHECK(message_of(with_header(bytes, [](Json& h) { h["selection"]["policy"] = "sometimes"; })).starts_with(
        "model header field selection.policy is 'sometimes'"));
  }

  TEST_CASE("save refuses what could not be read back") {
    TempDir dir;
    const std::string path = (dir / "m.grc").string();
    TrainedModel latin1 = small_model(Precision::f32);
    latin1.data.features[0] = "temp\xe9rature";
    CHECK_THROWS_WITH_AS(save_model(latin1, path),
                         doctest::Contains("the feature column 'temp\\xe9rature' is not valid UTF-8"), ModelError);
    TrainedModel wrong_size = small_model(Precision::f32);
    wrong_size.params_of<float>().resize(150);
    CHECK_THROWS_WITH_AS(model_bytes(wrong_size),
                         doctest::Contains("the model has 150 parameters, but its shape implies 160"), ModelError);
    TrainedModel bad_lr = small_model(Precision::f32);
    bad_lr.config.train.optimizer.lr = -1.0;
    CHECK_THROWS_WITH_AS(save_model(bad_lr, path),
                         ("model header field config.lr is -1.0, not in (0, 10], " + path +
                          ", grucast cannot read back the model it would write: please report this with the command "
                          "line")
                             .c_str(),
                         ModelError);
    CHECK_THROWS_WITH_AS(model_bytes(bad_lr),
                         doctest::Contains("config.lr is -1.0, not in (0, 10], the model being saved"), ModelError);
    CHECK_FALSE(std::filesystem::exists(path));
  }

}
