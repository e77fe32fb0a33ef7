// No request path reads a large table sequentially (PostgreSQL). A database with 2*10^5 products,
// 6*10^5 numbers, their filings and events is made once; each request path's store call then
// runs in a read transaction, and PostgreSQL's own counters (pg_stat_xact_user_tables.seq_scan)
// must show no sequential scan of a large table. The plans at
// 10^7 rows are checked by bench/scale.sh (make scale).
#include <gtest/gtest.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "domain/search_stats.h"
#include "store/backend_fixture.h"
#include "store/notices_tx.h"

namespace beian::testing {
namespace {

class PgPlansTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    db_ = new TestDatabase("postgres");
    ASSERT_TRUE(db_->ok()) << db_->error();
    auto s = Store::Open(db_->url());
    ASSERT_TRUE(s.ok());
    store_ = s->release();
    ASSERT_TRUE(store_->Migrate().ok());
    const Status loaded = store_->Write([](Tx& tx) -> Status {
      tx.conn().ExecScript(R"SQL(
SET LOCAL session_replication_role = replica;
INSERT INTO accounts SELECT 'cu' || lpad(i::text, 8, '0'), 'customer', '', 0
  FROM generate_series(0, 19999) i;
INSERT INTO products (id, account_id, kind, billing, status, created_at, updated_at)
  SELECT 'p' || lpad(i::text, 9, '0'), 'cu' || lpad((i / 10)::text, 8, '0'), 'ecs', 'subscription',
         'running', 0, 0 FROM generate_series(0, 199999) i;
INSERT INTO quota_scopes SELECT 'p:p' || lpad(i::text, 9, '0'), 3 FROM generate_series(0, 199999) i;
INSERT INTO service_numbers
  SELECT 'N' || lpad(j::text, 9, '0'), 'p' || lpad((j / 3)::text, 9, '0'),
         'cu' || lpad((j / 30)::text, 8, '0'), 'ecs', 'p:p' || lpad((j / 3)::text, 9, '0'),
         CASE WHEN j % 6 = 0 THEN 'filed' WHEN j % 30 = 1 THEN 'in_review' ELSE 'available' END, 0,
         CASE WHEN j % 6 = 0 OR j % 30 = 1 THEN 'd' || j || '.example.cn' END,
         CASE WHEN j % 6 = 0 OR j % 30 = 1 THEN 'f-' || lpad(j::text, 20, '0') END
  FROM generate_series(0, 599999) j;
INSERT INTO filings
  SELECT filing_id, account_id, account_id, domain, code, product_id,
         CASE state WHEN 'filed' THEN 'approved' ELSE 'in_review' END, '', 0, 0
  FROM service_numbers WHERE filing_id IS NOT NULL;
INSERT INTO grants SELECT code, 'cu00000001', 0 FROM service_numbers WHERE code LIKE 'N00000%1';
INSERT INTO events (seq, xid, at, actor, type, account_id, subject)
  SELECT (3::bigint << 20) + j, '3'::xid8, 0, 'x', 'number.issued',
         'cu' || lpad((j / 30)::text, 8, '0'), 'N' || lpad(j::text, 9, '0')
  FROM generate_series(0, 599999) j;
INSERT INTO product_ips SELECT '10.' || (i / 65536) || '.' || (i / 256 % 256) || '.' || (i % 256),
         'p' || lpad(i::text, 9, '0') FROM generate_series(0, 199999) i;
UPDATE service_numbers SET issued_at = 1700000000 + (substr(code, 2)::bigint) * 60;
UPDATE filings SET created_at = 1700000000 + (substr(id, 3)::bigint) * 60;
UPDATE events SET at = 1700000000 + (seq - (3::bigint << 20)) * 60;
INSERT INTO state_counts SELECT 'numbers', state, 0, count(*) FROM service_numbers GROUP BY state;
INSERT INTO state_counts SELECT 'filings', state, 0, count(*) FROM filings GROUP BY state;
)SQL");
      return OkStatus();
    });
    ASSERT_TRUE(loaded.ok()) << loaded.error().detail.en;
    // ANALYZE cannot run inside a transaction block: a connection of its own.
    ASSERT_TRUE(store_
                    ->Read([](Tx& tx) -> Status {
                      tx.conn().ExecScript("COMMIT; ANALYZE; BEGIN READ ONLY");
                      return OkStatus();
                    })
                    .ok());
  }
  static void TearDownTestSuite() {
    delete store_;
    delete db_;
  }

  // The large tables that `fn` read sequentially, by PostgreSQL's scan counters of this backend
  // (read before and after: PostgreSQL 15 may still hold earlier transactions' counts). Small
  // tables (tokens, grants, idempotency, state_counts) may be scanned: that is the cheap plan.
  static std::vector<std::string> SeqScans(const std::function<void(Tx&)>& fn) {
    std::vector<std::string> tables;
    constexpr std::string_view kCounts =
        "SELECT relname, seq_scan FROM pg_stat_xact_user_tables WHERE relname IN "
        "('accounts', 'products', 'product_ips', 'quota_scopes', 'service_numbers', 'filings', "
        "'events') "
        "ORDER BY relname";
    const Status st = store_->Read([&](Tx& tx) -> Status {
      const std::vector<Row> before = tx.conn().Query(kCounts);
      fn(tx);
      const std::vector<Row> after = tx.conn().Query(kCounts);
      for (std::size_t i = 0; i < after.size() && i < before.size(); ++i) {
        if (after[i].Int(1) > before[i].Int(1)) tables.push_back(after[i].Str(0));
      }
      return OkStatus();
    });
    EXPECT_TRUE(st.ok()) << st.error().detail.en;
    return tables;
  }

  static TestDatabase* db_;
  static Store* store_;
};
TestDatabase* PgPlansTest::db_ = nullptr;
Store* PgPlansTest::store_ = nullptr;

using Tables = std::vector<std::string>;

TEST_F(PgPlansTest, TheDetectorSeesASequentialScan) {
  EXPECT_EQ(SeqScans([](Tx& tx) {
              tx.conn().Query("SELECT count(*) FROM service_numbers WHERE domain = 'x'");
            }),
            Tables{"service_numbers"});
}

TEST_F(PgPlansTest, ReadsOfOneRow) {
  EXPECT_EQ(SeqScans([](Tx& tx) {
              EXPECT_TRUE(tx.GetProduct("p000150000").has_value());
              EXPECT_TRUE(tx.GetNumber("N000450000").has_value());
              EXPECT_TRUE(tx.GetFiling("f-00000000000000450000").has_value());
              EXPECT_TRUE(tx.ActiveFilingForDomain("d450000.example.cn", "cu00015000").has_value());
              EXPECT_TRUE(tx.ApprovedFilingForDomain("d450000.example.cn").has_value());
              EXPECT_EQ(tx.FilingsInReviewForDomain("d450001.example.cn").size(), 1u);
              EXPECT_EQ(tx.PeekQuota("p:p000150000"), 3);
              tx.PeekQuotas({"p:p000000001", "p:p000150000"});
              EXPECT_TRUE(tx.GetAccount("cu00015000").has_value());
              tx.TokenByHash("no-such-hash");
              tx.GetIdempotency("cu00015000", "k");
              tx.GetProducts({"p000000001", "p000150000"});
            }),
            Tables{});
}

TEST_F(PgPlansTest, ListPagesFirstAndDeep) {
  EXPECT_EQ(SeqScans([](Tx& tx) {
              ProductFilter all;
              all.limit = 50;
              EXPECT_EQ(tx.ListProducts(all).size(), 50u);
              all.after_id = "p000180000";
              EXPECT_EQ(tx.ListProducts(all).size(), 50u);
              ProductFilter own;
              own.account_id = "cu00015000";
              EXPECT_EQ(tx.ListProducts(own).size(), 10u);
            }),
            Tables{});
  EXPECT_EQ(SeqScans([](Tx& tx) {
              NumberFilter all;
              all.limit = 50;
              EXPECT_EQ(tx.ListNumbers(all).size(), 50u);
              all.after_code = "N000540000";
              EXPECT_EQ(tx.ListNumbers(all).size(), 50u);
              NumberFilter in_review;
              in_review.state = NumberState::kInReview;
              in_review.limit = 50;
              EXPECT_EQ(tx.ListNumbers(in_review).size(), 50u);
              NumberFilter own;  // a customer late in code order, and one with grants
              own.visible_to = "cu00019000";
              EXPECT_EQ(tx.ListNumbers(own).size(), 30u);
              own.visible_to = "cu00000001";
              EXPECT_GT(tx.ListNumbers(own).size(), 30u);
              NumberFilter product;
              product.product_id = "p000150000";
              EXPECT_EQ(tx.ListNumbers(product).size(), 3u);
            }),
            Tables{});
  EXPECT_EQ(SeqScans([](Tx& tx) {
              FilingFilter all;
              all.limit = 50;
              EXPECT_EQ(tx.ListFilings(all).size(), 50u);
              all.after_id = "f-00000000000000540000";
              EXPECT_EQ(tx.ListFilings(all).size(), 50u);
              FilingFilter in_review;
              in_review.state = FilingState::kInReview;
              in_review.limit = 50;
              EXPECT_EQ(tx.ListFilings(in_review).size(), 50u);
              FilingFilter own;
              own.visible_to = "cu00019000";
              EXPECT_FALSE(tx.ListFilings(own).empty());
            }),
            Tables{});
}

// GET /v1/events filters (Tx::FindEvents, 010_events_filters.sql) and the archive's read.
TEST_F(PgPlansTest, EventFilters) {
  const auto minute = [](int64_t i) { return Time{std::chrono::seconds{1700000000 + i * 60}}; };
  EXPECT_EQ(SeqScans([&](Tx& tx) {
              const auto found = [&](EventQuery q) { return tx.FindEvents(q).size(); };
              EventQuery q;
              q.types = {"number.issued"};
              EXPECT_EQ(found(q), 100u);
              q.types = {"filing.*", "account.created"};
              EXPECT_EQ(found(q), 0u);
              q.newest_first = true;
              EXPECT_EQ(found(q), 0u);
              q = {};
              q.subject = "N000450000";
              EXPECT_EQ(found(q), 1u);
              q.newest_first = true;
              EXPECT_EQ(found(q), 1u);
              q = {};
              q.since = minute(540000);
              EXPECT_EQ(found(q), 100u);
              q.until = minute(540050);
              EXPECT_EQ(found(q), 50u);
              q.newest_first = true;
              EXPECT_EQ(found(q), 50u);
              q = {};
              q.until = minute(50);
              EXPECT_EQ(found(q), 50u);
              q = {};
              q.account = "cu00019000";
              q.types = {"number.*"};
              q.since = minute(570000);
              EXPECT_EQ(found(q), 30u);
              q = {};
              q.until = minute(20000);  // the archive's batch read
              q.limit = 10000;
              EXPECT_EQ(found(q), 10000u);
            }),
            Tables{});
}

TEST_F(PgPlansTest, EventsOverviewAndCounts) {
  EXPECT_EQ(SeqScans([](Tx& tx) {
              EXPECT_EQ(tx.ListEvents(0, 100, std::nullopt).size(), 100u);
              EXPECT_EQ(tx.ListEvents((int64_t{3} << 20) + 540000, 100, std::nullopt).size(), 100u);
              EXPECT_EQ(tx.ListEvents(0, 100, std::string("cu00019000")).size(), 30u);
              // Newest first: from the end, from the middle, one account's.
              EXPECT_EQ(tx.ListEventsBefore(INT64_MAX, 100, std::nullopt).size(), 100u);
              EXPECT_EQ(tx.ListEventsBefore((int64_t{3} << 20) + 540000, 100, std::nullopt).size(),
                        100u);
              EXPECT_EQ(tx.ListEventsBefore(INT64_MAX, 100, std::string("cu00019000")).size(), 30u);
              const Stats stats = tx.GetStats();
              EXPECT_EQ(stats.numbers_issued, 600000);
              tx.CountNumbersByState("cu00019000");
              tx.CountProductsByKind("cu00019000");
            }),
            Tables{});
}

TEST_F(PgPlansTest, SearchLookUps) {
  EXPECT_EQ(SeqScans([](Tx& tx) {
              // 10.2.73.224 is product 149984 (2 * 65536 + 73 * 256 + 224) of cu00014998.
              const auto all = tx.ProductsByIp("10.2.73.224", std::nullopt, 20);
              ASSERT_EQ(all.size(), 1u);
              EXPECT_EQ(all[0].id, "p000149984");
              EXPECT_EQ(tx.ProductsByIp("10.2.73.224", std::string("cu00014998"), 20).size(), 1u);
              EXPECT_TRUE(tx.ProductsByIp("10.2.73.224", std::string("cu00000001"), 20).empty());
              EXPECT_EQ(tx.FilingsByDomain("d450000.example.cn", std::nullopt, 20).size(), 1u);
              EXPECT_EQ(
                  tx.FilingsByDomain("d450000.example.cn", std::string("cu00015000"), 20).size(),
                  1u);
              EXPECT_TRUE(
                  tx.FilingsByDomain("d450000.example.cn", std::string("cu00000001"), 20).empty());
            }),
            Tables{});
}

TEST_F(PgPlansTest, DashboardAggregates) {
  const Time from = Time{std::chrono::seconds{1700000000 + 540000 * 60}};
  const Time to = from + std::chrono::hours{24 * 7};
  EXPECT_EQ(SeqScans([&](Tx& tx) {
              const auto issued = tx.NumbersIssuedPerBucket(from, to, 86400);
              ASSERT_EQ(issued.size(), 7u);
              EXPECT_EQ(issued[0], (std::pair<int64_t, int64_t>{0, 1440}));
              EXPECT_EQ(tx.EventsPerBucket("number.issued", from, to, 3600).size(), 168u);
              EXPECT_TRUE(tx.EventsPerBucket("filing.approved", from, to, 3600).empty());
              EXPECT_TRUE(tx.NthOldestInReview(0).has_value());
              EXPECT_TRUE(tx.NthOldestInReview(10000).has_value());
              EXPECT_FALSE(tx.NthOldestInReview(30000).has_value());
              ProductFilter sample;  // the dashboard's product sample (kStatsProductSample + 1)
              sample.limit = kStatsProductSample + 1;
              const std::vector<Product> products = tx.ListProducts(sample);
              EXPECT_EQ(products.size(), 10001u);
              std::vector<std::string> keys;  // the sample's quota scopes, read by MakeProductViews
              for (const Product& p : products) keys.push_back("p:" + p.id);
              EXPECT_EQ(tx.PeekQuotas(keys).size(), 10001u);
              EXPECT_EQ(tx.GetStats().filings_by_state.size(), 2u);
            }),
            Tables{});
}

// The notices scan (Service::ScanNotices): every candidate query is an index range, whatever the
// number of products, numbers and filings.
TEST_F(PgPlansTest, NoticeScans) {
  const Time now{std::chrono::seconds{1700000000 + 36000 * 60}};
  const std::chrono::seconds month{30 * 24 * 3600};
  EXPECT_EQ(
      SeqScans([&](Tx& tx) {
        NoticesTx n(tx);
        n.TermCandidates(Kind::kEcs, now, now + 4 * month, {}, 200);
        n.ExpiredBetween(now - month, now, {}, 200);
        n.LapsedChangedBetween(now - month, now, {}, 200);
        n.UnnoticedAvailableNumbers({"p000150000", "p000150001"}, now);
        EXPECT_EQ(
            n.OverdueCandidates(Time{std::chrono::seconds{1700000000 + 6000 * 60}}, {}, 200).size(),
            200u);
        n.List(std::string("cu00019000"), 0, 50);
        n.List(std::nullopt, 0, 50);
      }),
      Tables{});
}

}  // namespace
}  // namespace beian::testing
