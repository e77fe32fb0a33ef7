#include "codec/api_json.h"

#include <boost/json.hpp>
#include <initializer_list>
#include <set>

#include "codec/product_json.h"
#include "codec/strict_json.h"
#include "domain/messages.h"

namespace beian {
namespace json = boost::json;
namespace {

json::value OptString(const std::optional<std::string>& s) {
  return s ? json::value(*s) : json::value(nullptr);
}

std::string Ser(const json::value& v) { return json::serialize(v); }

// Reads the fields of one request object, collecting one FieldError per problem.
class FieldReader {
 public:
  FieldReader(const json::object& obj, std::string prefix)
      : obj_(obj), prefix_(std::move(prefix)) {}

  void AllowOnly(std::initializer_list<std::string_view> names) {
    for (const auto& kv : obj_) {
      bool known = false;
      for (auto n : names) known = known || kv.key() == n;
      if (!known) Fail(kv.key(), "unknown field");
    }
  }
  // The string field, or nullopt when absent (an error when required) or not a string.
  std::optional<std::string> Str(std::string_view name, bool required) {
    const json::value* v = obj_.if_contains(name);
    if (v == nullptr || (v->is_null() && !required)) {
      if (required) Fail(name, "is required");
      return std::nullopt;
    }
    if (!v->is_string()) {
      Fail(name, "must be a string");
      return std::nullopt;
    }
    return std::string(v->get_string());
  }
  const json::value* Get(std::string_view name) const { return obj_.if_contains(name); }
  void Fail(std::string_view name, std::string_view what) {
    std::string field = prefix_ + std::string(name);
    errors_.push_back({field, field + " " + std::string(what), ""});
  }
  std::vector<FieldError>& errors() { return errors_; }

 private:
  const json::object& obj_;
  std::string prefix_;
  std::vector<FieldError> errors_;
};

// The set of the names in `v`, a JSON array of strings that `parse` knows (each becomes bit(x)),
// or nullopt when v is not such an array.
template <class Set, class Parse, class Bit>
std::optional<Set> ParseNameSet(const json::value& v, Parse parse, Bit bit) {
  if (!v.is_array()) return std::nullopt;
  Set set = 0;
  for (const json::value& item : v.get_array()) {
    if (!item.is_string()) return std::nullopt;
    const auto parsed = parse(std::string_view(item.get_string()));
    if (!parsed) return std::nullopt;
    set |= bit(*parsed);
  }
  return set;
}

Error InvalidFields(std::vector<FieldError> errors) {
  Error e = MakeError(ErrorCode::kInvalidRequest);
  if (!errors.empty()) {
    e.detail =
        Text{"请求字段无效：" + errors.front().detail, "invalid field: " + errors.front().detail};
  }
  e.errors = std::move(errors);
  return e;
}

// Parses a JSON object body; bad JSON (a repeated key too) and non-objects are kInvalidRequest.
Result<json::object> ParseObject(std::string_view text) {
  Text problem;
  std::string duplicate;
  std::optional<json::value> v = ParseStrictJson(text, problem, &duplicate);
  if (!v) {
    Error e = MakeError(ErrorCode::kInvalidRequest,
                        Text{"请求体不是有效的 JSON：" + problem.zh,
                             "the request body is not valid JSON: " + problem.en});
    if (!duplicate.empty()) e.errors.push_back(FieldError{duplicate, problem.en, problem.zh});
    return e;
  }
  if (!v->is_object()) {
    return MakeError(ErrorCode::kInvalidRequest,
                     Text{"请求体必须是 JSON 对象", "the request body must be a JSON object"});
  }
  return std::move(v->get_object());
}

}  // namespace

std::string NumberToJson(const NumberView& v) {
  const ServiceNumber& n = v.number;
  json::array grants;
  for (const auto& g : n.granted_to) grants.emplace_back(g);
  json::object o{{"code", n.code},
                 {"product_id", n.product_id},
                 {"account_id", n.account_id},
                 {"kind", KindName(n.kind)},
                 {"state", NumberStateName(n.state)},
                 {"usable", v.usable},
                 {"issued_at", FormatRfc3339Cst(n.issued_at)},
                 {"domain", OptString(n.domain)},
                 {"filing_id", OptString(n.filing_id)},
                 {"granted_to", std::move(grants)}};
  return Ser(o);
}

std::string FilingToJson(const Filing& f) {
  json::object o{{"id", f.id},
                 {"account_id", f.account_id},
                 {"domain", f.domain},
                 {"service_number", OptString(f.service_number)},
                 {"product_id", f.product_id},
                 {"state", FilingStateName(f.state)},
                 {"reason", f.reason},
                 {"created_at", FormatRfc3339Cst(f.created_at)},
                 {"submitted_at", FormatRfc3339Cst(f.created_at)},
                 {"updated_at", FormatRfc3339Cst(f.updated_at)}};
  if (f.conflicts) {
    json::array ids;
    for (const std::string& id : *f.conflicts) ids.emplace_back(id);
    o["conflicts"] = std::move(ids);
  }
  return Ser(o);
}

std::string FilingUsedByJson(const Filing& f) {
  json::object o{{"id", f.id},
                 {"account_id", f.account_id},
                 {"domain", f.domain},
                 {"service_number", OptString(f.service_number)},
                 {"product_id", f.product_id},
                 {"state", FilingStateName(f.state)},
                 {"created_at", FormatRfc3339Cst(f.created_at)},
                 {"submitted_at", FormatRfc3339Cst(f.created_at)},
                 {"updated_at", FormatRfc3339Cst(f.updated_at)},
                 {"access", "number_owner"}};
  return Ser(o);
}

std::string EventToJson(const Event& e) {
  json::value data = json::object();
  if (!e.data_json.empty()) {
    boost::system::error_code ec;
    json::value parsed = json::parse(e.data_json, ec);
    if (!ec) data = std::move(parsed);
  }
  json::object o{{"seq", e.seq},           {"at", FormatRfc3339Cst(e.at)}, {"actor", e.actor},
                 {"type", e.type},         {"account_id", e.account_id},   {"subject", e.subject},
                 {"data", std::move(data)}};
  return Ser(o);
}

std::string EventToArchiveJson(const Event& e) {
  std::string out = EventToJson(e);
  out.pop_back();  // the closing brace
  return out + ",\"account2\":" + Ser(json::value(e.account2)) + "}";
}

std::string OverviewToJson(const Overview& ov, Lang lang) {
  json::object kinds;
  for (const auto& [k, n] : ov.products_by_kind) kinds[KindName(k)] = n;
  json::object states;
  for (const auto& [s, n] : ov.numbers_by_state) states[NumberStateName(s)] = n;
  json::array quotas;
  for (const auto& q : ov.account_quotas) {
    quotas.push_back(json::object{{"kind", KindName(q.kind)},
                                  {"scope", QuotaScopeName(q.quota.scope)},
                                  {"limit", q.quota.limit},
                                  {"used", q.quota.used},
                                  {"remaining", q.quota.remaining()}});
  }
  json::array advice;
  for (AdviceCode a : ov.advice) {
    advice.push_back(json::object{{"code", AdviceCodeName(a)},
                                  {"message", AdviceMessage(a).In(lang)},
                                  {"remedy", AdviceRemedy(a).In(lang)}});
  }
  json::object o{{"products_by_kind", std::move(kinds)},
                 {"numbers_by_state", std::move(states)},
                 {"account_quotas", std::move(quotas)},
                 {"advice", std::move(advice)}};
  return Ser(o);
}

std::string AccountToJson(const Account& a) {
  json::array roles;
  for (const std::string& r : OperatorRoleNames(a.role == Role::kOperator ? a.roles : 0)) {
    roles.emplace_back(r);
  }
  json::object o{{"id", a.id},
                 {"role", RoleName(a.role)},
                 {"roles", std::move(roles)},
                 {"status", a.disabled ? "disabled" : "active"},
                 {"name", a.name}};
  if (a.created_at.time_since_epoch().count() != 0) {
    o["created_at"] = FormatRfc3339Cst(a.created_at);
  }
  return Ser(o);
}

Result<AccountChange> ParseAccountJson(std::string_view text, std::string_view id) {
  BEIAN_ASSIGN_OR_RETURN(json::object obj, ParseObject(text));
  FieldReader r(obj, "");
  r.AllowOnly({"id", "role", "roles", "name", "status"});
  AccountChange a;
  a.id = std::string(id);
  if (auto body_id = r.Str("id", false); body_id && *body_id != id) {
    r.Fail("id", "does not match the id in the path");
  }
  if (auto role = r.Str("role", false)) {
    if (auto parsed = ParseRole(*role)) {
      a.role = *parsed;
    } else {
      r.Fail("role", "must be \"customer\" or \"operator\"");
    }
  }
  if (const json::value* roles = r.Get("roles"); roles != nullptr && !roles->is_null()) {
    if (std::optional<RoleSet> set = ParseNameSet<RoleSet>(*roles, ParseOperatorRole, RoleBit)) {
      a.roles = *set;
    } else {
      r.Fail("roles", "must be an array of \"admin\", \"reviewer\" and \"inventory\"");
    }
  }
  if (auto name = r.Str("name", false)) a.name = *name;
  if (auto status = r.Str("status", false)) {
    if (*status == "active" || *status == "disabled") {
      a.disabled = *status == "disabled";
    } else {
      r.Fail("status", "must be \"active\" or \"disabled\"");
    }
  }
  if (!r.errors().empty()) return InvalidFields(std::move(r.errors()));
  return a;
}

namespace {

json::value OptTime(const std::optional<Time>& t) {
  return t ? json::value(FormatRfc3339Cst(*t)) : json::value(nullptr);
}

json::object TokenObject(const TokenRecord& t) {
  json::array scopes;
  for (const std::string& s : ScopeNames(t.scopes)) scopes.emplace_back(s);
  return json::object{{"id", t.id},
                      {"account_id", t.account_id},
                      {"name", t.name},
                      {"scopes", std::move(scopes)},
                      {"creator", t.creator},
                      {"created_at", FormatRfc3339Cst(t.created_at)},
                      {"expires_at", OptTime(t.expires_at)},
                      {"last_used_at", OptTime(t.last_used_at)},
                      {"revoked_at", OptTime(t.revoked_at)}};
}

}  // namespace

std::string TokenToJson(const TokenRecord& t) { return Ser(TokenObject(t)); }

std::string TokenToJson(const TokenRecord& t, ScopeSet allowed) {
  json::object o = TokenObject(t);
  json::array effective;
  for (const std::string& s : ScopeNames(t.scopes & allowed)) effective.emplace_back(s);
  o["effective_scopes"] = std::move(effective);
  return Ser(o);
}

std::string NewTokenToJson(const NewToken& t) {
  json::object o = TokenObject(t.record);
  o["token"] = t.secret;
  return Ser(o);
}

Result<TokenRequest> ParseTokenRequestJson(std::string_view text) {
  TokenRequest req;
  if (text.find_first_not_of(" \t\r\n") == std::string_view::npos) return req;
  BEIAN_ASSIGN_OR_RETURN(auto obj, ParseObject(text));
  FieldReader r(obj, "");
  r.AllowOnly({"name", "scopes", "expires_in"});
  if (auto name = r.Str("name", false)) req.name = *name;
  if (const json::value* scopes = r.Get("scopes"); scopes != nullptr && !scopes->is_null()) {
    if (std::optional<ScopeSet> set = ParseNameSet<ScopeSet>(*scopes, ParseScope, ScopeBit)) {
      req.scopes = *set;
    } else {
      r.Fail("scopes", "must be an array of scope names (see docs/openapi.yaml)");
    }
  }
  if (const json::value* e = r.Get("expires_in"); e != nullptr && !e->is_null()) {
    if (e->is_int64() && e->get_int64() > 0 && e->get_int64() <= int64_t{3650} * 86400) {
      req.expires_in = std::chrono::seconds(e->get_int64());
    } else if (e->is_uint64() && e->get_uint64() <= uint64_t{3650} * 86400) {
      req.expires_in = std::chrono::seconds(static_cast<int64_t>(e->get_uint64()));
    } else {
      r.Fail("expires_in", "must be a whole number of seconds from 1 to 315360000");
    }
  }
  if (!r.errors().empty()) return InvalidFields(std::move(r.errors()));
  return req;
}

Result<int64_t> ParseRotateJson(std::string_view text) {
  if (text.find_first_not_of(" \t\r\n") == std::string_view::npos) return int64_t{0};
  BEIAN_ASSIGN_OR_RETURN(auto obj, ParseObject(text));
  FieldReader r(obj, "");
  r.AllowOnly({"grace_seconds"});
  int64_t grace = 0;
  if (const json::value* g = r.Get("grace_seconds"); g != nullptr && !g->is_null()) {
    if (g->is_int64() && g->get_int64() >= 0 && g->get_int64() <= 86400) {
      grace = g->get_int64();
    } else if (g->is_uint64() && g->get_uint64() <= 86400) {
      grace = static_cast<int64_t>(g->get_uint64());
    } else {
      r.Fail("grace_seconds", "must be a whole number of seconds from 0 to 86400");
    }
  }
  if (!r.errors().empty()) return InvalidFields(std::move(r.errors()));
  return grace;
}

Result<std::string> ParseGrantJson(std::string_view text) {
  BEIAN_ASSIGN_OR_RETURN(json::object obj, ParseObject(text));
  FieldReader r(obj, "");
  r.AllowOnly({"account_id"});
  auto id = r.Str("account_id", true);
  if (id && !IsValidAccountId(*id)) r.Fail("account_id", "is not a valid account id");
  if (!r.errors().empty()) return InvalidFields(std::move(r.errors()));
  return *id;
}

Result<FilingRequest> ParseFilingRequestJson(std::string_view text) {
  BEIAN_ASSIGN_OR_RETURN(json::object obj, ParseObject(text));
  FieldReader r(obj, "");
  r.AllowOnly({"domain", "service_number", "vhost"});
  FilingRequest req;
  if (auto d = r.Str("domain", true)) req.domain = *d;
  req.service_number = r.Str("service_number", false);
  const json::value* vh = r.Get("vhost");
  if (vh != nullptr && !vh->is_null()) {
    if (!vh->is_object()) {
      r.Fail("vhost", "must be an object");
    } else {
      FieldReader v(vh->get_object(), "vhost.");
      v.AllowOnly({"product_id", "username", "password"});
      VhostCredentials c;
      if (auto s = v.Str("product_id", true)) c.product_id = *s;
      if (auto s = v.Str("username", true)) c.username = *s;
      if (auto s = v.Str("password", true)) c.password = *s;
      for (auto& e : v.errors()) r.errors().push_back(std::move(e));
      req.vhost = std::move(c);
    }
  }
  const bool has_sn = r.Get("service_number") != nullptr && !r.Get("service_number")->is_null();
  const bool has_vh = vh != nullptr && !vh->is_null();
  if (r.errors().empty() && has_sn == has_vh) {
    r.Fail("service_number", "exactly one of service_number and vhost is required");
  }
  if (!r.errors().empty()) return InvalidFields(std::move(r.errors()));
  return req;
}

Result<std::string> ParseRejectJson(std::string_view text) {
  if (text.find_first_not_of(" \t\r\n") == std::string_view::npos) return std::string();
  BEIAN_ASSIGN_OR_RETURN(json::object obj, ParseObject(text));
  FieldReader r(obj, "");
  r.AllowOnly({"reason"});
  auto reason = r.Str("reason", false);
  if (!r.errors().empty()) return InvalidFields(std::move(r.errors()));
  return reason.value_or("");
}

Result<std::vector<ApplyItem>> ParseBatchApplyJson(std::string_view text) {
  BEIAN_ASSIGN_OR_RETURN(json::object obj, ParseObject(text));
  FieldReader r(obj, "");
  r.AllowOnly({"items"});
  const json::value* items = r.Get("items");
  std::vector<ApplyItem> out;
  if (items == nullptr) {
    r.Fail("items", "is required");
  } else if (!items->is_array() || items->get_array().empty() ||
             items->get_array().size() > static_cast<std::size_t>(kMaxBatchNumbers)) {
    r.Fail("items", "must be an array of 1 to 20 items");
  } else {
    int total = 0;
    std::set<std::string> seen;
    for (std::size_t i = 0; i < items->get_array().size(); ++i) {
      const std::string at = "items[" + std::to_string(i) + "].";
      const json::value& v = items->get_array()[i];
      if (!v.is_object()) {
        r.Fail("items[" + std::to_string(i) + "]", "must be an object");
        continue;
      }
      FieldReader ir(v.get_object(), at);
      ir.AllowOnly({"product_id", "count"});
      ApplyItem item;
      if (auto id = ir.Str("product_id", true)) {
        if (!IsValidProductId(*id)) {
          ir.Fail("product_id", "is not a valid product id");
        } else if (!seen.insert(*id).second) {
          ir.Fail("product_id", "names a product already in the batch (give one item per product)");
        }
        item.product_id = *id;
      }
      if (const json::value* c = ir.Get("count"); c != nullptr && !c->is_null()) {
        if (c->is_int64() && c->get_int64() >= 1 && c->get_int64() <= kMaxBatchNumbers) {
          item.count = static_cast<int>(c->get_int64());
        } else {
          ir.Fail("count", "must be an integer from 1 to 20");
        }
      }
      total += item.count;
      for (FieldError& e : ir.errors()) r.errors().push_back(std::move(e));
      out.push_back(std::move(item));
    }
    if (total > kMaxBatchNumbers && r.errors().empty()) {
      r.Fail("items", "asks for more than 20 numbers in all");
    }
  }
  if (!r.errors().empty()) return InvalidFields(std::move(r.errors()));
  return out;
}

Result<EligibilityRequest> ParseEligibilityJson(std::string_view text) {
  BEIAN_ASSIGN_OR_RETURN(json::object obj, ParseObject(text));
  FieldReader r(obj, "");
  r.AllowOnly({"product_ids", "products"});
  const json::value* ids = r.Get("product_ids");
  const json::value* products = r.Get("products");
  EligibilityRequest req;
  auto sized = [](const json::value* v) {
    return v->is_array() && !v->get_array().empty() &&
           v->get_array().size() <= kMaxEligibilityProducts;
  };
  if ((ids == nullptr) == (products == nullptr)) {
    r.Fail("product_ids", "or products is required (exactly one of them)");
  } else if (ids != nullptr) {
    if (!sized(ids)) {
      r.Fail("product_ids", "must be an array of 1 to 500 product ids");
    } else {
      for (std::size_t i = 0; i < ids->get_array().size(); ++i) {
        const json::value& v = ids->get_array()[i];
        if (!v.is_string() || !IsValidProductId(std::string(v.get_string()))) {
          r.Fail("product_ids[" + std::to_string(i) + "]", "is not a valid product id");
          continue;
        }
        req.product_ids.emplace_back(v.get_string());
      }
    }
  } else if (!sized(products)) {
    r.Fail("products", "must be an array of 1 to 500 product objects");
  } else {
    for (std::size_t i = 0; i < products->get_array().size(); ++i) {
      const std::string at = "products[" + std::to_string(i) + "]";
      Result<ProductInput> p = ParseProductJson(json::serialize(products->get_array()[i]));
      if (!p.ok()) {
        if (p.error().errors.empty()) r.Fail(at, "must be a product object");
        for (const FieldError& e : p.error().errors) {
          // "products[2].kind", or "products[2]" for the object as a whole.
          const std::string field = e.field.empty() ? at : at + "." + e.field;
          r.errors().push_back({field, field + " " + e.detail, ""});
        }
        continue;
      }
      req.products.push_back(std::move(*p));
    }
  }
  if (!r.errors().empty()) return InvalidFields(std::move(r.errors()));
  return req;
}

std::string EligibilityItemsToJson(const std::vector<EligibilityItem>& items, Lang lang) {
  std::string out = "{\"items\":[";
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i > 0) out += ',';
    json::value e = json::parse(EligibilityToJson(items[i].eligibility, lang));
    e.as_object().emplace("product_id", items[i].product_id);
    out += json::serialize(e);
  }
  out += "]}";
  return out;
}

Result<BulkReviewRequest> ParseBulkReviewJson(std::string_view text) {
  BEIAN_ASSIGN_OR_RETURN(json::object obj, ParseObject(text));
  FieldReader r(obj, "");
  r.AllowOnly({"action", "filing_ids", "reason"});
  BulkReviewRequest req;
  if (auto action = r.Str("action", true)) {
    if (*action == "approve") {
      req.action = FilingAction::kApprove;
    } else if (*action == "reject") {
      req.action = FilingAction::kReject;
    } else {
      r.Fail("action", "must be approve or reject");
    }
  }
  if (auto reason = r.Str("reason", false)) {
    req.reason = *reason;
    if (req.action == FilingAction::kApprove) r.Fail("reason", "is only for reject");
  }
  const json::value* ids = r.Get("filing_ids");
  if (ids == nullptr) {
    r.Fail("filing_ids", "is required");
  } else if (!ids->is_array() || ids->get_array().empty() ||
             ids->get_array().size() > kMaxBulkReview) {
    r.Fail("filing_ids", "must be an array of 1 to 100 filing ids");
  } else {
    std::set<std::string> seen;
    for (std::size_t i = 0; i < ids->get_array().size(); ++i) {
      const json::value& v = ids->get_array()[i];
      const std::string at = "filing_ids[" + std::to_string(i) + "]";
      if (!v.is_string() || !IsValidFilingId(std::string(v.get_string()))) {
        r.Fail(at, "is not a valid filing id");
      } else if (!seen.insert(std::string(v.get_string())).second) {
        r.Fail(at, "is repeated");
      } else {
        req.filing_ids.emplace_back(v.get_string());
      }
    }
  }
  if (!r.errors().empty()) return InvalidFields(std::move(r.errors()));
  return req;
}

std::string NumberGrantsToJson(const NumberGrants& g) {
  json::array grants;
  for (const GrantRecord& r : g.grants) {
    grants.push_back(
        json::object{{"account_id", r.account_id}, {"granted_at", FormatRfc3339Cst(r.granted_at)}});
  }
  json::array used;
  for (const Filing& f : g.used_by) {
    used.push_back(json::object{{"filing_id", f.id},
                                {"domain", f.domain},
                                {"account_id", f.account_id},
                                {"state", FilingStateName(f.state)},
                                {"submitted_at", FormatRfc3339Cst(f.created_at)}});
  }
  json::object o{{"code", g.code}, {"grants", std::move(grants)}, {"used_by", std::move(used)}};
  return Ser(o);
}

namespace {

json::value MsTime(std::optional<int64_t> ms) {
  if (!ms) return nullptr;
  return json::value(FormatRfc3339Cst(Time{std::chrono::seconds{*ms / 1000}}));
}

json::object WebhookObject(const WebhookView& v) {
  const Webhook& w = v.webhook;
  json::array types;
  for (const auto& t : w.event_types) types.emplace_back(t);
  json::object o{{"id", w.id},
                 {"account_id", nullptr},
                 {"url", w.url},
                 {"event_types", std::move(types)},
                 {"description", w.description},
                 {"state", w.active ? "active" : "disabled"},
                 {"disabled_reason", nullptr},
                 {"created_at", FormatRfc3339Cst(w.created_at)},
                 {"updated_at", FormatRfc3339Cst(w.updated_at)},
                 {"pending", v.pending},
                 {"last_delivery_at", nullptr},
                 {"last_outcome", nullptr},
                 {"previous_secret_expires_at", nullptr}};
  if (!w.account_id.empty()) o["account_id"] = w.account_id;
  if (!w.disabled_reason.empty()) o["disabled_reason"] = w.disabled_reason;
  if (v.last) {
    o["last_delivery_at"] = MsTime(v.last->at_ms);
    o["last_outcome"] = v.last->outcome == "delivered" ? "delivered" : "failed";
  }
  if (w.previous_secret_expires_at && !w.previous_secret.empty()) {
    o["previous_secret_expires_at"] = FormatRfc3339Cst(*w.previous_secret_expires_at);
  }
  return o;
}

}  // namespace

std::string WebhookToJson(const WebhookView& w) { return json::serialize(WebhookObject(w)); }

std::string NewWebhookToJson(const NewWebhook& w) {
  json::object o = WebhookObject(w.view);
  o["secret"] = w.secret;
  return json::serialize(o);
}

std::string RotatedSecretToJson(const NewWebhook& w) {
  json::object o{{"secret", w.secret}, {"previous_secret_expires_at", nullptr}};
  if (w.view.webhook.previous_secret_expires_at) {
    o["previous_secret_expires_at"] = FormatRfc3339Cst(*w.view.webhook.previous_secret_expires_at);
  }
  return json::serialize(o);
}

std::string WebhookAttemptToJson(const WebhookAttempt& a) {
  json::object o{{"id", std::to_string(a.id)},
                 {"message_id", WebhookMessageId(a.webhook_id, a.seq)},
                 {"event_seq", a.seq},
                 {"event_type", a.event_type},
                 {"attempt", a.attempt},
                 {"at", MsTime(a.at_ms)},
                 {"outcome", a.outcome},
                 {"status", nullptr},
                 {"latency_ms", a.latency_ms},
                 {"response", a.response},
                 {"next_attempt_at", MsTime(a.next_attempt_at_ms)}};
  if (a.status) o["status"] = *a.status;
  return json::serialize(o);
}

Result<WebhookInput> ParseWebhookJson(std::string_view text, bool create) {
  BEIAN_ASSIGN_OR_RETURN(json::object obj, ParseObject(text));
  FieldReader r(obj, "");
  r.AllowOnly({"url", "event_types", "description", "state"});
  WebhookInput in;
  in.url = r.Str("url", create);
  in.description = r.Str("description", false);
  if (const json::value* t = r.Get("event_types"); t != nullptr && !t->is_null()) {
    bool good = t->is_array();
    std::vector<std::string> types;
    if (good) {
      for (const json::value& item : t->get_array()) {
        if (!item.is_string()) {
          good = false;
          break;
        }
        types.emplace_back(item.get_string());
      }
    }
    if (good) {
      in.event_types = std::move(types);
    } else {
      r.Fail("event_types", "must be an array of event type names");
    }
  }
  if (auto st = r.Str("state", false)) {
    if (*st == "active") {
      in.active = true;
    } else if (*st == "disabled") {
      in.active = false;
    } else {
      r.Fail("state", "must be \"active\" or \"disabled\"");
    }
  }
  if (!r.errors().empty()) return InvalidFields(std::move(r.errors()));
  return in;
}

Result<WebhookReplay> ParseWebhookReplayJson(std::string_view text) {
  BEIAN_ASSIGN_OR_RETURN(json::object obj, ParseObject(text));
  FieldReader r(obj, "");
  r.AllowOnly({"event_ids", "since", "until"});
  WebhookReplay out;
  if (const json::value* ids = r.Get("event_ids"); ids != nullptr && !ids->is_null()) {
    bool good = ids->is_array();
    if (good) {
      for (const json::value& item : ids->get_array()) {
        if (item.is_int64() && item.get_int64() > 0) {
          out.seqs.push_back(item.get_int64());
        } else {
          good = false;
          break;
        }
      }
    }
    if (!good) r.Fail("event_ids", "must be an array of event seq numbers");
  }
  for (const char* name : {"since", "until"}) {
    if (auto t = r.Str(name, false)) {
      std::optional<Time> parsed = ParseRfc3339(*t);
      if (!parsed) {
        r.Fail(name, "must be an RFC 3339 time");
      } else {
        (std::string_view(name) == "since" ? out.since : out.until) = parsed;
      }
    }
  }
  if (out.seqs.empty() && !(out.since && out.until) && r.errors().empty()) {
    r.Fail("event_ids", "give event_ids, or since and until");
  }
  if (!r.errors().empty()) return InvalidFields(std::move(r.errors()));
  return out;
}

}  // namespace beian
