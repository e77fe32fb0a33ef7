#include "domain/product.h"

#include <array>
#include <utility>

namespace beian {
namespace {

struct KindInfo {
  Kind kind;
  std::string_view name;
  std::string_view zh;
  std::string_view en;
};

constexpr std::array<KindInfo, 9> kKindInfo{{
    {Kind::kEcs, "ecs", "云服务器 ECS", "ECS instance"},
    {Kind::kSwas, "swas", "轻量应用服务器", "Simple Application Server"},
    {Kind::kVhost, "vhost", "云虚拟主机", "virtual host"},
    {Kind::kSharedHost, "shared_host", "云享主机", "shared host"},
    {Kind::kWebHosting, "web_hosting", "弹性Web托管", "Elastic Web Hosting"},
    {Kind::kMarketplaceSite, "marketplace_site", "建站市场产品", "marketplace site product"},
    {Kind::kNatGateway, "nat_gateway", "NAT 网关", "NAT gateway"},
    {Kind::kEns, "ens", "边缘节点服务 ENS", "Edge Node Service (ENS)"},
    {Kind::kCxtShop, "cxt_shop", "诚信通旺铺", "CXT shop"},
}};

constexpr std::array<std::pair<Billing, std::string_view>, 2> kBillingNames{{
    {Billing::kSubscription, "subscription"},
    {Billing::kPayAsYouGo, "pay_as_you_go"},
}};

constexpr std::array<std::pair<ProductStatus, std::string_view>, 4> kStatusNames{{
    {ProductStatus::kRunning, "running"},
    {ProductStatus::kStopped, "stopped"},
    {ProductStatus::kExpired, "expired"},
    {ProductStatus::kReleased, "released"},
}};

const KindInfo& InfoOf(Kind k) { return kKindInfo[static_cast<std::size_t>(k)]; }

bool IsIdChar(char c, bool allow_colon) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
         c == '_' || c == '-' || (allow_colon && c == ':');
}

bool IsValidId(std::string_view id, std::size_t max_len, bool allow_colon) {
  if (id.empty() || id.size() > max_len) return false;
  for (char c : id) {
    if (!IsIdChar(c, allow_colon)) return false;
  }
  return true;
}

}  // namespace

std::string_view KindName(Kind k) { return InfoOf(k).name; }

std::optional<Kind> ParseKind(std::string_view s) {
  for (const auto& info : kKindInfo) {
    if (info.name == s) return info.kind;
  }
  return std::nullopt;
}

std::string_view KindTitle(Kind k, bool english) { return english ? InfoOf(k).en : InfoOf(k).zh; }

std::string_view BillingName(Billing b) {
  return kBillingNames[static_cast<std::size_t>(b)].second;
}

std::optional<Billing> ParseBilling(std::string_view s) {
  for (const auto& [value, name] : kBillingNames) {
    if (name == s) return value;
  }
  return std::nullopt;
}

std::string_view ProductStatusName(ProductStatus s) {
  return kStatusNames[static_cast<std::size_t>(s)].second;
}

std::optional<ProductStatus> ParseProductStatus(std::string_view s) {
  for (const auto& [value, name] : kStatusNames) {
    if (name == s) return value;
  }
  return std::nullopt;
}

bool IsValidProductId(std::string_view id) { return IsValidId(id, 128, true); }

bool IsValidAccountId(std::string_view id) { return IsValidId(id, 64, false); }

}  // namespace beian
