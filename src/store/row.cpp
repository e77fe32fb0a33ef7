#include <charconv>

#include "store/db.h"

namespace beian {

int64_t Row::Int(std::size_t i) const {
  const Value& v = cols.at(i);
  if (const auto* n = std::get_if<int64_t>(&v)) return *n;
  if (const auto* s = std::get_if<std::string>(&v)) {
    int64_t out = 0;
    const auto [end, ec] = std::from_chars(s->data(), s->data() + s->size(), out);
    if (ec == std::errc() && end == s->data() + s->size()) return out;
    throw StoreError("column " + std::to_string(i) + " is not an integer: " + *s);
  }
  throw StoreError("column " + std::to_string(i) + " is NULL, expected an integer");
}

const std::string& Row::Str(std::size_t i) const {
  const Value& v = cols.at(i);
  if (const auto* s = std::get_if<std::string>(&v)) return *s;
  throw StoreError("column " + std::to_string(i) + " is not text");
}

std::optional<std::string> Row::OptStr(std::size_t i) const {
  if (IsNull(i)) return std::nullopt;
  return Str(i);
}

}  // namespace beian
