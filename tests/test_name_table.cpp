// One name table per enum (util/name_table.hpp): every name reads back as the value it names.
#include <doctest/doctest.h>

#include <array>
#include <initializer_list>
#include <stdexcept>
#include <vector>

#include "grucast/data/frame.hpp"
#include "grucast/data/preprocessing.hpp"
#include "grucast/data/scaler.hpp"
#include "grucast/forecast/baselines.hpp"
#include "grucast/forecast/model_config.hpp"
#include "grucast/nn/network_config.hpp"
#include "grucast/workflow/backtest.hpp"
#include "util/name_table.hpp"

using namespace grucast;

namespace {

enum class Fruit { apple, pear, plum };
constexpr auto kFruitNames = std::to_array<Named<Fruit>>({{Fruit::apple, "apple"}, {Fruit::pear, "pear"}});

// Each of `values` is parsed back from its name.
template <class Enum, class Parse, class Name>
void check_names_read_back(std::initializer_list<Enum> values, Parse parse, Name name) {
  for (const Enum value : values) {
    CAPTURE(name(value));
    CHECK(parse(name(value)) == value);
  }
}

}  // namespace

TEST_SUITE("name tables") {
  TEST_CASE("a name table names its values, finds them by name and lists the names") {
    CHECK(name_of(kFruitNames, Fruit::pear) == "pear");
    CHECK(value_of(kFruitNames, "apple") == Fruit::apple);
    CHECK_FALSE(value_of(kFruitNames, "Apple").has_value());
    CHECK_FALSE(value_of(kFruitNames, "plum").has_value());
    CHECK(names_text(kFruitNames) == "apple or pear");
    CHECK(names_text(std::to_array<Named<Fruit>>({{Fruit::plum, "plum"}})) == "plum");
    const auto three = std::to_array<Named<Fruit>>({{Fruit::apple, "apple"}, {Fruit::pear, "pear"}, {Fruit::plum, "plum"}});
    CHECK(names_text(three) == "apple, pear or plum");
    CHECK(names_text(three, " and ") == "apple, pear and plum");
    CHECK(names_text(three, ", ") == "apple, pear, plum");
    CHECK_THROWS_AS(name_of(kFruitNames, Fruit::plum), std::logic_error);
  }

  TEST_CASE("every enum's names read back") {
    check_names_read_back({CellKind::gru, CellKind::lstm}, parse_cell, cell_name);
    check_names_read_back({AttentionKind::none, AttentionKind::additive, AttentionKind::dot}, parse_attention,
                          attention_name);
    check_names_read_back({LossKind::mse, LossKind::mae, LossKind::huber, LossKind::quantile}, parse_loss, loss_name);
    check_names_read_back({OptimizerKind::adam, OptimizerKind::adamw, OptimizerKind::sgd}, parse_optimizer,
                          optimizer_name);
    check_names_read_back({ScheduleKind::constant, ScheduleKind::cosine, ScheduleKind::plateau}, parse_schedule,
                          schedule_name);
    check_names_read_back({StopReason::epochs, StopReason::early, StopReason::interrupted, StopReason::diverged,
                           StopReason::time},
                          parse_stop_reason, stop_reason_name);
    check_names_read_back({TransformKind::none, TransformKind::log, TransformKind::diff, TransformKind::sdiff,
                           TransformKind::log_diff, TransformKind::log_sdiff},
                          parse_transform, transform_name);
    check_names_read_back({NormalizeKind::none, NormalizeKind::window}, parse_normalize, normalize_name);
    check_names_read_back({ScalerKind::zscore, ScalerKind::minmax, ScalerKind::none}, parse_scaler, scaler_name);
    check_names_read_back({Precision::f32, Precision::f64}, parse_precision, precision_name);
    check_names_read_back({Refit::every, Refit::once}, parse_refit, refit_name);
    check_names_read_back({BaselineMethod::naive, BaselineMethod::snaive, BaselineMethod::drift, BaselineMethod::mean},
                          parse_baseline, [](BaselineMethod method) { return Baseline(method, 1).name(); });
    for (const CalendarItem item : {CalendarItem::hour, CalendarItem::dow, CalendarItem::month, CalendarItem::doy}) {
      CHECK(parse_calendar(calendar_item_name(item)) == std::vector<CalendarItem>{item});
    }
    CHECK(parse_missing_policy("interpolate") == MissingPolicy::interpolate);
  }

  TEST_CASE("parsers that trim and lower-case still do, and the others still do not") {
    CHECK(parse_loss(" MAE ") == LossKind::mae);
    CHECK(parse_optimizer("AdamW") == OptimizerKind::adamw);
    CHECK(parse_schedule("Cosine") == ScheduleKind::cosine);
    CHECK(parse_transform(" LOG") == TransformKind::log);
    CHECK(parse_normalize("Window ") == NormalizeKind::window);
    CHECK(parse_precision("F64") == Precision::f64);
    CHECK(parse_calendar(" Hour,DOW") == std::vector<CalendarItem>{CalendarItem::hour, CalendarItem::dow});
    CHECK_THROWS(parse_cell("GRU"));
    CHECK_THROWS(parse_attention(" dot"));
    CHECK_THROWS(parse_scaler("ZSCORE"));
    CHECK_THROWS(parse_missing_policy("Drop"));
    CHECK_THROWS(parse_baseline("Naive"));
    CHECK_THROWS(parse_refit("Once"));
    CHECK_THROWS_AS(parse_stop_reason("Early"), std::invalid_argument);
  }
}
