#include "codec/api_json.h"

#include <boost/json.hpp>
#include <initializer_list>

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
    errors_.push_back({field, field + " " + std::string(what)});
  }
  std::vector<FieldError>& errors() { return errors_; }

 private:
  const json::object& obj_;
  std::string prefix_;
  std::vector<FieldError> errors_;
};

Error InvalidFields(std::vector<FieldError> errors) {
  Error e = MakeError(ErrorCode::kInvalidRequest);
  if (!errors.empty()) {
    e.detail =
        Text{"请求字段无效：" + errors.front().detail, "invalid field: " + errors.front().detail};
  }
  e.errors = std::move(errors);
  return e;
}

// Parses a JSON object body; bad JSON and non-objects are kInvalidRequest.
Result<json::object> ParseObject(std::string_view text) {
  boost::system::error_code ec;
  json::value v = json::parse(text, ec);
  if (ec) {
    return MakeError(ErrorCode::kInvalidRequest,
                     Text{"请求体不是有效的 JSON：" + ec.message(),
                          "the request body is not valid JSON: " + ec.message()});
  }
  if (!v.is_object()) {
    return MakeError(ErrorCode::kInvalidRequest,
                     Text{"请求体必须是 JSON 对象", "the request body must be a JSON object"});
  }
  return std::move(v.get_object());
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
                 {"updated_at", FormatRfc3339Cst(f.updated_at)}};
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
  json::object o{{"id", a.id}, {"role", RoleName(a.role)}, {"name", a.name}};
  if (a.created_at.time_since_epoch().count() != 0) {
    o["created_at"] = FormatRfc3339Cst(a.created_at);
  }
  return Ser(o);
}

Result<Account> ParseAccountJson(std::string_view text, std::string_view id) {
  auto obj = ParseObject(text);
  if (!obj.ok()) return obj.take_error();
  FieldReader r(*obj, "");
  r.AllowOnly({"id", "role", "name"});
  Account a;
  a.id = std::string(id);
  if (auto body_id = r.Str("id", false); body_id && *body_id != id) {
    r.Fail("id", "does not match the id in the path");
  }
  if (auto role = r.Str("role", true)) {
    if (auto parsed = ParseRole(*role)) {
      a.role = *parsed;
    } else {
      r.Fail("role", "must be \"customer\" or \"operator\"");
    }
  }
  if (auto name = r.Str("name", false)) a.name = *name;
  if (!r.errors().empty()) return InvalidFields(std::move(r.errors()));
  return a;
}

Result<std::string> ParseGrantJson(std::string_view text) {
  auto obj = ParseObject(text);
  if (!obj.ok()) return obj.take_error();
  FieldReader r(*obj, "");
  r.AllowOnly({"account_id"});
  auto id = r.Str("account_id", true);
  if (id && !IsValidAccountId(*id)) r.Fail("account_id", "is not a valid account id");
  if (!r.errors().empty()) return InvalidFields(std::move(r.errors()));
  return *id;
}

Result<FilingRequest> ParseFilingRequestJson(std::string_view text) {
  auto obj = ParseObject(text);
  if (!obj.ok()) return obj.take_error();
  FieldReader r(*obj, "");
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
  auto obj = ParseObject(text);
  if (!obj.ok()) return obj.take_error();
  FieldReader r(*obj, "");
  r.AllowOnly({"reason"});
  auto reason = r.Str("reason", false);
  if (!r.errors().empty()) return InvalidFields(std::move(r.errors()));
  return reason.value_or("");
}

}  // namespace beian
