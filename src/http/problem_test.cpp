#include "http/problem.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>

namespace beian::http {
namespace {

namespace json = boost::json;

TEST(ProblemResponseTest, AFaultShowsGenericAdviceNeverItsCause) {
  Error e = MakeError(ErrorCode::kUnavailable);
  e.cause = "disk-full: sqlite: database or disk is full in: INSERT INTO products";
  const ApiResponse resp = ProblemResponse(e, Lang::kEn);
  EXPECT_EQ(resp.status, 503);
  EXPECT_EQ(resp.fault, e.cause);  // for the log
  EXPECT_EQ(resp.body.find("INSERT"), std::string::npos) << resp.body;
  EXPECT_EQ(resp.body.find("applied_through_line"), std::string::npos) << resp.body;
}

TEST(ProblemResponseTest, AnImportCutShortSaysHowFarItGot) {
  Error e =
      MakeError(ErrorCode::kUnavailable, Text{"第 1–2000 行已生效", "lines 1–2000 were applied"});
  e.cause = "disk-full: sqlite: database or disk is full in: INSERT INTO products";
  e.applied_through_line = 2000;
  const ApiResponse resp = ProblemResponse(e, Lang::kEn);
  const json::object body = json::parse(resp.body).as_object();
  EXPECT_EQ(body.at("applied_through_line").as_int64(), 2000);
  EXPECT_EQ(body.at("detail").as_string(), "lines 1–2000 were applied");
  EXPECT_EQ(resp.body.find("INSERT"), std::string::npos) << resp.body;
}

}  // namespace
}  // namespace beian::http
