#include "domain/access.h"

#include <gtest/gtest.h>

namespace beian {
namespace {

TEST(AccessTest, ScopeNamesRoundTrip) {
  for (int i = 0; i < kScopeCount; ++i) {
    const Scope s = static_cast<Scope>(i);
    EXPECT_EQ(ParseScope(ScopeName(s)), s);
  }
  EXPECT_EQ(ParseScopeList(ScopeListText(kAllScopes)), kAllScopes);
  EXPECT_EQ(ParseScopeList("numbers:read,filings:read"),
            ScopeBit(Scope::kNumbersRead) | ScopeBit(Scope::kFilingsRead));
  EXPECT_FALSE(ParseScopeList("numbers:read nope").has_value());
  EXPECT_EQ(ParseScopeList(""), ScopeSet{0});
}

TEST(AccessTest, RolesRoundTrip) {
  EXPECT_EQ(ParseRoleList("admin reviewer inventory"), kAllOperatorRoles);
  EXPECT_EQ(RoleListText(RoleBit(OperatorRole::kReviewer)), "reviewer");
  EXPECT_FALSE(ParseRoleList("root").has_value());
}

TEST(AccessTest, AllowedScopesFollowRoles) {
  EXPECT_EQ(AllowedScopes(false, kAllOperatorRoles), kCustomerScopes);
  const ScopeSet reviewer = AllowedScopes(true, RoleBit(OperatorRole::kReviewer));
  EXPECT_TRUE(reviewer & ScopeBit(Scope::kFilingsReview));
  EXPECT_FALSE(reviewer & ScopeBit(Scope::kAccountsAdmin));
  EXPECT_FALSE(reviewer & ScopeBit(Scope::kNumbersApply));
  EXPECT_TRUE(reviewer & ScopeBit(Scope::kFilingsRead));
  EXPECT_EQ(AllowedScopes(true, kAllOperatorRoles) & kCustomerScopes,
            ScopeBit(Scope::kProductsRead) | ScopeBit(Scope::kNumbersRead) |
                ScopeBit(Scope::kFilingsRead) | ScopeBit(Scope::kEventsRead));
}

}  // namespace
}  // namespace beian
