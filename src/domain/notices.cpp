#include "domain/notices.h"

#include <array>

#include "domain/eligibility.h"

namespace beian {
namespace {

constexpr std::array<std::string_view, 3> kKindNames{"product.term_expiring", "number.lapsed",
                                                     "filing.review_overdue"};
constexpr std::array<std::string_view, 3> kCauseNames{"expired", "released", "no_public_ip"};

template <class E, std::size_t N>
std::optional<E> ParseName(const std::array<std::string_view, N>& names, std::string_view s) {
  for (std::size_t i = 0; i < N; ++i) {
    if (names[i] == s) return static_cast<E>(i);
  }
  return std::nullopt;
}

constexpr std::chrono::seconds kDay{24 * 3600};

bool IsGone(const Product& p) {
  return p.status == ProductStatus::kExpired || p.status == ProductStatus::kReleased;
}

Text TermMessage(const Notice& n, Time now) {
  const std::string id = n.object_id;
  const std::string below = FormatDateCst(n.due_at);
  const std::string end = FormatDateCst(n.occurred_at);
  const std::string months = std::to_string(n.min_months);
  const std::string days = std::to_string(DaysUntil(now, n.occurred_at));
  return Text{"产品 " + id + " 的剩余订阅期将于 " + below + " 前后少于 " + months +
                  " 个月，并将于 " + end + " 到期（还有 " + days +
                  " 天），到期后其未使用的服务号将无法用于备案。请在到期前续费。",
              "The remaining term of product " + id + " falls below " + months +
                  " months on or about " + below + "; it expires on " + end + " (in " + days +
                  " days), and then its unused service numbers can no longer be used for a "
                  "filing. Renew it before then."};
}

Text LapseMessage(const Notice& n) {
  const std::string code = n.object_id;
  const std::string pid = n.product_id;
  const std::string since = FormatDateCst(n.occurred_at);
  switch (ParseLapseCause(n.detail).value_or(LapseCause::kExpired)) {
    case LapseCause::kReleased:
      return Text{"服务号 " + code + " 自 " + since + " 起无法使用：其产品 " + pid +
                      " 已释放。请在其他可备案的产品上申请服务号。",
                  "Service number " + code + " can no longer be used since " + since +
                      ": its product " + pid +
                      " was released. Apply for a number on another fileable product."};
    case LapseCause::kNoPublicIp:
      return Text{"服务号 " + code + " 自 " + since + " 起无法使用：其产品 " + pid +
                      " 没有公网 IP。请为该实例购买公网带宽或公网 IP。",
                  "Service number " + code + " can no longer be used since " + since +
                      ": its product " + pid +
                      " has no public IP. Buy public bandwidth or a public IP for it."};
    case LapseCause::kExpired:
      break;
  }
  return Text{"服务号 " + code + " 自 " + since + " 起无法使用：其产品 " + pid +
                  " 已到期。续费后即可再次使用。",
              "Service number " + code + " can no longer be used since " + since +
                  ": its product " + pid + " expired. Renew the product to use it again."};
}

Text OverdueMessage(const Notice& n) {
  const std::string days = std::to_string(n.review_days);
  const std::string since = FormatDateCst(n.occurred_at);
  return Text{"备案 " + n.object_id + "（" + n.detail + "）自 " + since + " 提交，审核已超过 " +
                  days + " 天。如需帮助请联系客服；也可撤回后重新提交。",
              "Filing " + n.object_id + " (" + n.detail + "), submitted on " + since +
                  ", has been in review for more than " + days +
                  " days. Contact support if you need help, or withdraw it and submit it again."};
}

}  // namespace

std::string_view NoticeKindName(NoticeKind k) { return kKindNames[static_cast<int>(k)]; }
std::optional<NoticeKind> ParseNoticeKind(std::string_view s) {
  return ParseName<NoticeKind>(kKindNames, s);
}
std::string_view LapseCauseName(LapseCause c) { return kCauseNames[static_cast<int>(c)]; }
std::optional<LapseCause> ParseLapseCause(std::string_view s) {
  return ParseName<LapseCause>(kCauseNames, s);
}

int DaysUntil(Time now, Time t) {
  if (t <= now) return 0;
  return static_cast<int>((t - now + kDay - std::chrono::seconds{1}) / kDay);
}

Time TermNoticeHorizon(const KindPolicy& kp, const Policy& policy, Time now) {
  // The term is short at t when AddMonthsCst(t, m) > expires_at (rules.md): a product is due
  // when that holds at now + notice_days, i.e. when it expires before this instant.
  return AddMonthsCst(now + policy.notice_days * kDay, kp.min_months);
}

std::optional<Notice> TermExpiringNotice(const Product& p, const Policy& policy, Time now,
                                         bool has_unused_numbers) {
  const KindPolicy& kp = policy.For(p.kind);
  if (!has_unused_numbers || kp.issue == IssueMode::kNever || IsGone(p)) return std::nullopt;
  if (p.billing != Billing::kSubscription || !p.expires_at || *p.expires_at <= now) {
    return std::nullopt;
  }
  if (*p.expires_at >= TermNoticeHorizon(kp, policy, now)) return std::nullopt;
  Notice n;
  n.kind = NoticeKind::kTermExpiring;
  n.account_id = p.account_id;
  n.object_id = p.id;
  n.product_id = p.id;
  n.occurred_at = *p.expires_at;
  n.due_at = AddMonthsCst(*p.expires_at, -kp.min_months);
  n.min_months = kp.min_months;
  return n;
}

std::optional<Notice> NumberLapsedNotice(const ServiceNumber& n, const Product& p,
                                         const ProductChanges& changes, const Policy& policy,
                                         Time now) {
  if (n.state != NumberState::kAvailable) return std::nullopt;
  std::optional<LapseCause> cause;
  Time since = changes.status_changed_at;
  if (p.status == ProductStatus::kReleased) {
    cause = LapseCause::kReleased;
  } else if (p.expires_at && *p.expires_at <= now) {
    cause = LapseCause::kExpired;
    since = *p.expires_at;
  } else if (p.status == ProductStatus::kExpired) {
    cause = LapseCause::kExpired;
  } else if (policy.For(p.kind).needs_public_ip && p.public_ips.empty()) {
    cause = LapseCause::kNoPublicIp;
    since = changes.ips_changed_at;
  }
  if (!cause) return std::nullopt;
  Notice out;
  out.kind = NoticeKind::kNumberLapsed;
  out.account_id = n.account_id;
  out.object_id = n.code;
  out.product_id = p.id;
  out.occurred_at = since;
  out.due_at = since;
  out.detail = std::string(LapseCauseName(*cause));
  return out;
}

Time ReviewOverdueCutoff(const Policy& policy, Time now) { return now - policy.review_days * kDay; }

std::optional<Notice> ReviewOverdueNotice(const Filing& f, const Policy& policy, Time now) {
  if (f.state != FilingState::kInReview) return std::nullopt;
  if (f.created_at > ReviewOverdueCutoff(policy, now)) return std::nullopt;
  Notice n;
  n.kind = NoticeKind::kReviewOverdue;
  n.account_id = f.account_id;
  n.object_id = f.id;
  n.product_id = f.product_id;
  n.occurred_at = f.created_at;
  n.due_at = f.created_at + policy.review_days * kDay;
  n.detail = f.domain;
  n.review_days = policy.review_days;
  return n;
}

Text NoticeMessage(const Notice& n, Time now) {
  switch (n.kind) {
    case NoticeKind::kTermExpiring:
      return TermMessage(n, now);
    case NoticeKind::kNumberLapsed:
      return LapseMessage(n);
    case NoticeKind::kReviewOverdue:
      break;
  }
  return OverdueMessage(n);
}

}  // namespace beian
