// Store::Open, Migrate and CheckSchema on both backends.
#include <chrono>
#include <cstdio>
#include <thread>

#include "store/backend_fixture.h"
#include "store/child.h"
#include "store/drivers.h"
#include "store/samples.h"

namespace beian::testing {
namespace {

class MigrateTest : public BackendTest {
 protected:
  // How many migrations the binary holds for this dialect (numbers may have gaps while branches
  // are merged; every one is applied once).
  int64_t MigrationCount(Store& s) {
    const std::string_view dialect = s.dialect() == Dialect::kPostgres ? "postgres" : "sqlite";
    int64_t n = 0;
    for (const auto& f : store_internal::EmbeddedMigrationFiles()) n += f.dialect == dialect;
    return n;
  }
  int64_t VersionRows(Store& s) {
    auto r = s.Read([](Tx& tx) -> Result<int64_t> {
      return tx.conn().Query("SELECT COUNT(*) FROM schema_version").at(0).Int(0);
    });
    EXPECT_TRUE(r.ok());
    return r.ok() ? *r : -1;
  }
};

// Three numbers of one product: two available, one in review.
// Undoes migrations 13 (the dropped index of available numbers), 12 (lapse times), 11 (notices), 10
// (event filter indexes), 9 (webhooks), 8 (search and dashboard indexes), 7 (domains per account),
// 6 (sign-in tables), 5 (rate buckets), 4 (tokens and roles) and 3 (the per-state counts) down to
// `version`, and forgets every version above it.
void BackToVersion(Tx& tx, int version) {
  if (version < 13) {  // undo 013_drop_available_index.sql
    UndoDroppedAvailableIndex(tx);
    if (version == 12) return;
  }
  if (version < 12) {  // undo 012_lapse_times.sql
    UndoLapseTimes(tx);
    if (version == 11) return;
  }
  if (version < 11) {  // undo 011_notices.sql
    tx.conn().ExecScript(
        "DROP TABLE notices; DROP INDEX products_term; DROP INDEX products_expires; "
        "DROP INDEX products_lapsed_updated; DROP INDEX service_numbers_product_available");
    tx.conn().Exec("DELETE FROM schema_version WHERE version > 10");
    if (version == 10) return;
  }
  if (version < 10) {  // undo 010_events_filters.sql
    tx.conn().ExecScript(
        "DROP INDEX events_subject; DROP INDEX events_type_seq; DROP INDEX events_at");
    tx.conn().Exec("DELETE FROM schema_version WHERE version > 9");
    if (version == 9) return;
  }
  if (version < 9) {  // undo 009_webhooks.sql
    tx.conn().ExecScript(
        "DROP TABLE webhook_attempts; DROP TABLE webhook_messages; DROP TABLE webhooks");
    tx.conn().Exec("DELETE FROM schema_version WHERE version > 8");
    if (version == 8) return;
  }
  if (version < 8) {  // undo 008_search_stats.sql
    tx.conn().ExecScript(
        "DROP TABLE product_ips; DROP INDEX filings_domain; DROP INDEX service_numbers_issued; "
        "DROP INDEX events_type_at");
    if (tx.conn().dialect() == Dialect::kPostgres) {
      tx.conn().ExecScript("DROP FUNCTION beian_product_ips() CASCADE");
    } else {
      tx.conn().ExecScript(
          "DROP TRIGGER products_ips_insert; DROP TRIGGER products_ips_update; "
          "DROP TRIGGER products_ips_delete");
    }
    tx.conn().Exec("DELETE FROM schema_version WHERE version > 7");
    if (version == 7) return;
  }
  if (version < 7) {  // undo 007_domain_per_account.sql
    tx.conn().ExecScript(
        "DROP INDEX filings_active_domain_account; DROP INDEX filings_approved_domain; "
        "DROP INDEX filings_state_created; DROP INDEX filings_number; "
        "CREATE UNIQUE INDEX filings_active_domain ON filings (domain) "
        "WHERE state IN ('in_review', 'approved')");
    tx.conn().Exec("DELETE FROM schema_version WHERE version > 6");
    if (version == 6) return;
  }
  if (version < 6) {  // undo 006_web_sessions.sql
    tx.conn().ExecScript("DROP TABLE web_sessions; DROP TABLE oidc_logins");
    tx.conn().Exec("DELETE FROM schema_version WHERE version > 5");
    if (version == 5) return;
  }
  if (version < 5) {  // undo 005_rate_buckets.sql
    tx.conn().ExecScript("DROP TABLE rate_buckets");
    tx.conn().Exec("DELETE FROM schema_version WHERE version > 4");
    if (version == 4) return;
  }
  if (version < 4) {  // undo 004_tokens_roles.sql (both dialects accept DROP COLUMN)
    tx.conn().ExecScript(
        "DROP INDEX tokens_id; DROP INDEX events_account2; DROP TABLE credential_generation; "
        "ALTER TABLE accounts DROP COLUMN roles; ALTER TABLE accounts DROP COLUMN status; "
        "ALTER TABLE tokens DROP COLUMN id; ALTER TABLE tokens DROP COLUMN name; "
        "ALTER TABLE tokens DROP COLUMN scopes; ALTER TABLE tokens DROP COLUMN creator; "
        "ALTER TABLE tokens DROP COLUMN expires_at; ALTER TABLE tokens DROP COLUMN last_used_at; "
        "ALTER TABLE tokens DROP COLUMN revoked_at; ALTER TABLE events DROP COLUMN account2");
    tx.conn().Exec("DELETE FROM schema_version WHERE version > 3");
    if (version == 3) return;
  }
  if (tx.conn().dialect() == Dialect::kPostgres) {
    tx.conn().ExecScript("DROP TABLE state_counts; DROP FUNCTION beian_count_states() CASCADE");
  } else {
    tx.conn().ExecScript(
        "DROP TABLE state_counts; DROP TRIGGER service_numbers_count_insert; "
        "DROP TRIGGER service_numbers_count_delete; DROP TRIGGER service_numbers_count_update; "
        "DROP TRIGGER filings_count_insert; DROP TRIGGER filings_count_delete; "
        "DROP TRIGGER filings_count_update");
  }
  tx.conn().Exec("DELETE FROM schema_version WHERE version > $1", {int64_t{version}});
}

void SeedNumbers(Tx& tx) {
  tx.UpsertAccount(SampleAccount("alice"));
  const Product p = SampleProduct("p-1", "alice");
  tx.UpsertProduct(p);
  for (const char* code : {"SN-1", "SN-2", "SN-3"}) {
    ServiceNumber n = SampleNumber(code, p);
    if (n.code == "SN-2") n.state = NumberState::kInReview;
    tx.InsertNumber(n);
  }
}

// args: URL [START]: opens and migrates URL, first sleeping until START (system_clock
// nanoseconds since the epoch) so that several children open it at the same moment.
BEIAN_CHILD(migrate) {
  if (args.size() > 1) {
    std::this_thread::sleep_until(
        std::chrono::system_clock::time_point(std::chrono::nanoseconds(std::stoll(args.at(1)))));
  }
  auto store = Store::Open(args.at(0));
  if (!store.ok()) {
    std::fprintf(stderr, "open: %s\n", store.error().detail.en.c_str());
    return 2;
  }
  Status st = (*store)->Migrate();
  if (st.ok()) st = (*store)->CheckSchema();
  if (!st.ok()) std::fprintf(stderr, "migrate: %s\n", st.error().detail.en.c_str());
  return st.ok() ? 0 : 1;
}

TEST_P(MigrateTest, LatestVersionIsThirteenAndAFreshStoreIsCurrent) {
  EXPECT_EQ(store().LatestSchemaVersion(), 13);
  EXPECT_TRUE(store().CheckSchema().ok());
  EXPECT_TRUE(store().Ping().ok());
  EXPECT_EQ(store().dialect(), is_pg() ? Dialect::kPostgres : Dialect::kSqlite);
}

TEST_P(MigrateTest, MigratingTwiceChangesNothing) {
  ASSERT_TRUE(store().Migrate().ok());
  ASSERT_TRUE(store().Migrate().ok());
  EXPECT_TRUE(store().CheckSchema().ok());
  EXPECT_EQ(VersionRows(store()), MigrationCount(store()));
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
  EXPECT_EQ(VersionRows(**s), MigrationCount(**s));
}

// Processes that open a new SQLite database together race to switch it to WAL; SQLite refuses
// the losers at once (SQLITE_BUSY without waiting), which Store::Open must absorb.
TEST_P(MigrateTest, ConcurrentMigrationsFromProcessesAllSucceedOnce) {
  for (int round = 0; round < 5; ++round) {
    TestDatabase fresh(GetParam());
    ASSERT_TRUE(fresh.ok()) << fresh.error();
    const auto start = std::chrono::system_clock::now() + std::chrono::milliseconds(200);
    const std::string at = std::to_string(
        std::chrono::duration_cast<std::chrono::nanoseconds>(start.time_since_epoch()).count());
    std::vector<pid_t> pids;
    for (int i = 0; i < 8; ++i) pids.push_back(SpawnChild("migrate", {fresh.url(), at}));
    for (pid_t pid : pids) EXPECT_EQ(WaitChild(pid), 0) << "round " << round;
    auto s = Store::Open(fresh.url());
    ASSERT_TRUE(s.ok());
    EXPECT_TRUE((*s)->CheckSchema().ok());
    EXPECT_EQ(VersionRows(**s), MigrationCount(**s));
  }
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

// Version 2 makes the state index partial; a version-1 database with numbers upgrades in place.
TEST_P(MigrateTest, AVersionOneDatabaseUpgradesToTwoKeepingItsNumbers) {
  const std::string index_sql =
      is_pg() ? "SELECT indexdef FROM pg_indexes WHERE indexname = 'service_numbers_state'"
              : "SELECT sql FROM sqlite_master WHERE name = 'service_numbers_state'";
  auto index_def = [&] {
    return ReadTx([&](Tx& tx) { return tx.conn().Query(index_sql).at(0).Str(0); });
  };
  WriteTx([](Tx& tx) { SeedNumbers(tx); });
  WriteTx([](Tx& tx) {  // back to version 1
    BackToVersion(tx, 1);
    tx.conn().ExecScript(
        "DROP INDEX service_numbers_state; "
        "CREATE INDEX service_numbers_state ON service_numbers (state, code)");
  });
  ASSERT_EQ(index_def().find("WHERE"), std::string::npos);
  EXPECT_EQ(store().CheckSchema().error().code, ErrorCode::kUnavailable);

  ASSERT_TRUE(store().Migrate().ok());
  EXPECT_TRUE(store().CheckSchema().ok());
  EXPECT_NE(index_def().find("WHERE"), std::string::npos);
  EXPECT_EQ(VersionRows(store()), MigrationCount(store()));
  NumberFilter in_review;
  in_review.state = NumberState::kInReview;
  NumberFilter available;
  available.state = NumberState::kAvailable;
  EXPECT_EQ(ReadTx([&](Tx& tx) { return tx.ListNumbers(in_review).size(); }), 1u);
  EXPECT_EQ(ReadTx([&](Tx& tx) { return tx.ListNumbers(available).size(); }), 2u);
}

// Version 3 keeps per-state counts for the overview; a version-2 database with numbers and
// filings gets counts that match its rows, and the triggers keep them matching afterwards.
TEST_P(MigrateTest, AVersionTwoDatabaseUpgradesToThreeWithMatchingStateCounts) {
  WriteTx([](Tx& tx) { SeedNumbers(tx); });
  WriteTx([](Tx& tx) { BackToVersion(tx, 2); });
  EXPECT_EQ(store().CheckSchema().error().code, ErrorCode::kUnavailable);
  ASSERT_TRUE(store().Migrate().ok());
  EXPECT_TRUE(store().CheckSchema().ok());
  using Counts = std::vector<std::pair<std::string, int64_t>>;
  Stats stats = ReadTx([](Tx& tx) { return tx.GetStats(); });
  EXPECT_EQ(stats.numbers_by_state, (Counts{{"available", 2}, {"in_review", 1}}));
  EXPECT_EQ(stats.numbers_issued, 3);
  WriteTx([](Tx& tx) {
    tx.conn().Exec("UPDATE service_numbers SET state = 'filed' WHERE code = 'SN-2'");
    tx.conn().Exec("UPDATE service_numbers SET state = 'voided' WHERE code = 'SN-1'");
    tx.conn().Exec("DELETE FROM service_numbers WHERE code = 'SN-3'");
  });
  stats = ReadTx([](Tx& tx) { return tx.GetStats(); });
  EXPECT_EQ(stats.numbers_by_state, (Counts{{"filed", 1}, {"voided", 1}}));
  EXPECT_EQ(stats.numbers_issued, 2);
}

// Version 6 adds the console's sign-in tables; a version-5 database keeps its accounts and tokens.
TEST_P(MigrateTest, AVersionFiveDatabaseUpgradesToSixKeepingItsAccounts) {
  WriteTx([](Tx& tx) {
    tx.UpsertAccount(SampleAccount("alice"));
    TokenRecord t;
    t.id = "tok_1";
    t.account_id = "alice";
    t.scopes = ScopeBit(Scope::kNumbersRead);
    t.creator = "system";
    t.created_at = At(5);
    tx.InsertToken("hash-1", t);
  });
  WriteTx([](Tx& tx) { BackToVersion(tx, 5); });
  EXPECT_EQ(store().CheckSchema().error().code, ErrorCode::kUnavailable);
  ASSERT_TRUE(store().Migrate().ok());
  EXPECT_TRUE(store().CheckSchema().ok());
  ASSERT_TRUE(ReadTx([](Tx& tx) { return tx.TokenByHash("hash-1"); }).has_value());
  WebSession s;
  s.id_hash = "session-1";
  s.account.id = "alice";
  s.csrf_token = "csrf";
  s.created_at = s.last_seen_at = At(10);
  s.expires_at = At(100);
  WriteTx([&](Tx& tx) { tx.InsertWebSession(s); });
  const auto got = ReadTx([](Tx& tx) { return tx.GetWebSession("session-1"); });
  ASSERT_TRUE(got.has_value());
  EXPECT_EQ(got->account.id, "alice");
  EXPECT_EQ(got->expires_at, At(100));
}

// Version 7 lets accounts file one domain together while in review; a version-6 database keeps its
// filings, and the new indexes hold: one active filing per account and domain, one approved.
TEST_P(MigrateTest, AVersionSixDatabaseUpgradesToSevenKeepingItsFilings) {
  StoreOptions few;
  few.max_retries = 1;
  WriteTx([](Tx& tx) {
    tx.UpsertAccount(SampleAccount("alice"));
    tx.UpsertAccount(SampleAccount("bob"));
    const Product p = SampleProduct("p-1", "alice");
    tx.UpsertProduct(p);
    tx.InsertNumber(SampleNumber("SN-1", p));
    tx.InsertNumber(SampleNumber("SN-2", p));
  });
  WriteTx([](Tx& tx) { BackToVersion(tx, 6); });
  auto filing = [](std::string id, std::string account, std::string domain, FilingState s) {
    Filing f;
    f.id = std::move(id);
    f.account_id = std::move(account);
    f.owner_id = "alice";
    f.domain = std::move(domain);
    f.product_id = "p-1";
    f.state = s;
    f.created_at = f.updated_at = At(10);
    return f;
  };
  WriteTx([&](Tx& tx) {
    tx.InsertFiling(filing("f-1", "alice", "a.cn", FilingState::kApproved));
    tx.InsertFiling(filing("f-2", "bob", "b.cn", FilingState::kInReview));
  });
  {  // At version 6 a second account's filing of b.cn in review is refused.
    auto other = OpenStore(few);
    ASSERT_NE(other, nullptr);
    EXPECT_FALSE(other
                     ->Write([&](Tx& tx) -> Status {
                       tx.InsertFiling(filing("f-3", "alice", "b.cn", FilingState::kInReview));
                       return OkStatus();
                     })
                     .ok());
  }
  EXPECT_EQ(store().CheckSchema().error().code, ErrorCode::kUnavailable);
  ASSERT_TRUE(store().Migrate().ok());
  EXPECT_TRUE(store().CheckSchema().ok());
  EXPECT_EQ(ReadTx([](Tx& tx) { return tx.ApprovedFilingForDomain("a.cn"); })->id, "f-1");
  EXPECT_EQ(ReadTx([](Tx& tx) { return tx.ActiveFilingForDomain("b.cn", "bob"); })->id, "f-2");
  WriteTx([&](Tx& tx) { tx.InsertFiling(filing("f-3", "alice", "b.cn", FilingState::kInReview)); });
  EXPECT_EQ(ReadTx([](Tx& tx) { return tx.FilingsInReviewForDomain("b.cn"); }).size(), 2u);
  auto refused = [&](const Filing& f) {
    auto other = OpenStore(few);
    return !other
                ->Write([&](Tx& tx) -> Status {
                  tx.InsertFiling(f);
                  return OkStatus();
                })
                .ok();
  };
  EXPECT_TRUE(refused(filing("f-4", "bob", "b.cn", FilingState::kInReview)))
      << "one active filing per account and domain";
  EXPECT_TRUE(refused(filing("f-5", "bob", "a.cn", FilingState::kApproved)))
      << "one approved filing per domain";
  EXPECT_FALSE(refused(filing("f-6", "bob", "a.cn", FilingState::kRejected)));
}

// Version 8 fills product_ips from the products a version-6 database holds, and its triggers keep
// it current afterwards.
TEST_P(MigrateTest, AVersionSixDatabaseUpgradesToEightWithItsProductsIps) {
  Product p = SampleProduct("p-1", "alice");
  p.public_ips = {"47.96.1.2", "2001:db8::1"};
  WriteTx([&](Tx& tx) {
    tx.UpsertAccount(SampleAccount("alice"));
    tx.UpsertProduct(p);
  });
  WriteTx([](Tx& tx) { BackToVersion(tx, 6); });
  ASSERT_TRUE(store().Migrate().ok());
  EXPECT_TRUE(store().CheckSchema().ok());
  const auto found = [&](const char* ip) {
    return ReadTx([&](Tx& tx) { return tx.ProductsByIp(ip, std::nullopt, 20).size(); });
  };
  EXPECT_EQ(found("47.96.1.2"), 1u);
  EXPECT_EQ(found("2001:db8::1"), 1u);
  p.public_ips = {"47.96.1.3"};
  WriteTx([&](Tx& tx) { tx.UpsertProduct(p); });
  EXPECT_EQ(found("47.96.1.2"), 0u);
  EXPECT_EQ(found("47.96.1.3"), 1u);
}

TEST_P(MigrateTest, AVersionEightDatabaseUpgradesToTheLatestKeepingItsEvents) {
  WriteTx([](Tx& tx) {
    tx.AppendEvent(Event{0, At(1), "system", "filing.approved", "alice", "f-1", "{}", "bob"});
    tx.AppendEvent(Event{0, At(2), "system", "number.issued", "bob", "N-1", "{}", ""});
  });
  WriteTx([](Tx& tx) { BackToVersion(tx, 8); });
  EXPECT_FALSE(store().CheckSchema().ok());
  ASSERT_TRUE(store().Migrate().ok());
  EXPECT_TRUE(store().CheckSchema().ok());
  const auto indexes = ReadTx([&](Tx& tx) {
    return tx.conn()
        .Query(is_pg() ? "SELECT COUNT(*) FROM pg_indexes WHERE indexname IN "
                         "('events_subject', 'events_type_seq', 'events_at')"
                       : "SELECT COUNT(*) FROM sqlite_master WHERE type = 'index' AND name IN "
                         "('events_subject', 'events_type_seq', 'events_at')")
        .at(0)
        .Int(0);
  });
  EXPECT_EQ(indexes, 3);
  // 009 (webhooks) and 011 (notices) came up too, empty.
  for (const char* table : {"webhooks", "webhook_messages", "webhook_attempts", "notices"}) {
    EXPECT_EQ(ReadTx([&](Tx& tx) {
                return tx.conn().Query(std::string("SELECT COUNT(*) FROM ") + table).at(0).Int(0);
              }),
              0)
        << table;
  }
  EventQuery q;
  q.subject = "f-1";
  const auto found = ReadTx([&](Tx& tx) { return tx.FindEvents(q); });
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].account2, "bob");
  q = {};
  q.types = {"number.*"};
  EXPECT_EQ(ReadTx([&](Tx& tx) { return tx.FindEvents(q); }).size(), 1u);
}

// Version 9 adds the webhook tables to a version-8 database with events; a new webhook's cursor
// starts at the newest event.
TEST_P(MigrateTest, AVersionEightDatabaseUpgradesToNineWithWebhooks) {
  WriteTx([&](Tx& tx) {
    tx.UpsertAccount(SampleAccount("alice"));
    Event e;
    e.type = "account.created";
    e.actor = "system";
    e.account_id = "alice";
    tx.AppendEvent(e);
  });
  WriteTx([](Tx& tx) { BackToVersion(tx, 8); });
  ASSERT_TRUE(store().Migrate().ok());
  EXPECT_TRUE(store().CheckSchema().ok());
  const int64_t hw = ReadTx([](Tx& tx) { return tx.EventsHighWater(); });
  EXPECT_GT(hw, 0);
  Webhook w;
  w.id = "wh_00000000000000000001";
  w.account_id = "alice";
  w.url = "https://example.com/h";
  w.secret = "whsec_x";
  w.cursor_seq = hw;
  WriteTx([&](Tx& tx) { tx.InsertWebhook(w); });
  const auto got = ReadTx([&](Tx& tx) { return tx.GetWebhook(w.id); });
  ASSERT_TRUE(got.has_value());
  EXPECT_EQ(got->cursor_seq, hw);
  EXPECT_TRUE(got->active);
}

// Version 13 drops the index of available numbers on SQLite (PostgreSQL's planner needs it); a
// version-12 database with numbers upgrades and still lists its available numbers.
TEST_P(MigrateTest, AVersionTwelveDatabaseUpgradesWithoutTheAvailableIndexOnSqlite) {
  const int64_t kept = is_pg() ? 1 : 0;
  const std::string count_sql = is_pg() ? "SELECT COUNT(*) FROM pg_indexes WHERE indexname = "
                                          "'service_numbers_product_available'"
                                        : "SELECT COUNT(*) FROM sqlite_master WHERE name = "
                                          "'service_numbers_product_available'";
  auto indexes = [&] {
    return ReadTx([&](Tx& tx) { return tx.conn().Query(count_sql).at(0).Int(0); });
  };
  WriteTx([](Tx& tx) { SeedNumbers(tx); });
  EXPECT_EQ(indexes(), kept);
  WriteTx([](Tx& tx) { BackToVersion(tx, 12); });
  ASSERT_EQ(indexes(), 1);
  EXPECT_EQ(store().CheckSchema().error().code, ErrorCode::kUnavailable);

  ASSERT_TRUE(store().Migrate().ok());
  EXPECT_TRUE(store().CheckSchema().ok());
  EXPECT_EQ(indexes(), kept);
  EXPECT_EQ(VersionRows(store()), MigrationCount(store()));
  NumberFilter available;
  available.state = NumberState::kAvailable;
  EXPECT_EQ(ReadTx([&](Tx& tx) { return tx.ListNumbers(available).size(); }), 2u);
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
