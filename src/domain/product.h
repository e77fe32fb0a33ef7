#pragma once
// Products: fileable resources that a customer account bought.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/time.h"

namespace beian {

enum class Kind {
  kEcs,
  kSwas,
  kVhost,
  kSharedHost,
  kWebHosting,
  kMarketplaceSite,
  kNatGateway,
  kEns,
  kCxtShop,
};
inline constexpr Kind kAllKinds[] = {Kind::kEcs,        Kind::kSwas,       Kind::kVhost,
                                     Kind::kSharedHost, Kind::kWebHosting, Kind::kMarketplaceSite,
                                     Kind::kNatGateway, Kind::kEns,        Kind::kCxtShop};

enum class Billing { kSubscription, kPayAsYouGo };
enum class ProductStatus { kRunning, kStopped, kExpired, kReleased };

// Wire names: "ecs", "swas", "vhost", "shared_host", "web_hosting", "marketplace_site",
// "nat_gateway", "ens", "cxt_shop"; "subscription", "pay_as_you_go"; "running", "stopped",
// "expired", "released". Parse* return nullopt for an unknown name.
std::string_view KindName(Kind k);
std::optional<Kind> ParseKind(std::string_view s);
std::string_view BillingName(Billing b);
std::optional<Billing> ParseBilling(std::string_view s);
std::string_view ProductStatusName(ProductStatus s);
std::optional<ProductStatus> ParseProductStatus(std::string_view s);
// The product name shown to users, e.g. "云服务器 ECS" / "ECS instance".
std::string_view KindTitle(Kind k, bool english);

struct Product {
  std::string id;          // [A-Za-z0-9._:-]{1,128}
  std::string account_id;  // [A-Za-z0-9._-]{1,64}
  Kind kind = Kind::kEcs;
  std::string name;
  Billing billing = Billing::kSubscription;
  std::string region;
  std::vector<std::string> public_ips;
  std::optional<Time> expires_at;  // required for subscription billing
  ProductStatus status = ProductStatus::kRunning;
  std::string vhost_username;
  std::string vhost_password_hash;  // libsodium crypto_pwhash_str output; never the password
  Time created_at{};
  Time updated_at{};
};

bool IsValidProductId(std::string_view id);
bool IsValidAccountId(std::string_view id);

}  // namespace beian
