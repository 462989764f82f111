#include <doctest/doctest.h>

#include <cmath>
#include <string>
#include <vector>

#include "grucast/util/error.hpp"
#include "util/text.hpp"

using grucast::is_missing_marker;
using grucast::parse_number;

TEST_SUITE("text") {
  TEST_CASE("parse_number reads decimal numbers and nothing else") {
    CHECK(parse_number("12.5") == 12.5);
    CHECK(parse_number(" -3e2 ") == -300.0);
    CHECK(parse_number("+4") == 4.0);
    CHECK(parse_number(".5") == 0.5);
    CHECK(parse_number("1e-400") == 0.0);
    CHECK(std::isinf(*parse_number("1e999")));
    CHECK(std::isinf(*parse_number("-Infinity")));
    for (const char* bad : {"", "abc", "1.2.3", "12abc", "0x10", "nan", "1,5", "--1", "+-1", "1e", "inf5"}) {
      INFO(bad);
      CHECK_FALSE(parse_number(bad).has_value());
    }
  }

  TEST_CASE("parse_number reads a decimal comma only when asked") {
    CHECK(parse_number("3,25", true) == 3.25);
    CHECK_FALSE(parse_number("1.000,5", true).has_value());
    CHECK_FALSE(parse_number("1,000,5", true).has_value());
  }

  TEST_CASE("missing markers are the usual spellings, in any case") {
    for (const char* text : {"", "  ", "NA", "na", "N/A", "#N/A", "NaN", "nan", "null", "NULL", "None"}) {
      INFO(text);
      CHECK(is_missing_marker(text));
    }
    CHECK_FALSE(is_missing_marker("0"));
    CHECK_FALSE(is_missing_marker("-"));
  }
}

TEST_CASE("quoted() shows control bytes and no-break spaces, and shortens long text") {
  CHECK(grucast::quoted("a\nb") == "'a\\x0ab'");
  CHECK(grucast::quoted("1\xc2\xa0") == "'1\\u00a0'");
  CHECK(grucast::quoted(std::string(50, 'x')) == "'" + std::string(40, 'x') + "...'");
}

TEST_CASE("messages stay UTF-8: bytes that are not are shown as \\xe9, and text is shortened between characters") {
  CHECK(grucast::escape_controls("caf\xe9 12\xb0") == "caf\\xe9 12\\xb0");       // Latin-1
  CHECK(grucast::escape_controls("caf\xc3\xa9 \xe2\x82\xac") == "caf\xc3\xa9 \xe2\x82\xac");  // UTF-8 stays
  CHECK(grucast::escape_controls("\xc3") == "\\xc3");                            // cut short
  CHECK(grucast::escape_controls("\xc0\xaf") == "\\xc0\\xaf");                   // overlong '/'
  CHECK(grucast::escape_controls("\xed\xa0\x80") == "\\xed\\xa0\\x80");          // a surrogate
  const std::string euros = std::string(39, 'x') + "\xe2\x82\xac\xe2\x82\xac";  // the 40th byte starts a euro sign
  CHECK(grucast::quoted(euros) == "'" + std::string(39, 'x') + "...'");
  std::string stray;  // continuation bytes alone: the cut backs off by 3 bytes at most
  for (int i = 0; i < 37; ++i) stray += "\\x80";
  CHECK(grucast::quoted(std::string(50, '\x80')) == "'" + stray + "...'");
}

TEST_CASE("lists read from a file are bounded for a message: ten items, each shortened, then how many more") {
  std::vector<std::string> names;
  for (int i = 0; i < 12; ++i) names.push_back("c" + std::to_string(i));
  CHECK(grucast::listed(names) == "c0, c1, c2, c3, c4, c5, c6, c7, c8, c9, ... and 2 more");
  CHECK(grucast::listed({"a", "b"}) == "a, b");
  CHECK(grucast::listed({std::string(50, 'y'), "t\xe9"}) == std::string(40, 'y') + "..., t\\xe9");
  CHECK(grucast::shortened("abc", 2) == "ab...");
  CHECK(grucast::shortened("abc", 3) == "abc");
}

TEST_CASE("nearest: equal but for case first, else fewest edits within a quarter of the name") {
  const std::vector<std::string> names = {"date", "value", "Temp", "sensor_054321", ""};
  CHECK(grucast::nearest(names, "temp") == "Temp");
  CHECK(grucast::nearest(names, "valu") == "value");      // 1 edit in 4
  CHECK(grucast::nearest(names, "sensor_54321") == "sensor_054321");
  CHECK_FALSE(grucast::nearest(names, "nope").has_value());  // 3 edits from "date"
  CHECK_FALSE(grucast::nearest(names, "x").has_value());     // too short to guess
  CHECK(grucast::nearest({std::string(100000, 'a')}, std::string(64, 'a') + "b") == std::string(100000, 'a'));
}
