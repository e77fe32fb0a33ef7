#include "domain/policy.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>

namespace beian {
namespace {

void ExpectSameKind(const KindPolicy& a, const KindPolicy& b, Kind k) {
  EXPECT_EQ(a.min_months, b.min_months) << KindName(k);
  EXPECT_EQ(a.needs_public_ip, b.needs_public_ip) << KindName(k);
  EXPECT_EQ(a.quota, b.quota) << KindName(k);
  EXPECT_EQ(a.scope, b.scope) << KindName(k);
  EXPECT_EQ(a.issue, b.issue) << KindName(k);
  EXPECT_EQ(a.accepts_vhost_credentials, b.accepts_vhost_credentials) << KindName(k);
}

void ExpectSamePolicy(const Policy& a, const Policy& b) {
  for (Kind k : kAllKinds) ExpectSameKind(a.For(k), b.For(k), k);
  EXPECT_EQ(a.non_mainland_regions, b.non_mainland_regions);
  EXPECT_EQ(a.sn_lookup_limit, b.sn_lookup_limit);
  EXPECT_EQ(a.sn_lookup_window, b.sn_lookup_window);
  EXPECT_EQ(a.vhost_password_limit, b.vhost_password_limit);
  EXPECT_EQ(a.vhost_password_window, b.vhost_password_window);
  EXPECT_EQ(a.token_max_lifetime_days, b.token_max_lifetime_days);
  EXPECT_EQ(a.audit_retention_days, b.audit_retention_days);
  for (auto [x, y] : {std::pair{a.account_writes, b.account_writes},
                      std::pair{a.token_writes, b.token_writes}, std::pair{a.imports, b.imports}}) {
    EXPECT_EQ(x.burst, y.burst);
    EXPECT_EQ(x.per_minute, y.per_minute);
  }
}

// The error text of a refused policy (en), or "" when it was accepted.
std::string Refusal(std::string_view toml) {
  const auto r = ParsePolicy(toml, "test.toml");
  if (r.ok()) return "";
  EXPECT_EQ(r.error().code, ErrorCode::kInvalidPolicy);
  EXPECT_NE(r.error().detail.zh.find("test.toml"), std::string::npos);
  return r.error().detail.en;
}

TEST(Policy, DefaultsAreTheKindsTableOfRules) {
  using enum Kind;
  const Policy p = DefaultPolicy();
  constexpr auto kP = QuotaScope::kProduct;
  constexpr auto kReq = IssueMode::kOnRequest;
  ExpectSameKind(p.For(kEcs), {3, true, 5, kP, kReq, false}, kEcs);
  ExpectSameKind(p.For(kSwas), {3, true, 5, kP, kReq, false}, kSwas);
  ExpectSameKind(p.For(kVhost), {3, false, 5, kP, kReq, true}, kVhost);
  ExpectSameKind(p.For(kSharedHost), {3, false, 5, kP, kReq, false}, kSharedHost);
  ExpectSameKind(p.For(kWebHosting), {6, false, 5, QuotaScope::kAccount, kReq, false}, kWebHosting);
  ExpectSameKind(p.For(kMarketplaceSite), {12, false, 1, kP, IssueMode::kAutomatic, false},
                 kMarketplaceSite);
  ExpectSameKind(p.For(kNatGateway), {1, true, 2, kP, kReq, false}, kNatGateway);
  ExpectSameKind(p.For(kEns), {3, true, 5, kP, kReq, false}, kEns);
  EXPECT_EQ(p.For(kCxtShop).quota, 0);
  EXPECT_EQ(p.For(kCxtShop).issue, IssueMode::kNever);
  EXPECT_EQ(p.kinds.size(), std::size(kAllKinds));
  EXPECT_EQ(p.sn_lookup_limit, 10);
  EXPECT_EQ(p.sn_lookup_window, std::chrono::minutes{15});
  EXPECT_EQ(p.vhost_password_limit, 5);
  EXPECT_EQ(p.vhost_password_window, std::chrono::minutes{15});
}

TEST(Policy, MainlandRegions) {
  Policy p = DefaultPolicy();
  EXPECT_TRUE(p.IsMainland("cn-hangzhou"));
  EXPECT_TRUE(p.IsMainland("cn-beijing"));
  EXPECT_FALSE(p.IsMainland("cn-hongkong"));
  EXPECT_FALSE(p.IsMainland("ap-southeast-1"));
  EXPECT_FALSE(p.IsMainland("us-west-1"));
  EXPECT_FALSE(p.IsMainland(""));
  EXPECT_FALSE(p.IsMainland("cn"));
  p.non_mainland_regions = {"cn-macau"};
  EXPECT_FALSE(p.IsMainland("cn-macau"));
  EXPECT_TRUE(p.IsMainland("cn-shanghai"));
}

TEST(Policy, FileOverridesDefaults) {
  const auto r = ParsePolicy(R"(
non_mainland_regions = ["cn-macau", "cn-taipei"]
[limits]
sn_lookup_limit = 20
vhost_password_window_seconds = 60
token_write_burst = 7
imports_per_minute = 3
[kinds.ecs]
quota = 8
min_months = 1
[kinds.nat_gateway]
needs_public_ip = false
scope = "account"
issue = "automatic"
)",
                             "p.toml");
  ASSERT_TRUE(r.ok()) << r.error().detail.en;
  EXPECT_EQ(r->For(Kind::kEcs).quota, 8);
  EXPECT_EQ(r->For(Kind::kEcs).min_months, 1);
  EXPECT_TRUE(r->For(Kind::kEcs).needs_public_ip);  // untouched keys keep their default
  EXPECT_FALSE(r->For(Kind::kNatGateway).needs_public_ip);
  EXPECT_EQ(r->For(Kind::kNatGateway).scope, QuotaScope::kAccount);
  EXPECT_EQ(r->For(Kind::kNatGateway).issue, IssueMode::kAutomatic);
  EXPECT_EQ(r->sn_lookup_limit, 20);
  EXPECT_EQ(r->vhost_password_window, std::chrono::seconds{60});
  EXPECT_EQ(r->sn_lookup_window, std::chrono::seconds{900});
  EXPECT_EQ(r->token_writes.burst, 7);
  EXPECT_EQ(r->token_writes.per_minute, 60);
  EXPECT_EQ(r->imports.per_minute, 3);
  EXPECT_FALSE(r->IsMainland("cn-taipei"));
}

TEST(Policy, EmptyFileIsTheDefaults) {
  const auto r = ParsePolicy("# nothing\n", "empty.toml");
  ASSERT_TRUE(r.ok());
  ExpectSamePolicy(*r, DefaultPolicy());
}

TEST(PolicyErrors, UnknownKeysAreRefused) {
  EXPECT_NE(Refusal("colour = 1").find("colour: unknown key"), std::string::npos);
  EXPECT_NE(Refusal("[limits]\nsn_lookups = 3").find("limits.sn_lookups: unknown key"),
            std::string::npos);
  EXPECT_NE(Refusal("[kinds.ecs]\nquotas = 3").find("kinds.ecs.quotas: unknown key"),
            std::string::npos);
  EXPECT_NE(Refusal("[kinds.vps]\nquota = 3").find("kinds.vps: unknown product kind"),
            std::string::npos);
}

TEST(PolicyErrors, WrongTypesAreRefused) {
  EXPECT_NE(Refusal("[kinds.ecs]\nquota = \"5\"").find("kinds.ecs.quota: must be an integer"),
            std::string::npos);
  EXPECT_NE(Refusal("[kinds.ecs]\nmin_months = 3.5").find("kinds.ecs.min_months"),
            std::string::npos);
  EXPECT_NE(Refusal("[kinds.ecs]\nneeds_public_ip = 1").find("must be true or false"),
            std::string::npos);
  EXPECT_NE(Refusal("limits = 3").find("limits: must be a table"), std::string::npos);
  EXPECT_NE(Refusal("kinds = { ecs = 3 }").find("kinds.ecs: must be a table"), std::string::npos);
  EXPECT_NE(Refusal("non_mainland_regions = \"cn-macau\"").find("must be an array"),
            std::string::npos);
  EXPECT_NE(Refusal("non_mainland_regions = [1]").find("region id"), std::string::npos);
  EXPECT_NE(Refusal("non_mainland_regions = [\"a\\\"b\"]").find("region id"), std::string::npos);
}

TEST(PolicyErrors, ValuesOutOfRangeAreRefused) {
  EXPECT_NE(Refusal("[kinds.ecs]\nquota = -1").find("kinds.ecs.quota: must be an integer from 0"),
            std::string::npos);
  EXPECT_NE(Refusal("[kinds.ecs]\nmin_months = 121").find("kinds.ecs.min_months"),
            std::string::npos);
  EXPECT_NE(Refusal("[limits]\nsn_lookup_limit = 0").find("limits.sn_lookup_limit"),
            std::string::npos);
  EXPECT_NE(Refusal("[limits]\nsn_lookup_window_seconds = 99999999").find("window_seconds"),
            std::string::npos);
  EXPECT_NE(
      Refusal("[kinds.ecs]\nscope = \"region\"").find(R"(must be one of "product", "account")"),
      std::string::npos);
  EXPECT_NE(Refusal("[kinds.ecs]\nissue = \"sometimes\"").find("kinds.ecs.issue"),
            std::string::npos);
  EXPECT_NE(Refusal("[kinds.ecs]\nquota = 99999999999").find("kinds.ecs.quota"), std::string::npos);
}

TEST(PolicyErrors, SyntaxErrorNamesFileAndLine) {
  const std::string e = Refusal("[kinds.ecs]\nquota = = 3\n");
  EXPECT_NE(e.find("invalid policy file test.toml: line 2"), std::string::npos) << e;
  EXPECT_NE(e.find("TOML syntax error"), std::string::npos) << e;
  EXPECT_EQ(e.find('\n'), std::string::npos) << "one line: " << e;
}

TEST(PolicyErrors, UnreadableFile) {
  const auto r = LoadPolicyFile("/nonexistent/beian-policy.toml");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kInvalidPolicy);
  EXPECT_NE(r.error().detail.en.find("/nonexistent/beian-policy.toml"), std::string::npos);
}

TEST(Policy, LoadsFromFileAndNamesItInErrors) {
  char path[] = "/tmp/beian-policy-XXXXXX";
  const int fd = mkstemp(path);
  ASSERT_GE(fd, 0);
  close(fd);
  std::ofstream(path) << "[kinds.swas]\nquota = 2\n";
  const auto ok = LoadPolicyFile(path);
  ASSERT_TRUE(ok.ok()) << ok.error().detail.en;
  EXPECT_EQ(ok->For(Kind::kSwas).quota, 2);
  std::ofstream(path) << "[kinds.swas]\nquota = true\n";
  const auto bad = LoadPolicyFile(path);
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().detail.en.find(std::string(path) + ": kinds.swas.quota"),
            std::string::npos);
  std::remove(path);
}

TEST(Policy, TomlRoundTrips) {
  const Policy defaults = DefaultPolicy();
  const auto again = ParsePolicy(PolicyToToml(defaults), "show");
  ASSERT_TRUE(again.ok()) << again.error().detail.en;
  ExpectSamePolicy(*again, defaults);

  Policy changed = DefaultPolicy();
  changed.non_mainland_regions = {"cn-macau", "cn-taipei"};
  changed.kinds[Kind::kEns] = {0, false, 0, QuotaScope::kAccount, IssueMode::kNever, true};
  changed.sn_lookup_limit = 3;
  changed.vhost_password_window = std::chrono::seconds{7};
  changed.audit_retention_days = 400;
  const std::string text = PolicyToToml(changed);
  const auto parsed = ParsePolicy(text, "show");
  ASSERT_TRUE(parsed.ok()) << parsed.error().detail.en << "\n" << text;
  ExpectSamePolicy(*parsed, changed);
  EXPECT_EQ(PolicyToToml(*parsed), text);
}

TEST(Policy, AuditRetentionIsForeverOrAtLeastAWeek) {
  EXPECT_EQ(DefaultPolicy().audit_retention_days, 0);
  const auto p = ParsePolicy("[audit]\nretention_days = 30\n", "t");
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->audit_retention_days, 30);
  EXPECT_NE(Refusal("[audit]\nretention_days = 3\n").find("at least 7 days"), std::string::npos);
  EXPECT_NE(Refusal("[audit]\nretention_days = -1\n"), "");
  EXPECT_NE(Refusal("[audit]\nkeep = 1\n").find("unknown key"), std::string::npos);
}

TEST(Policy, Names) {
  EXPECT_EQ(QuotaScopeName(QuotaScope::kAccount), "account");
  EXPECT_EQ(QuotaScopeName(QuotaScope::kProduct), "product");
  EXPECT_EQ(IssueModeName(IssueMode::kOnRequest), "on_request");
  EXPECT_EQ(IssueModeName(IssueMode::kAutomatic), "automatic");
  EXPECT_EQ(IssueModeName(IssueMode::kNever), "never");
}

}  // namespace
}  // namespace beian
