// ProductToJson and EligibilityToJson (product_json.h).
#include <boost/json.hpp>

#include "codec/product_json.h"
#include "domain/messages.h"

namespace beian {
namespace {

namespace json = boost::json;

json::string Str(std::string_view s) { return json::string(s); }

json::object EligibilityObject(const Eligibility& e, Lang lang) {
  json::array reasons;
  reasons.reserve(e.reasons.size());
  for (const Reason& r : e.reasons) {
    json::object o;
    o["code"] = Str(ReasonCodeName(r.code));
    o["message"] = Str(ReasonMessage(r).In(lang));
    o["remedy"] = Str(ReasonRemedy(r).In(lang));
    if (r.renew_until) o["renew_until"] = Str(FormatRfc3339Cst(*r.renew_until));
    reasons.emplace_back(std::move(o));
  }
  json::array hints;
  for (HintCode h : e.hints) {
    hints.emplace_back(
        json::object{{"code", Str(HintCodeName(h))}, {"message", Str(HintMessage(h).In(lang))}});
  }
  json::object quota{{"scope", Str(QuotaScopeName(e.quota.scope))},
                     {"limit", e.quota.limit},
                     {"used", e.quota.used},
                     {"remaining", e.quota.remaining()}};
  return json::object{{"can_apply", e.can_apply},
                      {"reasons", std::move(reasons)},
                      {"hints", std::move(hints)},
                      {"quota", std::move(quota)}};
}

}  // namespace

std::string ProductToJson(const Product& p, const Eligibility& e, Lang lang) {
  json::array ips;
  for (const std::string& ip : p.public_ips) ips.emplace_back(Str(ip));
  json::object o;
  o["id"] = Str(p.id);
  o["account_id"] = Str(p.account_id);
  o["kind"] = Str(KindName(p.kind));
  o["kind_title"] = Str(KindTitle(p.kind, lang == Lang::kEn));
  o["name"] = Str(p.name);
  o["billing"] = Str(BillingName(p.billing));
  o["region"] = Str(p.region);
  o["public_ips"] = std::move(ips);
  o["expires_at"] = p.expires_at ? json::value(Str(FormatRfc3339Cst(*p.expires_at))) : nullptr;
  o["status"] = Str(ProductStatusName(p.status));
  o["vhost_username"] = Str(p.vhost_username);
  if (p.created_at != Time{}) o["created_at"] = Str(FormatRfc3339Cst(p.created_at));
  if (p.updated_at != Time{}) o["updated_at"] = Str(FormatRfc3339Cst(p.updated_at));
  o["eligibility"] = EligibilityObject(e, lang);
  return json::serialize(o);
}

std::string EligibilityToJson(const Eligibility& e, Lang lang) {
  return json::serialize(EligibilityObject(e, lang));
}

}  // namespace beian
