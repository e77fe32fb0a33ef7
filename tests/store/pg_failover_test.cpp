// PostgreSQL connection loss around a transaction: what a failover looks like to one Store.
// Before COMMIT is sent a lost connection is harmless (the server rolls back) and the transaction
// runs again on a new connection; during COMMIT the outcome is unknown and must never be reported
// as success.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <memory>
#include <string>

#include "store/backend_fixture.h"
#include "store/samples.h"

namespace beian::testing {
namespace {

class PgFailoverTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(db_.ok()) << db_.error();
    StoreOptions options;
    options.pool_size = 2;
    auto s = Store::Open(db_.url(), options);
    ASSERT_TRUE(s.ok()) << s.error().detail.en;
    store_ = std::move(*s);
    const Status migrated = store_->Migrate();
    ASSERT_TRUE(migrated.ok()) << migrated.error().detail.en;
  }
  bool HasAccount(const std::string& id) {
    auto r = store_->Read([&](Tx& tx) -> Result<bool> { return tx.GetAccount(id).has_value(); });
    EXPECT_TRUE(r.ok());
    return r.ok() && *r;
  }

  TestDatabase db_{"postgres"};
  std::unique_ptr<Store> store_;
};

TEST_F(PgFailoverTest, AConnectionLostBeforeCommitIsRetriedOnANewConnection) {
  int runs = 0;
  const Status st = store_->Write([&](Tx& tx) -> Status {
    ++runs;
    tx.UpsertAccount(SampleAccount("run" + std::to_string(runs)));
    // The server ends this very connection, as a failover or a restart would.
    if (runs == 1) tx.conn().Query("SELECT pg_terminate_backend(pg_backend_pid())");
    return OkStatus();
  });
  ASSERT_TRUE(st.ok()) << st.error().detail.en;
  EXPECT_EQ(runs, 2);
  EXPECT_FALSE(HasAccount("run1"));
  EXPECT_TRUE(HasAccount("run2"));
}

// A write that reaches a server which is no longer the primary (a demoted primary, a stale route)
// fails with 25006; the connection is dropped and the transaction runs again on a new one.
TEST_F(PgFailoverTest, AReadOnlyServerIsTreatedAsALostConnection) {
  int runs = 0;
  const Status st = store_->Write([&](Tx& tx) -> Status {
    ++runs;
    if (runs == 1) tx.conn().ExecScript("SET TRANSACTION READ ONLY");
    tx.UpsertAccount(SampleAccount("ro"));
    return OkStatus();
  });
  ASSERT_TRUE(st.ok()) << st.error().detail.en;
  EXPECT_EQ(runs, 2);
  EXPECT_TRUE(HasAccount("ro"));
}

// The connection dies while COMMIT is in flight (a deferred trigger ends the backend during
// COMMIT): the write is answered kUnavailable, never success, and is not run a second time.
TEST_F(PgFailoverTest, AConnectionLostDuringCommitIsUnknownAndNotRetried) {
  const Status setup = store_->Write([](Tx& tx) -> Status {
    tx.conn().ExecScript(
        "CREATE FUNCTION die_at_commit() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        "IF NEW.id = 'doomed' THEN PERFORM pg_terminate_backend(pg_backend_pid()); "
        "PERFORM pg_sleep(5); END IF; RETURN NULL; END $$; "
        "CREATE CONSTRAINT TRIGGER die_at_commit AFTER INSERT ON accounts "
        "DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION die_at_commit()");
    return OkStatus();
  });
  ASSERT_TRUE(setup.ok()) << setup.error().detail.en;
  int runs = 0;
  const Status st = store_->Write([&](Tx& tx) -> Status {
    ++runs;
    tx.UpsertAccount(SampleAccount("doomed"));
    return OkStatus();
  });
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().code, ErrorCode::kUnavailable);
  EXPECT_NE(st.error().detail.en.find("unknown"), std::string::npos) << st.error().detail.en;
  EXPECT_EQ(runs, 1);
  // The store keeps working on new connections.
  ASSERT_TRUE(store_
                  ->Write([](Tx& tx) -> Status {
                    tx.UpsertAccount(SampleAccount("after"));
                    return OkStatus();
                  })
                  .ok());
  EXPECT_TRUE(HasAccount("after"));
}

// Every pooled connection is ended by the server at once (a restart): the next transactions
// replace them without an error reaching the caller.
TEST_F(PgFailoverTest, IdleConnectionsEndedByTheServerAreReplacedSilently) {
  auto killer = Store::Open(db_.url());
  ASSERT_TRUE(killer.ok());
  for (int i = 0; i < 4; ++i) ASSERT_TRUE(store_->Ping().ok());
  const Status killed = (*killer)->Read([&](Tx& tx) -> Status {
    tx.conn().Query(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
        "WHERE datname = current_database() AND pid <> pg_backend_pid()");
    return OkStatus();
  });
  ASSERT_TRUE(killed.ok());
  for (int i = 0; i < 4; ++i) {
    const Status st = store_->Write([&](Tx& tx) -> Status {
      tx.UpsertAccount(SampleAccount("a" + std::to_string(i)));
      return OkStatus();
    });
    EXPECT_TRUE(st.ok()) << st.error().detail.en;
  }
}

// With no server at all, a transaction gives up with kUnavailable after failover_wait.
TEST(PgUnreachableTest, GivesUpAfterFailoverWait) {
  TestDatabase db("postgres");
  ASSERT_TRUE(db.ok()) << db.error();
  StoreOptions options;
  options.pool_size = 1;
  options.failover_wait = std::chrono::milliseconds(600);
  auto s = Store::Open(db.url(), options);
  ASSERT_TRUE(s.ok());
  // Refuse new connections to the test's database (from the admin database: a database cannot
  // refuse connections to itself), then end the pooled one.
  const char* admin_url = std::getenv("BEIAN_TEST_PG_ADMIN_URL");
  ASSERT_NE(admin_url, nullptr);
  auto killer = Store::Open(admin_url);
  ASSERT_TRUE(killer.ok());
  const std::string name = db.url().substr(db.url().rfind('/') + 1);
  auto allow = [&](bool yes) {
    return (*killer)->Write([&](Tx& tx) -> Status {
      tx.conn().ExecScript("ALTER DATABASE \"" + name + "\" ALLOW_CONNECTIONS " +
                           (yes ? "true" : "false"));
      if (!yes) {
        tx.conn().Query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1",
                        {name});
      }
      return OkStatus();
    });
  };
  ASSERT_TRUE(allow(false).ok());
  const auto start = std::chrono::steady_clock::now();
  const Status st = (*s)->Ping();
  const auto took = std::chrono::steady_clock::now() - start;
  ASSERT_TRUE(allow(true).ok());
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().code, ErrorCode::kUnavailable);
  EXPECT_GE(took, std::chrono::milliseconds(600));
  EXPECT_LT(took, std::chrono::milliseconds(3000));
  EXPECT_TRUE((*s)->Ping().ok());  // and it comes back by itself
}

}  // namespace
}  // namespace beian::testing
