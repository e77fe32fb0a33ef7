// Tx: accounts, tokens and products on both backends.
#include <algorithm>

#include "store/backend_fixture.h"
#include "store/samples.h"

namespace beian::testing {
namespace {

class AccountsProductsTest : public BackendTest {};

TEST_P(AccountsProductsTest, UpsertAccountCreatesThenUpdatesKeepingCreatedAt) {
  EXPECT_TRUE(WriteTx([](Tx& tx) { return tx.UpsertAccount(SampleAccount("alice")); }));
  Account changed{"alice", Role::kOperator, "阿里斯", At(999)};
  EXPECT_FALSE(WriteTx([&](Tx& tx) { return tx.UpsertAccount(changed); }));
  const auto got = ReadTx([](Tx& tx) { return tx.GetAccount("alice"); });
  ASSERT_TRUE(got.has_value());
  EXPECT_EQ(got->role, Role::kOperator);
  EXPECT_EQ(got->name, "阿里斯");
  EXPECT_EQ(got->created_at, At(0));
  EXPECT_FALSE(ReadTx([](Tx& tx) { return tx.GetAccount("nobody"); }).has_value());
}

TokenRecord SampleToken(const std::string& id, const std::string& account) {
  TokenRecord t;
  t.id = id;
  t.account_id = account;
  t.name = "name of " + id;
  t.scopes = ScopeBit(Scope::kNumbersRead) | ScopeBit(Scope::kFilingsRead);
  t.creator = "system";
  t.created_at = At(5);
  t.expires_at = At(500);
  return t;
}

TEST_P(AccountsProductsTest, TokenHashFindsItsTokenAndAccount) {
  WriteTx([](Tx& tx) {
    tx.UpsertAccount(SampleAccount("bob"));
    tx.InsertToken("hash-1", SampleToken("tok_1", "bob"));
  });
  const auto got = ReadTx([](Tx& tx) { return tx.TokenByHash("hash-1"); });
  ASSERT_TRUE(got.has_value());
  EXPECT_EQ(got->account.id, "bob");
  EXPECT_EQ(got->token.id, "tok_1");
  EXPECT_EQ(got->token.scopes, SampleToken("tok_1", "bob").scopes);
  EXPECT_EQ(got->token.expires_at, At(500));
  EXPECT_FALSE(got->token.revoked_at.has_value());
  EXPECT_FALSE(ReadTx([](Tx& tx) { return tx.TokenByHash("hash-2"); }).has_value());
  // Revocation keeps the earliest time; touching writes at most once per `not_after`.
  WriteTx([](Tx& tx) {
    tx.RevokeToken("tok_1", At(100));
    tx.RevokeToken("tok_1", At(200));
    tx.TouchToken("tok_1", At(10), At(10) - std::chrono::minutes(1));
    tx.TouchToken("tok_1", At(30), At(30) - std::chrono::minutes(1));
  });
  const auto t = ReadTx([](Tx& tx) { return tx.GetToken("tok_1"); });
  ASSERT_TRUE(t.has_value());
  EXPECT_EQ(t->revoked_at, At(100));
  EXPECT_EQ(t->last_used_at, At(10));
}

TEST_P(AccountsProductsTest, DuplicateTokenHashFailsTheTransaction) {
  WriteTx([](Tx& tx) {
    tx.UpsertAccount(SampleAccount("bob"));
    tx.InsertToken("hash-1", SampleToken("tok_1", "bob"));
  });
  const Status st = store().Write([](Tx& tx) -> Status {
    tx.InsertToken("hash-1", SampleToken("tok_2", "bob"));
    return OkStatus();
  });
  EXPECT_FALSE(st.ok());
}

TEST_P(AccountsProductsTest, ProductRoundTripsEveryField) {
  Product p = SampleProduct("i-1", "alice");
  p.vhost_username = "u1";
  p.vhost_password_hash = "$argon2id$v=19$m=65536,t=2,p=1$abc$def";
  p.public_ips = {"1.2.3.4", "a\"b\\c"};
  Product q = SampleProduct("i-2", "alice", Kind::kVhost);
  q.billing = Billing::kPayAsYouGo;
  q.expires_at.reset();
  q.public_ips.clear();
  q.status = ProductStatus::kStopped;
  WriteTx([&](Tx& tx) {
    tx.UpsertAccount(SampleAccount("alice"));
    EXPECT_TRUE(tx.UpsertProduct(p));
    EXPECT_TRUE(tx.UpsertProduct(q));
  });
  const auto got = ReadTx([](Tx& tx) { return tx.GetProduct("i-1"); });
  ASSERT_TRUE(got.has_value());
  EXPECT_EQ(got->account_id, "alice");
  EXPECT_EQ(got->kind, Kind::kEcs);
  EXPECT_EQ(got->name, p.name);
  EXPECT_EQ(got->billing, Billing::kSubscription);
  EXPECT_EQ(got->region, "cn-hangzhou");
  EXPECT_EQ(got->public_ips, p.public_ips);
  EXPECT_EQ(got->expires_at, p.expires_at);
  EXPECT_EQ(got->status, ProductStatus::kRunning);
  EXPECT_EQ(got->vhost_username, "u1");
  EXPECT_EQ(got->vhost_password_hash, p.vhost_password_hash);
  EXPECT_EQ(got->created_at, At(10));
  EXPECT_EQ(got->updated_at, At(10));
  const auto got2 = ReadTx([](Tx& tx) { return tx.GetProduct("i-2"); });
  ASSERT_TRUE(got2.has_value());
  EXPECT_EQ(got2->kind, Kind::kVhost);
  EXPECT_EQ(got2->billing, Billing::kPayAsYouGo);
  EXPECT_FALSE(got2->expires_at.has_value());
  EXPECT_TRUE(got2->public_ips.empty());
  EXPECT_EQ(got2->status, ProductStatus::kStopped);
  EXPECT_FALSE(ReadTx([](Tx& tx) { return tx.GetProduct("i-3"); }).has_value());
}

TEST_P(AccountsProductsTest, UpsertProductKeepsCreatedAt) {
  Product p = SampleProduct("i-1", "alice");
  WriteTx([&](Tx& tx) {
    tx.UpsertAccount(SampleAccount("alice"));
    tx.UpsertProduct(p);
  });
  p.created_at = At(500);
  p.updated_at = At(600);
  p.status = ProductStatus::kExpired;
  p.public_ips = {"8.8.8.8"};
  EXPECT_FALSE(WriteTx([&](Tx& tx) { return tx.UpsertProduct(p); }));
  const auto got = ReadTx([](Tx& tx) { return tx.GetProduct("i-1"); });
  ASSERT_TRUE(got.has_value());
  EXPECT_EQ(got->created_at, At(10));
  EXPECT_EQ(got->updated_at, At(600));
  EXPECT_EQ(got->status, ProductStatus::kExpired);
  EXPECT_EQ(got->public_ips, std::vector<std::string>{"8.8.8.8"});
}

TEST_P(AccountsProductsTest, ListProductsFiltersAndPagesById) {
  WriteTx([](Tx& tx) {
    tx.UpsertAccount(SampleAccount("alice"));
    tx.UpsertAccount(SampleAccount("bob"));
    for (const char* id : {"a-3", "a-1", "a-2"}) tx.UpsertProduct(SampleProduct(id, "alice"));
    tx.UpsertProduct(SampleProduct("b-1", "bob", Kind::kSwas));
    Product gone = SampleProduct("a-0", "alice");
    gone.status = ProductStatus::kReleased;
    tx.UpsertProduct(gone);
  });
  auto ids = [&](const ProductFilter& f) {
    std::vector<std::string> out;
    for (const auto& p : ReadTx([&](Tx& tx) { return tx.ListProducts(f); })) out.push_back(p.id);
    return out;
  };
  using V = std::vector<std::string>;
  ProductFilter f;
  EXPECT_EQ(ids(f), (V{"a-1", "a-2", "a-3", "b-1"}));
  f.include_released = true;
  EXPECT_EQ(ids(f), (V{"a-0", "a-1", "a-2", "a-3", "b-1"}));
  f = ProductFilter();
  f.account_id = "alice";
  f.limit = 2;
  EXPECT_EQ(ids(f), (V{"a-1", "a-2"}));
  f.after_id = "a-2";
  EXPECT_EQ(ids(f), (V{"a-3"}));
  f = ProductFilter();
  f.kind = Kind::kSwas;
  EXPECT_EQ(ids(f), (V{"b-1"}));
  f = ProductFilter();
  f.account_id = "carol";
  EXPECT_EQ(ids(f), V{});
}

TEST_P(AccountsProductsTest, GetProductsReadsManyAndLeavesOutUnknownIds) {
  WriteTx([](Tx& tx) {
    tx.UpsertAccount(SampleAccount("alice"));
    for (const char* id : {"a-1", "a-2", "a-3"}) tx.UpsertProduct(SampleProduct(id, "alice"));
  });
  auto ids = [&](std::vector<std::string> want) {
    std::vector<std::string> got;
    for (const Product& p : ReadTx([&](Tx& tx) { return tx.GetProducts(want); })) {
      got.push_back(p.id);
    }
    std::sort(got.begin(), got.end());
    return got;
  };
  using V = std::vector<std::string>;
  EXPECT_EQ(ids({"a-3", "nope", "a-1"}), (V{"a-1", "a-3"}));
  EXPECT_EQ(ids({}), V{});
  const auto one = ReadTx([](Tx& tx) { return tx.GetProducts({"a-2"}); });
  ASSERT_EQ(one.size(), 1u);
  EXPECT_EQ(one[0].name, SampleProduct("a-2", "alice").name);
}

TEST_P(AccountsProductsTest, CountProductsByKindCountsUnreleasedOfTheAccount) {
  WriteTx([](Tx& tx) {
    tx.UpsertAccount(SampleAccount("alice"));
    tx.UpsertAccount(SampleAccount("bob"));
    tx.UpsertProduct(SampleProduct("a-1", "alice"));
    tx.UpsertProduct(SampleProduct("a-2", "alice"));
    tx.UpsertProduct(SampleProduct("a-3", "alice", Kind::kSwas));
    Product gone = SampleProduct("a-4", "alice", Kind::kSwas);
    gone.status = ProductStatus::kReleased;
    tx.UpsertProduct(gone);
    tx.UpsertProduct(SampleProduct("b-1", "bob"));
  });
  const auto counts = ReadTx([](Tx& tx) { return tx.CountProductsByKind("alice"); });
  using P = std::pair<Kind, int64_t>;
  EXPECT_EQ(counts, (std::vector<P>{{Kind::kEcs, 2}, {Kind::kSwas, 1}}));
}

BEIAN_INSTANTIATE_BACKENDS(AccountsProductsTest);

}  // namespace
}  // namespace beian::testing
