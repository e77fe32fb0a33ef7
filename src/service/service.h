#pragma once
// The use cases of beian (rules.md), combining the pure domain rules with the Store. Every method
// is thread-safe, runs its writes in one store transaction together with their audit events, and
// returns expected refusals as Error values with the codes of interface.md.
#include <atomic>
#include <cstdint>
#include <functional>
#include <istream>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "codec/product_json.h"
#include "domain/eligibility.h"
#include "domain/policy.h"
#include "store/store.h"

namespace beian {

struct Principal {
  std::string account_id;  // "system" for the CLI
  Role role = Role::kCustomer;
  bool IsOperator() const { return role == Role::kOperator; }
};
// The CLI's principal: an operator that needs no token.
Principal SystemPrincipal();

struct PageRequest {
  int limit = 100;         // 1–500
  std::string page_token;  // opaque; "" for the first page
};
template <class T>
struct Page {
  std::vector<T> items;
  std::string next_page_token;  // "" when there is no next page
};

struct ProductView {
  Product product;
  Eligibility eligibility;
};
struct NumberView {
  ServiceNumber number;
  bool usable = false;  // available and its product passes the usability rules now
};

struct ProductQuery {
  std::optional<std::string> account_id;  // operator only; customers always see their own
  std::optional<Kind> kind;
  std::optional<bool> can_apply;
  PageRequest page;
};
struct NumberQuery {
  std::optional<NumberState> state;
  std::optional<std::string> product_id;
  PageRequest page;
};
struct FilingQuery {
  std::optional<FilingState> state;
  PageRequest page;
};

struct UpsertOutcome {
  bool created = false;
  ProductView view;
  std::optional<ServiceNumber> issued;  // a marketplace_site number issued by this upsert
};

struct ImportLineError {
  int64_t line = 0;
  std::string code;
  std::string detail;  // in English
  Text detail_text;    // the same in zh-CN and en
};
struct ImportReport {
  int64_t created = 0;
  int64_t updated = 0;
  std::vector<ImportLineError> failed;
};
// Called now and then during an import with lines and bytes read so far.
using ImportProgress = std::function<void(int64_t lines, int64_t bytes)>;

struct VhostCredentials {
  std::string product_id;
  std::string username;
  std::string password;
};
struct FilingRequest {
  std::string domain;
  std::optional<std::string> service_number;  // exactly one of service_number and vhost
  std::optional<VhostCredentials> vhost;
};

struct KindQuota {
  Kind kind;
  Quota quota;
};
struct Overview {
  std::vector<std::pair<Kind, int64_t>> products_by_kind;
  std::vector<std::pair<NumberState, int64_t>> numbers_by_state;
  std::vector<KindQuota> account_quotas;  // quotas counted per account (web_hosting)
  std::vector<AdviceCode> advice;
};

struct EventPage {
  std::vector<Event> items;
  int64_t next_after = 0;
};

using Clock = std::function<Time()>;
Clock SystemClock();

class Service {
 public:
  Service(Store& store, Policy policy, Clock clock = SystemClock());

  const Policy& policy() const { return policy_; }
  Store& store() { return store_; }
  Time Now() const { return clock_(); }

  // Bearer token → principal. kUnauthenticated when unknown.
  Result<Principal> Authenticate(std::string_view token);
  // The signed-in account itself (any role). kNotFound if it was removed meanwhile.
  Result<Account> Me(const Principal& actor);
  // Operator only. Returns true when created.
  Result<bool> PutAccount(const Principal& actor, const Account& account);
  // Operator only. Returns the new token (only its hash is stored). kNotFound: no such account.
  Result<std::string> IssueToken(const Principal& actor, std::string_view account_id);

  // Operator only. Creates the owning customer account when it does not exist yet. Hashes the
  // vhost password. Issues the marketplace_site number when the product is eligible and has none.
  Result<UpsertOutcome> UpsertProduct(const Principal& actor, ProductInput input);
  // Operator only. One product object per line; bad lines are reported and skipped.
  Result<ImportReport> Import(const Principal& actor, std::istream& ndjson,
                              const ImportProgress& progress = {});
  // Operator only. Marks the product released.
  Status ReleaseProduct(const Principal& actor, std::string_view product_id);
  // Owner or operator; others get kNotFound.
  Result<ProductView> GetProduct(const Principal& actor, std::string_view product_id);
  Result<Page<ProductView>> ListProducts(const Principal& actor, const ProductQuery& q);

  // Owner only. Issues a number within the quota (kNotEligible with reasons otherwise). A
  // non-empty idempotency key replays the earlier result of the same request (kIdempotencyKeyReused
  // for a different request with that key).
  Result<NumberView> Apply(const Principal& actor, std::string_view product_id,
                           std::string_view idempotency_key = {});
  // Owner, grantee or operator; kSnMalformed for text that cannot be a number, kSnNotFound else.
  Result<NumberView> GetNumber(const Principal& actor, std::string_view code_text);
  Result<Page<NumberView>> ListNumbers(const Principal& actor, const NumberQuery& q);
  // Owner only; kInvalidState unless the number is available.
  Result<NumberView> Grant(const Principal& actor, std::string_view code_text,
                           std::string_view grantee);

  // Owner or grantee of the number (or the vhost's owner). Checks of rules.md, first failure wins.
  Result<Filing> SubmitFiling(const Principal& actor, const FilingRequest& req,
                              std::string_view idempotency_key = {});
  Result<Filing> GetFiling(const Principal& actor, std::string_view filing_id);
  Result<Page<Filing>> ListFilings(const Principal& actor, const FilingQuery& q);
  Result<Filing> Approve(const Principal& actor, std::string_view filing_id);  // operator
  Result<Filing> Reject(const Principal& actor, std::string_view filing_id,
                        std::string_view reason);                               // operator
  Result<Filing> Withdraw(const Principal& actor, std::string_view filing_id);  // filer
  Result<Filing> Cancel(const Principal& actor, std::string_view filing_id);    // filer, operator

  Result<Overview> GetOverview(const Principal& actor);
  Result<EventPage> ListEvents(const Principal& actor, int64_t after, int limit);
  Result<Stats> GetStats();

 private:
  Result<Filing> SubmitVhostFiling(const Principal& actor, const std::string& domain,
                                   const VhostCredentials& cred, std::string_view key);
  Result<Filing> ActOnFiling(const Principal& actor, std::string_view filing_id,
                             FilingAction action, std::string_view reason);
  // Every kPurgeEvery calls (from the use cases that write idempotency keys or attempts), deletes
  // idempotency keys older than 24 h and attempts older than the longest attempt window. Best
  // effort: a failed purge is tried again later.
  void MaybePurge(Time now);

  Store& store_;
  Policy policy_;
  Clock clock_;
  std::atomic<uint64_t> purge_counter_{0};
};

}  // namespace beian
