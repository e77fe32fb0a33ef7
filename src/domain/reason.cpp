#include "domain/reason.h"

#include <array>

namespace beian {
namespace {

constexpr std::array<std::string_view, 9> kReasonNames{
    "NO_SERVICE_NUMBER_NEEDED",
    "NOT_OWNER",
    "REGION_NOT_MAINLAND",
    "PAY_AS_YOU_GO",
    "EXPIRED",
    "REMAINING_TERM_TOO_SHORT",
    "NO_PUBLIC_IP",
    "QUOTA_EXHAUSTED",
    "PRODUCT_NOT_FOUND",
};
constexpr std::array<std::string_view, 2> kHintNames{"HONG_KONG_NO_FILING_NEEDED",
                                                     "VHOST_CREDENTIALS_ACCEPTED"};
constexpr std::array<std::string_view, 2> kAdviceNames{"NO_FILEABLE_PRODUCT", "SERVER_ELSEWHERE"};

}  // namespace

std::string_view ReasonCodeName(ReasonCode c) { return kReasonNames[static_cast<std::size_t>(c)]; }
std::string_view HintCodeName(HintCode c) { return kHintNames[static_cast<std::size_t>(c)]; }
std::string_view AdviceCodeName(AdviceCode c) { return kAdviceNames[static_cast<std::size_t>(c)]; }

}  // namespace beian
