#pragma once
// The one JSON reader of request bodies and import lines: Boost.JSON's parser, except that an
// object naming the same key twice is refused (RFC 8259 leaves its meaning open; accepting it
// would let two readers of one body disagree). Pure, thread-safe.
#include <boost/json/value.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "domain/text.h"

namespace beian {

// The parsed value, or nullopt with `problem` saying why (bilingual, without a prefix, e.g.
// "duplicate key \"domain\"" or Boost.JSON's message for malformed text). `duplicate_key`, when
// given, receives the repeated key (and stays empty for other failures).
std::optional<boost::json::value> ParseStrictJson(std::string_view text, Text& problem,
                                                  std::string* duplicate_key = nullptr);

}  // namespace beian
