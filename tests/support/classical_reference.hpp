// tests/data/classical/reference.csv (made by bench/classical_reference.R): R's forecasts of the
// M4 benchmarks and of AutoETS on bundled series, for test_classical.cpp and test_ets.cpp.
#pragma once

#include <doctest/doctest.h>

#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

namespace grucast::test {

/// One case: its season and horizon, and each kind's values ("y" the input series, then
/// "ses", ..., "ets", "ets_aicc", "seasonal").
struct ReferenceCase {
  std::size_t season = 1, horizon = 1;
  std::map<std::string, std::vector<double>> values;
};

inline std::map<std::string, ReferenceCase> read_classical_reference() {
  std::ifstream in(std::string(GRUCAST_TEST_DATA) + "/classical/reference.csv");
  REQUIRE(in);
  std::map<std::string, ReferenceCase> cases;
  std::string line;
  std::getline(in, line);  // header: case,season,horizon,kind,index,value
  while (std::getline(in, line)) {
    std::stringstream fields(line);
    std::string name, season, horizon, kind, index, value;
    std::getline(fields, name, ','), std::getline(fields, season, ','), std::getline(fields, horizon, ',');
    std::getline(fields, kind, ','), std::getline(fields, index, ','), std::getline(fields, value, ',');
    ReferenceCase& c = cases[name];
    c.season = std::stoul(season), c.horizon = std::stoul(horizon);
    c.values[kind].push_back(std::stod(value));
  }
  return cases;
}

}  // namespace grucast::test
