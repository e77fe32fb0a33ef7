#include <algorithm>

#include "domain/service_number.h"
#include "service/internal.h"

namespace beian {
namespace {

Error Malformed() { return MakeError(ErrorCode::kSnMalformed); }
Error SnNotFound() { return MakeError(ErrorCode::kSnNotFound); }

bool IsGranteeOnly(const Principal& actor, const ServiceNumber& n) {
  return !actor.IsOperator() && n.account_id != actor.account_id;
}

// A grantee sees its own grant only, and the number's domain and filing only when the filing is
// its own (not another grantee's, nor the owner's).
void RedactForGrantee(Tx& tx, const Principal& actor, ServiceNumber& n) {
  if (!IsGranteeOnly(actor, n)) return;
  n.granted_to = {actor.account_id};
  if (n.filing_id) {
    std::optional<Filing> f = tx.GetFiling(*n.filing_id);
    if (!f || f->account_id != actor.account_id) {
      n.filing_id.reset();
      n.domain.reset();
    }
  }
}

// The number `code`, locked, for a change of its grants by its owner. A number that does not
// exist or that `actor` cannot use is SN_NOT_FOUND and counts as a look-up (rules.md); another
// account's number that `actor` holds a grant of is FORBIDDEN with `not_owner`.
Result<ServiceNumber> LockOwnNumber(Tx& tx, const Principal& actor, const Policy& policy,
                                    const std::string& code, Time now, Text not_owner) {
  std::optional<ServiceNumber> n = tx.GetNumber(code, true);
  if (!n || !svc::CanUseNumber(actor, *n)) {
    BEIAN_RETURN_IF_ERROR(svc::ReserveAttempt(tx, "sn:" + actor.account_id, policy.sn_lookup_limit,
                                              policy.sn_lookup_window, now));
    return SnNotFound();
  }
  if (n->account_id != actor.account_id) return MakeError(ErrorCode::kForbidden, not_owner);
  return std::move(*n);
}

// What `actor` may see of the number's grants and filings (see Service::ListGrants).
NumberGrants GrantsSeenBy(Tx& tx, const Principal& actor, const ServiceNumber& n) {
  NumberGrants g;
  g.code = n.code;
  const bool all = !IsGranteeOnly(actor, n);
  for (GrantRecord& r : tx.ListGrants(n.code)) {
    if (all || r.account_id == actor.account_id) g.grants.push_back(std::move(r));
  }
  for (Filing& f : tx.FilingsOfNumber(n.code)) {
    if (all || f.account_id == actor.account_id) g.used_by.push_back(std::move(f));
  }
  return g;
}

Error StateRefusal(NumberState s) {
  switch (s) {
    case NumberState::kInReview:
      return MakeError(ErrorCode::kSnInReview);
    case NumberState::kFiled:
      return MakeError(ErrorCode::kSnAlreadyFiled);
    case NumberState::kVoided:
      return MakeError(ErrorCode::kSnVoided);
    case NumberState::kAvailable:
      break;
  }
  return MakeError(ErrorCode::kInvalidState);
}

}  // namespace

Result<NumberView> Service::GetNumber(const Principal& actor, std::string_view code_text) {
  std::optional<std::string> code = ParseServiceNumber(code_text);
  if (!code) return Malformed();
  const Time now = Now();
  const std::string subject = "sn:" + actor.account_id;
  std::optional<NumberView> found;
  // A number the caller may see is answered whatever its look-up count; only misses count, and
  // only they are refused (429) once the limit is reached.
  Status st = store_.Read([&](Tx& tx) -> Status {
    std::optional<ServiceNumber> n = tx.GetNumber(*code);
    if (n && svc::CanSeeNumber(actor, *n)) {
      RedactForGrantee(tx, actor, *n);
      found = svc::MakeNumberView(tx, policy_, now, std::move(*n));
    }
    return OkStatus();
  });
  if (!st.ok()) return std::move(st).error();
  if (found) return std::move(*found);
  if (!actor.IsOperator()) {
    Status rec = store_.Write([&](Tx& tx) -> Status {
      return svc::ReserveAttempt(tx, subject, policy_.sn_lookup_limit, policy_.sn_lookup_window,
                                 now);
    });
    if (!rec.ok()) return std::move(rec).error();
  }
  return SnNotFound();
}

Result<Page<NumberView>> Service::ListNumbers(const Principal& actor, const NumberQuery& q) {
  BEIAN_RETURN_IF_ERROR(svc::CheckLimit(q.page.limit));
  BEIAN_ASSIGN_OR_RETURN(std::string after, svc::PageStart(PageList::kNumbers, q.page.page_token));
  NumberFilter f;
  if (!actor.IsOperator()) f.visible_to = actor.account_id;
  f.state = q.state;
  f.product_id = q.product_id;
  f.after_code = after;
  f.limit = q.page.limit + 1;
  const Time now = Now();
  auto items = store_.Read([&](Tx& tx) -> Result<std::vector<NumberView>> {
    std::vector<ServiceNumber> numbers = tx.ListNumbers(f);
    for (ServiceNumber& n : numbers) RedactForGrantee(tx, actor, n);
    return svc::MakeNumberViews(tx, policy_, now, std::move(numbers));
  });
  if (!items.ok()) return std::move(items).error();
  Page<NumberView> page;
  page.items = std::move(items.value());
  if (page.items.size() > static_cast<std::size_t>(q.page.limit)) {
    page.items.pop_back();
    page.next_page_token = EncodePageToken(PageList::kNumbers, page.items.back().number.code);
  }
  return page;
}

Result<NumberView> Service::Grant(const Principal& actor, std::string_view code_text,
                                  std::string_view grantee) {
  if (actor.IsOperator()) return svc::CustomerOnly();
  std::optional<std::string> code = ParseServiceNumber(code_text);
  if (!code) return Malformed();
  const Text bad_grantee{"被授权账号不存在或不是客户账号", "the grantee is not a customer account"};
  if (!IsValidAccountId(grantee)) return svc::InvalidField("account_id", bad_grantee);
  if (grantee == actor.account_id) {
    return svc::InvalidField("account_id",
                             Text{"不能授权给自己", "a number cannot be granted to its owner"});
  }
  const Time now = Now();
  return WriteTx([&](Tx& tx) -> Result<NumberView> {
    BEIAN_ASSIGN_OR_RETURN(
        ServiceNumber n,
        LockOwnNumber(tx, actor, policy_, *code, now,
                      Text{"只有号码所属账号可以授权", "only the number's owner may grant it"}));
    if (n.state != NumberState::kAvailable) return MakeError(ErrorCode::kInvalidState);
    std::optional<Account> g = tx.GetAccount(grantee);
    if (!g || g->role != Role::kCustomer) return svc::InvalidField("account_id", bad_grantee);
    if (std::find(n.granted_to.begin(), n.granted_to.end(), g->id) == n.granted_to.end()) {
      tx.InsertGrant(n.code, g->id, now);
      n.granted_to.push_back(g->id);
      svc::AppendEvent(tx, actor, now, "number.granted", n.account_id, n.code,
                       svc::JsonObject({{"grantee", g->id}}), g->id);
    }
    return svc::MakeNumberView(tx, policy_, now, std::move(n));
  });
}

Result<NumberGrants> Service::ListGrants(const Principal& actor, std::string_view code_text) {
  std::optional<std::string> code = ParseServiceNumber(code_text);
  if (!code) return Malformed();
  const Time now = Now();
  std::optional<NumberGrants> found;
  Status st = store_.Read([&](Tx& tx) -> Status {
    std::optional<ServiceNumber> n = tx.GetNumber(*code);
    if (n && svc::CanSeeNumber(actor, *n)) found = GrantsSeenBy(tx, actor, *n);
    return OkStatus();
  });
  if (!st.ok()) return std::move(st).error();
  if (found) return std::move(*found);
  if (!actor.IsOperator()) {  // a miss counts as a look-up, as in GetNumber
    const std::string subject = "sn:" + actor.account_id;
    BEIAN_RETURN_IF_ERROR(WriteTx([&](Tx& tx) -> Status {
      return svc::ReserveAttempt(tx, subject, policy_.sn_lookup_limit, policy_.sn_lookup_window,
                                 now);
    }));
  }
  return SnNotFound();
}

Result<NumberGrants> Service::RevokeGrant(const Principal& actor, std::string_view code_text,
                                          std::string_view grantee) {
  if (actor.IsOperator()) return svc::CustomerOnly();
  std::optional<std::string> code = ParseServiceNumber(code_text);
  if (!code) return Malformed();
  if (!IsValidAccountId(grantee)) {
    return svc::InvalidField("account_id", Text{"账号 ID 须匹配 [A-Za-z0-9._-]{1,64}",
                                                "account id must match [A-Za-z0-9._-]{1,64}"});
  }
  const Time now = Now();
  return WriteTx([&](Tx& tx) -> Result<NumberGrants> {
    BEIAN_ASSIGN_OR_RETURN(ServiceNumber n,
                           LockOwnNumber(tx, actor, policy_, *code, now,
                                         Text{"只有号码所属账号可以撤销授权",
                                              "only the number's owner may revoke its grants"}));
    if (n.state != NumberState::kAvailable) return StateRefusal(n.state);
    if (!tx.DeleteGrant(n.code, grantee)) {
      return MakeError(ErrorCode::kNotFound, Text{"该账号没有此备案服务号的授权",
                                                  "this account holds no grant of the number"});
    }
    svc::AppendEvent(tx, actor, now, "number.grant_revoked", n.account_id, n.code,
                     svc::JsonObject({{"grantee", grantee}}), std::string(grantee));
    return GrantsSeenBy(tx, actor, n);
  });
}

}  // namespace beian
