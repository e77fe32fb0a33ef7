#include <algorithm>

#include "service/internal.h"
#include "service/product_cache.h"

namespace beian {

Result<UpsertOutcome> Service::UpsertProduct(const Principal& actor, ProductInput input) {
  if (!actor.HasRole(OperatorRole::kInventory))
    return svc::NeedsRole(actor, OperatorRole::kInventory);
  BEIAN_ASSIGN_OR_RETURN(svc::PreparedProduct prepared, svc::PrepareProduct(std::move(input)));
  const Time now = Now();
  return WriteTx([&](Tx& tx) -> Result<UpsertOutcome> {
    BEIAN_ASSIGN_OR_RETURN(svc::UpsertDone done,
                           svc::UpsertInTx(tx, policy_, actor, now, prepared));
    UpsertOutcome out;
    out.created = done.created;
    out.issued = done.issued;
    out.view = svc::MakeProductView(tx, policy_, now, std::move(done.product));
    return out;
  });
}

Status Service::ReleaseProduct(const Principal& actor, std::string_view product_id) {
  if (!actor.HasRole(OperatorRole::kInventory))
    return svc::NeedsRole(actor, OperatorRole::kInventory);
  const Time now = Now();
  return WriteTx([&](Tx& tx) -> Status {
    std::optional<Product> p = tx.GetProduct(product_id);
    if (!p) return svc::NotFound();
    if (svc::IsReleased(*p)) return OkStatus();
    p->status = ProductStatus::kReleased;
    p->updated_at = now;
    tx.UpsertProduct(*p);
    svc::AppendEvent(tx, actor, now, "product.released", p->account_id, p->id);
    return OkStatus();
  });
}

Result<ProductView> Service::GetProduct(const Principal& actor, std::string_view product_id) {
  const Time now = Now();
  // Taken before the read: if it is still the same at a later request, nothing was committed
  // since, and what this read returns is still the database's state then.
  const std::optional<ChangeStamp> stamp = store_.CurrentChangeStamp();
  std::optional<svc::ProductCache::Entry> entry;
  if (stamp) entry = product_cache_->Find(product_id, *stamp);
  if (!entry) {
    BEIAN_ASSIGN_OR_RETURN(entry, store_.Read([&](Tx& tx) -> Result<svc::ProductCache::Entry> {
      std::optional<Product> p = tx.GetProduct(product_id);
      if (!p) return svc::NotFound();
      const int used = svc::QuotaUsed(tx, policy_, *p);
      return svc::ProductCache::Entry{std::move(*p), used};
    }));
    if (stamp) product_cache_->Put(*stamp, *entry);
  }
  if (!svc::CanSeeProduct(actor, entry->product)) return svc::NotFound();
  return svc::ProductViewOf(policy_, now, std::move(entry->product), entry->used);
}

Result<Page<ProductView>> Service::ListProducts(const Principal& actor, const ProductQuery& q) {
  BEIAN_RETURN_IF_ERROR(svc::CheckLimit(q.page.limit));
  BEIAN_ASSIGN_OR_RETURN(std::string after, svc::PageStart(PageList::kProducts, q.page.page_token));
  ProductFilter f;
  f.account_id = actor.IsOperator() ? q.account_id : std::optional(actor.account_id);
  f.kind = q.kind;
  f.include_released = actor.IsOperator();
  const std::size_t want = static_cast<std::size_t>(q.page.limit) + 1;
  // With a can_apply filter, scan in larger batches until the page is full.
  f.limit = q.can_apply ? std::max(q.page.limit + 1, 100) : q.page.limit + 1;
  const Time now = Now();
  auto items = store_.Read([&](Tx& tx) -> Result<std::vector<ProductView>> {
    std::vector<ProductView> out;
    f.after_id = after;
    while (out.size() < want) {
      std::vector<Product> batch = tx.ListProducts(f);
      const std::size_t scanned = batch.size();
      const std::string last_id = batch.empty() ? "" : batch.back().id;
      for (ProductView& v : svc::MakeProductViews(tx, policy_, now, std::move(batch))) {
        if (q.can_apply && v.eligibility.can_apply != *q.can_apply) continue;
        out.push_back(std::move(v));
        if (out.size() == want) break;
      }
      if (scanned < static_cast<std::size_t>(f.limit)) break;
      f.after_id = last_id;
    }
    return out;
  });
  if (!items.ok()) return std::move(items).error();
  Page<ProductView> page;
  page.items = std::move(items.value());
  if (page.items.size() == want) {
    page.items.pop_back();
    page.next_page_token = EncodePageToken(PageList::kProducts, page.items.back().product.id);
  }
  return page;
}

}  // namespace beian
