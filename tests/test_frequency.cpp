#include <doctest/doctest.h>

#include "grucast/data/time/time_index.hpp"
#include "grucast/util/error.hpp"
#include "support/time_helpers.hpp"

using namespace grucast;
using namespace grucast::test;

TEST_SUITE("frequency") {
  TEST_CASE("fixed steps in seconds are inferred") {
    CHECK_EQ(infer_required(every(at("2020-03-28T00:00:00"), 3600, 100)).name(), "hourly");
    CHECK_EQ(infer_required(every(at("2020-01-01"), day, 100)).name(), "daily");
    CHECK_EQ(infer_required(every(at("2020-01-05"), 7 * day, 30)).name(), "weekly");
    CHECK_EQ(infer_required(every(at("2020-01-01T00:00"), 900, 200)).name(), "15 minutes");
    const Frequency ten_seconds = infer_required(every(1577836800, 10, 50));
    CHECK_EQ(ten_seconds.unit, FrequencyUnit::seconds);
    CHECK_EQ(ten_seconds.step, 10);
    CHECK_EQ(ten_seconds.name(), "10 seconds");
  }

  TEST_CASE("weekly data on a weekday stays weekly, not every 5 business days") {
    const Frequency weekly = infer_required(every(at("2024-01-01"), 7 * day, 20));
    CHECK_EQ(weekly.unit, FrequencyUnit::seconds);
    CHECK_EQ(weekly.name(), "weekly");
  }

  TEST_CASE("the most common step wins, the smaller one on ties") {
    std::vector<TimePoint> times = every(0, 60, 10);
    times.push_back(times.back() + 120);
    times.push_back(times.back() + 120);
    CHECK_EQ(infer_required(times).step, 60);
    CHECK_EQ(infer_required({0, 60, 180, 240, 360}).step, 60);
  }

  TEST_CASE("weekdays with weekends skipped are business days, holidays and all") {
    const auto times = business_days(100, {"2024-01-15", "2024-02-19", "2024-03-29"});
    const Frequency frequency = infer_required(times);
    CHECK_EQ(frequency.unit, FrequencyUnit::business_days);
    CHECK_EQ(frequency.step, 1);
    CHECK_EQ(frequency.name(), "business days");
    const auto regularity = check_regularity(times, frequency);
    CHECK_EQ(regularity.gaps, 3);
    CHECK_EQ(regularity.missing_steps, 3);
    CHECK_EQ(regularity.irregular, 0);
  }

  TEST_CASE("weekdays that never cross a weekend are daily") {
    CHECK_EQ(infer_required(every(at("2024-01-01"), day, 5)).name(), "daily");
  }

  TEST_CASE("calendar months are inferred from the day of the month") {
    const Frequency monthly = infer_dates({"2019-11-01", "2019-12-01", "2020-01-01", "2020-02-01"});
    CHECK_EQ(monthly.unit, FrequencyUnit::months);
    CHECK_EQ(monthly.step, 1);
    CHECK_FALSE(monthly.month_end);
    CHECK_EQ(monthly.name(), "monthly");
    const Frequency ends =
        infer_dates({"2019-12-31", "2020-01-31", "2020-02-29", "2020-03-31", "2020-04-30"});
    CHECK_EQ(ends.step, 1);
    CHECK(ends.month_end);
    CHECK_EQ(ends.name(), "monthly (month end)");
    const Frequency quarterly = infer_dates({"2020-01-15", "2020-04-15", "2020-07-15"});
    CHECK_EQ(quarterly.name(), "quarterly");
    const Frequency quarter_ends = infer_dates({"2020-03-31", "2020-06-30", "2020-09-30"});
    CHECK_EQ(quarter_ends.name(), "quarterly (month end)");
    const Frequency yearly = infer_dates({"2018-01-01", "2019-01-01", "2020-01-01", "2021-01-01"});
    CHECK_EQ(yearly.unit, FrequencyUnit::months);
    CHECK_EQ(yearly.step, 12);
    CHECK_EQ(yearly.name(), "yearly");
    CHECK_EQ(infer_dates({"2020-01-01T06:00", "2020-02-01T06:00", "2020-03-01T06:00"}).name(),
             "monthly");
  }

  TEST_CASE("month ends all on the same day keep that day rather than the month end") {
    const Frequency december = infer_dates({"2018-12-31", "2019-12-31", "2020-12-31"});
    CHECK_EQ(december.name(), "yearly");
    CHECK_FALSE(december.month_end);
    const Frequency february = infer_dates({"2021-02-28", "2022-02-28", "2023-02-28"});
    CHECK_FALSE(february.month_end);
    CHECK_EQ(advance(at("2023-02-28"), february, 1), at("2024-02-28"));
  }

  TEST_CASE("a monthly day clamped to short months is still monthly") {
    const Frequency frequency = infer_dates({"2021-01-30", "2021-02-28", "2021-03-30"});
    CHECK_EQ(frequency.unit, FrequencyUnit::months);
    CHECK_FALSE(frequency.month_end);
  }

  TEST_CASE("month-like data with a changing time of day is not monthly") {
    const auto times = dates({"2020-01-01T00:00", "2020-02-01T01:00", "2020-03-01T00:00"});
    CHECK_EQ(infer_required(times).unit, FrequencyUnit::seconds);
  }

  TEST_CASE("all series are pooled, single rows teach nothing") {
    const auto first = every(0, 7200, 10);
    const auto second = every(50000, 3600, 3);
    const std::vector<TimePoint> single = {123};
    const auto frequency = grucast::infer_frequency({first, second, single});
    REQUIRE(frequency.has_value());
    CHECK_EQ(frequency->name(), "2 hours");
    const auto months = grucast::infer_frequency(
        {dates({"2020-01-01", "2020-02-01"}), dates({"2021-05-01", "2021-06-01", "2021-08-01"})});
    REQUIRE(months.has_value());
    CHECK_EQ(months->name(), "monthly");
  }

  TEST_CASE("no series with two timestamps gives no frequency") {
    const std::vector<TimePoint> single = {jan_1_2020};
    const std::vector<TimePoint> empty;
    CHECK_FALSE(infer(single).has_value());
    CHECK_FALSE(grucast::infer_frequency({single, empty}).has_value());
    CHECK_FALSE(grucast::infer_frequency({}).has_value());
  }

  TEST_CASE("frequencies are named the way people say them") {
    CHECK_EQ(seconds(604800).name(), "weekly");
    CHECK_EQ(seconds(2 * 604800).name(), "2 weeks");
    CHECK_EQ(seconds(86400).name(), "daily");
    CHECK_EQ(seconds(3 * 86400).name(), "3 days");
    CHECK_EQ(seconds(3600).name(), "hourly");
    CHECK_EQ(seconds(6 * 3600).name(), "6 hours");
    CHECK_EQ(seconds(60).name(), "every minute");
    CHECK_EQ(seconds(300).name(), "5 minutes");
    CHECK_EQ(seconds(1).name(), "every second");
    CHECK_EQ(seconds(90).name(), "90 seconds");
    CHECK_EQ(months(1).name(), "monthly");
    CHECK_EQ(months(3).name(), "quarterly");
    CHECK_EQ(months(12).name(), "yearly");
    CHECK_EQ(months(24).name(), "2 years");
    CHECK_EQ(months(6).name(), "6 months");
    CHECK_EQ(months(1, true).name(), "monthly (month end)");
    CHECK_EQ(months(6, true).name(), "6 months (month end)");
    CHECK_EQ(business(1).name(), "business days");
    CHECK_EQ(business(5).name(), "every 5 business days");
    CHECK_EQ(Frequency{}.name(), "row index");
  }

  TEST_CASE("default seasons follow the calendar") {
    CHECK_EQ(seconds(3600).default_season(), 24);
    CHECK_EQ(seconds(86400).default_season(), 7);
    CHECK_EQ(seconds(604800).default_season(), 52);
    CHECK_EQ(seconds(900).default_season(), 1);
    CHECK_EQ(months(1).default_season(), 12);
    CHECK_EQ(months(3).default_season(), 4);
    CHECK_EQ(months(12).default_season(), 1);
    CHECK_EQ(business(1).default_season(), 1);
    CHECK_EQ(Frequency{}.default_season(), 1);
  }

  TEST_CASE("a daily series with a 3-day interval has one gap of two missing days") {
    std::vector<TimePoint> times = every(at("2020-01-01"), day, 10);
    times.push_back(times.back() + 3 * day);
    times.push_back(times.back() + day);
    const auto regularity = check_regularity(times, seconds(day));
    CHECK_EQ(regularity.gaps, 1);
    CHECK_EQ(regularity.missing_steps, 2);
    CHECK_EQ(regularity.irregular, 0);
  }

  TEST_CASE("an interval of one and a half steps is irregular") {
    const std::vector<TimePoint> times = {0, 3600, 7200, 12600, 16200};
    const auto regularity = check_regularity(times, seconds(3600));
    CHECK_EQ(regularity.irregular, 1);
    CHECK_EQ(regularity.gaps, 0);
  }

  TEST_CASE("business-day gaps count weekdays only") {
    // Fri 2024-01-05 -> Mon 08 is one step; Mon 08 -> Wed 10 skips Tuesday.
    const auto times = dates(
        {"2024-01-04", "2024-01-05", "2024-01-08", "2024-01-10", "2024-01-15"});
    const auto regularity = check_regularity(times, business(1));
    CHECK_EQ(regularity.gaps, 2);
    CHECK_EQ(regularity.missing_steps, 3);
    CHECK_EQ(regularity.irregular, 0);
    const auto weekend = dates({"2024-01-05", "2024-01-06"});
    CHECK_EQ(check_regularity(weekend, business(1)).irregular, 1);
  }

  TEST_CASE("a skipped month is a gap, a broken day of month is irregular") {
    const Frequency monthly = months(1);
    const auto skipped = dates({"2020-01-01", "2020-02-01", "2020-04-01", "2020-05-01"});
    auto regularity = check_regularity(skipped, monthly);
    CHECK_EQ(regularity.gaps, 1);
    CHECK_EQ(regularity.missing_steps, 1);
    CHECK_EQ(regularity.irregular, 0);
    const auto broken = dates({"2020-01-01", "2020-02-01", "2020-03-15", "2020-04-01"});
    regularity = check_regularity(broken, monthly);
    CHECK_EQ(regularity.irregular, 2);
    regularity = check_regularity(dates({"2020-01-31", "2020-02-29", "2020-03-31"}), monthly);
    CHECK_EQ(regularity.irregular, 0);
    const Frequency quarterly_ends = months(3, true);
    const auto ends = dates({"2020-03-31", "2020-06-30", "2020-12-31", "2021-02-28"});
    regularity = check_regularity(ends, quarterly_ends);
    CHECK_EQ(regularity.gaps, 1);
    CHECK_EQ(regularity.missing_steps, 1);
    CHECK_EQ(regularity.irregular, 1);
  }

  TEST_CASE("row indexes count steps of rows") {
    const std::vector<TimePoint> rows = {0, 1, 2, 5, 6};
    const auto regularity = check_regularity(rows, Frequency{});
    CHECK_EQ(regularity.gaps, 1);
    CHECK_EQ(regularity.missing_steps, 2);
    CHECK_EQ(advance(6, Frequency{}, 3), 9);
  }

  TEST_CASE("advance adds fixed steps of seconds") {
    CHECK_EQ(advance(jan_1_2020, seconds(3600), 5), jan_1_2020 + 18000);
    CHECK_EQ(advance(-day, seconds(day), 1), 0);
    CHECK_EQ(advance(jan_1_2020, seconds(day), 0), jan_1_2020);
  }

  TEST_CASE("advance skips weekends in business days and keeps the time of day") {
    const Frequency daily_business = business(1);
    const TimePoint friday = at("2024-01-05T16:00");
    CHECK_EQ(advance(friday, daily_business, 1), at("2024-01-08T16:00"));
    CHECK_EQ(advance(friday, daily_business, 5), at("2024-01-12T16:00"));
    CHECK_EQ(advance(friday, daily_business, 6), at("2024-01-15T16:00"));
    CHECK_EQ(advance(friday, daily_business, 0), friday);
    CHECK_EQ(advance(at("2024-01-04"), business(2), 1), at("2024-01-08"));
    CHECK_EQ(advance(at("1969-12-26"), daily_business, 1), at("1969-12-29"));
    CHECK_EQ(advance(at("1970-01-02"), daily_business, 1), at("1970-01-05"));
  }

  TEST_CASE("advance in months keeps the month end") {
    const Frequency ends = months(1, true);
    CHECK_EQ(advance(at("2020-01-31"), ends, 1), at("2020-02-29"));
    CHECK_EQ(advance(at("2020-02-29"), ends, 1), at("2020-03-31"));
    CHECK_EQ(advance(at("2020-01-31"), ends, 2), at("2020-03-31"));
    CHECK_EQ(advance(at("2020-02-29"), ends, 2), at("2020-04-30"));
  }

  TEST_CASE("advance in months clamps the day to shorter months") {
    const Frequency monthly = months(1);
    CHECK_EQ(advance(at("2020-01-31"), monthly, 1), at("2020-02-29"));
    CHECK_EQ(advance(at("2020-01-31"), monthly, 2), at("2020-03-31"));
    CHECK_EQ(advance(at("2020-01-15T12:30"), monthly, 13), at("2021-02-15T12:30"));
    CHECK_EQ(advance(at("1969-12-01"), monthly, 1), at("1970-01-01"));
    CHECK_EQ(advance(at("2020-02-29"), months(12), 1), at("2021-02-28"));
    CHECK_EQ(advance(at("2020-11-30"), months(3), 1), at("2021-02-28"));
  }

  TEST_CASE("a monthly series on day 30 keeps day 30 after February") {
    const std::vector<TimePoint> times = {at("2019-11-30"), at("2019-12-30"), at("2020-01-30"), at("2020-02-29")};
    const auto frequency = grucast::infer_frequency({std::span<const TimePoint>(times)});
    REQUIRE(frequency);
    CHECK_EQ(frequency->name(), "monthly");
    CHECK_EQ(frequency->day, 30u);
    CHECK_EQ(advance(times.back(), *frequency, 1), at("2020-03-30"));
  }

  TEST_CASE("advance refuses to pass the year 9999 in every unit") {
    CHECK_EQ(advance(at("9999-11-01"), months(1), 1), at("9999-12-01"));
    CHECK_THROWS_WITH_AS(advance(at("9999-11-01"), months(1), 2),
                         "the future timestamps would pass the year 9999, --horizon, use a shorter horizon", grucast::DataError);
    CHECK_THROWS_AS(advance(at("9999-12-31"), Frequency{FrequencyUnit::seconds, 86400, false}, 1), grucast::DataError);
    CHECK_THROWS_AS(advance(at("9999-12-31"), Frequency{FrequencyUnit::business_days, 1, false}, 1000),
                    grucast::DataError);
    CHECK_EQ(advance(at("2020-01-01"), months(12), 7000), at("9020-01-01"));
  }

  TEST_CASE("the S&P 500 dataset is business days with holiday gaps") {
    TimeFormat format;
    const auto times = dataset_times("sp500-2000.csv", format);
    CHECK_EQ(format.style, TimeStyle::iso_date);
    const Frequency frequency = infer_required(times);
    CHECK_EQ(frequency.name(), "business days");
    const auto regularity = check_regularity(times, frequency);
    CHECK_GT(regularity.gaps, 0);
    CHECK_EQ(regularity.irregular, 0);
    CHECK_EQ(format_time(advance(times.back(), frequency, 1), format).size(), 10);
  }

  TEST_CASE("the CO2 dataset is monthly on the first") {
    TimeFormat format;
    const auto times = dataset_times("co2-concentration.csv", format);
    CHECK_EQ(format.style, TimeStyle::iso_date);
    CHECK_EQ(format_time(times.front(), format), "1958-03-01");
    const Frequency frequency = infer_required(times);
    CHECK_EQ(frequency.name(), "monthly");
    CHECK_EQ(frequency.default_season(), 12);
    CHECK_EQ(check_regularity(times, frequency).irregular, 0);
  }

  TEST_CASE("the Seattle hourly normals are hourly ISO datetimes") {
    TimeFormat format;
    const auto times = dataset_times("seattle-weather-hourly-normals.csv", format);
    CHECK_EQ(format.describe(), "ISO 8601 datetime (YYYY-MM-DDTHH:MM:SS)");
    CHECK_EQ(format_time(times.front(), format), "2010-01-01T01:00:00");
    const Frequency frequency = infer_required(times);
    CHECK_EQ(frequency.name(), "hourly");
    CHECK_EQ(frequency.default_season(), 24);
    CHECK_EQ(check_regularity(times, frequency).irregular, 0);
  }
}
