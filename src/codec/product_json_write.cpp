// ProductToJson and EligibilityToJson (product_json.h). Written with JsonOut: the product is the
// body of GET /v1/products/{id}, and a Boost.JSON tree cost a tenth of that request's CPU. The
// text is the same as that of the tree these functions built before (product_json_test.cpp).
#include "codec/json_out.h"
#include "codec/product_json.h"
#include "domain/messages.h"

namespace beian {
namespace {

void WriteEligibility(JsonOut& j, const Eligibility& e, Lang lang) {
  j.BeginObject().Key("can_apply").Bool(e.can_apply).Key("reasons").BeginArray();
  for (const Reason& r : e.reasons) {
    j.BeginObject()
        .Key("code")
        .String(ReasonCodeName(r.code))
        .Key("message")
        .String(ReasonMessage(r).In(lang))
        .Key("remedy")
        .String(ReasonRemedy(r).In(lang));
    if (r.renew_until) j.Key("renew_until").String(FormatRfc3339Cst(*r.renew_until));
    j.EndObject();
  }
  j.EndArray().Key("hints").BeginArray();
  for (HintCode h : e.hints) {
    j.BeginObject()
        .Key("code")
        .String(HintCodeName(h))
        .Key("message")
        .String(HintMessage(h).In(lang))
        .EndObject();
  }
  j.EndArray()
      .Key("quota")
      .BeginObject()
      .Key("scope")
      .String(QuotaScopeName(e.quota.scope))
      .Key("limit")
      .Int(e.quota.limit)
      .Key("used")
      .Int(e.quota.used)
      .Key("remaining")
      .Int(e.quota.remaining())
      .EndObject()
      .EndObject();
}

}  // namespace

std::string ProductToJson(const Product& p, const Eligibility& e, Lang lang) {
  std::string out;
  out.reserve(512);
  JsonOut j(out);
  j.BeginObject()
      .Key("id")
      .String(p.id)
      .Key("account_id")
      .String(p.account_id)
      .Key("kind")
      .String(KindName(p.kind))
      .Key("kind_title")
      .String(KindTitle(p.kind, lang == Lang::kEn))
      .Key("name")
      .String(p.name)
      .Key("billing")
      .String(BillingName(p.billing))
      .Key("region")
      .String(p.region)
      .Key("public_ips")
      .BeginArray();
  for (const std::string& ip : p.public_ips) j.String(ip);
  j.EndArray().Key("expires_at");
  if (p.expires_at) {
    j.String(FormatRfc3339Cst(*p.expires_at));
  } else {
    j.Null();
  }
  j.Key("status")
      .String(ProductStatusName(p.status))
      .Key("vhost_username")
      .String(p.vhost_username);
  if (p.created_at != Time{}) j.Key("created_at").String(FormatRfc3339Cst(p.created_at));
  if (p.updated_at != Time{}) j.Key("updated_at").String(FormatRfc3339Cst(p.updated_at));
  j.Key("eligibility");
  WriteEligibility(j, e, lang);
  j.EndObject();
  return out;
}

std::string EligibilityToJson(const Eligibility& e, Lang lang) {
  std::string out;
  JsonOut j(out);
  WriteEligibility(j, e, lang);
  return out;
}

}  // namespace beian
