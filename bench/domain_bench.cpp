// The rules engine: judging one product, and judging it with its messages, as the product list and
// `beian explain` do; and reading one product object, as import does for every line.
#include <benchmark/benchmark.h>

#include <string>

#include "codec/product_json.h"
#include "domain/eligibility.h"
#include "domain/messages.h"

namespace beian {
namespace {

const Time kNow = *ParseRfc3339("2026-11-27T10:00:00+08:00");

Product Fileable() {
  Product p;
  p.id = "i-bp1a2b3c";
  p.account_id = "alice";
  p.kind = Kind::kEcs;
  p.region = "cn-hangzhou";
  p.public_ips = {"47.96.1.2"};
  p.expires_at = AddMonthsCst(kNow, 12);
  return p;
}

// Three failing rules: remaining term too short, no public IP, quota used up.
Product ThreeReasons() {
  Product p = Fileable();
  p.expires_at = AddMonthsCst(kNow, 1);
  p.public_ips.clear();
  return p;
}

void BM_EvaluateEligible(benchmark::State& state) {
  const Policy policy = DefaultPolicy();
  const Product p = Fileable();
  for (auto _ : state) benchmark::DoNotOptimize(Evaluate(p, policy, kNow, 2));
}
BENCHMARK(BM_EvaluateEligible);

void BM_EvaluateThreeReasons(benchmark::State& state) {
  const Policy policy = DefaultPolicy();
  const Product p = ThreeReasons();
  if (Evaluate(p, policy, kNow, 5).reasons.size() != 3) state.SkipWithError("not 3 reasons");
  for (auto _ : state) benchmark::DoNotOptimize(Evaluate(p, policy, kNow, 5));
}
BENCHMARK(BM_EvaluateThreeReasons);

// Evaluate plus the message and remedy of every reason (what a product view needs).
void BM_EvaluateWithMessagesThreeReasons(benchmark::State& state) {
  const Policy policy = DefaultPolicy();
  const Product p = ThreeReasons();
  for (auto _ : state) {
    const Eligibility e = Evaluate(p, policy, kNow, 5);
    for (const Reason& r : e.reasons) {
      benchmark::DoNotOptimize(ReasonMessage(r));
      benchmark::DoNotOptimize(ReasonRemedy(r));
    }
  }
}
BENCHMARK(BM_EvaluateWithMessagesThreeReasons);

// Evaluate plus the whole eligibility object as JSON (what `beian explain` prints).
void BM_EvaluateToJsonThreeReasons(benchmark::State& state) {
  const Policy policy = DefaultPolicy();
  const Product p = ThreeReasons();
  for (auto _ : state) {
    benchmark::DoNotOptimize(EligibilityToJson(Evaluate(p, policy, kNow, 5), Lang::kZh));
  }
}
BENCHMARK(BM_EvaluateToJsonThreeReasons);

void BM_ParseProductJson(benchmark::State& state) {
  const std::string text =
      R"({"id": "i-bp1a2b3c", "account_id": "alice", "kind": "ecs", "name": "web-1",
          "billing": "subscription", "region": "cn-hangzhou", "public_ips": ["47.96.1.2"],
          "expires_at": "2027-11-27T00:00:00+08:00", "status": "running"})";
  if (!ParseProductJson(text).ok()) state.SkipWithError("product refused");
  for (auto _ : state) benchmark::DoNotOptimize(ParseProductJson(text));
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * text.size()));
}
BENCHMARK(BM_ParseProductJson);

}  // namespace
}  // namespace beian
