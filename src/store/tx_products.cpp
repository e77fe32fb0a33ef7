// Tx: products.
#include "store/tx.h"
#include "store/tx_rows.h"

namespace beian {

using store_internal::AddCond;
using store_internal::EncodeStrings;
using store_internal::InStrings;
using store_internal::kProductCols;
using store_internal::Must;
using store_internal::Param;
using store_internal::ProductFromRow;
using store_internal::Secs;
using store_internal::TextValue;

std::optional<Product> Tx::GetProduct(std::string_view id) {
  const auto rows = conn_.Query(
      "SELECT " + std::string(kProductCols) + " FROM products WHERE id = $1", {TextValue(id)});
  if (rows.empty()) return std::nullopt;
  return ProductFromRow(rows[0]);
}

std::vector<Product> Tx::GetProducts(const std::vector<std::string>& ids) {
  std::vector<Product> out;
  if (ids.empty()) return out;
  std::vector<Value> params;
  const std::string in = InStrings(conn_.dialect(), params, ids);
  const auto rows = conn_.Query(
      "SELECT " + std::string(kProductCols) + " FROM products WHERE id " + in, params);
  out.reserve(rows.size());
  for (const Row& r : rows) out.push_back(ProductFromRow(r));
  return out;
}

bool Tx::UpsertProduct(const Product& p) {
  Value expires = nullptr;
  if (p.expires_at) expires = Secs(*p.expires_at);
  const std::vector<Value> params = {p.id,
                                     p.account_id,
                                     std::string(KindName(p.kind)),
                                     p.name,
                                     std::string(BillingName(p.billing)),
                                     p.region,
                                     EncodeStrings(p.public_ips),
                                     expires,
                                     std::string(ProductStatusName(p.status)),
                                     p.vhost_username,
                                     p.vhost_password_hash,
                                     Secs(p.created_at),
                                     Secs(p.updated_at)};
  if (conn_.Exec("INSERT INTO products (" + std::string(kProductCols) +
                     ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) "
                     "ON CONFLICT (id) DO NOTHING",
                 params) == 1) {
    return true;
  }
  std::vector<Value> update = params;
  update.erase(update.begin() + 11);  // created_at is kept
  conn_.Exec(
      "UPDATE products SET account_id = $2, kind = $3, name = $4, billing = $5, region = $6, "
      "public_ips = $7, expires_at = $8, status = $9, vhost_username = $10, "
      "vhost_password_hash = $11, updated_at = $12 WHERE id = $1",
      update);
  return false;
}

std::vector<Product> Tx::ListProducts(const ProductFilter& f) {
  std::vector<Value> params;
  std::string where;
  if (f.account_id) AddCond(where, "account_id = " + Param(params, *f.account_id));
  if (f.kind) AddCond(where, "kind = " + Param(params, std::string(KindName(*f.kind))));
  if (!f.after_id.empty()) AddCond(where, "id > " + Param(params, f.after_id));
  if (!f.include_released) AddCond(where, "status <> 'released'");
  const std::string limit = Param(params, int64_t{f.limit});
  const auto rows = conn_.Query("SELECT " + std::string(kProductCols) + " FROM products" + where +
                                    " ORDER BY id LIMIT " + limit,
                                params);
  std::vector<Product> out;
  out.reserve(rows.size());
  for (const Row& r : rows) out.push_back(ProductFromRow(r));
  return out;
}

std::vector<std::pair<Kind, int64_t>> Tx::CountProductsByKind(std::string_view account_id) {
  const auto rows = conn_.Query(
      "SELECT kind, COUNT(*) FROM products WHERE account_id = $1 AND status <> 'released' "
      "GROUP BY kind ORDER BY kind",
      {TextValue(account_id)});
  std::vector<std::pair<Kind, int64_t>> out;
  for (const Row& r : rows) out.emplace_back(Must(ParseKind(r.Str(0)), "kind"), r.Int(1));
  return out;
}

}  // namespace beian
