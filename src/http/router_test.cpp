#include "http/router.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "http/api_types.h"

namespace beian::http {
namespace {

HandlerResult Nop(Ctx&) { return ApiResponse{}; }

const Route kTable[] = {
    {.method = "GET", .path = "/", .handler = Nop},
    {.method = "GET", .path = "/healthz", .handler = Nop},
    {.method = "GET", .path = "/{path*}", .handler = Nop},
    {.method = "GET",
     .path = "/v1/products",
     .handler = Nop,
     .auth = Auth::kBearer,
     .runs = Runs::kOnWorker},
    {.method = "GET",
     .path = "/v1/products/{id}",
     .handler = Nop,
     .auth = Auth::kBearer,
     .runs = Runs::kOnWorker},
    {.method = "PUT",
     .path = "/v1/products/{id}",
     .handler = Nop,
     .auth = Auth::kBearer,
     .runs = Runs::kOnWorker},
    {.method = "POST",
     .path = "/v1/products/{id}/service-numbers",
     .handler = Nop,
     .auth = Auth::kBearer,
     .runs = Runs::kOnWorker},
    {.method = "POST",
     .path = "/v1/filings/{id}/approve",
     .handler = Nop,
     .auth = Auth::kBearer,
     .runs = Runs::kOnWorker},
};

TEST(RouterTest, LiteralRoutes) {
  EXPECT_EQ(MatchRoute(kTable, "GET", "/").index, 0);
  EXPECT_EQ(MatchRoute(kTable, "GET", "/healthz").index, 1);
  EXPECT_EQ(MatchRoute(kTable, "GET", "/v1/products").index, 3);
}

TEST(RouterTest, ParametersAreDecoded) {
  RouteMatch m = MatchRoute(kTable, "GET", "/v1/products/i-bp1%3Aa");
  ASSERT_EQ(m.outcome, RouteMatch::kFound);
  EXPECT_EQ(m.index, 4);
  EXPECT_EQ(m.params.count, 1);
  EXPECT_EQ(m.params.values[0], "i-bp1:a");
  m = MatchRoute(kTable, "POST", "/v1/filings/f-1/approve");
  EXPECT_EQ(m.index, 7);
  EXPECT_EQ(m.params.values[0], "f-1");
}

TEST(RouterTest, WrongMethodIs405WithAllow) {
  RouteMatch m = MatchRoute(kTable, "DELETE", "/v1/products/x");
  EXPECT_EQ(m.outcome, RouteMatch::kMethodNotAllowed);
  EXPECT_EQ(m.allow, "GET, PUT");
  m = MatchRoute(kTable, "POST", "/healthz");
  EXPECT_EQ(m.outcome, RouteMatch::kMethodNotAllowed);
  EXPECT_EQ(m.allow, "GET");
}

TEST(RouterTest, GetOnAPostOnlyRouteIs405NotTheFallback) {
  RouteMatch m = MatchRoute(kTable, "GET", "/v1/products/x/service-numbers");
  EXPECT_EQ(m.outcome, RouteMatch::kMethodNotAllowed);
  EXPECT_EQ(m.allow, "POST");
  m = MatchRoute(kTable, "GET", "/v1/filings/f-1/approve");
  EXPECT_EQ(m.outcome, RouteMatch::kMethodNotAllowed);
  EXPECT_EQ(m.allow, "POST");
  // A literal path beats a parameter also across methods.
  m = MatchRoute(Routes(), "GET", "/v1/filings/review");
  EXPECT_EQ(m.outcome, RouteMatch::kMethodNotAllowed);
  EXPECT_EQ(m.allow, "POST");
  m = MatchRoute(Routes(), "GET", "/v1/filings/f-aaaaaaaaaaaaaaaaaaaa");
  EXPECT_EQ(m.outcome, RouteMatch::kFound);
  // Every POST-only path of the real table.
  for (const Route& r : Routes()) {
    if (r.method != "POST") continue;
    const bool has_get = std::any_of(Routes().begin(), Routes().end(), [&](const Route& g) {
      return g.method == "GET" && g.path == r.path;
    });
    if (has_get) continue;
    std::string path(r.path);
    for (std::size_t b; (b = path.find('{')) != std::string::npos;) {
      path.replace(b, path.find('}', b) - b + 1, "x");
    }
    m = MatchRoute(Routes(), "GET", path);
    EXPECT_EQ(m.outcome, RouteMatch::kMethodNotAllowed) << path;
    EXPECT_NE(m.allow.find("POST"), std::string::npos) << path;
  }
}

TEST(RouterTest, UnknownPathsAre404) {
  EXPECT_EQ(MatchRoute(kTable, "POST", "/v1/nothing").outcome, RouteMatch::kNotFound);
  EXPECT_EQ(MatchRoute(kTable, "GET", "/v1/products/").outcome, RouteMatch::kFound);  // fallback
  EXPECT_EQ(MatchRoute(kTable, "GET", "/v1/products/").index, 2);
  EXPECT_EQ(MatchRoute(kTable, "PUT", "/v1/products/a/b").outcome, RouteMatch::kNotFound);
  EXPECT_EQ(MatchRoute(kTable, "GET", "relative").outcome, RouteMatch::kNotFound);
}

TEST(RouterTest, BadPercentEncodingNeverMatchesAParameter) {
  EXPECT_EQ(MatchRoute(kTable, "PUT", "/v1/products/%zz").outcome, RouteMatch::kNotFound);
  EXPECT_EQ(MatchRoute(kTable, "PUT", "/v1/products/%4").outcome, RouteMatch::kNotFound);
}

TEST(RouterTest, FallbackTakesTheRestOfThePath) {
  RouteMatch m = MatchRoute(kTable, "GET", "/pages/products.js");
  ASSERT_EQ(m.outcome, RouteMatch::kFound);
  EXPECT_EQ(m.index, 2);
  EXPECT_EQ(m.params.values[0], "pages/products.js");
}

TEST(RouterTest, TheRealTableHasUniqueRoutes) {
  auto routes = Routes();
  for (std::size_t i = 0; i < routes.size(); ++i) {
    for (std::size_t j = i + 1; j < routes.size(); ++j) {
      EXPECT_FALSE(routes[i].method == routes[j].method && routes[i].path == routes[j].path)
          << routes[i].method << " " << routes[i].path;
    }
    EXPECT_EQ(routes[i].auth == Auth::kBearer, routes[i].path.starts_with("/v1/"))
        << routes[i].path;
  }
}

}  // namespace
}  // namespace beian::http
