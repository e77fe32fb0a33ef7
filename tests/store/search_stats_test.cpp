// Service::Search and Service::Dashboard on both backends: visibility of search hits, and the
// dashboard's exact figures for a small world built on a settable clock.
#include <algorithm>

#include "store/service_test_base.h"

namespace beian::testing {
namespace {

class SearchStatsTest : public ServiceTestBase {
 protected:
  // "type:id" of each hit of `who`'s search for `q` ("ERROR:CODE" on refusal).
  std::vector<std::string> Found(const Principal& who, std::string_view q) {
    Result<std::vector<SearchHit>> r = svc().Search(who, q);
    if (!r.ok()) return {"ERROR:" + CodeOf(r.error())};
    std::vector<std::string> out;
    for (const SearchHit& h : *r) {
      std::string id = h.number    ? h.number->number.code
                       : h.product ? h.product->product.id
                       : h.filing  ? h.filing->id
                                   : h.account->id;
      out.push_back(std::string(SearchTypeName(h.type)) + ":" + id);
    }
    return out;
  }
  std::string File(const Principal& who, const std::string& domain, const std::string& code) {
    Result<Filing> f = svc().SubmitFiling(who, FilingRequest{domain, code, std::nullopt});
    EXPECT_TRUE(f.ok()) << CodeOf(f);
    return f.ok() ? f->id : "";
  }
  using Strings = std::vector<std::string>;
};

TEST_P(SearchStatsTest, SearchFindsOnlyWhatTheCallerMayGet) {
  w().AddCustomers();
  w().Put(w().Fileable("p1", "alice"));
  w().Put(w().Fileable("p2", "bob"));
  const std::string code = w().MustApply(w().alice, "p1");
  const std::string filing = File(w().alice, "a.example.cn", code);
  std::string spaced = code;
  std::replace(spaced.begin(), spaced.end(), '-', ' ');
  EXPECT_EQ(Found(w().alice, spaced), Strings{"number:" + code});
  EXPECT_EQ(Found(w().bob, code), Strings{});
  EXPECT_EQ(Found(w().alice, "47.96.1.2"), Strings{"product:p1"});
  EXPECT_EQ(Found(w().bob, "47.96.1.2"), Strings{"product:p2"});
  EXPECT_EQ(Found(w().op, " 47.96.1.2 "), (Strings{"product:p1", "product:p2"}));
  EXPECT_EQ(Found(w().alice, "A.Example.CN"), Strings{"filing:" + filing});
  EXPECT_EQ(Found(w().bob, "a.example.cn"), Strings{});
  EXPECT_EQ(Found(w().bob, filing), Strings{});
  EXPECT_EQ(Found(w().op, "alice"), Strings{"account:alice"});
  EXPECT_EQ(Found(w().alice, "alice"), Strings{});
  EXPECT_EQ(Found(w().alice, "  "), Strings{"ERROR:INVALID_REQUEST"});
  // A released product is no longer the customer's to find; the operator still finds it.
  ASSERT_TRUE(svc().ReleaseProduct(w().op, "p2").ok());
  EXPECT_EQ(Found(w().bob, "47.96.1.2"), Strings{});
  EXPECT_EQ(Found(w().op, "p2"), Strings{"product:p2"});
}

TEST_P(SearchStatsTest, DashboardFiguresOfASmallWorld) {
  w().AddCustomers();
  const Time t0 = w().now();
  w().Put(w().Fileable("p1", "alice"));
  w().Put(w().Fileable("p2", "bob"));
  ProductInput no_ip = w().Fileable("p3", "alice");
  no_ip.product.public_ips.clear();
  w().Put(no_ip);
  const std::string a1 = w().MustApply(w().alice, "p1");
  const std::string a2 = w().MustApply(w().alice, "p1");
  w().Advance(std::chrono::hours{24});
  const std::string b1 = w().MustApply(w().bob, "p2");
  const std::string f1 = File(w().alice, "one.example.cn", a1);
  w().Advance(std::chrono::hours{2});
  File(w().alice, "two.example.cn", a2);
  ASSERT_TRUE(svc().Approve(w().op, f1).ok());
  w().Advance(std::chrono::hours{24});
  File(w().bob, "three.example.cn", b1);

  Result<DashboardStats> d =
      svc().Dashboard(w().op, StatsQuery{t0, t0 + std::chrono::hours{72}, StatsBucket::kDay});
  ASSERT_TRUE(d.ok()) << CodeOf(d);
  std::vector<int64_t> issued;
  for (const auto& [t, n] : d->numbers_issued) issued.push_back(n);
  EXPECT_EQ(issued, (std::vector<int64_t>{2, 1, 0}));
  EXPECT_EQ(d->numbers_issued[1].first, t0 + std::chrono::hours{24});
  ASSERT_EQ(d->filings_by_state.size(), 3u);
  EXPECT_EQ(d->filings_by_state[0].in_review, 0);
  EXPECT_EQ(d->filings_by_state[1].in_review, 2);
  EXPECT_EQ(d->filings_by_state[1].approved, 1);
  EXPECT_EQ(d->filings_by_state[2].in_review, 1);
  EXPECT_EQ(d->filings_by_state[2].approved, 0);
  // In review: two.example.cn (24 h old) and three.example.cn (just now).
  EXPECT_EQ(d->review_queue_size, 2);
  EXPECT_EQ(d->review_age_p50_seconds, 0);
  EXPECT_EQ(d->review_age_p90_seconds, 86400);
  const int limit = svc().GetProduct(w().op, "p1")->eligibility.quota.limit;
  ASSERT_EQ(d->quota_use_by_kind.size(), 1u);
  EXPECT_EQ(d->quota_use_by_kind[0].kind, Kind::kEcs);
  EXPECT_EQ(d->quota_use_by_kind[0].scopes, 3);
  EXPECT_EQ(d->quota_use_by_kind[0].used, 3);
  EXPECT_EQ(d->quota_use_by_kind[0].limit, 3 * limit);
  EXPECT_EQ(d->quota_use_by_kind[0].exhausted, 0);
  ASSERT_EQ(d->cannot_apply_by_reason.size(), 1u);
  EXPECT_EQ(d->cannot_apply_by_reason[0], (std::pair{ReasonCode::kNoPublicIp, int64_t{1}}));
  EXPECT_EQ(d->products_sampled, 3);
  EXPECT_TRUE(d->sample_complete);

  // Hours of the second day: issued at +0 h, filings submitted at +0 h and +2 h, approved at +2 h.
  const Time day1 = t0 + std::chrono::hours{24};
  d = svc().Dashboard(w().op, StatsQuery{day1, day1 + std::chrono::hours{3}, StatsBucket::kHour});
  ASSERT_TRUE(d.ok());
  ASSERT_EQ(d->filings_by_state.size(), 3u);
  EXPECT_EQ(d->numbers_issued[0].second, 1);
  EXPECT_EQ(d->numbers_issued[2].second, 0);
  EXPECT_EQ(d->filings_by_state[0].in_review, 1);
  EXPECT_EQ(d->filings_by_state[2].in_review, 1);
  EXPECT_EQ(d->filings_by_state[2].approved, 1);

  EXPECT_EQ(CodeOf(svc().Dashboard(w().alice, StatsQuery{t0, day1, StatsBucket::kDay})),
            "FORBIDDEN");
  EXPECT_EQ(CodeOf(svc().Dashboard(w().op, StatsQuery{day1, t0, StatsBucket::kDay})),
            "INVALID_REQUEST");
  EXPECT_EQ(CodeOf(svc().Dashboard(
                w().op, StatsQuery{t0, t0 + std::chrono::hours{1001}, StatsBucket::kHour})),
            "INVALID_REQUEST");
  EXPECT_TRUE(
      svc()
          .Dashboard(w().op, StatsQuery{t0, t0 + std::chrono::hours{1000}, StatsBucket::kHour})
          .ok());
}

BEIAN_INSTANTIATE_BACKENDS(SearchStatsTest);

}  // namespace
}  // namespace beian::testing
