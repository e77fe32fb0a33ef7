#include "codec/search_stats_json.h"

#include "codec/json_out.h"

namespace beian {
namespace {

void OptString(JsonOut& j, const std::optional<std::string>& s) {
  if (s) {
    j.String(*s);
  } else {
    j.Null();
  }
}

void OptInt(JsonOut& j, const std::optional<int64_t>& v) {
  if (v) {
    j.Int(*v);
  } else {
    j.Null();
  }
}

void WriteHit(JsonOut& j, const SearchHit& h) {
  j.BeginObject().Key("type").String(SearchTypeName(h.type));
  if (h.number) {
    const ServiceNumber& n = h.number->number;
    j.Key("id").String(n.code).Key("href").String("/v1/service-numbers/" + n.code);
    j.Key("state").String(NumberStateName(n.state)).Key("product_id").String(n.product_id);
    j.Key("kind").String(KindName(n.kind)).Key("domain");
    OptString(j, n.domain);
    j.Key("usable").Bool(h.number->usable);
  } else if (h.product) {
    const Product& p = h.product->product;
    j.Key("id").String(p.id).Key("href").String("/v1/products/" + p.id);
    j.Key("name").String(p.name).Key("kind").String(KindName(p.kind));
    j.Key("status").String(ProductStatusName(p.status)).Key("account_id").String(p.account_id);
    j.Key("public_ips").BeginArray();
    for (const std::string& ip : p.public_ips) j.String(ip);
    j.EndArray().Key("can_apply").Bool(h.product->eligibility.can_apply);
  } else if (h.filing) {
    const Filing& f = *h.filing;
    j.Key("id").String(f.id).Key("href").String("/v1/filings/" + f.id);
    j.Key("domain").String(f.domain).Key("state").String(FilingStateName(f.state));
    j.Key("service_number");
    OptString(j, f.service_number);
    j.Key("account_id").String(f.account_id);
  } else if (h.account) {
    const Account& a = *h.account;
    j.Key("id").String(a.id).Key("href").Null();
    j.Key("name").String(a.name).Key("role").String(RoleName(a.role));
    j.Key("status").String(a.disabled ? "disabled" : "active");
  }
  j.EndObject();
}

}  // namespace

std::string SearchResultsToJson(const std::vector<SearchHit>& hits) {
  std::string out;
  JsonOut j(out);
  j.BeginObject().Key("results").BeginArray();
  for (const SearchHit& h : hits) WriteHit(j, h);
  j.EndArray().EndObject();
  return out;
}

std::string DashboardStatsToJson(const DashboardStats& d) {
  std::string out;
  JsonOut j(out);
  j.BeginObject()
      .Key("from")
      .String(FormatRfc3339Cst(d.query.from))
      .Key("to")
      .String(FormatRfc3339Cst(d.query.to))
      .Key("bucket")
      .String(StatsBucketName(d.query.bucket))
      .Key("series")
      .BeginObject()
      .Key("numbers_issued")
      .BeginArray();
  for (const auto& [t, n] : d.numbers_issued) {
    j.BeginObject().Key("t").String(FormatRfc3339Cst(t)).Key("n").Int(n).EndObject();
  }
  j.EndArray().Key("filings_by_state").BeginArray();
  for (const DashboardStats::FilingBucket& b : d.filings_by_state) {
    j.BeginObject()
        .Key("t")
        .String(FormatRfc3339Cst(b.t))
        .Key("in_review")
        .Int(b.in_review)
        .Key("approved")
        .Int(b.approved)
        .Key("rejected")
        .Int(b.rejected)
        .Key("withdrawn")
        .Int(b.withdrawn)
        .Key("cancelled")
        .Int(b.cancelled)
        .EndObject();
  }
  j.EndArray()
      .Key("review_queue")
      .BeginObject()
      .Key("size")
      .Int(d.review_queue_size)
      .Key("age_p50_seconds");
  OptInt(j, d.review_age_p50_seconds);
  j.Key("age_p90_seconds");
  OptInt(j, d.review_age_p90_seconds);
  j.EndObject().Key("quota_use_by_kind").BeginArray();
  for (const DashboardStats::KindQuota& k : d.quota_use_by_kind) {
    j.BeginObject()
        .Key("kind")
        .String(KindName(k.kind))
        .Key("scopes")
        .Int(k.scopes)
        .Key("used")
        .Int(k.used)
        .Key("limit")
        .Int(k.limit)
        .Key("exhausted")
        .Int(k.exhausted)
        .EndObject();
  }
  j.EndArray().Key("cannot_apply_by_reason").BeginArray();
  for (const auto& [code, n] : d.cannot_apply_by_reason) {
    j.BeginObject().Key("reason").String(ReasonCodeName(code)).Key("n").Int(n).EndObject();
  }
  j.EndArray()
      .EndObject()
      .Key("product_sample")
      .BeginObject()
      .Key("products")
      .Int(d.products_sampled)
      .Key("complete")
      .Bool(d.sample_complete)
      .EndObject()
      .EndObject();
  return out;
}

}  // namespace beian
