#include "codec/api_json.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>

namespace beian {
namespace {
namespace json = boost::json;

json::object Parse(const std::string& text) { return json::parse(text).as_object(); }

TEST(ApiJsonTest, NumberHasEveryFieldWithNullsForUnset) {
  NumberView v;
  v.number.code = "7K2QX-9MZ4P-R8T1V-C3W0A-4HJ9D";
  v.number.product_id = "i-1";
  v.number.account_id = "alice";
  v.number.state = NumberState::kAvailable;
  v.number.issued_at = Time{std::chrono::seconds{1800000000}};
  v.number.granted_to = {"carol"};
  v.usable = true;
  json::object o = Parse(NumberToJson(v));
  EXPECT_EQ(o.at("code"), "7K2QX-9MZ4P-R8T1V-C3W0A-4HJ9D");
  EXPECT_EQ(o.at("state"), "available");
  EXPECT_EQ(o.at("usable"), true);
  EXPECT_TRUE(o.at("domain").is_null());
  EXPECT_TRUE(o.at("filing_id").is_null());
  EXPECT_EQ(o.at("granted_to").as_array().size(), 1u);
  EXPECT_EQ(o.at("issued_at"), "2027-01-15T16:00:00+08:00");
}

TEST(ApiJsonTest, FilingWithHostCredentialsHasNoNumber) {
  Filing f;
  f.id = "f-aaaaaaaaaaaaaaaaaaaa";
  f.account_id = "alice";
  f.domain = "example.cn";
  f.product_id = "vh-1";
  f.state = FilingState::kRejected;
  f.reason = "名称不符";
  json::object o = Parse(FilingToJson(f));
  EXPECT_TRUE(o.at("service_number").is_null());
  EXPECT_EQ(o.at("state"), "rejected");
  EXPECT_EQ(o.at("reason"), "名称不符");
}

TEST(ApiJsonTest, EventEmbedsItsDataObject) {
  Event e;
  e.seq = 7;
  e.type = "number.issued";
  e.data_json = R"({"product_id":"i-1"})";
  json::object o = Parse(EventToJson(e));
  EXPECT_EQ(o.at("seq"), 7);
  EXPECT_EQ(o.at("data").at("product_id"), "i-1");
  e.data_json = "";
  EXPECT_TRUE(Parse(EventToJson(e)).at("data").as_object().empty());
}

TEST(ApiJsonTest, AccountBody) {
  auto a = ParseAccountJson(R"({"role":"operator","name":"运营"})", "ops");
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->id, "ops");
  EXPECT_EQ(a->role, Role::kOperator);
  EXPECT_EQ(a->name, "运营");
  EXPECT_FALSE(a->roles.has_value());
  auto roles = ParseAccountJson(R"({"roles":["reviewer","inventory"],"status":"disabled"})", "r");
  ASSERT_TRUE(roles.ok());
  EXPECT_EQ(roles->roles, RoleBit(OperatorRole::kReviewer) | RoleBit(OperatorRole::kInventory));
  EXPECT_EQ(roles->disabled, true);
  EXPECT_FALSE(roles->role.has_value());
  for (const char* bad :
       {R"({"roles":["root"]})", R"({"roles":"admin"})", R"({"status":"gone"})",
        R"({"role":"root"})", R"({"role":"customer","x":1})", R"({"role":"customer","name":1})",
        R"({"role":"customer","id":"other"})", "[]", "{"}) {
    auto r = ParseAccountJson(bad, "ops");
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.error().code, ErrorCode::kInvalidRequest) << bad;
  }
  auto unknown = ParseAccountJson(R"({"role":"customer","colour":"red"})", "ops");
  ASSERT_EQ(unknown.error().errors.size(), 1u);
  EXPECT_EQ(unknown.error().errors[0].field, "colour");
}

TEST(ApiJsonTest, TokenBodies) {
  auto t = ParseTokenRequestJson(R"({"name":"ci","scopes":["numbers:read"],"expires_in":3600})");
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->name, "ci");
  EXPECT_EQ(t->scopes, ScopeBit(Scope::kNumbersRead));
  EXPECT_EQ(t->expires_in, std::chrono::seconds(3600));
  EXPECT_TRUE(ParseTokenRequestJson("").ok());
  for (const char* bad : {R"({"scopes":["root"]})", R"({"scopes":"numbers:read"})",
                          R"({"expires_in":-1})", R"({"expires_in":1.5})", R"({"x":1})"}) {
    EXPECT_FALSE(ParseTokenRequestJson(bad).ok()) << bad;
  }
  EXPECT_EQ(*ParseRotateJson(R"({"grace_seconds":600})"), 600);
  EXPECT_EQ(*ParseRotateJson(""), 0);
  EXPECT_FALSE(ParseRotateJson(R"({"grace_seconds":86401})").ok());
}

TEST(ApiJsonTest, FilingRequestNeedsExactlyOneWayToProve) {
  auto sn = ParseFilingRequestJson(R"({"domain":"a.cn","service_number":"X"})");
  ASSERT_TRUE(sn.ok());
  EXPECT_EQ(*sn->service_number, "X");
  EXPECT_FALSE(sn->vhost);
  auto vh = ParseFilingRequestJson(
      R"({"domain":"a.cn","vhost":{"product_id":"v","username":"u","password":"p"}})");
  ASSERT_TRUE(vh.ok());
  EXPECT_EQ(vh->vhost->password, "p");
  for (
      const char* bad :
      {R"({"domain":"a.cn"})", R"({"service_number":"X"})",
       R"({"domain":"a.cn","service_number":"X","vhost":{"product_id":"v","username":"u","password":"p"}})",
       R"({"domain":"a.cn","vhost":{"product_id":"v","username":"u"}})",
       R"({"domain":"a.cn","vhost":{"product_id":"v","username":"u","password":"p","x":1}})",
       R"({"domain":"a.cn","service_number":5})"}) {
    auto r = ParseFilingRequestJson(bad);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_FALSE(r.error().errors.empty()) << bad;
  }
}

TEST(ApiJsonTest, GrantAndRejectBodies) {
  EXPECT_EQ(*ParseGrantJson(R"({"account_id":"carol"})"), "carol");
  EXPECT_FALSE(ParseGrantJson(R"({"account_id":"bad id"})").ok());
  EXPECT_FALSE(ParseGrantJson(R"({})").ok());
  EXPECT_EQ(*ParseRejectJson(""), "");
  EXPECT_EQ(*ParseRejectJson(R"({"reason":"no"})"), "no");
  EXPECT_FALSE(ParseRejectJson(R"({"reason":1})").ok());
  EXPECT_FALSE(ParseRejectJson(R"({"why":"x"})").ok());
}

}  // namespace
}  // namespace beian
