// Approve, reject, withdraw and cancel a filing, and the reads of filings.
#include "domain/lifecycle.h"
#include "service/internal.h"

namespace beian {
namespace {

constexpr std::size_t kMaxReason = 1000;

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

}  // namespace

Result<Filing> Service::ActOnFiling(const Principal& actor, std::string_view filing_id,
                                    FilingAction action, std::string_view reason) {
  if (reason.size() > kMaxReason) {
    return svc::InvalidField(
        "reason", Text{"原因过长（最多 1000 字节）", "reason is too long (at most 1000 bytes)"});
  }
  const Time now = Now();
  return store_.Write([&](Tx& tx) -> Result<Filing> {
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
    return *f;
  });
}

Result<Page<Filing>> Service::ListFilings(const Principal& actor, const FilingQuery& q) {
  BEIAN_RETURN_IF_ERROR(svc::CheckLimit(q.page.limit));
  BEIAN_ASSIGN_OR_RETURN(std::string after, svc::PageStart(PageList::kFilings, q.page.page_token));
  FilingFilter f;
  if (!actor.IsOperator()) f.visible_to = actor.account_id;
  f.state = q.state;
  f.after_id = after;
  f.limit = q.page.limit + 1;
  auto items =
      store_.Read([&](Tx& tx) -> Result<std::vector<Filing>> { return tx.ListFilings(f); });
  if (!items.ok()) return std::move(items).error();
  Page<Filing> page;
  page.items = std::move(items.value());
  if (page.items.size() > static_cast<std::size_t>(q.page.limit)) {
    page.items.pop_back();
    page.next_page_token = EncodePageToken(PageList::kFilings, page.items.back().id);
  }
  return page;
}

}  // namespace beian
