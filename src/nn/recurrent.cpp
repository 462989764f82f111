#include "nn/recurrent.hpp"

#include <cmath>

#include <fmt/format.h>

#include "grucast/util/error.hpp"
#include "util/name_table.hpp"

namespace grucast {

namespace {

constexpr auto kCellNames = std::to_array<Named<CellKind>>({{CellKind::gru, "gru"}, {CellKind::lstm, "lstm"}});

}  // namespace

CellKind parse_cell(const std::string& text) {
  if (const auto kind = value_of(kCellNames, text)) return *kind;
  throw UsageError("unknown cell " + quoted(text), "--cell", "use " + names_text(kCellNames));
}

std::string cell_name(CellKind kind) { return name_of(kCellNames, kind); }

RecurrentSlices add_recurrent_slices(ParamLayout& layout, CellKind cell, std::size_t layer, std::size_t input,
                                     std::size_t hidden) {
  const double bound = 1.0 / std::sqrt(static_cast<double>(hidden));
  const std::string prefix = cell_name(cell);
  const std::size_t rows = gate_blocks(cell) * hidden;
  RecurrentSlices s;
  s.w_ih = layout[layout.add(fmt::format("{}.weight_ih_l{}", prefix, layer), rows, input, bound)];
  s.w_hh = layout[layout.add(fmt::format("{}.weight_hh_l{}", prefix, layer), rows, hidden, bound)];
  s.b_ih = layout[layout.add(fmt::format("{}.bias_ih_l{}", prefix, layer), rows, 1, bound)];
  s.b_hh = layout[layout.add(fmt::format("{}.bias_hh_l{}", prefix, layer), rows, 1, bound)];
  return s;
}

}  // namespace grucast
