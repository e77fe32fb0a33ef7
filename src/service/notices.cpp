// Notices: the scan that emits them and the list (service.h ScanNotices, ListNotices).
#include <boost/json.hpp>
#include <map>

#include "service/internal.h"
#include "store/notices_tx.h"

namespace beian {
namespace {

using NoticeList = std::vector<Notice>;

// The event of a notice: ids and dates only.
std::string EventData(const Notice& n) {
  boost::json::object o;
  o["notice_id"] = n.id;
  switch (n.kind) {
    case NoticeKind::kTermExpiring:
      o["product_id"] = n.object_id;
      o["expires_at"] = FormatRfc3339Cst(n.occurred_at);
      o["below_minimum_at"] = FormatRfc3339Cst(n.due_at);
      o["min_months"] = n.min_months;
      break;
    case NoticeKind::kNumberLapsed:
      o["code"] = n.object_id;
      o["product_id"] = n.product_id;
      o["cause"] = n.detail;
      o["since"] = FormatRfc3339Cst(n.occurred_at);
      break;
    case NoticeKind::kReviewOverdue:
      o["filing_id"] = n.object_id;
      o["product_id"] = n.product_id;
      o["domain"] = n.detail;
      o["submitted_at"] = FormatRfc3339Cst(n.occurred_at);
      o["overdue_since"] = FormatRfc3339Cst(n.due_at);
      o["review_days"] = n.review_days;
      break;
  }
  return boost::json::serialize(o);
}

// Inserts each notice (those emitted before are skipped) with its event; returns how many were
// new. `second` names, per object id, a second account the event concerns.
int Emit(Tx& tx, NoticeList& notices, Time now,
         const std::map<std::string, std::string>& second = {}) {
  NoticesTx ntx(tx);
  int emitted = 0;
  for (Notice& n : notices) {
    n.created_at = now;
    if (!ntx.TryInsert(n)) continue;
    const auto other = second.find(n.object_id);
    svc::AppendEvent(tx, SystemPrincipal(), now, std::string(NoticeKindName(n.kind)), n.account_id,
                     n.object_id, EventData(n), other == second.end() ? "" : other->second);
    ++emitted;
  }
  return emitted;
}

}  // namespace

Result<NoticeScanReport> Service::ScanNotices(Time now) {
  NoticeScanReport report;
  const int batch = kNoticeBatch;
  // Term notices, kind by kind (each kind has its own horizon).
  for (Kind kind : kAllKinds) {
    const KindPolicy& kp = policy_.For(kind);
    if (kp.issue == IssueMode::kNever) continue;
    const Time horizon = TermNoticeHorizon(kp, policy_, now);
    ScanCursor cursor;
    for (;;) {
      // A retried transaction starts again from `cursor`: only a committed run moves it on.
      ScanCursor next = cursor;
      int emitted = 0;
      auto r = store_.Write([&](Tx& tx) -> Result<std::size_t> {
        const auto products = NoticesTx(tx).TermCandidates(kind, now, horizon, cursor, batch);
        NoticeList due;
        for (const Product& p : products) {
          if (auto n = TermExpiringNotice(p, policy_, now, true)) due.push_back(std::move(*n));
        }
        emitted = Emit(tx, due, now);
        if (!products.empty()) {
          next = {products.back().expires_at->time_since_epoch().count(), products.back().id};
        }
        return products.size();
      });
      if (!r.ok()) return r.error();
      report.term_expiring += emitted;
      cursor = next;
      if (*r < static_cast<std::size_t>(batch)) break;
    }
  }
  // Lapse notices: products that expired, or changed into a lapsed state, within the lookback.
  for (int source = 0; source < 2; ++source) {
    ScanCursor cursor;
    for (;;) {
      ScanCursor next = cursor;
      int emitted = 0;
      auto r = store_.Write([&](Tx& tx) -> Result<std::size_t> {
        NoticesTx ntx(tx);
        const Time from = now - kNoticeLookback;
        const auto products = source == 0 ? ntx.ExpiredBetween(from, now, cursor, batch)
                                          : ntx.LapsedChangedBetween(from, now, cursor, batch);
        if (products.empty()) return std::size_t{0};
        std::map<std::string, const LapseCandidate*> by_id;
        std::vector<std::string> ids;
        for (const LapseCandidate& c : products) {
          by_id[c.product.id] = &c;
          ids.push_back(c.product.id);
        }
        NoticeList due;
        for (const ServiceNumber& n : ntx.UnnoticedAvailableNumbers(ids, now)) {
          const auto it = by_id.find(n.product_id);
          if (it == by_id.end()) continue;
          const LapseCandidate& c = *it->second;
          if (auto notice = NumberLapsedNotice(n, c.product, c.changes, policy_, now)) {
            due.push_back(std::move(*notice));
          }
        }
        emitted = Emit(tx, due, now);
        const Product& last = products.back().product;
        const Time at = source == 0 ? *last.expires_at : last.updated_at;
        next = {at.time_since_epoch().count(), last.id};
        return products.size();
      });
      if (!r.ok()) return r.error();
      report.number_lapsed += emitted;
      cursor = next;
      if (*r < static_cast<std::size_t>(batch)) break;
    }
  }
  // Overdue reviews.
  const Time cutoff = ReviewOverdueCutoff(policy_, now);
  ScanCursor cursor;
  for (;;) {
    ScanCursor next = cursor;
    int emitted = 0;
    auto r = store_.Write([&](Tx& tx) -> Result<std::size_t> {
      const auto filings = NoticesTx(tx).OverdueCandidates(cutoff, cursor, batch);
      NoticeList due;
      std::map<std::string, std::string> owners;
      for (const Filing& f : filings) {
        if (auto n = ReviewOverdueNotice(f, policy_, now)) due.push_back(std::move(*n));
        owners[f.id] = f.owner_id;
      }
      emitted = Emit(tx, due, now, owners);
      if (!filings.empty()) {
        next = {filings.back().created_at.time_since_epoch().count(), filings.back().id};
      }
      return filings.size();
    });
    if (!r.ok()) return r.error();
    report.review_overdue += emitted;
    cursor = next;
    if (*r < static_cast<std::size_t>(batch)) break;
  }
  return report;
}

Result<NoticePage> Service::ListNotices(const Principal& actor, const NoticeQuery& q) {
  BEIAN_RETURN_IF_ERROR(svc::CheckLimit(q.limit));
  if (q.before < 0) {
    return svc::InvalidField("before", Text{"before 不能为负数", "before must not be negative"});
  }
  std::optional<std::string> only = q.account_id;
  if (!actor.IsOperator()) {
    if (q.account_id && *q.account_id != actor.account_id) return svc::Forbidden();
    only = actor.account_id;
  }
  return store_.Read([&](Tx& tx) -> Result<NoticePage> {
    NoticePage page;
    page.items = NoticesTx(tx).List(only, q.before, q.limit);
    if (page.items.size() == static_cast<std::size_t>(q.limit)) {
      page.next_before = page.items.back().id;
    }
    return page;
  });
}

}  // namespace beian
