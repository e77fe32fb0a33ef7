// Notices (Service::ScanNotices, ListNotices) on both backends: each kind is emitted once per
// occurrence with its audit event, a renewed product is a new occurrence, nothing for products
// without unused numbers, and scans running at once (threads on several Stores) emit each once.
#include <algorithm>
#include <map>
#include <thread>

#include "store/notices_tx.h"
#include "store/service_test_base.h"

namespace beian::testing {
namespace {

constexpr std::chrono::seconds kDay{24 * 3600};

class NoticesTest : public ServiceTestBase {
 protected:
  // The product `id` of alice with one available number, expiring at `expires`.
  std::string WithNumber(const std::string& id, Time expires, Kind kind = Kind::kEcs) {
    w().Put(w().Fileable(id, "alice", kind));
    const std::string code = w().MustApply(w().alice, id);
    ProductInput in = w().Fileable(id, "alice", kind);
    in.product.expires_at = expires;
    w().Put(in);
    return code;
  }
  NoticeScanReport Scan(Time at) {
    Result<NoticeScanReport> r = svc().ScanNotices(at);
    EXPECT_TRUE(r.ok()) << r.error().detail.en;
    return r.ok() ? *r : NoticeScanReport{};
  }
  std::vector<Notice> Notices(const Principal& who, NoticeQuery q = {}) {
    Result<NoticePage> r = svc().ListNotices(who, q);
    EXPECT_TRUE(r.ok()) << CodeOf(r);
    return r.ok() ? r->items : std::vector<Notice>{};
  }
  // "account subject data" of the events of type `type` (every account's), oldest first.
  std::vector<std::string> Events(std::string_view type) {
    Result<EventPage> r = svc().ListEventsNewestFirst(w().op, 0, 500);
    EXPECT_TRUE(r.ok());
    std::vector<std::string> out;
    if (!r.ok()) return out;
    for (auto it = r->items.rbegin(); it != r->items.rend(); ++it) {
      if (it->type == type) out.push_back(it->account_id + " " + it->subject + " " + it->data_json);
    }
    return out;
  }
  Time SoonBelowMinimum() { return AddMonthsCst(w().now() + 10 * kDay, 3); }
};

TEST_P(NoticesTest, TermExpiringOncePerOccurrenceOnlyWithUnusedNumbers) {
  w().AddCustomers();
  WithNumber("p1", SoonBelowMinimum());
  ProductInput bare = w().Fileable("p2", "alice");  // no numbers: no notice
  bare.product.expires_at = SoonBelowMinimum();
  w().Put(bare);
  WithNumber("p3", AddMonthsCst(w().now(), 12));  // far from the minimum
  NoticeScanReport r = Scan(w().now());
  EXPECT_EQ(r.term_expiring, 1);
  EXPECT_EQ(r.total(), 1);
  EXPECT_EQ(Scan(w().now()).total(), 0);
  const auto notices = Notices(w().alice);
  ASSERT_EQ(notices.size(), 1u);
  EXPECT_EQ(notices[0].kind, NoticeKind::kTermExpiring);
  EXPECT_EQ(notices[0].object_id, "p1");
  EXPECT_EQ(notices[0].occurred_at, SoonBelowMinimum());
  EXPECT_EQ(notices[0].min_months, 3);
  const auto events = Events("product.term_expiring");
  ASSERT_EQ(events.size(), 1u);
  EXPECT_TRUE(events[0].starts_with("alice p1 {\"notice_id\":")) << events[0];
  EXPECT_NE(events[0].find("\"expires_at\":\"" + FormatRfc3339Cst(SoonBelowMinimum())),
            std::string::npos);
  // Renewed by a year: nothing now; when the term runs down again, a new notice.
  ProductInput renewed = w().Fileable("p1", "alice");
  renewed.product.expires_at = SoonBelowMinimum() + 365 * kDay;
  w().Put(renewed);
  EXPECT_EQ(Scan(w().now()).term_expiring, 0);
  EXPECT_EQ(Scan(w().now() + 365 * kDay).term_expiring, 1);
  EXPECT_EQ(Scan(w().now() + 365 * kDay).term_expiring, 0);
  EXPECT_EQ(Events("product.term_expiring").size(), 2u);
  // (A year on, p3 has expired too: its number lapsed, a notice of the other kind.)
  const auto all = Notices(w().alice);
  EXPECT_EQ(std::count_if(all.begin(), all.end(),
                          [](const Notice& n) { return n.kind == NoticeKind::kTermExpiring; }),
            2);
  EXPECT_TRUE(Notices(w().bob).empty());
}

TEST_P(NoticesTest, NumberLapsedForExpiredReleasedAndNoPublicIp) {
  w().AddCustomers();
  const std::string expired = WithNumber("p1", w().now() + kDay * 400);
  const std::string released = WithNumber("p2", w().now() + kDay * 400);
  const std::string no_ip = WithNumber("p3", w().now() + kDay * 400);
  WithNumber("p4", w().now() + kDay * 400);  // stays usable
  ProductInput host = w().Fileable("p5", "alice", Kind::kVhost);
  host.product.public_ips.clear();  // a virtual host needs no public IP
  w().Put(host);
  w().MustApply(w().alice, "p5");
  w().Advance(kDay);
  ProductInput e = w().Fileable("p1", "alice");
  e.product.expires_at = w().now() - std::chrono::seconds{60};
  w().Put(e);
  ASSERT_TRUE(svc().ReleaseProduct(w().op, "p2").ok());
  ProductInput n = w().Fileable("p3", "alice");
  n.product.expires_at = w().now() + kDay * 400;
  n.product.public_ips.clear();
  w().Put(n);
  EXPECT_EQ(Scan(w().now()).number_lapsed, 3);
  EXPECT_EQ(Scan(w().now()).total(), 0);
  std::map<std::string, std::string> causes;
  for (const Notice& x : Notices(w().alice)) {
    ASSERT_EQ(x.kind, NoticeKind::kNumberLapsed);
    causes[x.object_id] = x.detail;
  }
  EXPECT_EQ(causes, (std::map<std::string, std::string>{
                        {expired, "expired"}, {released, "released"}, {no_ip, "no_public_ip"}}));
  EXPECT_EQ(Events("number.lapsed").size(), 3u);
  // The IP comes back and is lost again: a new occurrence.
  w().Advance(kDay);
  n.product.public_ips = {"47.96.1.3"};
  w().Put(n);
  EXPECT_EQ(Scan(w().now()).total(), 0);
  w().Advance(kDay);
  n.product.public_ips.clear();
  w().Put(n);
  EXPECT_EQ(Scan(w().now()).number_lapsed, 1);
  EXPECT_EQ(Scan(w().now()).number_lapsed, 0);
}

// A lapse is one occurrence: editing another field of the lapsed product (an operator renames
// it) is not a new lapse; the renewed and again expired product is.
TEST_P(NoticesTest, NumberLapsedOncePerLapseWhateverElseOfTheProductChanges) {
  w().AddCustomers();
  const std::string no_ip = WithNumber("p1", w().now() + kDay * 400);
  const std::string marked = WithNumber("p2", w().now() + kDay * 400);
  w().Advance(kDay);
  ProductInput a = w().Fileable("p1", "alice");
  a.product.expires_at = w().now() + kDay * 400;
  a.product.public_ips.clear();
  w().Put(a);
  ProductInput b = w().Fileable("p2", "alice");
  b.product.expires_at = w().now() + kDay * 400;
  b.product.status = ProductStatus::kExpired;  // marked expired before its end date
  w().Put(b);
  EXPECT_EQ(Scan(w().now()).number_lapsed, 2);
  w().Advance(kDay);
  a.product.name = "renamed";
  b.product.name = "renamed";
  b.product.region = "cn-shanghai";
  w().Put(a);
  w().Put(b);
  EXPECT_EQ(Scan(w().now()).number_lapsed, 0);
  EXPECT_EQ(Events("number.lapsed").size(), 2u);
  // Running again, then marked expired again: a new lapse.
  w().Advance(kDay);
  b.product.status = ProductStatus::kRunning;
  w().Put(b);
  w().Advance(kDay);
  b.product.status = ProductStatus::kExpired;
  w().Put(b);
  EXPECT_EQ(Scan(w().now()).number_lapsed, 1);
  std::map<std::string, int> per_code;
  for (const Notice& x : Notices(w().alice)) ++per_code[x.object_id];
  EXPECT_EQ(per_code, (std::map<std::string, int>{{no_ip, 1}, {marked, 2}}));
}

TEST_P(NoticesTest, ReviewOverdueAfterThePolicysReviewTime) {
  w().AddCustomers();
  const std::string code = WithNumber("p1", AddMonthsCst(w().now(), 12));
  ASSERT_TRUE(svc().Grant(w().alice, code, "bob").ok());
  Result<Filing> f = svc().SubmitFiling(w().bob, FilingRequest{"a.example.cn", code, std::nullopt});
  ASSERT_TRUE(f.ok()) << CodeOf(f);
  EXPECT_EQ(Scan(w().now() + 19 * kDay).review_overdue, 0);
  EXPECT_EQ(Scan(w().now() + 20 * kDay).review_overdue, 1);
  EXPECT_EQ(Scan(w().now() + 21 * kDay).review_overdue, 0);
  const auto bobs = Notices(w().bob);
  ASSERT_EQ(bobs.size(), 1u);
  EXPECT_EQ(bobs[0].object_id, f->id);
  EXPECT_EQ(bobs[0].detail, "a.example.cn");
  EXPECT_EQ(bobs[0].review_days, 20);
  // The product's owner gets the event too (as its second account).
  Result<EventPage> alices = svc().ListEventsNewestFirst(w().alice, 0, 100);
  ASSERT_TRUE(alices.ok());
  EXPECT_EQ(std::count_if(alices->items.begin(), alices->items.end(),
                          [](const Event& e) { return e.type == "filing.review_overdue"; }),
            1);
  // An approved filing is not overdue.
  ASSERT_TRUE(svc().Approve(w().op, f->id).ok());
  EXPECT_EQ(Scan(w().now() + 60 * kDay).review_overdue, 0);
}

TEST_P(NoticesTest, ListingIsOwnForCustomersNewestFirstAndPaged) {
  w().AddCustomers();
  for (int i = 0; i < 5; ++i) WithNumber("p" + std::to_string(i), SoonBelowMinimum());
  EXPECT_EQ(Scan(w().now()).term_expiring, 5);
  NoticeQuery q;
  q.limit = 2;
  Result<NoticePage> page = svc().ListNotices(w().alice, q);
  ASSERT_TRUE(page.ok());
  ASSERT_EQ(page->items.size(), 2u);
  EXPECT_GT(page->items[0].id, page->items[1].id);
  q.before = page->next_before;
  page = svc().ListNotices(w().alice, q);
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(page->items.size(), 2u);
  EXPECT_LT(page->items[0].id, q.before);
  NoticeQuery others;
  others.account_id = "bob";
  EXPECT_EQ(CodeOf(svc().ListNotices(w().alice, others)), "FORBIDDEN");
  EXPECT_TRUE(Notices(w().op, others).empty());
  others.account_id = "alice";
  EXPECT_EQ(Notices(w().op, others).size(), 5u);
  EXPECT_EQ(Notices(w().op).size(), 5u);
}

// Scans running at once, each on a Store of its own (as servers on one database): every notice
// and its event exactly once.
TEST_P(NoticesTest, ConcurrentScansEmitEachNoticeOnce) {
  w().AddCustomers();
  constexpr int kProducts = 30;
  for (int i = 0; i < kProducts; ++i) WithNumber("p" + std::to_string(i), SoonBelowMinimum());
  constexpr int kScanners = 4;
  std::vector<std::unique_ptr<Store>> stores;
  for (int i = 0; i < kScanners; ++i) stores.push_back(OpenStore());
  std::vector<int> emitted(kScanners, -1);
  std::vector<std::thread> threads;
  const Time now = w().now();
  for (int i = 0; i < kScanners; ++i) {
    threads.emplace_back([&, i] {
      Service s(*stores[static_cast<std::size_t>(i)], DefaultPolicy());
      Result<NoticeScanReport> r = s.ScanNotices(now);
      emitted[static_cast<std::size_t>(i)] = r.ok() ? r->total() : -1;
    });
  }
  for (auto& t : threads) t.join();
  int sum = 0;
  for (int e : emitted) {
    EXPECT_GE(e, 0);
    sum += e;
  }
  EXPECT_EQ(sum, kProducts);
  EXPECT_EQ(Events("product.term_expiring").size(), static_cast<std::size_t>(kProducts));
  EXPECT_EQ(Notices(w().op, NoticeQuery{std::nullopt, 0, 500}).size(),
            static_cast<std::size_t>(kProducts));
}

BEIAN_INSTANTIATE_BACKENDS(NoticesTest);

// Migration 11 on a database at the previous schema with data: the products, numbers and
// filings stay, and the scan then finds their notices.
class NoticesMigrateTest : public ServiceTestBase {
 protected:
  static std::string ReadNumberCode(Tx& tx) {
    return tx.conn().Query("SELECT code FROM service_numbers").at(0).Str(0);
  }
};

TEST_P(NoticesMigrateTest, APreviousSchemaWithDataUpgradesAndIsScanned) {
  w().AddCustomers();
  w().Put(w().Fileable("p1", "alice"));
  w().MustApply(w().alice, "p1");
  ProductInput in = w().Fileable("p1", "alice");
  in.product.expires_at = AddMonthsCst(w().now() + 5 * kDay, 3);
  w().Put(in);
  WriteTx([](Tx& tx) {
    UndoLapseTimes(tx);
    tx.conn().ExecScript(
        "DROP TABLE notices; DROP INDEX products_term; DROP INDEX products_expires; "
        "DROP INDEX products_lapsed_updated; DROP INDEX service_numbers_product_available");
    tx.conn().Exec("DELETE FROM schema_version WHERE version = 11");
  });
  EXPECT_FALSE(store().CheckSchema().ok());
  ASSERT_TRUE(store().Migrate().ok());
  EXPECT_TRUE(store().CheckSchema().ok());
  Result<NoticeScanReport> r = svc().ScanNotices(w().now());
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->term_expiring, 1);
}

// Migration 12 on a version-11 database whose lapsed product was noticed: renaming the product
// afterwards is not a new lapse.
TEST_P(NoticesMigrateTest, AVersionElevenLapseIsNotNoticedAgainAfterTheUpgrade) {
  w().AddCustomers();
  w().Put(w().Fileable("p1", "alice"));
  w().MustApply(w().alice, "p1");
  w().Advance(kDay);
  ProductInput in = w().Fileable("p1", "alice");
  in.product.public_ips.clear();
  w().Put(in);
  WriteTx([](Tx& tx) { UndoLapseTimes(tx); });
  // The notice as version 11 keyed it: on the product's last change.
  const Time changed = w().now();
  WriteTx([&](Tx& tx) {
    Notice n;
    n.kind = NoticeKind::kNumberLapsed;
    n.account_id = "alice";
    n.object_id = ReadNumberCode(tx);
    n.product_id = "p1";
    n.occurred_at = n.due_at = n.created_at = changed;
    n.detail = "no_public_ip";
    ASSERT_TRUE(NoticesTx(tx).TryInsert(n));
  });
  ASSERT_TRUE(store().Migrate().ok());
  EXPECT_TRUE(store().CheckSchema().ok());
  w().Advance(kDay);
  in.product.name = "renamed";
  w().Put(in);
  Result<NoticeScanReport> r = svc().ScanNotices(w().now());
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->number_lapsed, 0);
}

BEIAN_INSTANTIATE_BACKENDS(NoticesMigrateTest);

}  // namespace
}  // namespace beian::testing
