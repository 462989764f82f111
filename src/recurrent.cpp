#include "grucast/recurrent.hpp"

#include "grucast/error.hpp"

namespace grucast {

CellKind parse_cell(const std::string& text) {
  if (text == "gru") return CellKind::gru;
  if (text == "lstm") return CellKind::lstm;
  throw UsageError("unknown cell " + quoted(text), "--cell", "use gru or lstm");
}

std::string cell_name(CellKind kind) { return kind == CellKind::lstm ? "lstm" : "gru"; }

}  // namespace grucast
