// Api::TryQueueApply over a real SQLite store: which applies are queued, and that the answer to a
// queued one is the answer Handle gives.
#include <gtest/gtest.h>
#include <stdlib.h>

#include <boost/json.hpp>
#include <chrono>
#include <deque>
#include <filesystem>
#include <future>
#include <set>
#include <thread>

#include "domain/policy.h"
#include "domain/time.h"
#include "http/api.h"
#include "store/store.h"

namespace beian::http {
namespace {

class ApiQueueTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string templ = (std::filesystem::temp_directory_path() / "beian-queue.XXXXXX").string();
    ASSERT_NE(mkdtemp(templ.data()), nullptr);
    dir_ = templ;
    auto store = Store::Open("sqlite:" + dir_ + "/t.db");
    ASSERT_TRUE(store.ok());
    store_ = std::move(store.value());
    ASSERT_TRUE(store_->Migrate().ok());
    Policy policy = DefaultPolicy();
    policy.account_writes = RateLimit{kBurst, 1};  // one token a minute: no refill in a test
    svc_ = std::make_unique<Service>(*store_, policy);
    api_ = std::make_unique<Api>(*svc_, metrics_);
    const Principal op{"system", Role::kOperator};
    ASSERT_TRUE(svc_->PutAccount(op, AccountChange{"alice", Role::kCustomer, std::nullopt, "alice",
                                                   std::nullopt})
                    .ok());
    Result<std::string> token = svc_->IssueToken(op, "alice");
    ASSERT_TRUE(token.ok());
    authorization_ = "Bearer " + *token;
    for (int i = 1; i <= 4; ++i) {
      ProductInput in;
      in.product.id = "ecs-" + std::to_string(i);
      in.product.account_id = "alice";
      in.product.kind = Kind::kEcs;
      in.product.name = in.product.id;
      in.product.billing = Billing::kSubscription;
      in.product.region = "cn-hangzhou";
      in.product.public_ips = {"47.96.1." + std::to_string(i)};
      in.product.expires_at = AddMonthsCst(svc_->Now(), 12);
      in.product.status = ProductStatus::kRunning;
      ASSERT_TRUE(svc_->UpsertProduct(op, std::move(in)).ok());
    }
  }
  void TearDown() override {
    api_.reset();
    svc_.reset();
    store_.reset();
    std::filesystem::remove_all(dir_);
  }

  // ApiRequest holds views: the strings they view are kept in strings_.
  ApiRequest Apply(std::string target) {
    ApiRequest r;
    r.method = "POST";
    r.target = strings_.emplace_back(std::move(target));
    r.authorization = authorization_;
    r.request_id = "rid";
    return r;
  }
  // Tries to queue `req`; what done got (nullopt also when nothing was queued: see `queued`).
  std::optional<QueuedApply> TryQueue(const ApiRequest& req, bool& queued) {
    // Shared: done may still run after a failed wait returned.
    auto got = std::make_shared<std::promise<std::optional<QueuedApply>>>();
    std::future<std::optional<QueuedApply>> f = got->get_future();
    queued = api_->TryQueueApply(req, api_->Match(req), [got](std::optional<QueuedApply> a) {
      got->set_value(std::move(a));
    });
    if (!queued) return std::nullopt;
    if (f.wait_for(std::chrono::seconds(10)) != std::future_status::ready) {
      ADD_FAILURE() << "done was never called";
      return std::nullopt;
    }
    return f.get();
  }
  // Authenticates through Handle (which caches the principal) until an apply of `target` queues:
  // the credential watch must have read the store's generation once first.
  std::optional<QueuedApply> QueueOnceCached(const std::string& target) {
    const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    ApiRequest me = Apply("/v1/me");
    me.method = "GET";
    for (;;) {
      EXPECT_EQ(api_->Handle(me, api_->Match(me)).status, 200);
      bool queued = false;
      std::optional<QueuedApply> a = TryQueue(Apply(target), queued);
      if (queued || std::chrono::steady_clock::now() > give_up) {
        EXPECT_TRUE(queued) << "a cached token's apply was never queued";
        return a;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
  }
  static constexpr int kBurst = 4;

  // The same content type, route, header names and body fields.
  static void ExpectSameShape(const ApiResponse& got, const ApiResponse& want) {
    EXPECT_EQ(got.content_type, want.content_type);
    EXPECT_EQ(got.route_index, want.route_index);
    EXPECT_EQ(HeaderNames(got), HeaderNames(want));
    EXPECT_EQ(BodyKeys(got), BodyKeys(want));
  }

  static std::set<std::string> HeaderNames(const ApiResponse& r) {
    std::set<std::string> names;
    for (const auto& [name, value] : r.headers) names.insert(std::string(name));
    return names;
  }
  static std::set<std::string> BodyKeys(const ApiResponse& r) {
    const boost::json::value body = boost::json::parse(r.body);
    std::set<std::string> keys;
    for (const auto& kv : body.as_object()) keys.insert(std::string(kv.key()));
    return keys;
  }

  std::string dir_;
  std::unique_ptr<Store> store_;
  std::unique_ptr<Service> svc_;
  Metrics metrics_{Routes().size()};
  std::unique_ptr<Api> api_;
  std::string authorization_;
  std::deque<std::string> strings_;
};

TEST_F(ApiQueueTest, AQueuedApplyIsAnsweredAsHandleAnswersIt) {
  const ApiRequest first = Apply("/v1/products/ecs-1/service-numbers");
  const ApiResponse handled = api_->Handle(first, api_->Match(first));
  ASSERT_EQ(handled.status, 201) << handled.body;
  const std::optional<QueuedApply> applied = QueueOnceCached("/v1/products/ecs-2/service-numbers");
  ASSERT_TRUE(applied.has_value());
  const ApiRequest second = Apply("/v1/products/ecs-2/service-numbers");
  const ApiResponse queued = api_->QueuedApplyResponse(*applied, second, api_->Match(second));
  EXPECT_EQ(queued.status, 201);
  ExpectSameShape(queued, handled);
  const boost::json::value b = boost::json::parse(queued.body);
  EXPECT_EQ(b.at("product_id").as_string(), "ecs-2");
  // The number is committed: Handle's GET finds it.
  ApiRequest get = Apply("/v1/service-numbers/" + std::string(b.at("code").as_string()));
  get.method = "GET";
  EXPECT_EQ(api_->Handle(get, api_->Match(get)).status, 200);
}

TEST_F(ApiQueueTest, OnlyWellFormedAppliesOfACachedTokenAreQueued) {
  bool queued = true;
  // Not yet cached: Handle looks the token up.
  (void)TryQueue(Apply("/v1/products/ecs-1/service-numbers"), queued);
  EXPECT_FALSE(queued);
  ASSERT_TRUE(QueueOnceCached("/v1/products/ecs-1/service-numbers").has_value());
  ApiRequest with_query = Apply("/v1/products/ecs-2/service-numbers?x=1");
  ApiRequest with_body = Apply("/v1/products/ecs-2/service-numbers");
  with_body.body = "{\"x\": 1}";
  ApiRequest bad_key = Apply("/v1/products/ecs-2/service-numbers");
  bad_key.idempotency_key = "not a key";
  bad_key.idempotency_keys = 1;
  ApiRequest two_keys = Apply("/v1/products/ecs-2/service-numbers");
  two_keys.idempotency_key = "key-1";
  two_keys.idempotency_keys = 2;
  ApiRequest unknown = Apply("/v1/products/ecs-2/service-numbers");
  unknown.authorization = "Bearer beian_not-a-token";
  ApiRequest other_route = Apply("/v1/products/ecs-2");
  other_route.method = "DELETE";
  for (const ApiRequest& r : {with_query, with_body, bad_key, two_keys, unknown, other_route}) {
    (void)TryQueue(r, queued);
    EXPECT_FALSE(queued) << r.method << " " << r.target;
  }
  // A refusal is queued, writes nothing, and leaves the answer to Handle.
  std::optional<QueuedApply> refused = TryQueue(Apply("/v1/products/nope/service-numbers"), queued);
  EXPECT_TRUE(queued);
  EXPECT_FALSE(refused.has_value());
}

TEST_F(ApiQueueTest, ARateLimitedQueuedApplyIsAnsweredAsHandleAnswersIt) {
  ApiRequest first = Apply("/v1/products/ecs-1/service-numbers");
  ASSERT_EQ(api_->Handle(first, api_->Match(first)).status, 201);
  ASSERT_TRUE(QueueOnceCached("/v1/products/ecs-2/service-numbers").has_value());
  for (const char* id : {"ecs-3", "ecs-4"}) {
    ApiRequest r = Apply(std::string("/v1/products/") + id + "/service-numbers");
    ASSERT_EQ(api_->Handle(r, api_->Match(r)).status, 201);
  }
  // The account's bucket (kBurst) is empty now.
  const ApiRequest again = Apply("/v1/products/ecs-1/service-numbers");
  const ApiResponse handled = api_->Handle(again, api_->Match(again));
  ASSERT_EQ(handled.status, 429) << handled.body;
  bool queued = false;
  const std::optional<QueuedApply> refused = TryQueue(again, queued);
  ASSERT_TRUE(queued);
  ASSERT_TRUE(refused.has_value());
  EXPECT_FALSE(refused->charge.allowed);
  const ApiResponse answered = api_->QueuedApplyResponse(*refused, again, api_->Match(again));
  EXPECT_EQ(answered.status, 429);
  ExpectSameShape(answered, handled);
  EXPECT_EQ(boost::json::parse(answered.body).at("code"), "RATE_LIMITED");
  EXPECT_EQ(boost::json::parse(answered.body).at("request_id"), "rid");
}

}  // namespace
}  // namespace beian::http
