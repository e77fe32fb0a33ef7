// Fuzz target: one product object (codec/product_json.h), then the domain rules on what parsed
// and the encoder. Invariants: a refusal names a reason; whatever parses is judged without a crash
// and encodes to valid JSON in both languages.
#include <boost/json/parse.hpp>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "codec/product_json.h"
#include "domain/eligibility.h"
#include "domain/policy.h"
#include "fuzz/check.h"

using namespace beian;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const Policy policy = DefaultPolicy();
  const std::string_view in(reinterpret_cast<const char*>(data), size);
  Result<ProductInput> r = ParseProductJson(in);
  if (!r.ok()) {
    fuzz::Check(!r.error().detail.en.empty() && !r.error().detail.zh.empty(),
                "a refused product says why");
    return 0;
  }
  const Product& p = r.value().product;
  const Time now{std::chrono::seconds{1795737600}};  // 2026-11-27T00:00:00Z
  for (int used : {0, 4, 5}) {
    const Eligibility e = Evaluate(p, policy, now, used, used != 4);
    fuzz::Check(e.can_apply == e.reasons.empty(), "can_apply iff no reasons");
    for (Lang lang : {Lang::kZh, Lang::kEn}) {
      boost::system::error_code ec;
      boost::json::parse(ProductToJson(p, e, lang), ec);
      fuzz::Check(!ec, "ProductToJson emits valid JSON");
      boost::json::parse(EligibilityToJson(e, lang), ec);
      fuzz::Check(!ec, "EligibilityToJson emits valid JSON");
    }
  }
  UsabilityFailures(p, policy, now);
  return 0;
}
