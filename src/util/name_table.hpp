// One table of names per enum, for both parsing and naming: each name is written once, so a
// value always reads back from the name it is written as.
#pragma once

#include <array>
#include <cstddef>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

namespace grucast {

/// An enumerator and its name.
template <class Enum>
struct Named {
  Enum value;
  std::string_view name;
};

/// Every enumerator of an enum with its name, in the order messages list them; made with
/// std::to_array<Named<Enum>>({{Enum::a, "a"}, ...}).
template <class Enum, std::size_t N>
using NameTable = std::array<Named<Enum>, N>;

/// The name of `value`; a std::logic_error when the table lacks it.
template <class Enum, std::size_t N>
std::string name_of(const NameTable<Enum, N>& table, Enum value) {
  for (const Named<Enum>& entry : table) {
    if (entry.value == value) return std::string(entry.name);
  }
  throw std::logic_error("name_of: a value without a name in its table");
}

/// The value named exactly `name`, or nothing.
template <class Enum, std::size_t N>
std::optional<Enum> value_of(const NameTable<Enum, N>& table, std::string_view name) {
  for (const Named<Enum>& entry : table) {
    if (entry.name == name) return entry.value;
  }
  return std::nullopt;
}

/// The names for a message, in the table's order: "a, b or c" ("a, b and c" with last = " and ",
/// "a, b, c" with last = ", ").
template <class Enum, std::size_t N>
std::string names_text(const NameTable<Enum, N>& table, std::string_view last = " or ") {
  std::string text;
  for (std::size_t i = 0; i < N; ++i) {
    if (i > 0) text += i + 1 == N ? last : ", ";
    text += table[i].name;
  }
  return text;
}

}  // namespace grucast
