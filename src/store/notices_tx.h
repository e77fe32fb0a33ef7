#pragma once
// Notices in the store (011_notices.sql), inside one transaction (Tx); the statements are named
// in store/statements.h like Tx's. Throws StoreError like Tx.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/entities.h"
#include "domain/notices.h"
#include "domain/product.h"
#include "store/tx.h"

namespace beian {
namespace store_internal {
struct Statements;
}

// Keyset position of a scan: rows after (at, id) in (at, id) order.
struct ScanCursor {
  int64_t at = INT64_MIN;
  std::string id;
};

// A product that may have lapsed, with when its status and IPs last changed.
struct LapseCandidate {
  Product product;
  ProductChanges changes;
};

class NoticesTx {
 public:
  explicit NoticesTx(Tx& tx) : tx_(tx) {}

  // Inserts `n` (id and created_at are set from the row) unless a notice of the same
  // (kind, object_id, occurred_at) exists, also one a concurrent transaction is inserting (this
  // waits for it on PostgreSQL). True when inserted.
  [[nodiscard]] bool TryInsert(Notice& n);

  // Notices of one account (all when nullopt) with id < before_id (0: from the newest), newest
  // first, at most `limit`.
  std::vector<Notice> List(const std::optional<std::string>& account_id, int64_t before_id,
                           int limit);

  // Scan candidates, each at most `limit`, in (time, id) order after `after`:
  // Products of `kind` on subscription, running or stopped, with expires_at in (now, horizon),
  // with an available number, and without a term notice for their current expires_at.
  std::vector<Product> TermCandidates(Kind kind, Time now, Time horizon, const ScanCursor& after,
                                      int limit);
  // Products with expires_at in (from, to], by expires_at.
  std::vector<LapseCandidate> ExpiredBetween(Time from, Time to, const ScanCursor& after,
                                             int limit);
  // Released or expired products, or products without public IPs, changed in (from, to], by
  // updated_at.
  std::vector<LapseCandidate> LapsedChangedBetween(Time from, Time to, const ScanCursor& after,
                                                   int limit);
  // Available numbers of these products (by code) that have no lapse notice since their
  // product's lapse began (NumberLapsedNotice's "since" at `now`).
  std::vector<ServiceNumber> UnnoticedAvailableNumbers(const std::vector<std::string>& product_ids,
                                                       Time now);
  // Filings in review submitted at or before `cutoff` without an overdue notice, by (created_at,
  // id).
  std::vector<Filing> OverdueCandidates(Time cutoff, const ScanCursor& after, int limit);

 private:
  const store_internal::Statements& Sql() const;
  Tx& tx_;
};

}  // namespace beian
