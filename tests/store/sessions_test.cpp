// Console sessions and OpenID sign-ins in progress (service/sso.cpp, store/tx_sessions.cpp) on
// both backends: one-use login states, idle and absolute lifetimes, sign-out, audit events.
#include "store/service_test_base.h"

namespace beian::testing {
namespace {

using std::chrono::hours;
using std::chrono::minutes;
using std::chrono::seconds;

class SessionsTest : public ServiceTestBase {
 protected:
  void SetUp() override {
    ServiceTestBase::SetUp();
    if (HasFatalFailure()) return;
    w().AddCustomers();
  }
  // The events of the trail, oldest first.
  std::vector<Event> Events() {
    Result<EventPage> page = svc().ListEvents(w().op, 0, 500);
    EXPECT_TRUE(page.ok());
    return page.ok() ? page->items : std::vector<Event>{};
  }
  int CountEvents(std::string_view type, std::string_view actor) {
    int n = 0;
    for (const Event& e : Events()) n += e.type == type && e.actor == actor ? 1 : 0;
    return n;
  }
};

TEST_P(SessionsTest, LoginStateIsUsableOnceAndForTenMinutes) {
  Result<SsoLogin> a = svc().BeginSsoLogin();
  Result<SsoLogin> b = svc().BeginSsoLogin();
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_NE(a->state, b->state);
  EXPECT_GE(a->code_verifier.size(), 43u);  // RFC 7636: 43–128 characters
  Result<SsoLogin> taken = svc().TakeSsoLogin(a->state);
  ASSERT_TRUE(taken.ok());
  EXPECT_EQ(taken->code_verifier, a->code_verifier);
  EXPECT_EQ(taken->nonce, a->nonce);
  EXPECT_EQ(svc().TakeSsoLogin(a->state).error().code, ErrorCode::kUnauthenticated);  // used
  EXPECT_EQ(svc().TakeSsoLogin("invented").error().code, ErrorCode::kUnauthenticated);
  w().Advance(minutes(11));
  EXPECT_EQ(svc().TakeSsoLogin(b->state).error().code, ErrorCode::kUnauthenticated);  // expired
}

TEST_P(SessionsTest, SessionLivesUntilIdleTimeout) {
  Result<NewSession> s = svc().StartSession(w().alice, std::nullopt, hours(12));
  ASSERT_TRUE(s.ok());
  EXPECT_NE(s->secret, s->csrf_token);
  Result<SessionAuth> auth = svc().AuthenticateSession(s->secret, minutes(30));
  ASSERT_TRUE(auth.ok());
  EXPECT_EQ(auth->principal.account_id, "alice");
  EXPECT_EQ(auth->csrf_token, s->csrf_token);
  // Used every 20 minutes, it stays alive past the idle timeout several times over.
  for (int i = 0; i < 6; ++i) {
    w().Advance(minutes(20));
    ASSERT_TRUE(svc().AuthenticateSession(s->secret, minutes(30)).ok()) << i;
  }
  w().Advance(minutes(31));
  EXPECT_EQ(svc().AuthenticateSession(s->secret, minutes(30)).error().code,
            ErrorCode::kUnauthenticated);
  EXPECT_EQ(svc().AuthenticateSession("not-a-session", minutes(30)).error().code,
            ErrorCode::kUnauthenticated);
}

TEST_P(SessionsTest, SessionEndsAtItsAbsoluteLifetimeEvenWhenUsed) {
  Result<NewSession> s = svc().StartSession(w().alice, std::nullopt, hours(2));
  ASSERT_TRUE(s.ok());
  for (int i = 0; i < 7; ++i) {
    w().Advance(minutes(17));
    ASSERT_TRUE(svc().AuthenticateSession(s->secret, hours(1)).ok()) << i;
  }
  w().Advance(minutes(2));  // 121 minutes after sign-in
  EXPECT_EQ(svc().AuthenticateSession(s->secret, hours(1)).error().code,
            ErrorCode::kUnauthenticated);
}

TEST_P(SessionsTest, SignOutRevokesAndIsAudited) {
  Result<NewSession> s = svc().StartSession(w().alice, std::nullopt, hours(12));
  Result<NewSession> other = svc().StartSession(w().alice, std::nullopt, hours(12));
  ASSERT_TRUE(s.ok() && other.ok());
  ASSERT_TRUE(svc().EndSession(s->secret).ok());
  EXPECT_EQ(svc().AuthenticateSession(s->secret, hours(1)).error().code,
            ErrorCode::kUnauthenticated);
  EXPECT_EQ(svc().EndSession(s->secret).error().code, ErrorCode::kUnauthenticated);
  EXPECT_TRUE(svc().AuthenticateSession(other->secret, hours(1)).ok());  // the other stays
  EXPECT_EQ(CountEvents("auth.signed_in", "alice"), 2);
  EXPECT_EQ(CountEvents("auth.signed_out", "alice"), 1);
  for (const Event& e : Events()) {
    if (e.type == "auth.signed_in") {
      EXPECT_EQ(e.subject.rfind("ses_", 0), 0u) << e.subject;
    }
  }
}

// An operator session's roles are the account's roles now, intersected with those the issuer
// granted at sign-in; demoting or disabling the account applies to the session's next request.
TEST_P(SessionsTest, SessionFollowsTheAccountsRolesAndStatus) {
  // A second admin, so that ops may be demoted and disabled (LAST_ADMIN).
  AccountChange adm{"adm", Role::kOperator, std::nullopt, "adm", std::nullopt};
  ASSERT_TRUE(svc().PutAccount(w().op, adm).ok());
  AccountChange ops{"ops", Role::kOperator, std::nullopt, "ops", std::nullopt};
  ASSERT_TRUE(svc().PutAccount(w().op, ops).ok());
  const RoleSet granted = RoleBit(OperatorRole::kReviewer) | RoleBit(OperatorRole::kInventory);
  Result<Principal> who = svc().AuthenticateAccount("ops", granted, "oidc_ops");
  ASSERT_TRUE(who.ok());
  EXPECT_EQ(who->roles, granted);
  Result<NewSession> s = svc().StartSession(*who, granted, hours(12));
  ASSERT_TRUE(s.ok());
  Result<SessionAuth> auth = svc().AuthenticateSession(s->secret, hours(1));
  ASSERT_TRUE(auth.ok());
  EXPECT_EQ(auth->principal.roles, granted);
  EXPECT_TRUE(auth->principal.HasScope(Scope::kFilingsReview));
  EXPECT_FALSE(auth->principal.HasScope(Scope::kAccountsAdmin));  // not granted by the issuer
  AccountChange demote{"ops", std::nullopt, RoleBit(OperatorRole::kReviewer), std::nullopt,
                       std::nullopt};
  ASSERT_TRUE(svc().PutAccount(w().op, demote).ok());
  auth = svc().AuthenticateSession(s->secret, hours(1));
  ASSERT_TRUE(auth.ok());
  EXPECT_EQ(auth->principal.roles, RoleBit(OperatorRole::kReviewer));
  EXPECT_FALSE(auth->principal.HasScope(Scope::kInventoryWrite));
  AccountChange admin_only{"ops", std::nullopt, RoleBit(OperatorRole::kAdmin), std::nullopt,
                           std::nullopt};
  ASSERT_TRUE(svc().PutAccount(w().op, admin_only).ok());
  EXPECT_EQ(svc().AuthenticateSession(s->secret, hours(1)).error().code, ErrorCode::kForbidden);
  AccountChange off{"ops", std::nullopt, std::nullopt, std::nullopt, true};
  ASSERT_TRUE(svc().PutAccount(w().op, off).ok());
  Result<SessionAuth> refused = svc().AuthenticateSession(s->secret, hours(1));
  EXPECT_EQ(refused.error().code, ErrorCode::kUnauthenticated);
  EXPECT_EQ(refused.error().detail.en, "the account is disabled");
  EXPECT_EQ(svc().AuthenticateAccount("ops", std::nullopt, "jwt_ops").error().detail.en,
            "the account is disabled");
  EXPECT_EQ(svc().StartSession(*who, granted, hours(1)).error().detail.en,
            "the account is disabled");
}

TEST_P(SessionsTest, UnknownIdentitiesAreRefused) {
  EXPECT_EQ(svc().AuthenticateAccount("nobody", std::nullopt, "jwt_nobody").error().code,
            ErrorCode::kUnauthenticated);
  EXPECT_EQ(
      svc().StartSession(Principal{"nobody", Role::kCustomer}, std::nullopt, hours(1)).error().code,
      ErrorCode::kUnauthenticated);
}

BEIAN_INSTANTIATE_BACKENDS(SessionsTest);

}  // namespace
}  // namespace beian::testing
