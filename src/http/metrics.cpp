#include "http/metrics.h"

#include <fmt/format.h>

#include <array>

namespace beian::http {
namespace {

constexpr std::array<int, 17> kStatuses{200, 201, 204, 304, 400, 401, 403, 404, 405,
                                        409, 413, 422, 429, 500, 501, 503, 0};
constexpr std::array<double, 12> kBoundsSeconds{0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
                                                0.05,   0.1,   0.25,   0.5,   1.0,  2.5};

std::size_t StatusIndex(int status) {
  for (std::size_t i = 0; i + 1 < kStatuses.size(); ++i) {
    if (kStatuses[i] == status) return i;
  }
  return kStatuses.size() - 1;  // "other"
}

}  // namespace

Metrics::Metrics(std::size_t route_count)
    : route_count_(route_count),
      requests_(new std::atomic<uint64_t>[(route_count + 1) * kStatuses.size()]()),
      buckets_(new std::atomic<uint64_t>[kBoundsSeconds.size()]()) {}

std::size_t Metrics::Slot(int route_index, int status) const {
  std::size_t r = route_index < 0 ? route_count_ : static_cast<std::size_t>(route_index);
  return r * kStatuses.size() + StatusIndex(status);
}

void Metrics::Record(int route_index, int status, std::chrono::nanoseconds latency) {
  requests_[Slot(route_index, status)].fetch_add(1, std::memory_order_relaxed);
  const double seconds = std::chrono::duration<double>(latency).count();
  // One counter per request (the first bound it is within), summed when rendered: incrementing
  // every bound above it took up to 12 atomic additions on lines the I/O threads share.
  for (std::size_t i = 0; i < kBoundsSeconds.size(); ++i) {
    if (seconds <= kBoundsSeconds[i]) {
      buckets_[i].fetch_add(1, std::memory_order_relaxed);
      break;
    }
  }
  latency_count_.fetch_add(1, std::memory_order_relaxed);
  latency_sum_ns_.fetch_add(static_cast<uint64_t>(latency.count()), std::memory_order_relaxed);
}

std::string Metrics::Render(std::span<const Route> routes, const Stats* stats) const {
  fmt::memory_buffer out;
  auto it = std::back_inserter(out);
  fmt::format_to(
      it,
      "# HELP beian_http_requests_total HTTP requests answered, by route template and status.\n");
  fmt::format_to(it, "# TYPE beian_http_requests_total counter\n");
  for (std::size_t r = 0; r <= route_count_; ++r) {
    const bool known = r < route_count_ && r < routes.size();
    for (std::size_t s = 0; s < kStatuses.size(); ++s) {
      uint64_t n = requests_[r * kStatuses.size() + s].load(std::memory_order_relaxed);
      if (n == 0) continue;
      std::string status = kStatuses[s] == 0 ? "other" : std::to_string(kStatuses[s]);
      fmt::format_to(
          it, "beian_http_requests_total{{method=\"{}\",route=\"{}\",status=\"{}\"}} {}\n",
          known ? routes[r].method : "", known ? routes[r].path : "unmatched", status, n);
    }
  }
  fmt::format_to(
      it,
      "# HELP beian_http_request_duration_seconds Time from a complete request to its response.\n");
  fmt::format_to(it, "# TYPE beian_http_request_duration_seconds histogram\n");
  uint64_t cumulative = 0;
  for (std::size_t i = 0; i < kBoundsSeconds.size(); ++i) {
    cumulative += buckets_[i].load(std::memory_order_relaxed);
    fmt::format_to(it, "beian_http_request_duration_seconds_bucket{{le=\"{}\"}} {}\n",
                   kBoundsSeconds[i], cumulative);
  }
  const uint64_t count = latency_count_.load(std::memory_order_relaxed);
  fmt::format_to(it, "beian_http_request_duration_seconds_bucket{{le=\"+Inf\"}} {}\n", count);
  fmt::format_to(it, "beian_http_request_duration_seconds_sum {}\n",
                 static_cast<double>(latency_sum_ns_.load(std::memory_order_relaxed)) / 1e9);
  fmt::format_to(it, "beian_http_request_duration_seconds_count {}\n", count);
  fmt::format_to(it, "# HELP beian_store_up 1 when the store answered for this scrape, else 0.\n");
  fmt::format_to(it, "# TYPE beian_store_up gauge\n");
  fmt::format_to(it, "beian_store_up {}\n", stats != nullptr ? 1 : 0);
  if (stats == nullptr) return fmt::to_string(out);
  fmt::format_to(
      it,
      "# HELP beian_service_numbers_issued_total Service numbers ever issued (all processes).\n");
  fmt::format_to(it, "# TYPE beian_service_numbers_issued_total counter\n");
  fmt::format_to(it, "beian_service_numbers_issued_total {}\n", stats->numbers_issued);
  fmt::format_to(it, "# HELP beian_service_numbers Service numbers by state.\n");
  fmt::format_to(it, "# TYPE beian_service_numbers gauge\n");
  for (const auto& [state, n] : stats->numbers_by_state) {
    fmt::format_to(it, "beian_service_numbers{{state=\"{}\"}} {}\n", state, n);
  }
  fmt::format_to(it, "# HELP beian_filings Filings by state.\n");
  fmt::format_to(it, "# TYPE beian_filings gauge\n");
  for (const auto& [state, n] : stats->filings_by_state) {
    fmt::format_to(it, "beian_filings{{state=\"{}\"}} {}\n", state, n);
  }
  return fmt::to_string(out);
}

}  // namespace beian::http
