// Tx: products.
#include <boost/json.hpp>
#include <unordered_set>

#include "store/tx.h"
#include "store/tx_rows.h"

namespace beian {

using store_internal::EncodeStrings;
using store_internal::ListQuery;
using store_internal::Must;
using store_internal::ProductFromRow;
using store_internal::Secs;
using store_internal::TextValue;

std::optional<Product> Tx::GetProduct(std::string_view id) {
  const auto rows = conn_.Query(sql_.get_product, {TextValue(id)});
  if (rows.empty()) return std::nullopt;
  return ProductFromRow(rows[0]);
}

std::vector<Product> Tx::GetProducts(const std::vector<std::string>& ids) {
  std::vector<Product> out;
  if (ids.empty()) return out;
  const auto rows = conn_.Query(sql_.get_products_in, {EncodeStrings(ids)});
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
  if (conn_.Exec(sql_.insert_product, params) == 1) return true;
  std::vector<Value> update = params;
  update.erase(update.begin() + 11);  // created_at is kept
  conn_.Exec(sql_.update_product, update);
  return false;
}

namespace {

// The 13 product columns in the order of insert_product, as one JSON array.
boost::json::array ProductJsonRow(const Product& p) {
  using boost::json::value;
  return boost::json::array{value(p.id),
                            value(p.account_id),
                            value(KindName(p.kind)),
                            value(p.name),
                            value(BillingName(p.billing)),
                            value(p.region),
                            value(EncodeStrings(p.public_ips)),
                            p.expires_at ? value(Secs(*p.expires_at)) : value(nullptr),
                            value(ProductStatusName(p.status)),
                            value(p.vhost_username),
                            value(p.vhost_password_hash),
                            value(Secs(p.created_at)),
                            value(Secs(p.updated_at))};
}

}  // namespace

std::vector<bool> Tx::UpsertProducts(const std::vector<Product>& products) {
  std::vector<bool> created(products.size(), false);
  if (products.empty()) return created;
  boost::json::array rows;
  for (const Product& p : products) rows.push_back(ProductJsonRow(p));
  std::unordered_set<std::string> inserted;
  for (const Row& r : conn_.Query(sql_.insert_products, {boost::json::serialize(rows)})) {
    inserted.insert(r.Str(0));
  }
  boost::json::array updates;
  for (std::size_t i = 0; i < products.size(); ++i) {
    created[i] = inserted.count(products[i].id) > 0;
    if (!created[i]) updates.push_back(std::move(rows[i]));
  }
  if (!updates.empty()) conn_.Exec(sql_.update_products, {boost::json::serialize(updates)});
  return created;
}

std::vector<Product> Tx::ListProducts(const ProductFilter& f) {
  ListQuery q(sql_.list_products, {int64_t{f.limit}});
  if (f.account_id) q.Where(sql_.products_of_account, *f.account_id);
  if (f.kind) q.Where(sql_.products_of_kind, std::string(KindName(*f.kind)));
  if (!f.after_id.empty()) q.Where(sql_.products_after, f.after_id);
  if (!f.include_released) q.Where(sql_.products_not_released);
  const auto rows = conn_.Query(q.Sql(), q.params());
  std::vector<Product> out;
  out.reserve(rows.size());
  for (const Row& r : rows) out.push_back(ProductFromRow(r));
  return out;
}

std::vector<std::pair<Kind, int64_t>> Tx::CountProductsByKind(std::string_view account_id) {
  const auto rows = conn_.Query(sql_.count_products_by_kind, {TextValue(account_id)});
  std::vector<std::pair<Kind, int64_t>> out;
  for (const Row& r : rows) out.emplace_back(Must(ParseKind(r.Str(0)), "kind"), r.Int(1));
  return out;
}

}  // namespace beian
