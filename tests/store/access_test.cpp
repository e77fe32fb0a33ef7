// Tokens, revocation, operator roles and who may act on a filing, through the Service on both
// backends (issue 9).
#include <algorithm>
#include <atomic>
#include <set>
#include <thread>

#include "service/internal.h"
#include "store/drivers.h"
#include "store/service_test_base.h"

namespace beian::testing {
namespace {

class AccessTest : public ServiceTestBase {
 protected:
  Principal Auth(const std::string& token) {
    Result<Principal> p = svc().Authenticate(token);
    EXPECT_TRUE(p.ok()) << (p.ok() ? "" : p.error().detail.en);
    return p.ok() ? *p : Principal{};
  }
  int64_t Generation() {
    Result<int64_t> g = svc().CredentialGeneration();
    EXPECT_TRUE(g.ok());
    return g.ok() ? *g : -1;
  }
  AccountChange Change(const std::string& id) {
    AccountChange c;
    c.id = id;
    return c;
  }
};

TEST_P(AccessTest, TokensCarryTheirScopesNarrowedToTheAccount) {
  w().AddCustomers();
  const Principal alice = Auth(*svc().IssueToken(w().op, "alice"));
  EXPECT_EQ(alice.EffectiveScopes(), kCustomerScopes);
  EXPECT_FALSE(alice.credential_id.empty());
  TokenRequest req;
  req.name = "ci";
  req.scopes = ScopeBit(Scope::kNumbersRead);
  Result<NewToken> t = svc().CreateToken(alice, req);
  ASSERT_TRUE(t.ok());
  EXPECT_TRUE(t->secret.starts_with("beian_"));
  const Principal ci = Auth(t->secret);
  EXPECT_EQ(ci.account_id, "alice");
  EXPECT_TRUE(ci.HasScope(Scope::kNumbersRead));
  EXPECT_FALSE(ci.HasScope(Scope::kNumbersApply));
  // A narrow token cannot mint a broader one; a customer cannot hold operator scopes.
  TokenRequest wider;
  wider.scopes = ScopeBit(Scope::kNumbersApply);
  EXPECT_EQ(CodeOf(svc().CreateToken(ci, wider)), "INSUFFICIENT_SCOPE");
  TokenRequest op_scope;
  op_scope.scopes = ScopeBit(Scope::kInventoryWrite);
  EXPECT_EQ(CodeOf(svc().CreateToken(alice, op_scope)), "INSUFFICIENT_SCOPE");
  // Only the keyed hash is stored: neither the secret nor its unkeyed hash is in the table.
  auto rows = ReadTx([&](Tx& tx) { return tx.conn().Query("SELECT hash FROM tokens"); });
  for (const Row& r : rows) {
    EXPECT_EQ(r.Str(0).find(t->secret), std::string::npos);
    EXPECT_NE(r.Str(0), svc::LegacyTokenHash(t->secret));
  }
}

TEST_P(AccessTest, TheSamePepperIsNeededToAuthenticate) {
  w().AddCustomers();
  svc().SetTokenPepper(std::string(32, 'p'));
  const std::string token = *svc().IssueToken(w().op, "alice");
  EXPECT_TRUE(svc().Authenticate(token).ok());
  svc().SetTokenPepper(std::string(32, 'q'));
  EXPECT_EQ(CodeOf(svc().Authenticate(token)), "UNAUTHENTICATED");
}

TEST_P(AccessTest, ExpiryRevocationAndRotation) {
  w().AddCustomers();
  const Principal alice = Auth(*svc().IssueToken(w().op, "alice"));
  TokenRequest req;
  req.expires_in = std::chrono::seconds(3600);
  Result<NewToken> t = svc().CreateToken(alice, req);
  ASSERT_TRUE(t.ok());
  ASSERT_TRUE(t->record.expires_at.has_value());
  EXPECT_TRUE(svc().Authenticate(t->secret).ok());
  w().Advance(std::chrono::seconds(3600));
  Result<Principal> expired = svc().Authenticate(t->secret);
  EXPECT_EQ(CodeOf(expired), "UNAUTHENTICATED");
  EXPECT_EQ(expired.error().detail.en, "the token has expired");

  Result<NewToken> u = svc().CreateToken(alice, TokenRequest{});
  ASSERT_TRUE(u.ok());
  const int64_t g0 = Generation();
  ASSERT_TRUE(svc().RevokeToken(alice, u->record.id).ok());
  EXPECT_GT(Generation(), g0);
  EXPECT_EQ(svc().Authenticate(u->secret).error().detail.en, "the token was revoked");
  EXPECT_TRUE(svc().RevokeToken(alice, u->record.id).ok());  // again: no-op
  // Another account's token is not found, for revoking and rotating.
  const Principal bob = Auth(*svc().IssueToken(w().op, "bob"));
  EXPECT_EQ(CodeOf(svc().RevokeToken(bob, alice.credential_id)), "NOT_FOUND");
  EXPECT_EQ(CodeOf(svc().RotateToken(bob, alice.credential_id, std::chrono::seconds(0))),
            "NOT_FOUND");

  Result<NewToken> v = svc().CreateToken(alice, TokenRequest{"rotating", std::nullopt, {}});
  ASSERT_TRUE(v.ok());
  Result<NewToken> v2 = svc().RotateToken(alice, v->record.id, std::chrono::seconds(600));
  ASSERT_TRUE(v2.ok());
  EXPECT_EQ(v2->record.name, "rotating");
  EXPECT_TRUE(svc().Authenticate(v->secret).ok());  // within the grace
  EXPECT_TRUE(svc().Authenticate(v2->secret).ok());
  w().Advance(std::chrono::seconds(600));
  EXPECT_EQ(CodeOf(svc().Authenticate(v->secret)), "UNAUTHENTICATED");
  EXPECT_TRUE(svc().Authenticate(v2->secret).ok());
  EXPECT_EQ(CodeOf(svc().RotateToken(alice, v->record.id, std::chrono::seconds(0))),
            "INVALID_STATE");
  EXPECT_EQ(CodeOf(svc().RotateToken(alice, v2->record.id, std::chrono::seconds(86401))),
            "INVALID_REQUEST");

  // The audit trail has each step, visible to alice.
  Result<EventPage> events = svc().ListEvents(alice, 0, 500);
  ASSERT_TRUE(events.ok());
  std::set<std::string> types;
  for (const Event& e : events->items) types.insert(e.type);
  for (const char* type : {"token.issued", "token.created", "token.revoked", "token.rotated"}) {
    EXPECT_TRUE(types.count(type)) << type;
  }
}

TEST_P(AccessTest, TheLifetimeIsCappedByPolicy) {
  Policy p = DefaultPolicy();
  p.token_max_lifetime_days = 30;
  World capped(store(), p);
  capped.AddCustomers();
  const Principal alice = *capped.svc().Authenticate(*capped.svc().IssueToken(capped.op, "alice"));
  TokenRequest too_long;
  too_long.expires_in = std::chrono::days(31);
  EXPECT_EQ(CodeOf(capped.svc().CreateToken(alice, too_long)), "INVALID_REQUEST");
  Result<NewToken> dflt = capped.svc().CreateToken(alice, TokenRequest{});
  ASSERT_TRUE(dflt.ok());
  EXPECT_EQ(dflt->record.expires_at, capped.now() + std::chrono::days(30));
}

TEST_P(AccessTest, LastUsedIsWrittenAtMostOnceAMinute) {
  w().AddCustomers();
  const std::string token = *svc().IssueToken(w().op, "alice");
  auto last_used = [&] {
    auto list = svc().ListTokens(w().alice, std::nullopt);
    EXPECT_TRUE(list.ok());
    return list->at(0).last_used_at;
  };
  EXPECT_FALSE(last_used().has_value());
  Auth(token);
  EXPECT_EQ(last_used(), w().now());
  w().Advance(std::chrono::seconds(30));
  Auth(token);
  EXPECT_EQ(last_used(), w().now() - std::chrono::seconds(30));
  w().Advance(std::chrono::seconds(31));
  Auth(token);
  EXPECT_EQ(last_used(), w().now());
}

TEST_P(AccessTest, DisablingAnAccountOrChangingItsRolesBumpsTheGeneration) {
  w().AddCustomers();
  const std::string token = *svc().IssueToken(w().op, "alice");
  const int64_t g0 = Generation();
  ASSERT_TRUE(svc().CreateToken(Auth(token), TokenRequest{}).ok());
  EXPECT_EQ(Generation(), g0);  // creating a token takes nothing away
  AccountChange off = Change("alice");
  off.disabled = true;
  ASSERT_TRUE(svc().PutAccount(w().op, off).ok());
  EXPECT_GT(Generation(), g0);
  EXPECT_EQ(svc().Authenticate(token).error().detail.en, "the account is disabled");
  off.disabled = false;
  ASSERT_TRUE(svc().PutAccount(w().op, off).ok());
  EXPECT_TRUE(svc().Authenticate(token).ok());
}

TEST_P(AccessTest, OperatorRolesAndTheirGuards) {
  w().AddCustomers();
  AccountChange a1{"admin1", Role::kOperator, std::nullopt, "", std::nullopt};
  auto made = svc().PutAccount(w().op, a1);
  ASSERT_TRUE(made.ok());
  EXPECT_EQ(made->first.roles, kAllOperatorRoles);  // "operator" means all three
  const Principal admin1 = Auth(*svc().IssueToken(w().op, "admin1"));
  // The only admin can neither demote nor disable itself.
  AccountChange demote = Change("admin1");
  demote.roles = RoleBit(OperatorRole::kReviewer);
  EXPECT_EQ(CodeOf(svc().PutAccount(admin1, demote)), "LAST_ADMIN");
  AccountChange to_customer = Change("admin1");
  to_customer.role = Role::kCustomer;
  EXPECT_EQ(CodeOf(svc().PutAccount(admin1, to_customer)), "LAST_ADMIN");
  AccountChange disable = Change("admin1");
  disable.disabled = true;
  EXPECT_EQ(CodeOf(svc().PutAccount(admin1, disable)), "LAST_ADMIN");
  // A reviewer-only operator reviews but cannot change inventory or accounts.
  AccountChange rev{"rev", std::nullopt, RoleBit(OperatorRole::kReviewer), "", std::nullopt};
  ASSERT_TRUE(svc().PutAccount(admin1, rev).ok());
  const Principal reviewer = Auth(*svc().IssueToken(admin1, "rev"));
  EXPECT_TRUE(reviewer.HasScope(Scope::kFilingsReview));
  EXPECT_FALSE(reviewer.HasScope(Scope::kInventoryWrite));
  Result<UpsertOutcome> up = svc().UpsertProduct(reviewer, w().Fileable("p1", "alice"));
  ASSERT_EQ(CodeOf(up), "FORBIDDEN");
  EXPECT_EQ(up.error().detail.en, "your operator account lacks the inventory role");
  EXPECT_EQ(CodeOf(svc().PutAccount(reviewer, Change("alice"))), "FORBIDDEN");
  // With a second admin the first may step down.
  AccountChange a2{"admin2", std::nullopt, RoleBit(OperatorRole::kAdmin), "", std::nullopt};
  ASSERT_TRUE(svc().PutAccount(admin1, a2).ok());
  EXPECT_TRUE(svc().PutAccount(admin1, demote).ok());
  // An account that owns products cannot become an operator (and owns them still).
  w().Put(w().Fileable("p1", "alice"));
  AccountChange promote = Change("alice");
  promote.role = Role::kOperator;
  EXPECT_EQ(CodeOf(svc().PutAccount(w().op, promote)), "OPERATOR_OWNS_PRODUCTS");
  EXPECT_EQ(svc().Me(w().alice)->role, Role::kCustomer);
  AccountChange bad_roles = Change("bob");
  bad_roles.role = Role::kCustomer;
  bad_roles.roles = RoleBit(OperatorRole::kAdmin);
  EXPECT_EQ(CodeOf(svc().PutAccount(w().op, bad_roles)), "INVALID_REQUEST");
  EXPECT_EQ(CodeOf(svc().PutAccount(w().op, Change("newbie"))), "INVALID_REQUEST");
}

// Two admins demote each other at once, from two stores (two servers): exactly one succeeds.
TEST_P(AccessTest, TheLastAdminGuardHoldsUnderConcurrency) {
  for (int round = 0; round < 5; ++round) {
    const std::string a = "adm-a" + std::to_string(round);
    const std::string b = "adm-b" + std::to_string(round);
    for (const std::string& id : {a, b}) {
      ASSERT_TRUE(
          svc()
              .PutAccount(w().op,
                          AccountChange{id, std::nullopt, RoleBit(OperatorRole::kAdmin), "", {}})
              .ok());
    }
    // Only a and b are admins: demote every other admin from earlier rounds.
    auto all = svc().ListAccounts(w().op, PageRequest{500, ""});
    ASSERT_TRUE(all.ok());
    for (const Account& acc : all->items) {
      if (acc.id != a && acc.id != b && acc.role == Role::kOperator) {
        AccountChange off = Change(acc.id);
        off.roles = RoleSet{0};
        ASSERT_TRUE(svc().PutAccount(w().op, off).ok());
      }
    }
    std::unique_ptr<Store> other = OpenStore();
    World second(*other);
    std::atomic<int> ok{0};
    std::atomic<int> last_admin{0};
    auto demote = [&](Service& s, const std::string& id) {
      AccountChange c = Change(id);
      c.roles = RoleBit(OperatorRole::kReviewer);
      auto r = s.PutAccount(w().op, c);
      if (r.ok()) ++ok;
      if (!r.ok() && r.error().code == ErrorCode::kLastAdmin) ++last_admin;
    };
    std::thread t1([&] { demote(svc(), a); });
    std::thread t2([&] { demote(second.svc(), b); });
    t1.join();
    t2.join();
    EXPECT_EQ(ok.load(), 1) << "round " << round;
    EXPECT_EQ(last_admin.load(), 1) << "round " << round;
  }
}

TEST_P(AccessTest, OnlyTheFilerWithdrawsAndTheOwnerOnlySees) {
  w().AddCustomers();
  w().Put(w().Fileable("p1", "alice"));
  const std::string code = w().MustApply(w().alice, "p1");
  ASSERT_TRUE(svc().Grant(w().alice, code, "carol").ok());
  Result<Filing> f =
      svc().SubmitFiling(w().carol, FilingRequest{"carol-site.cn", code, std::nullopt});
  ASSERT_TRUE(f.ok());
  Result<Filing> no = svc().Withdraw(w().alice, f->id);
  ASSERT_EQ(CodeOf(no), "FORBIDDEN");
  EXPECT_EQ(no.error().detail.en, "only the account that submitted this filing may withdraw it");
  EXPECT_EQ(CodeOf(svc().Cancel(w().alice, f->id)), "FORBIDDEN");
  EXPECT_TRUE(svc().GetFiling(w().alice, f->id).ok());  // the "used by" view
  // An operator is told it is not a customer; a reviewer approves and may cancel.
  Result<Filing> op_withdraw = svc().Withdraw(w().op, f->id);
  EXPECT_EQ(op_withdraw.error().detail.en, "only customer accounts may do this");
  ASSERT_TRUE(svc().Approve(w().op, f->id).ok());
  EXPECT_EQ(CodeOf(svc().Cancel(w().alice, f->id)), "FORBIDDEN");
  // Both the filer and the number's owner see the filing's events.
  for (const Principal* who : {&w().carol, &w().alice}) {
    Result<EventPage> events = svc().ListEvents(*who, 0, 500);
    ASSERT_TRUE(events.ok());
    std::set<std::string> types;
    for (const Event& e : events->items) {
      if (e.subject == f->id) types.insert(e.type);
    }
    EXPECT_TRUE(types.count("filing.submitted")) << who->account_id;
    EXPECT_TRUE(types.count("filing.approved")) << who->account_id;
  }
  Result<EventPage> bobs = svc().ListEvents(w().bob, 0, 500);
  for (const Event& e : bobs->items) EXPECT_NE(e.subject, f->id);
  // Newest first, two at a time, each sees the same events in reverse (the filer's through the
  // second account of the event).
  for (const Principal* who : {&w().carol, &w().alice, &w().bob, &w().op}) {
    const Result<EventPage> all = svc().ListEvents(*who, 0, 500);
    ASSERT_TRUE(all.ok());
    std::vector<int64_t> forward;
    for (const Event& e : all->items) forward.push_back(e.seq);
    std::vector<int64_t> back;
    int64_t before = 0;
    do {
      Result<EventPage> page = svc().ListEventsNewestFirst(*who, before, 2);
      ASSERT_TRUE(page.ok());
      for (const Event& e : page->items) back.push_back(e.seq);
      before = page->next_before;
    } while (before != 0);
    std::reverse(back.begin(), back.end());
    EXPECT_EQ(back, forward) << who->account_id;
  }
  EXPECT_EQ(CodeOf(svc().ListEventsNewestFirst(w().op, -1, 10)), "INVALID_REQUEST");
  ASSERT_TRUE(svc().Cancel(w().carol, f->id).ok());
  // Customers cannot act as operators; the message names the role.
  Result<Filing> approve = svc().Approve(w().alice, f->id);
  EXPECT_EQ(approve.error().detail.en, "only operator accounts with the reviewer role may do this");
}

// A version-2 database (made from the embedded migrations 1 and 2) with an operator, a legacy
// token and a grantee's filing upgrades to the current schema: the token still works with every
// scope its account may hold, the operator gets all three roles, the filing's events move to the
// filer with the owner as second account.
TEST_P(AccessTest, AVersionTwoDatabaseUpgradesKeepingItsTokens) {
  TestDatabase old(GetParam());
  ASSERT_TRUE(old.ok()) << old.error();
  auto s = Store::Open(old.url());
  ASSERT_TRUE(s.ok());
  const std::string legacy = "bn_" + std::string(43, 'Q');
  const std::string dialect = is_pg() ? "postgres" : "sqlite";
  Status st = (*s)->Write([&](Tx& tx) -> Status {
    tx.conn().ExecScript(
        "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, applied_at "
        "BIGINT NOT NULL)");
    for (const auto& f : store_internal::EmbeddedMigrationFiles()) {
      if (f.dialect != dialect || !(f.name.starts_with("001") || f.name.starts_with("002"))) {
        continue;
      }
      tx.conn().ExecScript(f.sql);
      tx.conn().Exec("INSERT INTO schema_version (version, applied_at) VALUES ($1, 0)",
                     {int64_t{f.name[2] - '0'}});
    }
    tx.conn().ExecScript(
        "INSERT INTO accounts (id, role, name, created_at) VALUES ('ops', 'operator', '', 1), "
        "('alice', 'customer', '', 1), ('carol', 'customer', '', 1); "
        "INSERT INTO filings (id, account_id, owner_id, domain, service_number, product_id, "
        "state, reason, created_at, updated_at) VALUES ('f-aaaaaaaaaaaaaaaaaaaa', 'carol', "
        "'alice', 'c.cn', NULL, 'p', 'in_review', '', 1, 1)");
    tx.conn().Exec("INSERT INTO tokens (hash, account_id, created_at) VALUES ($1, 'ops', 1)",
                   {svc::LegacyTokenHash(legacy)});
    tx.conn().Exec(
        "INSERT INTO events (seq, at, actor, type, account_id, subject, data) VALUES (1, 1, "
        "'carol', 'filing.submitted', 'alice', 'f-aaaaaaaaaaaaaaaaaaaa', '{}')");
    return OkStatus();
  });
  ASSERT_TRUE(st.ok()) << st.error().detail.en;
  ASSERT_TRUE((*s)->Migrate().ok());
  ASSERT_TRUE((*s)->CheckSchema().ok());
  World upgraded(**s);
  Result<Principal> who = upgraded.svc().Authenticate(legacy);
  ASSERT_TRUE(who.ok()) << who.error().detail.en;
  EXPECT_EQ(who->account_id, "ops");
  EXPECT_EQ(who->roles, kAllOperatorRoles);
  EXPECT_TRUE(who->HasScope(Scope::kAccountsAdmin));
  EXPECT_TRUE(who->credential_id.starts_with("tok_"));
  // It can be listed and revoked like any token.
  ASSERT_TRUE(upgraded.svc().RevokeToken(*who, who->credential_id).ok());
  EXPECT_EQ(CodeOf(upgraded.svc().Authenticate(legacy)), "UNAUTHENTICATED");
  Result<EventPage> carol = upgraded.svc().ListEvents(upgraded.carol, 0, 10);
  ASSERT_TRUE(carol.ok());
  ASSERT_EQ(carol->items.size(), 1u);
  EXPECT_EQ(carol->items[0].account2, "alice");
  EXPECT_EQ(upgraded.svc().ListEvents(upgraded.alice, 0, 10)->items.size(), 1u);
}

BEIAN_INSTANTIATE_BACKENDS(AccessTest);

}  // namespace
}  // namespace beian::testing
