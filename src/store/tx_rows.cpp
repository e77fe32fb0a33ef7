#include "store/tx_rows.h"

#include <algorithm>
#include <boost/json.hpp>

namespace beian::store_internal {

std::string EncodeStrings(const std::vector<std::string>& values) {
  boost::json::array a;
  for (const auto& v : values) a.emplace_back(v);
  return boost::json::serialize(a);
}

std::vector<std::string> DecodeIps(const std::string& json) {
  boost::system::error_code ec;
  const boost::json::value v = boost::json::parse(json, ec);
  if (ec || !v.is_array()) throw StoreError("corrupt row: public_ips is not a JSON array");
  std::vector<std::string> out;
  for (const auto& e : v.as_array()) {
    if (!e.is_string()) throw StoreError("corrupt row: public_ips holds a non-string");
    out.emplace_back(e.as_string());
  }
  return out;
}

Product ProductFromRow(const Row& r) {
  Product p;
  p.id = r.Str(0);
  p.account_id = r.Str(1);
  p.kind = Must(ParseKind(r.Str(2)), "kind");
  p.name = r.Str(3);
  p.billing = Must(ParseBilling(r.Str(4)), "billing");
  p.region = r.Str(5);
  p.public_ips = DecodeIps(r.Str(6));
  if (!r.IsNull(7)) p.expires_at = FromSecs(r.Int(7));
  p.status = Must(ParseProductStatus(r.Str(8)), "status");
  p.vhost_username = r.Str(9);
  p.vhost_password_hash = r.Str(10);
  p.created_at = FromSecs(r.Int(11));
  p.updated_at = FromSecs(r.Int(12));
  return p;
}

ServiceNumber NumberFromRow(const Row& r) {
  ServiceNumber n;
  n.code = r.Str(0);
  n.product_id = r.Str(1);
  n.account_id = r.Str(2);
  n.kind = Must(ParseKind(r.Str(3)), "kind");
  n.quota_scope = r.Str(4);
  n.state = Must(ParseNumberState(r.Str(5)), "number state");
  n.issued_at = FromSecs(r.Int(6));
  n.domain = r.OptStr(7);
  n.filing_id = r.OptStr(8);
  return n;
}

void LoadGrants(Conn& conn, const Statements& sql, std::vector<ServiceNumber>& numbers) {
  if (numbers.empty()) return;
  std::vector<std::string> codes;
  codes.reserve(numbers.size());
  for (const ServiceNumber& n : numbers) codes.push_back(n.code);
  const auto rows = conn.Query(sql.grants_in, {EncodeStrings(codes)});
  auto n = numbers.begin();
  for (const Row& row : rows) {
    while (n != numbers.end() && n->code < row.Str(0)) ++n;
    if (n == numbers.end()) break;
    if (n->code == row.Str(0)) n->granted_to.push_back(row.Str(1));
  }
}

Filing FilingFromRow(const Row& r) {
  Filing f;
  f.id = r.Str(0);
  f.account_id = r.Str(1);
  f.owner_id = r.Str(2);
  f.domain = r.Str(3);
  f.service_number = r.OptStr(4);
  f.product_id = r.Str(5);
  f.state = Must(ParseFilingState(r.Str(6)), "filing state");
  f.reason = r.Str(7);
  f.created_at = FromSecs(r.Int(8));
  f.updated_at = FromSecs(r.Int(9));
  return f;
}

Event EventFromRow(const Row& r) {
  Event e;
  e.seq = r.Int(0);
  e.at = FromSecs(r.Int(1));
  e.actor = r.Str(2);
  e.type = r.Str(3);
  e.account_id = r.Str(4);
  e.subject = r.Str(5);
  e.data_json = r.Str(6);
  e.account2 = r.Str(7);
  return e;
}

ListQuery::ListQuery(std::string_view statement, std::vector<Value> params)
    : statement_(statement), params_(std::move(params)) {}

ListQuery& ListQuery::Where(std::string_view filter) {
  if (filter.find("$?") != std::string_view::npos) {
    throw StoreError("list filter without its parameter: " + std::string(filter));
  }
  filters_ += " AND ";
  filters_ += filter;
  return *this;
}

ListQuery& ListQuery::Where(std::string_view filter, Value value) {
  params_.push_back(std::move(value));
  const std::string placeholder = "$" + std::to_string(params_.size());
  filters_ += " AND ";
  for (std::size_t i = 0; i < filter.size(); ++i) {
    if (filter.compare(i, 2, "$?") == 0) {
      filters_ += placeholder;
      ++i;
    } else {
      filters_ += filter[i];
    }
  }
  return *this;
}

ListQuery& ListQuery::Where(std::string_view filter, std::vector<Value> values) {
  filters_ += " AND ";
  std::size_t next = 0;
  for (std::size_t i = 0; i < filter.size(); ++i) {
    if (filter.compare(i, 2, "$?") == 0) {
      if (next == values.size()) {
        throw StoreError("list filter with too few parameters: " + std::string(filter));
      }
      params_.push_back(std::move(values[next++]));
      filters_ += "$" + std::to_string(params_.size());
      ++i;
    } else {
      filters_ += filter[i];
    }
  }
  if (next != values.size()) {
    throw StoreError("list filter with too many parameters: " + std::string(filter));
  }
  return *this;
}

std::string ListQuery::Sql() const {
  constexpr std::string_view kWhere = "{where}", kAnd = "{and}";
  std::string out;
  out.reserve(statement_.size() + 2 * filters_.size());
  std::size_t i = 0;
  while (i < statement_.size()) {
    const std::size_t slot = statement_.find('{', i);
    if (slot == std::string_view::npos) break;
    out += statement_.substr(i, slot - i);
    if (statement_.compare(slot, kWhere.size(), kWhere) == 0) {
      // " AND f1 …" becomes " WHERE f1 …".
      if (!filters_.empty()) out += " WHERE" + filters_.substr(4);
      i = slot + kWhere.size();
    } else if (statement_.compare(slot, kAnd.size(), kAnd) == 0) {
      out += filters_;
      i = slot + kAnd.size();
    } else {
      out += '{';
      i = slot + 1;
    }
  }
  out += statement_.substr(std::min(i, statement_.size()));
  return out;
}

}  // namespace beian::store_internal
