// Approve, reject, withdraw and cancel a filing, and the reads of filings.
#include <algorithm>
#include <set>
#include <span>

#include "domain/lifecycle.h"
#include "service/internal.h"

namespace beian {
namespace {

constexpr std::size_t kMaxReason = 1000;

// True when `s` holds nothing but white space: ASCII, no-break (U+00A0) and ideographic (U+3000)
// spaces, as a reviewer may type them.
bool IsBlank(std::string_view s) {
  while (!s.empty()) {
    if (s.starts_with("\u00a0")) {
      s.remove_prefix(2);
    } else if (s.starts_with("\u3000")) {
      s.remove_prefix(3);
    } else if (std::string_view(" \t\r\n\v\f").find(s.front()) != std::string_view::npos) {
      s.remove_prefix(1);
    } else {
      return false;
    }
  }
  return true;
}

std::string EventType(FilingAction a) {
  switch (a) {
    case FilingAction::kApprove:
      return "filing.approved";
    case FilingAction::kReject:
      return "filing.rejected";
    case FilingAction::kWithdraw:
      return "filing.withdrawn";
    case FilingAction::kCancel:
      return "filing.cancelled";
    case FilingAction::kSubmit:
      break;
  }
  return "filing.submitted";
}

// A filing made with host credentials holds no number; its life cycle is judged as if it held
// one in the state that matches the filing's.

// Who may act on a filing the actor can see: reviewers approve and reject; only the filer
// withdraws; the filer or a reviewer cancels. The owner of the number sees the filing ("used by")
// but cannot act on it. The refusal says what the caller lacks.
std::optional<Error> MayAct(const Principal& actor, const Filing& f, FilingAction a) {
  const bool filer = !actor.IsOperator() && actor.account_id == f.account_id;
  switch (a) {
    case FilingAction::kApprove:
    case FilingAction::kReject:
      if (actor.HasRole(OperatorRole::kReviewer)) return std::nullopt;
      return svc::NeedsRole(actor, OperatorRole::kReviewer);
    case FilingAction::kWithdraw:
      if (filer) return std::nullopt;
      if (actor.IsOperator()) return svc::CustomerOnly();
      return MakeError(ErrorCode::kForbidden, Text{"只有提交此备案的账号可以撤回",
                                                   "only the account that submitted "
                                                   "this filing may withdraw it"});
    case FilingAction::kCancel:
      if (filer || actor.HasRole(OperatorRole::kReviewer)) return std::nullopt;
      if (actor.IsOperator()) return svc::NeedsRole(actor, OperatorRole::kReviewer);
      return MakeError(ErrorCode::kForbidden,
                       Text{"只有提交此备案的账号或审核员可以注销",
                            "only the account that submitted this filing or a reviewer may "
                            "cancel it"});
    case FilingAction::kSubmit:
      break;
  }
  return std::nullopt;
}

// For operators: the other accounts' filings of the same domain in review, on each filing in
// review (one query per such filing).
void AddConflicts(Tx& tx, const Principal& actor, std::span<Filing> filings) {
  if (!actor.IsOperator()) return;
  for (Filing& f : filings) {
    if (f.state != FilingState::kInReview) continue;
    std::vector<std::string> ids;
    for (const Filing& other : tx.FilingsInReviewForDomain(f.domain)) {
      if (other.account_id != f.account_id) ids.push_back(other.id);
    }
    f.conflicts = std::move(ids);
  }
}

// The page start of a list by age: "<created_at seconds>/<id>".
Result<std::pair<Time, std::string>> AgeKey(const std::string& key) {
  const std::size_t slash = key.find('/');
  int64_t secs = 0;
  if (slash != std::string::npos && slash > 0) {
    try {
      std::size_t used = 0;
      secs = std::stoll(key.substr(0, slash), &used);
      if (used == slash && slash + 1 < key.size()) {
        return std::pair{Time{std::chrono::seconds{secs}}, key.substr(slash + 1)};
      }
    } catch (const std::exception&) {
    }
  }
  return svc::InvalidField("page_token", Text{"page_token 无效", "page_token is not valid"});
}

}  // namespace

Result<std::vector<ReviewOutcome>> Service::ReviewMany(const Principal& actor, FilingAction action,
                                                       const std::vector<std::string>& filing_ids,
                                                       std::string_view reason) {
  if (!actor.HasRole(OperatorRole::kReviewer))
    return svc::NeedsRole(actor, OperatorRole::kReviewer);
  if (action != FilingAction::kApprove && action != FilingAction::kReject) {
    return svc::InvalidField(
        "action", Text{"action 须为 approve 或 reject", "action must be approve or reject"});
  }
  std::set<std::string_view> seen(filing_ids.begin(), filing_ids.end());
  if (filing_ids.empty() || filing_ids.size() > kMaxBulkReview ||
      seen.size() != filing_ids.size()) {
    return svc::InvalidField("filing_ids", Text{"须给出 1 到 100 个不重复的备案 ID",
                                                "give 1 to 100 filing ids, each once"});
  }
  if (action == FilingAction::kReject && IsBlank(reason)) {
    return svc::InvalidField("reason", Text{"驳回须填写原因", "a rejection needs a reason"});
  }
  std::vector<ReviewOutcome> out;
  for (const std::string& id : filing_ids) {
    ReviewOutcome o{id, std::nullopt, std::nullopt};
    Result<Filing> r = ActOnFiling(actor, id, action, reason);
    if (r.ok()) {
      o.filing = std::move(*r);
    } else {
      o.error = std::move(r).error();
    }
    out.push_back(std::move(o));
  }
  return out;
}

Result<Filing> Service::ActOnFiling(const Principal& actor, std::string_view filing_id,
                                    FilingAction action, std::string_view reason) {
  if (reason.size() > kMaxReason) {
    return svc::InvalidField(
        "reason", Text{"原因过长（最多 1000 字节）", "reason is too long (at most 1000 bytes)"});
  }
  // A reviewer must say why (a customer is refused for the role below, whatever the reason).
  if (action == FilingAction::kReject && actor.HasRole(OperatorRole::kReviewer) &&
      IsBlank(reason)) {
    return svc::InvalidField("reason", Text{"驳回须填写原因", "a rejection needs a reason"});
  }
  const Time now = Now();
  return WriteTx([&](Tx& tx) -> Result<Filing> {
    std::optional<Filing> f = tx.GetFiling(filing_id, true);
    if (!f || !svc::CanSeeFiling(actor, *f)) return svc::NotFound();
    if (std::optional<Error> no = MayAct(actor, *f, action)) return *no;
    std::optional<ServiceNumber> n;
    if (f->service_number) {
      n = tx.GetNumber(*f->service_number, true);
      if (!n || n->filing_id != f->id) return MakeError(ErrorCode::kInvalidState);
    }
    BEIAN_ASSIGN_OR_RETURN(
        LifecycleStep step,
        ApplyFilingAction(f->state, n ? n->state : ImpliedNumberState(f->state), action));
    if (HoldsDomainAgainstOthers(step.filing) && !HoldsDomainAgainstOthers(f->state)) {
      // Another account's filing of the domain may be in review too; only one is approved (the
      // unique index filings_approved_domain: a concurrent approval is retried and lands here).
      if (std::optional<Filing> other = tx.ApprovedFilingForDomain(f->domain)) {
        return MakeError(ErrorCode::kDomainAlreadyFiled,
                         Text{"该域名已有其他已通过的备案（" + other->id + "），不能再通过此备案",
                              "another filing of this domain (" + other->id +
                                  ") is approved; this one cannot be approved"});
      }
    }
    f->state = step.filing;
    f->updated_at = now;
    if (action == FilingAction::kReject) f->reason = std::string(reason);
    tx.UpdateFiling(*f);
    svc::AppendEvent(tx, actor, now, EventType(action), f->account_id, f->id,
                     svc::JsonObject({{"state", FilingStateName(f->state)},
                                      {"service_number", f->service_number.value_or("")},
                                      {"reason", f->reason}}),
                     f->owner_id);
    if (n) {
      const NumberState from = n->state;
      n->state = step.number;
      if (n->state == NumberState::kAvailable) {
        n->domain.reset();
        n->filing_id.reset();
      }
      tx.UpdateNumber(*n);
      svc::AppendNumberStateEvent(tx, actor, now, *n, from, f->id, f->account_id);
    }
    return *f;
  });
}

Result<Filing> Service::Approve(const Principal& actor, std::string_view filing_id) {
  return ActOnFiling(actor, filing_id, FilingAction::kApprove, "");
}

Result<Filing> Service::Reject(const Principal& actor, std::string_view filing_id,
                               std::string_view reason) {
  return ActOnFiling(actor, filing_id, FilingAction::kReject, reason);
}

Result<Filing> Service::Withdraw(const Principal& actor, std::string_view filing_id) {
  return ActOnFiling(actor, filing_id, FilingAction::kWithdraw, "");
}

Result<Filing> Service::Cancel(const Principal& actor, std::string_view filing_id) {
  return ActOnFiling(actor, filing_id, FilingAction::kCancel, "");
}

Result<Filing> Service::GetFiling(const Principal& actor, std::string_view filing_id) {
  return store_.Read([&](Tx& tx) -> Result<Filing> {
    std::optional<Filing> f = tx.GetFiling(filing_id);
    if (!f || !svc::CanSeeFiling(actor, *f)) return svc::NotFound();
    std::vector<Filing> one{std::move(*f)};
    AddConflicts(tx, actor, one);
    return std::move(one[0]);
  });
}

Result<Page<Filing>> Service::ListFilings(const Principal& actor, const FilingQuery& q) {
  BEIAN_RETURN_IF_ERROR(svc::CheckLimit(q.page.limit));
  const bool by_age = q.order != FilingOrder::kById;
  if (by_age && !actor.IsOperator()) {
    return svc::InvalidField("order",
                             Text{"order 仅供运营账号使用", "order is for operator accounts only"});
  }
  const PageList list = by_age ? PageList::kFilingsByAge : PageList::kFilings;
  BEIAN_ASSIGN_OR_RETURN(std::string after, svc::PageStart(list, q.page.page_token));
  FilingFilter f;
  if (!actor.IsOperator()) f.visible_to = actor.account_id;
  f.state = q.state;
  f.account_id = q.account_id;
  f.kind = q.kind;
  f.submitted_before = q.submitted_before;
  f.order = q.order;
  if (by_age && !after.empty()) {
    BEIAN_ASSIGN_OR_RETURN(auto key, AgeKey(after));
    f.after_created_at = key.first;
    f.after_id = std::move(key.second);
  } else {
    f.after_id = after;
  }
  f.limit = q.page.limit + 1;
  auto items = store_.Read([&](Tx& tx) -> Result<std::vector<Filing>> {
    std::vector<Filing> found = tx.ListFilings(f);
    // Not for the look-ahead row that only tells whether a next page exists.
    const std::size_t shown = std::min(found.size(), static_cast<std::size_t>(q.page.limit));
    AddConflicts(tx, actor, std::span<Filing>(found.data(), shown));
    return found;
  });
  if (!items.ok()) return std::move(items).error();
  Page<Filing> page;
  page.items = std::move(items.value());
  if (page.items.size() > static_cast<std::size_t>(q.page.limit)) {
    page.items.pop_back();
    const Filing& last = page.items.back();
    page.next_page_token =
        by_age ? EncodePageToken(list, std::to_string(last.created_at.time_since_epoch().count()) +
                                           "/" + last.id)
               : EncodePageToken(list, last.id);
  }
  return page;
}

}  // namespace beian
