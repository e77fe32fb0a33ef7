#include "http/metrics.h"

#include <gtest/gtest.h>

namespace beian::http {
namespace {

TEST(MetricsTest, CountsByRouteTemplateAndStatus) {
  Metrics m(Routes().size());
  m.Record(0, 200, std::chrono::microseconds(300));
  m.Record(0, 200, std::chrono::milliseconds(3));
  m.Record(-1, 404, std::chrono::milliseconds(2000));
  m.Record(-1, 404, std::chrono::milliseconds(2600));  // beyond the last bound: +Inf only
  Stats stats;
  stats.numbers_issued = 7;
  stats.filings_by_state = {{"in_review", 2}};
  const std::string text = m.Render(Routes(), &stats);
  const std::string route(Routes()[0].path);
  EXPECT_NE(text.find("beian_http_requests_total{method=\"GET\",route=\"" + route +
                      "\",status=\"200\"} 2\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("route=\"unmatched\",status=\"404\"} 2\n"), std::string::npos);
  EXPECT_NE(text.find("beian_http_request_duration_seconds_bucket{le=\"0.0005\"} 1\n"),
            std::string::npos);
  EXPECT_NE(text.find("beian_http_request_duration_seconds_bucket{le=\"0.005\"} 2\n"),
            std::string::npos);
  EXPECT_NE(text.find("beian_http_request_duration_seconds_bucket{le=\"+Inf\"} 4\n"),
            std::string::npos);
  // Buckets are cumulative: every bound counts the requests within it.
  EXPECT_NE(text.find("beian_http_request_duration_seconds_bucket{le=\"0.0025\"} 1\n"),
            std::string::npos);
  EXPECT_NE(text.find("beian_http_request_duration_seconds_bucket{le=\"0.01\"} 2\n"),
            std::string::npos);
  EXPECT_NE(text.find("beian_http_request_duration_seconds_bucket{le=\"2.5\"} 3\n"),
            std::string::npos);
  // A monotonic count is a counter, named with _total (Prometheus naming).
  EXPECT_NE(text.find("# TYPE beian_service_numbers_issued_total counter\n"), std::string::npos);
  EXPECT_NE(text.find("beian_service_numbers_issued_total 7\n"), std::string::npos);
  EXPECT_NE(text.find("beian_filings{state=\"in_review\"} 2\n"), std::string::npos);
}

TEST(MetricsTest, WithoutTheStoreTheHttpCountersRemainAndStoreUpIsZero) {
  Metrics m(Routes().size());
  m.Record(0, 503, std::chrono::milliseconds(1));
  const std::string text = m.Render(Routes(), nullptr);
  EXPECT_NE(text.find("status=\"503\"} 1\n"), std::string::npos) << text;
  EXPECT_NE(text.find("beian_store_up 0\n"), std::string::npos) << text;
  EXPECT_EQ(text.find("beian_service_numbers_issued"), std::string::npos) << text;
  Stats stats;
  EXPECT_NE(m.Render(Routes(), &stats).find("beian_store_up 1\n"), std::string::npos);
}

}  // namespace
}  // namespace beian::http
