#pragma once
// Eligibility reason and hint codes (rules.md "Applying for a number: eligibility").
#include <optional>
#include <string_view>

#include "domain/time.h"

namespace beian {

// In the documented order; Evaluate reports failing reasons in this order.
enum class ReasonCode {
  kNoServiceNumberNeeded,
  kNotOwner,
  kRegionNotMainland,
  kPayAsYouGo,
  kExpired,
  kRemainingTermTooShort,
  kNoPublicIp,
  kQuotaExhausted,
  // Not a rule of Evaluate: the product does not exist or the caller cannot see it (batch apply,
  // bulk eligibility). Always reported alone.
  kProductNotFound,
};
std::string_view ReasonCodeName(ReasonCode c);  // "NO_SERVICE_NUMBER_NEEDED", …

enum class HintCode { kHongKongNoFilingNeeded, kVhostCredentialsAccepted };
std::string_view HintCodeName(HintCode c);

// Account-level advice (GET /v1/overview).
enum class AdviceCode { kNoFileableProduct, kServerElsewhere };
std::string_view AdviceCodeName(AdviceCode c);

struct Reason {
  ReasonCode code;
  std::optional<Time> renew_until{};  // set for kRemainingTermTooShort
  int min_months = 0;              // the kind's minimum, for messages (kPayAsYouGo, kRemaining…)
  int quota_limit = 0;             // the kind's quota, for messages (kQuotaExhausted only)
  bool quota_per_account = false;  // the quota counts the whole account (kQuotaExhausted only)
  bool operator==(const Reason&) const = default;
};

}  // namespace beian
