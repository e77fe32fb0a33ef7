// Store::Open, Migrate and CheckSchema on both backends.
#include <thread>

#include "store/backend_fixture.h"
#include "store/child.h"

namespace beian::testing {
namespace {

class MigrateTest : public BackendTest {
 protected:
  int64_t VersionRows(Store& s) {
    auto r = s.Read([](Tx& tx) -> Result<int64_t> {
      return tx.conn().Query("SELECT COUNT(*) FROM schema_version").at(0).Int(0);
    });
    EXPECT_TRUE(r.ok());
    return r.ok() ? *r : -1;
  }
};

BEIAN_CHILD(migrate) {
  auto store = Store::Open(args.at(0));
  if (!store.ok()) return 2;
  return (*store)->Migrate().ok() && (*store)->CheckSchema().ok() ? 0 : 1;
}

TEST_P(MigrateTest, LatestVersionIsOneAndAFreshStoreIsCurrent) {
  EXPECT_EQ(store().LatestSchemaVersion(), 1);
  EXPECT_TRUE(store().CheckSchema().ok());
  EXPECT_TRUE(store().Ping().ok());
  EXPECT_EQ(store().dialect(), is_pg() ? Dialect::kPostgres : Dialect::kSqlite);
}

TEST_P(MigrateTest, MigratingTwiceChangesNothing) {
  ASSERT_TRUE(store().Migrate().ok());
  ASSERT_TRUE(store().Migrate().ok());
  EXPECT_TRUE(store().CheckSchema().ok());
  EXPECT_EQ(VersionRows(store()), store().LatestSchemaVersion());
}

TEST_P(MigrateTest, ConcurrentMigrationsFromThreadsAllSucceedOnce) {
  TestDatabase fresh(GetParam());
  ASSERT_TRUE(fresh.ok()) << fresh.error();
  std::vector<std::thread> threads;
  std::vector<int> ok(6, 0);
  for (std::size_t i = 0; i < ok.size(); ++i) {
    threads.emplace_back([&, i] {
      auto s = Store::Open(fresh.url());
      ok[i] = s.ok() && (*s)->Migrate().ok() ? 1 : 0;
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(ok, std::vector<int>(6, 1));
  auto s = Store::Open(fresh.url());
  ASSERT_TRUE(s.ok());
  EXPECT_TRUE((*s)->CheckSchema().ok());
  EXPECT_EQ(VersionRows(**s), (*s)->LatestSchemaVersion());
}

TEST_P(MigrateTest, ConcurrentMigrationsFromProcessesAllSucceedOnce) {
  TestDatabase fresh(GetParam());
  ASSERT_TRUE(fresh.ok()) << fresh.error();
  std::vector<pid_t> pids;
  for (int i = 0; i < 4; ++i) pids.push_back(SpawnChild("migrate", {fresh.url()}));
  for (pid_t pid : pids) EXPECT_EQ(WaitChild(pid), 0);
  auto s = Store::Open(fresh.url());
  ASSERT_TRUE(s.ok());
  EXPECT_TRUE((*s)->CheckSchema().ok());
  EXPECT_EQ(VersionRows(**s), (*s)->LatestSchemaVersion());
}

TEST_P(MigrateTest, AnUnmigratedDatabaseAsksForMigrate) {
  TestDatabase fresh(GetParam());
  ASSERT_TRUE(fresh.ok()) << fresh.error();
  auto s = Store::Open(fresh.url());
  ASSERT_TRUE(s.ok());
  const Status st = (*s)->CheckSchema();
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().code, ErrorCode::kUnavailable);
  EXPECT_NE(st.error().detail.en.find("run beian migrate"), std::string::npos);
  EXPECT_NE(st.error().detail.zh.find("beian migrate"), std::string::npos);
}

TEST_P(MigrateTest, ANewerSchemaIsRefused) {
  const int newer = store().LatestSchemaVersion() + 1;
  WriteTx([&](Tx& tx) {
    tx.conn().Exec("INSERT INTO schema_version (version, applied_at) VALUES ($1, 0)",
                   {int64_t{newer}});
  });
  const Status st = store().CheckSchema();
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().code, ErrorCode::kSchemaTooNew);
  // Migrate leaves a newer schema alone.
  EXPECT_TRUE(store().Migrate().ok());
  EXPECT_EQ(store().CheckSchema().error().code, ErrorCode::kSchemaTooNew);
}

TEST(StoreOpenTest, MalformedUrlsAreInvalidRequests) {
  for (const char* url : {"", "sqlite:", "mysql://x", "beian.db"}) {
    auto s = Store::Open(url);
    ASSERT_FALSE(s.ok()) << url;
    EXPECT_EQ(s.error().code, ErrorCode::kInvalidRequest) << url;
  }
}

TEST(StoreOpenTest, UnreachableDatabasesAreUnavailable) {
  for (const char* url : {"sqlite:/nonexistent-dir/x/beian.db",
                          "postgresql://beian@127.0.0.1:1/beian?connect_timeout=2"}) {
    auto s = Store::Open(url);
    ASSERT_FALSE(s.ok()) << url;
    EXPECT_EQ(s.error().code, ErrorCode::kUnavailable) << url;
  }
}

BEIAN_INSTANTIATE_BACKENDS(MigrateTest);

}  // namespace
}  // namespace beian::testing
