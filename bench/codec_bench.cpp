// Service-number codec and domain normalisation: the per-request costs of the apply and filing
// paths.
#include <benchmark/benchmark.h>

#include <chrono>
#include <string>

#include "domain/domain_name.h"
#include "domain/service_number.h"

namespace beian {
namespace {

constexpr SnDrawTime kDrawn{std::chrono::milliseconds{1'790'000'000'000}};

void BM_GenerateServiceNumber(benchmark::State& state) {
  for (auto _ : state) benchmark::DoNotOptimize(GenerateServiceNumber(kDrawn));
}
BENCHMARK(BM_GenerateServiceNumber);

void BM_ParseServiceNumberCanonical(benchmark::State& state) {
  const std::string code = GenerateServiceNumber(kDrawn);
  for (auto _ : state) benchmark::DoNotOptimize(ParseServiceNumber(code));
}
BENCHMARK(BM_ParseServiceNumberCanonical);

// Lower case, spaces for dashes, look-alike letters for 0 and 1.
void BM_ParseServiceNumberForgiving(benchmark::State& state) {
  const std::string canonical = "01234-56789-ABCDE-FGHJK-MNPQE";
  const std::string spelling = " o1234 56789 abcde fghjk mnpqe ";
  if (ParseServiceNumber(spelling) != canonical) state.SkipWithError("forgiving spelling refused");
  for (auto _ : state) benchmark::DoNotOptimize(ParseServiceNumber(spelling));
}
BENCHMARK(BM_ParseServiceNumberForgiving);

void BM_NormalizeDomainAscii(benchmark::State& state) {
  const std::string input = "Www.Example.COM.";
  for (auto _ : state) benchmark::DoNotOptimize(NormalizeDomain(input));
}
BENCHMARK(BM_NormalizeDomainAscii);

void BM_NormalizeDomainIdn(benchmark::State& state) {
  const std::string input = "例子.中国";
  for (auto _ : state) benchmark::DoNotOptimize(NormalizeDomain(input));
}
BENCHMARK(BM_NormalizeDomainIdn);

}  // namespace
}  // namespace beian
