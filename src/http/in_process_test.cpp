#include "http/in_process.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>

#include "domain/policy.h"
#include "store/store.h"

namespace beian::http {
namespace {

namespace bhttp = boost::beast::http;

class InProcessTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string templ = (std::filesystem::temp_directory_path() / "beian-inproc.XXXXXX").string();
    ASSERT_NE(mkdtemp(templ.data()), nullptr);
    dir_ = templ;
    auto store = Store::Open("sqlite:" + dir_ + "/t.db");
    ASSERT_TRUE(store.ok());
    store_ = std::move(store.value());
    ASSERT_TRUE(store_->Migrate().ok());
    svc_ = std::make_unique<Service>(*store_, DefaultPolicy());
    api_ = std::make_unique<Api>(*svc_, metrics_);
  }
  void TearDown() override {
    api_.reset();
    svc_.reset();
    store_.reset();
    std::filesystem::remove_all(dir_);
  }

  BeastRequest Req(bhttp::verb method, std::string_view target) {
    BeastRequest r{method, target, 11};
    r.set(bhttp::field::host, "localhost");
    return r;
  }

  std::string dir_;
  std::unique_ptr<Store> store_;
  std::unique_ptr<Service> svc_;
  Metrics metrics_{Routes().size()};
  std::unique_ptr<Api> api_;
};

TEST_F(InProcessTest, ToApiRequestCopiesTheFieldsTheApiReads) {
  BeastRequest r = Req(bhttp::verb::post, "/v1/filings?x=1");
  r.set(bhttp::field::authorization, "Bearer t");
  r.set(bhttp::field::accept_language, "en");
  r.set("Idempotency-Key", "k1");
  r.set(bhttp::field::if_none_match, "\"e\"");
  r.body() = "{}";
  const ApiRequest a = ToApiRequest(r, "rid");
  EXPECT_EQ(a.method, "POST");
  EXPECT_EQ(a.target, "/v1/filings?x=1");
  EXPECT_EQ(a.authorization, "Bearer t");
  EXPECT_EQ(a.accept_language, "en");
  EXPECT_EQ(a.idempotency_key, "k1");
  EXPECT_EQ(a.if_none_match, "\"e\"");
  EXPECT_EQ(a.body, "{}");
  EXPECT_EQ(a.request_id, "rid");
  EXPECT_EQ(ToApiRequest(Req(bhttp::verb::head, "/"), "r").method, "GET");
}

TEST_F(InProcessTest, AnswersLikeTheServer) {
  ApiResponse ok = HandleParsed(*api_, Req(bhttp::verb::get, "/healthz"), "r1");
  EXPECT_EQ(ok.status, 200);
  EXPECT_GE(ok.route_index, 0);
  ApiResponse unauth = HandleParsed(*api_, Req(bhttp::verb::get, "/v1/products"), "r2");
  EXPECT_EQ(unauth.status, 401);
  EXPECT_EQ(unauth.content_type, "application/problem+json");
  ApiResponse missing = HandleParsed(*api_, Req(bhttp::verb::get, "/v1/nothing-here"), "r3");
  EXPECT_EQ(missing.status, 404);
}

TEST_F(InProcessTest, HeadGetsGetsAnswerWithoutTheBody) {
  ApiResponse get = HandleParsed(*api_, Req(bhttp::verb::get, "/"), "r1");
  ApiResponse head = HandleParsed(*api_, Req(bhttp::verb::head, "/"), "r2");
  ASSERT_EQ(get.status, 200);
  EXPECT_FALSE(get.body.empty());
  EXPECT_EQ(head.status, 200);
  EXPECT_EQ(head.content_type, get.content_type);
  EXPECT_TRUE(head.body.empty());
}

}  // namespace
}  // namespace beian::http
