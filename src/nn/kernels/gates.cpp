#include "nn/kernels/gates.hpp"

#include <type_traits>
#include <variant>

namespace grucast {

namespace {

// Every cell's gate loop is compiled here, and only here: CMakeLists.txt lets this file
// contract a·b + c into one FMA (the polynomials of activations.hpp).
template <class Cell, class E>
void gate_loop(const GateStep<E>& step, CellCache<E>& cell) {
  Cell::forward(step, std::get<typename Cell::template Cache<E>>(cell));
}

// The float loops vectorize; built for AVX-512 and for AVX2 + FMA too, picked at run time by
// what the CPU has. AVX-512's 32 registers hold the polynomials' constants: 2.8× faster than
// AVX2 on the bench machine. Clang 14 (the fuzz build) does not clone reliably: it drops the
// attribute, or names the dispatcher so that other files fail to link. It builds the default.
#if defined(__clang__)
#define GRUCAST_GATE_CLONES
#else
#define GRUCAST_GATE_CLONES __attribute__((target_clones("arch=x86-64-v4", "arch=x86-64-v3", "default")))
#endif
template <class Cell>
GRUCAST_GATE_CLONES void gate_loop_f32(const GateStep<float>& step, CellCache<float>& cell) {
  Cell::forward(step, std::get<typename Cell::template Cache<float>>(cell));
}

}  // namespace

template <class E>
GateLoop<E> cell_gate_loop(CellKind cell) {
  return with_cell(cell, []<class Cell>(Cell) -> GateLoop<E> {
    if constexpr (std::is_same_v<E, float>) {
      return &gate_loop_f32<Cell>;
    } else {
      return &gate_loop<Cell, E>;
    }
  });
}

template GateLoop<float> cell_gate_loop(CellKind);
template GateLoop<double> cell_gate_loop(CellKind);

}  // namespace grucast
