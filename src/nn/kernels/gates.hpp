// The cells' gate loops (their forward equations, gru.hpp and lstm.hpp) as compiled in
// gates.cpp, shared by the batched and the single-window forward passes.
#pragma once

#include "grucast/nn/network_config.hpp"
#include "nn/cells.hpp"

namespace grucast {

/// A cell's gate loop over one GateStep (cell.hpp), writing into the cell's part of the cache.
template <class E>
using GateLoop = void (*)(const GateStep<E>& step, CellCache<E>& cell);

/// The gate loop of `cell`, compiled with fused multiply-adds and, in float, for AVX-512 and
/// AVX2 as well (picked at run time by what the CPU has).
template <class E>
GateLoop<E> cell_gate_loop(CellKind cell);

}  // namespace grucast
