// A batch of import lines written set-wise (see ImportBatchInTx in internal.h).
#include <map>
#include <set>

#include "service/internal.h"

namespace beian::svc {
namespace {

// Writes not yet sent, in row order. The product events' types (created or updated) are known
// once the products are written.
class PendingWrites {
 public:
  explicit PendingWrites(Tx& tx) : tx_(tx) {}

  bool HasProduct(const std::string& id) const { return product_ids_.count(id) > 0; }
  void AddAccount(Account a) { accounts_.push_back(std::move(a)); }
  void AddEvent(Event e) { events_.push_back(PendingEvent{std::move(e), -1}); }
  // The product and its product.created / product.updated event.
  void AddProduct(Product p, Event e) {
    product_ids_.insert(p.id);
    products_.push_back(std::move(p));
    events_.push_back(PendingEvent{std::move(e), static_cast<int>(products_.size()) - 1});
  }

  // Sends everything pending: accounts, then products, then events, a statement or two each.
  void Flush(ImportBatchDone& done) {
    tx_.UpsertAccounts(accounts_);
    const std::vector<bool> created = tx_.UpsertProducts(products_);
    for (const bool c : created) ++(c ? done.created : done.updated);
    std::vector<Event> events;
    events.reserve(events_.size());
    for (PendingEvent& pe : events_) {
      if (pe.product >= 0)
        pe.event.type = created[pe.product] ? "product.created" : "product.updated";
      events.push_back(std::move(pe.event));
    }
    tx_.AppendEvents(events);
    accounts_.clear();
    products_.clear();
    product_ids_.clear();
    events_.clear();
  }

 private:
  struct PendingEvent {
    Event event;
    int product = -1;  // index in products_ whose creation decides the type, or -1
  };
  Tx& tx_;
  std::vector<Account> accounts_;
  std::vector<Product> products_;
  std::set<std::string> product_ids_;
  std::vector<PendingEvent> events_;
};

}  // namespace

ImportBatchDone ImportBatchInTx(Tx& tx, const Policy& policy, const Principal& actor, Time now,
                                const std::vector<ImportRow>& rows) {
  // What the rows see: the stored rows read up front, then each row's own writes.
  std::set<std::string> product_ids;
  std::set<std::string> account_ids;
  for (const ImportRow& r : rows) {
    product_ids.insert(r.product.product.id);
    account_ids.insert(r.product.product.account_id);
  }
  std::map<std::string, Product> products;
  for (Product& p : tx.GetProducts({product_ids.begin(), product_ids.end()})) {
    products.emplace(p.id, std::move(p));
  }
  std::map<std::string, Role> accounts;
  for (const Account& a : tx.GetAccountsForShare({account_ids.begin(), account_ids.end()})) {
    accounts.emplace(a.id, a.role);
  }

  ImportBatchDone done;
  PendingWrites pending(tx);
  for (const ImportRow& row : rows) {
    Product next = row.product.product;
    const auto owner = accounts.find(next.account_id);
    if (owner != accounts.end() && owner->second == Role::kOperator) {
      done.refused.emplace_back(row.line, OperatorOwnerRefused());
      continue;
    }
    const auto existing = products.find(next.id);
    if (existing != products.end() && existing->second.account_id != next.account_id) {
      done.refused.emplace_back(row.line, OwnerChangeRefused());
      continue;
    }
    const Product* before = existing != products.end() ? &existing->second : nullptr;
    next.vhost_password_hash = row.product.password_hash
                                   ? *row.product.password_hash
                                   : (before ? before->vhost_password_hash : "");
    if (before && SameData(*before, next)) {
      ++done.updated;
      if (MayAutoIssue(policy, *before)) {
        pending.Flush(done);
        MaybeAutoIssue(tx, policy, actor, now, *before);
      }
      continue;
    }
    // One statement writes a product once: a second line for it waits for the first's write.
    if (pending.HasProduct(next.id)) pending.Flush(done);
    if (owner == accounts.end()) {
      pending.AddAccount(Account{next.account_id, Role::kCustomer, "", now});
      pending.AddEvent(MakeEvent(actor, now, "account.created", next.account_id, next.account_id,
                                 JsonObject({{"role", "customer"}})));
      accounts.emplace(next.account_id, Role::kCustomer);
    }
    next.created_at = before ? before->created_at : now;
    next.updated_at = now;
    const bool released = before && !IsReleased(*before) && IsReleased(next);
    pending.AddProduct(next,
                       MakeEvent(actor, now, "", next.account_id, next.id, ProductEventData(next)));
    if (released)
      pending.AddEvent(MakeEvent(actor, now, "product.released", next.account_id, next.id));
    const bool may_issue = MayAutoIssue(policy, next);
    products.insert_or_assign(next.id, std::move(next));
    if (may_issue) {
      pending.Flush(done);
      MaybeAutoIssue(tx, policy, actor, now, products.at(row.product.product.id));
    }
  }
  pending.Flush(done);
  return done;
}

}  // namespace beian::svc
