#pragma once
// JSON codec for the product object (interface.md "Objects"), shared by the API, import and
// explain.
#include <optional>
#include <string>
#include <string_view>

#include "domain/eligibility.h"
#include "domain/product.h"
#include "domain/result.h"
#include "domain/text.h"
#include "domain/views.h"

namespace beian {

// Parses one product object. Refuses (kInvalidRequest, with one FieldError per bad field and a
// detail naming the first) bad JSON, a non-object, unknown fields, wrong types, an invalid id or
// account id, unknown kind/billing/status, a malformed IP address, a subscription without
// expires_at, a malformed time. `name`, `public_ips`, `vhost_*` and `status` are optional
// (status defaults to running).
Result<ProductInput> ParseProductJson(std::string_view json);

// Serialises a product (never the password hash) with its eligibility, as the API returns it.
// Times are RFC 3339 in CST.
std::string ProductToJson(const Product& p, const Eligibility& e, Lang lang);
// The eligibility object alone (what `beian explain` prints).
std::string EligibilityToJson(const Eligibility& e, Lang lang);

// The canonical text (inet_ntop) of an IPv4 or IPv6 address, or nullopt: the form in which
// products store their public IPs.
std::optional<std::string> CanonicalIp(std::string_view s);

}  // namespace beian
