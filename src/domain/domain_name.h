#pragma once
// Website domain validation and normalisation (rules.md INVALID_DOMAIN).
#include <string>
#include <string_view>

#include "domain/result.h"

namespace beian {

// Returns the registrable host name in lower-case IDNA A-labels without a trailing dot
// ("例子.中国" → "xn--fsqu00a.xn--fiqs8s", "Example.COM." → "example.com"). Refuses with
// kInvalidDomain (detail says why): empty, over 253 octets, IP literal, wildcard, a label over 63
// octets or with a leading/trailing hyphen, a single label, or not convertible to A-labels.
Result<std::string> NormalizeDomain(std::string_view input);

}  // namespace beian
