// The recurrent cells, listed once: the layer, its cache, the gate kernels and the readers of
// model files take every cell from here. A new cell is its file (as gru.hpp, see cell.hpp), its
// CellKind (network_config.hpp), and its place in the list below.
#pragma once

#include <array>
#include <cstddef>
#include <utility>
#include <variant>

#include "grucast/nn/network_config.hpp"
#include "nn/gru.hpp"
#include "nn/lstm.hpp"
#include "util/name_table.hpp"

namespace grucast {

template <class... Cells>
struct CellList {
  static constexpr std::array<CellKind, sizeof...(Cells)> kinds{Cells::kind...};
  static constexpr NameTable<CellKind, sizeof...(Cells)> names{Named<CellKind>{Cells::kind, Cells::name}...};

  /// One cell's part of a layer's cache at a time.
  template <class E>
  using Caches = std::variant<typename Cells::template Cache<E>...>;

  /// f(Cell{}) for the cell of `kind`.
  template <class F>
  static decltype(auto) visit(CellKind kind, F&& f) {
    static constexpr std::variant<Cells...> cells[] = {Cells{}...};
    return std::visit(std::forward<F>(f), cells[static_cast<std::size_t>(kind)]);
  }
};

/// Every cell, in CellKind's order.
using Cells = CellList<GruCell, LstmCell>;

inline constexpr std::array kCellKinds = Cells::kinds;
/// --cell's names, for parse_cell and cell_name (recurrent.cpp).
inline constexpr auto kCellNames = Cells::names;
static_assert(
    [] {
      for (std::size_t i = 0; i < kCellKinds.size(); ++i) {
        if (static_cast<std::size_t>(kCellKinds[i]) != i) return false;
      }
      return true;
    }(),
    "the cells are listed in CellKind's order");

/// f(Cell{}) for the cell of `kind`: f's body sees the cell as a type (a template lambda).
template <class F>
decltype(auto) with_cell(CellKind kind, F&& f) {
  return Cells::visit(kind, std::forward<F>(f));
}

/// The cell's own part of a layer's cache (Cell::Cache<E>) for any cell.
template <class E>
using CellCache = Cells::Caches<E>;

/// Gate blocks per cell: GRU [r; z; n], LSTM [i; f; g; o].
inline std::size_t gate_blocks(CellKind kind) {
  return with_cell(kind, []<class Cell>(Cell) { return Cell::gates; });
}

/// How messages name a cell: "a GRU" (article, title), "the gates r, z and n".
struct CellWords {
  const char* article;
  const char* title;
  const char* gate_names;
};
inline CellWords cell_words(CellKind kind) {
  return with_cell(kind, []<class Cell>(Cell) { return CellWords{Cell::article, Cell::title, Cell::gate_names}; });
}

}  // namespace grucast
