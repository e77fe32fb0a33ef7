#include "cli/demo_seed.h"

#include <string_view>

#include "store/store.h"

namespace beian::cli {
namespace {

struct DemoAccount {
  std::string_view id;
  Role role;
  std::string_view name;
};
// `operator` last: its presence marks a complete seed.
constexpr DemoAccount kAccounts[] = {
    {"alice", Role::kCustomer, "阿里斯"},
    {"bob", Role::kCustomer, "鲍勃"},
    {"carol", Role::kCustomer, "卡罗尔"},
    {"operator", Role::kOperator, "平台运营"},
};

const Principal kOperator{"operator", Role::kOperator};
const Principal kAlice{"alice", Role::kCustomer};

// A running subscription product in cn-hangzhou with a public IP, expiring in 12 months.
ProductInput Base(std::string_view id, std::string_view account, Kind kind, Time now, int ip) {
  ProductInput in;
  Product& p = in.product;
  p.id = std::string(id);
  p.account_id = std::string(account);
  p.kind = kind;
  p.name = std::string(id);
  p.billing = Billing::kSubscription;
  p.region = "cn-hangzhou";
  p.public_ips = {"47.96.0." + std::to_string(ip)};
  p.expires_at = AddMonthsCst(now, 12);
  p.status = ProductStatus::kRunning;
  return in;
}

std::vector<ProductInput> DemoProducts(Time now) {
  std::vector<ProductInput> v;
  int ip = 10;
  auto add = [&](std::string_view id, std::string_view account, Kind kind) -> Product& {
    v.push_back(Base(id, account, kind, now, ip++));
    return v.back().product;
  };
  add("ecs-web-1", "alice", Kind::kEcs);
  add("ecs-quota-4", "alice", Kind::kEcs);
  Product& payg = add("ecs-payg", "alice", Kind::kEcs);
  payg.billing = Billing::kPayAsYouGo;
  payg.expires_at.reset();
  add("ecs-no-ip", "alice", Kind::kEcs).public_ips.clear();
  add("ecs-short", "alice", Kind::kEcs).expires_at = AddMonthsCst(now, 1);
  Product& expired = add("ecs-expired", "alice", Kind::kEcs);
  expired.expires_at = now - std::chrono::days(10);
  expired.status = ProductStatus::kExpired;
  add("ecs-hk", "alice", Kind::kEcs).region = "cn-hongkong";
  add("swas-1", "alice", Kind::kSwas);
  Product& vhost = add("vhost-1", "alice", Kind::kVhost);
  vhost.public_ips.clear();
  vhost.vhost_username = "h-demo";
  v.back().vhost_password = "demo-pass-1";
  add("shared-1", "alice", Kind::kSharedHost).public_ips.clear();
  add("wh-1", "alice", Kind::kWebHosting);
  add("wh-2", "alice", Kind::kWebHosting);
  // 24 months: comfortably over the 12-month minimum of marketplace_site, so it is issued.
  add("mkt-1", "alice", Kind::kMarketplaceSite).expires_at = AddMonthsCst(now, 24);
  add("nat-1", "alice", Kind::kNatGateway);
  add("ens-1", "alice", Kind::kEns);
  add("shop-1", "alice", Kind::kCxtShop).public_ips.clear();
  add("bob-shop", "bob", Kind::kCxtShop).public_ips.clear();
  Product& bob_hk = add("bob-hk", "bob", Kind::kEcs);
  bob_hk.region = "cn-hongkong";
  bob_hk.billing = Billing::kPayAsYouGo;
  bob_hk.expires_at.reset();
  return v;
}

// Applies on `product` as alice; with `domain`, files it and approves (and cancels when asked).
Status Number(Service& s, std::string_view product, std::string_view domain = {},
              bool cancel = false) {
  BEIAN_ASSIGN_OR_RETURN(NumberView n, s.Apply(kAlice, product));
  if (domain.empty()) return OkStatus();
  FilingRequest req{std::string(domain), n.number.code, std::nullopt};
  BEIAN_ASSIGN_OR_RETURN(Filing f, s.SubmitFiling(kAlice, req));
  BEIAN_RETURN_IF_ERROR(s.Approve(kOperator, f.id));
  if (cancel) BEIAN_RETURN_IF_ERROR(s.Cancel(kOperator, f.id));
  return OkStatus();
}

}  // namespace

Result<bool> DemoSeeded(Store& store) {
  return store.Read([](Tx& tx) -> Result<bool> { return tx.GetAccount("operator").has_value(); });
}

Status SeedDemo(Service& s) {
  const Principal system = SystemPrincipal();
  const Time now = s.Now();
  for (const DemoAccount& a : kAccounts) {
    if (a.role == Role::kOperator) continue;
    BEIAN_RETURN_IF_ERROR(s.PutAccount(
        system,
        AccountChange{std::string(a.id), a.role, std::nullopt, std::string(a.name), std::nullopt}));
  }
  for (ProductInput& p : DemoProducts(now)) {
    BEIAN_RETURN_IF_ERROR(s.UpsertProduct(kOperator, std::move(p)));
  }
  BEIAN_RETURN_IF_ERROR(Number(s, "ecs-web-1", "filed-example.cn"));
  BEIAN_RETURN_IF_ERROR(Number(s, "ecs-web-1", "voided-example.cn", true));
  for (int i = 0; i < 4; ++i) {
    BEIAN_RETURN_IF_ERROR(Number(s, "ecs-quota-4"));
  }
  BEIAN_RETURN_IF_ERROR(Number(s, "wh-1"));
  const DemoAccount& op = kAccounts[3];
  BEIAN_RETURN_IF_ERROR(
      s.PutAccount(system, AccountChange{std::string(op.id), op.role, std::nullopt,
                                         std::string(op.name), std::nullopt}));
  return OkStatus();
}

Result<std::vector<DemoToken>> IssueDemoTokens(Service& s) {
  std::vector<DemoToken> out;
  for (std::size_t i = 0; i < std::size(kAccounts); ++i) {
    const DemoAccount& a = kAccounts[(i + 3) % std::size(kAccounts)];  // operator first
    BEIAN_ASSIGN_OR_RETURN(std::string token, s.IssueToken(SystemPrincipal(), a.id));
    out.push_back({std::string(a.id), std::string(RoleName(a.role)), std::move(token)});
  }
  return out;
}

}  // namespace beian::cli
