// State dicts: PyTorch's names, shapes and row-major order, and the way back.
#include <doctest/doctest.h>

#include "grucast/io/torch_json.hpp"
#include "grucast/util/error.hpp"
#include "io/state_dict.hpp"
#include "nn/network.hpp"

using namespace grucast;
using Json = nlohmann::ordered_json;

TEST_SUITE("torch_json") {
  TEST_CASE("biases are vectors, weights matrices") {
    CHECK(torch_shape(Slice{"gru.bias_ih_l0", 12, 1, 0, 0.0}) == std::vector<std::size_t>{12});
    CHECK(torch_shape(Slice{"head.bias", 3, 1, 0, 0.0}) == std::vector<std::size_t>{3});
    CHECK(torch_shape(Slice{"head.weight", 3, 1, 0, 0.0}) == std::vector<std::size_t>{3, 1});
    CHECK(torch_shape(Slice{"gru.weight_ih_l0", 12, 2, 0, 0.0}) == std::vector<std::size_t>{12, 2});
  }

  TEST_CASE("element (i, j) of a slice is state_dict[name][i][j], and reads back to the same place") {
    const ModelShape shape{2, 3, 2, 4, 0.0};
    const Network<double> model(shape);
    const ParamLayout& layout = model.layout();
    const arma::vec params = arma::regspace(0.0, static_cast<double>(layout.size()) - 1.0);
    const Json dict = state_dict_json(layout, params);
    REQUIRE(dict.size() == layout.slices().size());
    for (const Slice& s : layout.slices()) {
      CAPTURE(s.name);
      const Json& t = dict[s.name];
      REQUIRE(t.size() == s.rows);
      for (std::size_t i = 0; i < s.rows; ++i) {
        for (std::size_t j = 0; j < s.cols; ++j) {
          const double value = torch_shape(s).size() == 1 ? t[i].get<double>() : t[i][j].get<double>();
          CHECK(value == params[s.offset + i + j * s.rows]);
        }
      }
    }
    const ModelShape read = shape_from_state_dict(dict, "test");
    CHECK(read.inputs == 2);
    CHECK(read.hidden == 3);
    CHECK(read.layers == 2);
    CHECK(read.outputs == 4);
    CHECK(arma::approx_equal(params_from_state_dict(dict, layout, "test"), params, "absdiff", 0.0));
  }

  TEST_CASE("a layer too many or a missing layer is named") {
    const Network<double> model(ModelShape{1, 2, 2, 1, 0.0});
    Json dict = state_dict_json(model.layout(), arma::vec(model.layout().size(), arma::fill::zeros));
    dict.erase("gru.bias_hh_l1");
    CHECK_THROWS_WITH_AS(shape_from_state_dict(dict, "f.json"), doctest::Contains("'gru.bias_hh_l1' is missing"),
                         ModelError);
    dict.erase("gru.weight_ih_l1");  // layer 1 gone from the count: its other tensors are extra
    CHECK_THROWS_WITH_AS(shape_from_state_dict(dict, "f.json"),
                         doctest::Contains("'gru.bias_ih_l1' is not a tensor of a GRU with D = 1 input, H = 2 units, "
                                           "L = 1 layer and K = 1 output"),
                         ModelError);
  }
}
