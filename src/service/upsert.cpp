#include <chrono>

#include "domain/service_number.h"
#include "service/internal.h"

namespace beian::svc {

bool SameData(const Product& a, const Product& b) {
  return a.id == b.id && a.account_id == b.account_id && a.kind == b.kind && a.name == b.name &&
         a.billing == b.billing && a.region == b.region && a.public_ips == b.public_ips &&
         a.expires_at == b.expires_at && a.status == b.status &&
         a.vhost_username == b.vhost_username && a.vhost_password_hash == b.vhost_password_hash;
}

std::string ProductEventData(const Product& p) {
  return JsonObject({{"kind", KindName(p.kind)},
                     {"status", ProductStatusName(p.status)},
                     {"billing", BillingName(p.billing)},
                     {"region", p.region}});
}

bool MayAutoIssue(const Policy& policy, const Product& p) {
  return policy.For(p.kind).issue == IssueMode::kAutomatic && !IsReleased(p);
}

std::optional<ServiceNumber> MaybeAutoIssue(Tx& tx, const Policy& policy, const Principal& actor,
                                            Time now, const Product& p) {
  if (!MayAutoIssue(policy, p)) return std::nullopt;
  const std::string scope = QuotaScopeKey(policy, p);
  // Cheap unlocked look first so that unchanged, already served products write nothing.
  if (!Evaluate(p, policy, now, tx.PeekQuota(scope)).can_apply) return std::nullopt;
  if (!Evaluate(p, policy, now, tx.LockQuota(scope)).can_apply) return std::nullopt;
  return IssueNumber(tx, actor, now, p, scope);
}

Result<PreparedProduct> PrepareProduct(ProductInput input) {
  const Product& p = input.product;
  if (!IsValidProductId(p.id)) {
    return InvalidField("id", Text{"产品 ID 须匹配 [A-Za-z0-9._:-]{1,128}",
                                   "product id must match [A-Za-z0-9._:-]{1,128}"});
  }
  if (!IsValidAccountId(p.account_id) || p.account_id == SystemPrincipal().account_id) {
    return InvalidField("account_id", Text{"账号 ID 须匹配 [A-Za-z0-9._-]{1,64}",
                                           "account id must match [A-Za-z0-9._-]{1,64}"});
  }
  if (p.billing == Billing::kSubscription && !p.expires_at) {
    return InvalidField("expires_at", Text{"包年包月产品须提供 expires_at",
                                           "expires_at is required for subscription billing"});
  }
  PreparedProduct out;
  if (input.vhost_password) {
    BEIAN_ASSIGN_OR_RETURN(out.password_hash, HashHostPassword(*input.vhost_password));
  }
  out.product = std::move(input.product);
  out.product.vhost_password_hash.clear();
  return out;
}

Error OperatorOwnerRefused() {
  return InvalidField(
      "account_id", Text{"产品不能属于运营账号", "a product cannot belong to an operator account"});
}

Error OwnerChangeRefused() {
  return InvalidField("account_id",
                      Text{"产品的所属账号不能更改", "a product's account cannot change"});
}

Result<UpsertDone> UpsertInTx(Tx& tx, const Policy& policy, const Principal& actor, Time now,
                              const PreparedProduct& in) {
  Product next = in.product;
  const std::optional<Account> owner = tx.GetAccount(next.account_id, Tx::RowLock::kShare);
  if (owner && owner->role == Role::kOperator) return OperatorOwnerRefused();
  std::optional<Product> existing = tx.GetProduct(next.id);
  if (existing && existing->account_id != next.account_id) return OwnerChangeRefused();
  next.vhost_password_hash =
      in.password_hash ? *in.password_hash : (existing ? existing->vhost_password_hash : "");
  UpsertDone done;
  if (existing && SameData(*existing, next)) {
    done.product = std::move(*existing);
    done.issued = MaybeAutoIssue(tx, policy, actor, now, done.product);
    return done;
  }
  if (!owner) {
    tx.UpsertAccount(Account{next.account_id, Role::kCustomer, "", now});
    AppendEvent(tx, actor, now, "account.created", next.account_id, next.account_id,
                JsonObject({{"role", "customer"}}));
  }
  next.created_at = existing ? existing->created_at : now;
  next.updated_at = now;
  done.created = tx.UpsertProduct(next);
  done.changed = true;
  AppendEvent(tx, actor, now, done.created ? "product.created" : "product.updated", next.account_id,
              next.id, ProductEventData(next));
  if (existing && !IsReleased(*existing) && IsReleased(next)) {
    AppendEvent(tx, actor, now, "product.released", next.account_id, next.id);
  }
  done.issued = MaybeAutoIssue(tx, policy, actor, now, next);
  done.product = std::move(next);
  return done;
}

ServiceNumber IssueNumber(Tx& tx, const Principal& actor, Time now, const Product& p,
                          const std::string& scope) {
  ServiceNumber n;
  n.product_id = p.id;
  n.account_id = p.account_id;
  n.kind = p.kind;
  n.quota_scope = scope;
  n.state = NumberState::kAvailable;
  n.issued_at = now;
  // The code starts with the real millisecond it is drawn at, whatever clock `now` came from:
  // it only orders new codes after older ones so that the indexes keyed by code grow at their
  // end. 75 random bits follow: a collision is astronomically unlikely, but it draws a new code
  // rather than failing the apply.
  do {
    n.code = GenerateServiceNumber(
        std::chrono::time_point_cast<std::chrono::milliseconds>(std::chrono::system_clock::now()));
  } while (!tx.TryInsertNumber(n));
  tx.AddQuotaUse(scope);
  AppendEvent(tx, actor, now, "number.issued", p.account_id, n.code,
              JsonObject({{"product_id", p.id}, {"kind", KindName(p.kind)}, {"scope", scope}}));
  return n;
}

}  // namespace beian::svc
