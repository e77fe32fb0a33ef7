// ApplyBatch (POST /v1/service-numbers) and CheckEligibility (POST /v1/eligibility).
#include <algorithm>
#include <map>
#include <set>

#include "service/internal.h"

namespace beian {
namespace {

Error BatchRefused(std::vector<ItemRefusal> items) {
  Error e = MakeError(ErrorCode::kNotEligible,
                      Text{"批量申请未发放任何备案服务号：以下产品不满足条件",
                           "no service number was issued: the products listed are not eligible"});
  e.items = std::move(items);
  return e;
}

Reason NotFoundReason() { return Reason{.code = ReasonCode::kProductNotFound}; }

// The request as the idempotency record stores it: "apply-batch:p1*2,p2*1".
std::string BatchHash(const std::vector<ApplyItem>& items) {
  std::string h = "apply-batch:";
  for (const ApplyItem& i : items) h += i.product_id + "*" + std::to_string(i.count) + ",";
  return h;
}

Status CheckItems(const std::vector<ApplyItem>& items) {
  int total = 0;
  std::set<std::string_view> seen;
  for (const ApplyItem& i : items) {
    if (i.count < 1 || !seen.insert(i.product_id).second) total = kMaxBatchNumbers + 1;
    total += i.count;
  }
  if (items.empty() || total > kMaxBatchNumbers) {
    return svc::InvalidField("items", Text{"须申请 1 到 20 个备案服务号，且每个产品只出现一次",
                                           "ask for 1 to 20 numbers in all, each product once"});
  }
  return OkStatus();
}

std::vector<std::string> SplitCodes(const std::string& s) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start < s.size()) {
    std::size_t end = s.find(',', start);
    if (end == std::string::npos) end = s.size();
    out.push_back(s.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

}  // namespace

Result<std::vector<NumberView>> Service::ApplyBatch(const Principal& actor,
                                                    const std::vector<ApplyItem>& items,
                                                    std::string_view idempotency_key) {
  if (actor.IsOperator()) return svc::CustomerOnly();
  BEIAN_RETURN_IF_ERROR(svc::CheckOptionalIdempotencyKey(idempotency_key));
  BEIAN_RETURN_IF_ERROR(CheckItems(items));
  const Time now = Now();
  const std::string request_hash = BatchHash(items);
  auto result = WriteTx([&](Tx& tx) -> Result<std::vector<NumberView>> {
    std::vector<std::string> ids;
    for (const ApplyItem& i : items) ids.push_back(i.product_id);
    std::map<std::string, Product> visible;
    for (Product& p : tx.GetProducts(ids)) {
      if (p.account_id == actor.account_id && !svc::IsReleased(p)) visible.emplace(p.id, p);
    }
    // Every quota row of the batch is locked, in key order (no deadlock between batches), before
    // anything is read: concurrent batches and single applies in these scopes run one after
    // another, and so does a concurrent retry with the same key.
    std::map<std::string, int> used;
    for (const auto& [id, p] : visible) {
      if (std::string scope = svc::QuotaScopeKey(policy_, p); !scope.empty()) used[scope] = 0;
    }
    for (auto& [scope, n] : used) n = tx.LockQuota(scope);
    if (!idempotency_key.empty()) {
      if (auto rec = tx.GetIdempotency(actor.account_id, idempotency_key)) {
        if (rec->request_hash != request_hash) {
          return MakeError(ErrorCode::kIdempotencyKeyReused);
        }
        std::vector<ServiceNumber> numbers;
        for (const std::string& code : SplitCodes(rec->result)) {
          std::optional<ServiceNumber> n = tx.GetNumber(code);
          if (!n) return MakeError(ErrorCode::kInternal);
          numbers.push_back(std::move(*n));
        }
        return svc::MakeNumberViews(tx, policy_, now, std::move(numbers));
      }
    }
    std::vector<ItemRefusal> refused;
    std::vector<NumberView> issued;
    for (const ApplyItem& item : items) {
      auto it = visible.find(item.product_id);
      if (it == visible.end()) {
        refused.push_back({item.product_id, {NotFoundReason()}});
        continue;
      }
      const Product& p = it->second;
      const std::string scope = svc::QuotaScopeKey(policy_, p);
      for (int k = 0; k < item.count; ++k) {
        Eligibility e = Evaluate(p, policy_, now, scope.empty() ? 0 : used[scope]);
        if (!e.can_apply) {
          refused.push_back({item.product_id, std::move(e.reasons)});
          break;
        }
        NumberView view;
        view.number = svc::IssueNumber(tx, actor, now, p, scope);
        view.usable = UsabilityFailures(p, policy_, now).empty();
        ++used[scope];
        issued.push_back(std::move(view));
      }
    }
    if (!refused.empty()) return BatchRefused(std::move(refused));  // rolls everything back
    if (!idempotency_key.empty()) {
      std::string codes;
      for (const NumberView& v : issued) codes += (codes.empty() ? "" : ",") + v.number.code;
      tx.PutIdempotency(IdempotencyRecord{actor.account_id, std::string(idempotency_key),
                                          request_hash, codes, now});
    }
    return issued;
  });
  MaybePurge(now);
  return result;
}

Result<std::vector<EligibilityItem>> Service::CheckEligibility(
    const Principal& actor, const std::vector<std::string>& product_ids) {
  if (product_ids.empty() || product_ids.size() > kMaxEligibilityProducts) {
    return svc::InvalidField("product_ids",
                             Text{"须给出 1 到 500 个产品 ID", "give 1 to 500 product ids"});
  }
  const Time now = Now();
  return store_.Read([&](Tx& tx) -> Result<std::vector<EligibilityItem>> {
    std::vector<Product> found;
    for (Product& p : tx.GetProducts(product_ids)) {
      // The caller's own products only, also for operators: this is the purchase page's check.
      if (p.account_id == actor.account_id && !svc::IsReleased(p)) found.push_back(std::move(p));
    }
    std::map<std::string, Eligibility> by_id;
    for (ProductView& v : svc::MakeProductViews(tx, policy_, now, std::move(found))) {
      by_id.emplace(v.product.id, std::move(v.eligibility));
    }
    std::vector<EligibilityItem> out;
    for (const std::string& id : product_ids) {
      EligibilityItem item{id, {}};
      if (auto it = by_id.find(id); it != by_id.end()) {
        item.eligibility = it->second;
      } else {
        item.eligibility.reasons.push_back(NotFoundReason());
      }
      out.push_back(std::move(item));
    }
    return out;
  });
}

Result<std::vector<EligibilityItem>> Service::CheckEligibility(
    const std::vector<ProductInput>& products) const {
  if (products.empty() || products.size() > kMaxEligibilityProducts) {
    return svc::InvalidField("products", Text{"须给出 1 到 500 个产品", "give 1 to 500 products"});
  }
  const Time now = Now();
  std::vector<EligibilityItem> out;
  for (const ProductInput& in : products) {
    out.push_back({in.product.id, Evaluate(in.product, policy_, now, 0)});
  }
  return out;
}

}  // namespace beian
