#pragma once
// Request counters and a latency histogram for GET /metrics (Prometheus text format 0.0.4).
// Record is lock-free and thread-safe; Render may run concurrently with Record.
#include <atomic>
#include <chrono>
#include <memory>
#include <span>
#include <string>

#include "domain/entities.h"
#include "http/router.h"

namespace beian::http {

class Metrics {
 public:
  explicit Metrics(std::size_t route_count);

  // Counts one answered request; route_index -1 for requests that matched no route.
  void Record(int route_index, int status, std::chrono::nanoseconds latency);
  // The exposition text: requests by route template and status, the latency histogram,
  // beian_store_up, and numbers issued and filings by state (from `stats`, read from the store by
  // the caller; nullptr when the store failed: those are left out and beian_store_up is 0).
  std::string Render(std::span<const Route> routes, const Stats* stats) const;

 private:
  std::size_t Slot(int route_index, int status) const;

  std::size_t route_count_;
  std::unique_ptr<std::atomic<uint64_t>[]> requests_;  // (route_count_ + 1) × statuses
  // Per bound: the requests within it and not within a smaller one (Render sums them up).
  std::unique_ptr<std::atomic<uint64_t>[]> buckets_;
  std::atomic<uint64_t> latency_count_{0};
  std::atomic<uint64_t> latency_sum_ns_{0};
};

}  // namespace beian::http
