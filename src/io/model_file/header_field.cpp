// Field: the typed reader of the model header's values (header_field.hpp).
#include "io/model_file/header_field.hpp"

namespace grucast::model_format {

namespace {

std::string range(std::uint64_t low, std::uint64_t high) {
  return high == std::numeric_limits<std::uint64_t>::max() ? fmt::format("not >= {}", low)
                                                           : fmt::format("not in [{}, {}]", low, high);
}

}  // namespace

Field Field::operator[](const char* key) const {
  if (!value_->is_object()) wrong_type("an object");
  const std::string path = path_.empty() ? std::string(key) : path_ + "." + key;
  const auto it = value_->find(key);
  if (it == value_->end()) context_->fail(fmt::format("{}{} is missing", context_->field_prefix, path), context_->hint);
  return Field(*it, path, *context_);
}

Field Field::operator[](std::size_t i) const { return Field((*value_)[i], fmt::format("{}[{}]", path_, i), *context_); }

std::size_t Field::size() const {
  if (!value_->is_array()) wrong_type("an array");
  return value_->size();
}

std::uint64_t Field::whole(std::uint64_t low, std::uint64_t high) const {
  if (value_->is_number_float()) fail(fmt::format("is {}, not a whole number", value_->dump()));
  if (!value_->is_number()) wrong_type("a whole number");
  const bool negative = !value_->is_number_unsigned() && value_->get<std::int64_t>() < 0;
  const std::uint64_t v = negative ? 0 : value_->get<std::uint64_t>();
  if (negative || v < low || v > high) fail(fmt::format("is {}, {}", value_->dump(), range(low, high)));
  return v;
}

std::int64_t Field::integer() const {
  if (value_->is_number_float()) fail(fmt::format("is {}, not a whole number", value_->dump()));
  if (!value_->is_number()) wrong_type("a whole number");
  if (value_->is_number_unsigned() && value_->get<std::uint64_t>() > std::numeric_limits<std::int64_t>::max()) {
    fail(fmt::format("is {}, past the range of a 64-bit integer", value_->dump()));
  }
  return value_->get<std::int64_t>();
}

double Field::real(double low, double high, bool open) const {
  if (!value_->is_number()) wrong_type("a number");
  const double v = value_->get<double>();
  if (!std::isfinite(v)) fail("is not a finite number");
  if (v < low || v > high || (open && v == high)) {
    fail(fmt::format("is {}, {}", value_->dump(), std::isinf(high) ? fmt::format("not >= {}", low)
                                                                   : fmt::format("not in [{}, {}{}", low, high,
                                                                                 open ? ")" : "]")));
  }
  return v;
}

double Field::in(const SettingRange& range) const {
  if (range.whole) {
    return static_cast<double>(whole(static_cast<std::uint64_t>(range.low), static_cast<std::uint64_t>(range.high)));
  }
  const double v = real(-HUGE_VAL);
  if (!range.contains(v)) fail(fmt::format("is {}, not in {}", value_->dump(), range.interval()));
  return v;
}

double Field::nullable() const {
  if (value_->is_null()) return std::numeric_limits<double>::quiet_NaN();
  if (!value_->is_number()) wrong_type("a number or null");
  return value_->get<double>();
}

bool Field::flag() const {
  if (!value_->is_boolean()) wrong_type("true or false");
  return value_->get<bool>();
}

std::string Field::text() const {
  if (!value_->is_string()) wrong_type("a string");
  return value_->get<std::string>();
}

std::vector<double> Field::nullables() const {
  std::vector<double> out(size());
  for (std::size_t i = 0; i < out.size(); ++i) out[i] = (*this)[i].nullable();
  return out;
}

void Field::fail(const std::string& problem) const {
  context_->fail(fmt::format("{} {}", name(), problem), context_->hint);
}

std::string Field::name() const { return path_.empty() ? context_->whole : context_->field_prefix + path_; }

void Field::wrong_type(const char* expected) const {
  static const char* const kTypes[] = {"null", "an object", "an array", "a string", "a boolean",
                                       "a number", "a number", "a number", "binary", "discarded"};
  fail(fmt::format("is {}, not {}", kTypes[static_cast<int>(value_->type())], expected));
}

}  // namespace grucast::model_format
