#pragma once
// Notices (issue 10): what a customer is told once per occurrence, by a scan that runs now and
// then. Three kinds: a product's remaining term will soon fall below its kind's minimum while it
// has unused numbers (product.term_expiring), an unused number stopped being usable
// (number.lapsed), a filing is in review longer than the policy's review time
// (filing.review_overdue). The decisions are pure: `now` is passed in.
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/entities.h"
#include "domain/policy.h"
#include "domain/product.h"
#include "domain/text.h"
#include "domain/time.h"

namespace beian {

enum class NoticeKind { kTermExpiring, kNumberLapsed, kReviewOverdue };
inline constexpr NoticeKind kAllNoticeKinds[] = {
    NoticeKind::kTermExpiring, NoticeKind::kNumberLapsed, NoticeKind::kReviewOverdue};
// "product.term_expiring", "number.lapsed", "filing.review_overdue" (also the event types).
std::string_view NoticeKindName(NoticeKind k);
std::optional<NoticeKind> ParseNoticeKind(std::string_view s);

// Why an unused number stopped being usable: "expired", "released", "no_public_ip".
enum class LapseCause { kExpired, kReleased, kNoPublicIp };
std::string_view LapseCauseName(LapseCause c);
std::optional<LapseCause> ParseLapseCause(std::string_view s);

// How far back the scan looks for products that changed or expired (a number that lapsed longer
// ago than this, while no scan ran, is not noticed).
inline constexpr std::chrono::seconds kNoticeLookback{30 * 24 * 3600};

// One notice. (kind, object_id, occurred_at) names the occurrence: at most one notice each.
struct Notice {
  int64_t id = 0;  // assigned by the store
  NoticeKind kind = NoticeKind::kTermExpiring;
  std::string account_id;  // the customer it is for
  std::string object_id;   // product id, number code or filing id
  std::string product_id;  // the product concerned (the object itself for term notices)
  // term_expiring: the product's expires_at; number.lapsed: when it stopped being usable;
  // review_overdue: when the filing was submitted.
  Time occurred_at{};
  // term_expiring: when the remaining term falls below the minimum (on or about);
  // review_overdue: when the review time ran out; number.lapsed: occurred_at.
  Time due_at{};
  // number.lapsed: the LapseCauseName; review_overdue: the filing's domain; else "".
  std::string detail;
  int min_months = 0;   // term_expiring: the kind's minimum remaining term
  int review_days = 0;  // review_overdue: the policy's review time
  Time created_at{};
};

// The end of the window in which products of kind `kp` get a term notice at `now`: a product
// still running on subscription that expires after `now` and before this instant is due (when
// it has unused numbers).
Time TermNoticeHorizon(const KindPolicy& kp, const Policy& policy, Time now);

// The term notice for product `p` at `now`, or nullopt when none is due: `p` is of a kind that
// gets numbers, on subscription, not expired or released, has unused numbers, and its remaining
// term (rules.md "Remaining time") falls below the kind's minimum within policy.notice_days
// (or already has, while it has not expired yet).
std::optional<Notice> TermExpiringNotice(const Product& p, const Policy& policy, Time now,
                                         bool has_unused_numbers);

// When a product's status and its public IPs last changed (its created_at when they have not).
struct ProductChanges {
  Time status_changed_at{};
  Time ips_changed_at{};
};

// The lapse notice for number `n` of product `p` at `now`, or nullopt: `n` is available and `p`
// is released (since its status changed), expired (since its expiry, or since its status changed
// when marked expired before its end date) or lacks the public IP its kind needs (since its IPs
// changed), checked in that order. So one lapse is one occurrence, whatever else of `p` changes
// meanwhile. The number's owner is told.
std::optional<Notice> NumberLapsedNotice(const ServiceNumber& n, const Product& p,
                                         const ProductChanges& changes, const Policy& policy,
                                         Time now);

// Filings in review submitted at or before this instant are overdue at `now`.
Time ReviewOverdueCutoff(const Policy& policy, Time now);
// The overdue notice for filing `f` at `now`, or nullopt unless it is in review and was submitted
// at least policy.review_days ago. The filer is told (the product's owner, when another account,
// also gets the event as its second account).
std::optional<Notice> ReviewOverdueNotice(const Filing& f, const Policy& policy, Time now);

// The notice in words (zh-CN and en) as of `now`: what happened and the remedy.
Text NoticeMessage(const Notice& n, Time now);
// Whole days from `now` until `t` (0 when `t` is not later than `now`; a started day counts).
int DaysUntil(Time now, Time t);

}  // namespace beian

namespace beian {

// What one scan emitted, per kind.
struct NoticeScanReport {
  int term_expiring = 0;
  int number_lapsed = 0;
  int review_overdue = 0;
  int total() const { return term_expiring + number_lapsed + review_overdue; }
};

// GET /v1/notices: newest first, ids below `before` (0: from the newest).
struct NoticeQuery {
  std::optional<std::string> account_id;  // operators only
  int64_t before = 0;
  int limit = 50;
};
struct NoticePage {
  std::vector<Notice> items;
  int64_t next_before = 0;  // 0 on the last page
};

}  // namespace beian
