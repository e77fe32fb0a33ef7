#include "codec/product_json.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <vector>

#include "domain/messages.h"

namespace beian {
namespace {

namespace json = boost::json;

constexpr std::string_view kEcs = R"({"id": "i-bp1a2b3c", "account_id": "alice", "kind": "ecs",
 "name": "web-1", "billing": "subscription", "region": "cn-hangzhou",
 "public_ips": ["47.96.1.2", "2001:DB8::0:1"], "expires_at": "2027-11-27T00:00:00+08:00",
 "status": "stopped", "vhost_username": "h123", "vhost_password": "s3cret"})";

// The first field error of a refused product, as "field: detail".
std::string Refusal(std::string_view text) {
  const auto r = ParseProductJson(text);
  if (r.ok()) return "accepted";
  EXPECT_EQ(r.error().code, ErrorCode::kInvalidRequest);
  EXPECT_FALSE(r.error().errors.empty());
  EXPECT_FALSE(r.error().detail.zh.empty());
  return r.error().detail.en;
}

std::string With(std::string_view field_and_value) {
  std::string base = R"({"id": "p1", "account_id": "alice", "kind": "ecs", "billing":
    "subscription", "region": "cn-beijing", "expires_at": "2027-01-01T00:00:00Z")";
  if (!field_and_value.empty()) base += ", " + std::string(field_and_value);
  return base + "}";
}

TEST(ParseProductJson, ReadsEveryField) {
  const auto r = ParseProductJson(kEcs);
  ASSERT_TRUE(r.ok()) << r.error().detail.en;
  const Product& p = r->product;
  EXPECT_EQ(p.id, "i-bp1a2b3c");
  EXPECT_EQ(p.account_id, "alice");
  EXPECT_EQ(p.kind, Kind::kEcs);
  EXPECT_EQ(p.name, "web-1");
  EXPECT_EQ(p.billing, Billing::kSubscription);
  EXPECT_EQ(p.region, "cn-hangzhou");
  EXPECT_EQ(p.public_ips, (std::vector<std::string>{"47.96.1.2", "2001:db8::1"}));
  ASSERT_TRUE(p.expires_at.has_value());
  EXPECT_EQ(FormatRfc3339Utc(*p.expires_at), "2027-11-26T16:00:00Z");
  EXPECT_EQ(p.status, ProductStatus::kStopped);
  EXPECT_EQ(p.vhost_username, "h123");
  EXPECT_EQ(r->vhost_password, "s3cret");
  EXPECT_TRUE(p.vhost_password_hash.empty());
}

TEST(ParseProductJson, OptionalFieldsDefault) {
  const auto r = ParseProductJson(With(R"("name": null, "public_ips": null)"));
  ASSERT_TRUE(r.ok()) << r.error().detail.en;
  EXPECT_EQ(r->product.status, ProductStatus::kRunning);
  EXPECT_TRUE(r->product.public_ips.empty());
  EXPECT_TRUE(r->product.name.empty());
  EXPECT_FALSE(r->vhost_password.has_value());
}

TEST(ParseProductJson, PayAsYouGoNeedsNoExpiry) {
  const auto r = ParseProductJson(
      R"({"id": "p1", "account_id": "a", "kind": "ecs", "billing": "pay_as_you_go",
          "region": "cn-beijing"})");
  ASSERT_TRUE(r.ok()) << r.error().detail.en;
  EXPECT_FALSE(r->product.expires_at.has_value());
  EXPECT_EQ(r->product.billing, Billing::kPayAsYouGo);
}

TEST(ParseProductJson, SubscriptionWithoutExpiryIsRefused) {
  EXPECT_EQ(Refusal(R"({"id": "p1", "account_id": "a", "kind": "ecs", "billing": "subscription",
                        "region": "cn-beijing"})"),
            "expires_at: required for subscription billing");
  EXPECT_EQ(Refusal(R"({"id": "p1", "account_id": "a", "kind": "ecs", "billing": "subscription",
                        "region": "cn-beijing", "expires_at": null})"),
            "expires_at: required for subscription billing");
}

TEST(ParseProductJson, RefusesBadFields) {
  EXPECT_EQ(Refusal(With(R"("kind2": 1)")), "kind2: unknown field");
  EXPECT_EQ(Refusal(With(R"("eligibility": {})")), "eligibility: unknown field");
  EXPECT_EQ(Refusal(With(R"("status": "deleted")")), "status: unknown value \"deleted\"");
  EXPECT_EQ(Refusal(With(R"("name": 5)")), "name: must be a string");
  EXPECT_EQ(Refusal(With(R"("public_ips": "1.2.3.4")")).substr(0, 22), "public_ips: must be an");
  EXPECT_EQ(Refusal(With(R"("public_ips": ["1.2.3.256"])")),
            "public_ips: not an IPv4 or IPv6 address: \"1.2.3.256\"");
  EXPECT_EQ(Refusal(With(R"("public_ips": [12])")), "public_ips: not an IPv4 or IPv6 address: 12");
  EXPECT_EQ(Refusal(With(R"("status": "a\nb")")), "status: unknown value \"a\\nb\"");
  EXPECT_EQ(Refusal(With(R"("vhost_password": "")")), "vhost_password: must be 1 to 1024 bytes");
  EXPECT_EQ(Refusal(With(R"("name": ")" + std::string(257, 'n') + "\"")),
            "name: must be at most 256 bytes");
}

TEST(ParseProductJson, RefusesMalformedIps) {
  for (const char* ip : {"1.2.3", "1.2.3.4.5", "01.2.3.4", " 1.2.3.4", "fe80::1%eth0", "::g",
                         "1:2:3:4:5:6:7:8:9", "localhost", ""}) {
    json::object o = json::parse(With("")).as_object();
    o["public_ips"] = json::array{json::string(ip)};
    EXPECT_NE(Refusal(json::serialize(o)).find("not an IPv4 or IPv6 address"), std::string::npos)
        << ip;
  }
  const auto ok = ParseProductJson(With(R"("public_ips": ["::ffff:10.0.0.1", "::1", "8.8.8.8"])"));
  ASSERT_TRUE(ok.ok()) << ok.error().detail.en;
  EXPECT_EQ(ok->product.public_ips.size(), 3u);
}

TEST(ParseProductJson, RefusesBadIdsAndNames) {
  EXPECT_EQ(Refusal(R"({"id": "a/b", "account_id": "alice", "kind": "ecs",
    "billing": "pay_as_you_go", "region": "cn-beijing"})"),
            "id: must match [A-Za-z0-9._:-]{1,128}");
  EXPECT_EQ(Refusal(R"({"id": "ab", "account_id": "al:ice", "kind": "ecs",
    "billing": "pay_as_you_go", "region": "cn-beijing"})"),
            "account_id: must match [A-Za-z0-9._-]{1,64}");
  EXPECT_EQ(Refusal(R"({"id": "ab", "account_id": "alice", "kind": "vps",
    "billing": "pay_as_you_go", "region": "cn-beijing"})"),
            "kind: unknown value \"vps\"");
  EXPECT_EQ(Refusal(R"({"id": "ab", "account_id": "alice", "kind": "ecs",
    "billing": "monthly", "region": "cn-beijing"})"),
            "billing: unknown value \"monthly\"");
  EXPECT_EQ(Refusal(R"({"id": "ab", "account_id": "alice", "kind": "ecs",
    "billing": "pay_as_you_go", "region": ""})"),
            "region: must be a region id such as cn-hangzhou");
}

TEST(ParseProductJson, RefusesMalformedTimes) {
  EXPECT_EQ(Refusal(With("").replace(With("").find("2027-01-01T00:00:00Z"), 20, "2027-02-30")),
            "expires_at: must be an RFC 3339 date-time such as 2027-11-27T00:00:00+08:00");
  const std::string wrong_type = R"({"id": "p1", "account_id": "a", "kind": "ecs",
    "billing": "subscription", "region": "cn-beijing", "expires_at": 1700000000})";
  EXPECT_EQ(Refusal(wrong_type), "expires_at: must be a string");
}

TEST(ParseProductJson, ListsEveryBadFieldAndNamesTheFirst) {
  const auto r = ParseProductJson(R"({"id": "", "kind": "vps", "billing": "subscription",
                                      "region": "cn-beijing", "colour": "red"})");
  ASSERT_FALSE(r.ok());
  std::vector<std::string> fields;
  for (const FieldError& f : r.error().errors) fields.push_back(f.field);
  EXPECT_EQ(fields, (std::vector<std::string>{"id", "account_id", "kind", "expires_at", "colour"}));
  EXPECT_EQ(r.error().detail.en, "id: must match [A-Za-z0-9._:-]{1,128}");
  EXPECT_EQ(r.error().errors[1].detail, "required");
}

TEST(ParseProductJson, RefusesNonObjectsAndBadJson) {
  EXPECT_EQ(Refusal("[1, 2]"), "must be a JSON object");
  EXPECT_EQ(Refusal("\"ecs\""), "must be a JSON object");
  EXPECT_EQ(Refusal("").substr(0, 16), "not valid JSON: ");
  EXPECT_EQ(Refusal("{\"id\": ").substr(0, 16), "not valid JSON: ");
  EXPECT_EQ(Refusal(With("") + "x").substr(0, 16), "not valid JSON: ");
  EXPECT_EQ(Refusal("{\"name\": \"\xff\"}").substr(0, 16), "not valid JSON: ");
}

TEST(ProductToJson, ShapeAndNoSecrets) {
  auto in = ParseProductJson(kEcs);
  ASSERT_TRUE(in.ok());
  Product p = in->product;
  p.vhost_password_hash = "$argon2id$secret-hash";
  p.created_at = *ParseRfc3339("2026-01-01T00:00:00Z");
  Eligibility e;
  e.can_apply = true;
  e.quota = Quota{QuotaScope::kProduct, 5, 2};
  const std::string text = ProductToJson(p, e, Lang::kZh);
  EXPECT_EQ(text.find("argon2id"), std::string::npos);
  EXPECT_EQ(text.find("s3cret"), std::string::npos);
  const json::object o = json::parse(text).as_object();
  EXPECT_EQ(o.at("id"), "i-bp1a2b3c");
  EXPECT_EQ(o.at("kind"), "ecs");
  EXPECT_EQ(o.at("kind_title"), "云服务器 ECS");
  EXPECT_EQ(o.at("expires_at"), "2027-11-27T00:00:00+08:00");
  EXPECT_EQ(o.at("created_at"), "2026-01-01T08:00:00+08:00");
  EXPECT_EQ(o.at("status"), "stopped");
  EXPECT_EQ(o.at("public_ips").as_array().size(), 2u);
  EXPECT_EQ(o.at("eligibility").at("can_apply"), true);
  EXPECT_EQ(o.at("eligibility").at("quota").at("remaining"), 3);
  EXPECT_FALSE(o.contains("vhost_password"));
  EXPECT_FALSE(o.contains("vhost_password_hash"));

  p.expires_at.reset();
  const json::object payg = json::parse(ProductToJson(p, e, Lang::kEn)).as_object();
  EXPECT_TRUE(payg.at("expires_at").is_null());
  EXPECT_EQ(payg.at("kind_title"), "ECS instance");
}

TEST(EligibilityToJson, ReasonsHintsAndQuota) {
  Product p = ParseProductJson(kEcs)->product;
  p.region = "cn-hongkong";
  p.public_ips.clear();
  const Time now = *ParseRfc3339("2027-10-01T10:00:00+08:00");
  const Eligibility e = Evaluate(p, DefaultPolicy(), now, 5);
  const json::object zh = json::parse(EligibilityToJson(e, Lang::kZh)).as_object();
  EXPECT_EQ(zh.at("can_apply"), false);
  const json::array& reasons = zh.at("reasons").as_array();
  ASSERT_EQ(reasons.size(), 4u);
  EXPECT_EQ(reasons[0].at("code"), "REGION_NOT_MAINLAND");
  EXPECT_EQ(reasons[1].at("code"), "REMAINING_TERM_TOO_SHORT");
  EXPECT_EQ(reasons[1].at("renew_until"), "2028-01-01T10:00:00+08:00");
  EXPECT_NE(reasons[1].at("remedy").as_string().find("2028-01-01"), json::string::npos);
  EXPECT_EQ(reasons[2].at("code"), "NO_PUBLIC_IP");
  EXPECT_FALSE(reasons[2].as_object().contains("renew_until"));
  EXPECT_EQ(reasons[3].at("code"), "QUOTA_EXHAUSTED");
  for (const json::value& r : reasons) {
    EXPECT_FALSE(r.at("message").as_string().empty());
    EXPECT_FALSE(r.at("remedy").as_string().empty());
  }
  const json::array& hints = zh.at("hints").as_array();
  ASSERT_EQ(hints.size(), 1u);
  EXPECT_EQ(hints[0].at("code"), "HONG_KONG_NO_FILING_NEEDED");
  EXPECT_EQ(zh.at("quota"),
            json::parse(R"({"scope": "product", "limit": 5, "used": 5, "remaining": 0})"));

  const json::object en = json::parse(EligibilityToJson(e, Lang::kEn)).as_object();
  EXPECT_EQ(en.at("reasons").at(2).at("message"),
            "The instance has no fileable IP: it has no public bandwidth or public IP.");
}

// ProductToJson as it was written with a Boost.JSON tree: the faster writer must give the same
// bytes.
json::object TreeEligibility(const Eligibility& e, Lang lang) {
  json::array reasons;
  for (const Reason& r : e.reasons) {
    json::object o;
    o["code"] = ReasonCodeName(r.code);
    o["message"] = ReasonMessage(r).In(lang);
    o["remedy"] = ReasonRemedy(r).In(lang);
    if (r.renew_until) o["renew_until"] = FormatRfc3339Cst(*r.renew_until);
    reasons.emplace_back(std::move(o));
  }
  json::array hints;
  for (HintCode h : e.hints) {
    hints.emplace_back(
        json::object{{"code", HintCodeName(h)}, {"message", HintMessage(h).In(lang)}});
  }
  json::object quota{{"scope", QuotaScopeName(e.quota.scope)},
                     {"limit", e.quota.limit},
                     {"used", e.quota.used},
                     {"remaining", e.quota.remaining()}};
  return json::object{{"can_apply", e.can_apply},
                      {"reasons", std::move(reasons)},
                      {"hints", std::move(hints)},
                      {"quota", std::move(quota)}};
}

std::string TreeProduct(const Product& p, const Eligibility& e, Lang lang) {
  json::array ips;
  for (const std::string& ip : p.public_ips) ips.emplace_back(json::string(ip));
  json::object o;
  o["id"] = p.id;
  o["account_id"] = p.account_id;
  o["kind"] = KindName(p.kind);
  o["kind_title"] = KindTitle(p.kind, lang == Lang::kEn);
  o["name"] = p.name;
  o["billing"] = BillingName(p.billing);
  o["region"] = p.region;
  o["public_ips"] = std::move(ips);
  o["expires_at"] = p.expires_at ? json::value(FormatRfc3339Cst(*p.expires_at)) : nullptr;
  o["status"] = ProductStatusName(p.status);
  o["vhost_username"] = p.vhost_username;
  if (p.created_at != Time{}) o["created_at"] = FormatRfc3339Cst(p.created_at);
  if (p.updated_at != Time{}) o["updated_at"] = FormatRfc3339Cst(p.updated_at);
  o["eligibility"] = TreeEligibility(e, lang);
  return json::serialize(o);
}

TEST(ProductToJson, SameBytesAsTheBoostJsonTree) {
  const Time now = *ParseRfc3339("2027-10-01T10:00:00+08:00");
  std::vector<Product> products;
  Product base = ParseProductJson(kEcs)->product;
  for (Kind k : kAllKinds) {
    for (std::string_view region : {"cn-hangzhou", "cn-hongkong", "us-west-1"}) {
      Product p = base;
      p.kind = k;
      p.region = std::string(region);
      products.push_back(p);
    }
  }
  Product odd = base;  // every byte a name may hold, escapes, no IPs, no expiry, times set
  odd.name = "引号\"\\ \b\f\n\r\t\x01\x1f\x7f é";
  odd.public_ips.clear();
  odd.expires_at.reset();
  odd.billing = Billing::kPayAsYouGo;
  odd.status = ProductStatus::kReleased;
  odd.vhost_username = "h\"1";
  odd.created_at = *ParseRfc3339("2026-01-01T00:00:00Z");
  odd.updated_at = *ParseRfc3339("2026-02-03T04:05:06Z");
  products.push_back(odd);
  Product soon = base;  // renew_until in a reason
  soon.expires_at = *ParseRfc3339("2027-11-01T00:00:00+08:00");
  products.push_back(soon);
  int compared = 0;
  for (const Product& p : products) {
    for (int used : {0, 2, 5, 100}) {
      const Eligibility e = Evaluate(p, DefaultPolicy(), now, used);
      for (Lang lang : {Lang::kZh, Lang::kEn}) {
        ASSERT_EQ(ProductToJson(p, e, lang), TreeProduct(p, e, lang)) << p.name << " " << used;
        ASSERT_EQ(EligibilityToJson(e, lang), json::serialize(TreeEligibility(e, lang)));
        ++compared;
      }
    }
  }
  EXPECT_EQ(compared, 232);
}

}  // namespace
}  // namespace beian
