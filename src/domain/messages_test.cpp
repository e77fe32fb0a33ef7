#include "domain/messages.h"

#include <gtest/gtest.h>

namespace beian {
namespace {

bool HasNonAscii(const std::string& s) {
  for (char c : s) {
    if (static_cast<unsigned char>(c) >= 0x80) return true;
  }
  return false;
}

void ExpectBilingual(const Text& t, std::string_view what) {
  EXPECT_TRUE(HasNonAscii(t.zh)) << what << " zh: " << t.zh;
  EXPECT_FALSE(t.en.empty()) << what;
  EXPECT_FALSE(HasNonAscii(t.en)) << what << " en: " << t.en;
}

constexpr ReasonCode kReasons[] = {ReasonCode::kNoServiceNumberNeeded,
                                   ReasonCode::kNotOwner,
                                   ReasonCode::kRegionNotMainland,
                                   ReasonCode::kPayAsYouGo,
                                   ReasonCode::kExpired,
                                   ReasonCode::kRemainingTermTooShort,
                                   ReasonCode::kNoPublicIp,
                                   ReasonCode::kQuotaExhausted,
                                   ReasonCode::kProductNotFound};

TEST(Messages, EveryReasonHasMessageAndRemedyInBothLanguages) {
  for (ReasonCode c : kReasons) {
    const Reason r{.code = c, .renew_until = Time{}, .min_months = 3, .quota_limit = 5};
    ExpectBilingual(ReasonMessage(r), ReasonCodeName(c));
    ExpectBilingual(ReasonRemedy(r), ReasonCodeName(c));
    ExpectBilingual(ReasonRemedy(Reason{.code = c}), ReasonCodeName(c));
  }
}

TEST(Messages, CodeNames) {
  std::vector<std::string_view> names;
  for (ReasonCode c : kReasons) names.push_back(ReasonCodeName(c));
  EXPECT_EQ(names, (std::vector<std::string_view>{"NO_SERVICE_NUMBER_NEEDED", "NOT_OWNER",
                                                  "REGION_NOT_MAINLAND", "PAY_AS_YOU_GO", "EXPIRED",
                                                  "REMAINING_TERM_TOO_SHORT", "NO_PUBLIC_IP",
                                                  "QUOTA_EXHAUSTED", "PRODUCT_NOT_FOUND"}));
  EXPECT_EQ(HintCodeName(HintCode::kHongKongNoFilingNeeded), "HONG_KONG_NO_FILING_NEEDED");
  EXPECT_EQ(HintCodeName(HintCode::kVhostCredentialsAccepted), "VHOST_CREDENTIALS_ACCEPTED");
  EXPECT_EQ(AdviceCodeName(AdviceCode::kNoFileableProduct), "NO_FILEABLE_PRODUCT");
  EXPECT_EQ(AdviceCodeName(AdviceCode::kServerElsewhere), "SERVER_ELSEWHERE");
}

TEST(Messages, HintsInBothLanguages) {
  ExpectBilingual(HintMessage(HintCode::kHongKongNoFilingNeeded), "HK");
  ExpectBilingual(HintMessage(HintCode::kVhostCredentialsAccepted), "VHOST");
  EXPECT_NE(HintMessage(HintCode::kHongKongNoFilingNeeded).zh.find("无需备案"), std::string::npos);
  EXPECT_NE(HintMessage(HintCode::kVhostCredentialsAccepted).zh.find("用户名和密码"),
            std::string::npos);
}

// FAQ: 我没有买阿里云产品服务器如何获得备案服务号？
TEST(Faq, NoProductNoNumberAdvisesBuyingAServer) {
  ExpectBilingual(AdviceMessage(AdviceCode::kNoFileableProduct), "NO_FILEABLE_PRODUCT");
  const Text remedy = AdviceRemedy(AdviceCode::kNoFileableProduct);
  ExpectBilingual(remedy, "NO_FILEABLE_PRODUCT remedy");
  EXPECT_NE(remedy.zh.find("先购买"), std::string::npos);
  EXPECT_NE(remedy.en.find("Buy a fileable server"), std::string::npos);
}

// FAQ: 我买的是阿里云的域名，服务器是其他供应商的，这种情况怎么申请备案服务号？
TEST(Faq, ServerElsewhereIsFiledAtThatProvider) {
  ExpectBilingual(AdviceMessage(AdviceCode::kServerElsewhere), "SERVER_ELSEWHERE");
  const Text remedy = AdviceRemedy(AdviceCode::kServerElsewhere);
  ExpectBilingual(remedy, "SERVER_ELSEWHERE remedy");
  EXPECT_NE(remedy.zh.find("服务器提供商"), std::string::npos);
  EXPECT_NE(remedy.en.find("server provider"), std::string::npos);
}

TEST(Messages, RemediesNameTheMinimumAndTheDate) {
  const Reason payg{.code = ReasonCode::kPayAsYouGo, .min_months = 6};
  EXPECT_NE(ReasonRemedy(payg).zh.find("不少于 6 个月"), std::string::npos);
  EXPECT_NE(ReasonRemedy(payg).en.find("at least 6 months"), std::string::npos);
  const Reason term{.code = ReasonCode::kRemainingTermTooShort,
                    .renew_until = ParseRfc3339("2027-02-27T18:00:00Z"),
                    .min_months = 3};
  EXPECT_NE(ReasonMessage(term).zh.find("不足 3 个月"), std::string::npos);
  EXPECT_NE(ReasonRemedy(term).zh.find("2027-02-28"), std::string::npos);  // the CST date
  EXPECT_NE(ReasonRemedy(term).en.find("2027-02-28 02:00 (China Standard Time)"),
            std::string::npos);
  const Reason midnight{.code = ReasonCode::kRemainingTermTooShort,
                        .renew_until = ParseRfc3339("2027-03-01T00:00:00+08:00"),
                        .min_months = 3};
  EXPECT_NE(ReasonRemedy(midnight).zh.find("不早于 2027-03-01（北京时间）"), std::string::npos);
  const Reason seconds{.code = ReasonCode::kRemainingTermTooShort,
                       .renew_until = ParseRfc3339("2027-03-01T09:08:07+08:00"),
                       .min_months = 3};
  EXPECT_NE(ReasonRemedy(seconds).en.find("2027-03-01 09:08:07 (China"), std::string::npos);
}

TEST(Messages, QuotaMessagesFollowTheScope) {
  const Reason product{.code = ReasonCode::kQuotaExhausted, .quota_limit = 5};
  const Reason account{
      .code = ReasonCode::kQuotaExhausted, .quota_limit = 5, .quota_per_account = true};
  EXPECT_NE(ReasonMessage(product).zh.find("每个产品 5 个"), std::string::npos);
  EXPECT_NE(ReasonMessage(account).zh.find("每个账号共 5 个"), std::string::npos);
  EXPECT_NE(ReasonRemedy(product).en.find("buy another fileable product"), std::string::npos);
}

TEST(Messages, EveryErrorCodeHasNameStatusAndTitle) {
  for (int i = 0; i <= static_cast<int>(ErrorCode::kInternal); ++i) {
    const auto c = static_cast<ErrorCode>(i);
    const std::string_view name = ErrorCodeName(c);
    EXPECT_FALSE(name.empty());
    for (char ch : name) EXPECT_TRUE((ch >= 'A' && ch <= 'Z') || ch == '_') << name;
    ExpectBilingual(ErrorTitle(c), name);
    const int status = HttpStatusOf(c);
    EXPECT_TRUE(status >= 400 && status < 600) << name;
    const Error e = MakeError(c);
    EXPECT_EQ(e.code, c);
    EXPECT_EQ(e.detail.en, ErrorTitle(c).en);
  }
}

TEST(Messages, ErrorNamesAndStatusesOfTheContract) {
  struct Row {
    ErrorCode code;
    std::string_view name;
    int status;
  };
  for (const Row& r : {Row{ErrorCode::kInvalidRequest, "INVALID_REQUEST", 400},
                       Row{ErrorCode::kUnauthenticated, "UNAUTHENTICATED", 401},
                       Row{ErrorCode::kForbidden, "FORBIDDEN", 403},
                       Row{ErrorCode::kNotFound, "NOT_FOUND", 404},
                       Row{ErrorCode::kMethodNotAllowed, "METHOD_NOT_ALLOWED", 405},
                       Row{ErrorCode::kPayloadTooLarge, "PAYLOAD_TOO_LARGE", 413},
                       Row{ErrorCode::kTooManyAttempts, "TOO_MANY_ATTEMPTS", 429},
                       Row{ErrorCode::kRateLimited, "RATE_LIMITED", 429},
                       Row{ErrorCode::kNotEligible, "NOT_ELIGIBLE", 409},
                       Row{ErrorCode::kIdempotencyKeyReused, "IDEMPOTENCY_KEY_REUSED", 422},
                       Row{ErrorCode::kInvalidDomain, "INVALID_DOMAIN", 400},
                       Row{ErrorCode::kSnMalformed, "SN_MALFORMED", 400},
                       Row{ErrorCode::kSnNotFound, "SN_NOT_FOUND", 404},
                       Row{ErrorCode::kSnVoided, "SN_VOIDED", 409},
                       Row{ErrorCode::kSnAlreadyFiled, "SN_ALREADY_FILED", 409},
                       Row{ErrorCode::kSnInReview, "SN_IN_REVIEW", 409},
                       Row{ErrorCode::kProductNotEligible, "PRODUCT_NOT_ELIGIBLE", 409},
                       Row{ErrorCode::kVhostCredentialsInvalid, "VHOST_CREDENTIALS_INVALID", 403},
                       Row{ErrorCode::kInvalidState, "INVALID_STATE", 409},
                       Row{ErrorCode::kDomainInUse, "DOMAIN_IN_USE", 409},
                       Row{ErrorCode::kDomainAlreadyFiled, "DOMAIN_ALREADY_FILED", 409},
                       Row{ErrorCode::kInsufficientScope, "INSUFFICIENT_SCOPE", 403},
                       Row{ErrorCode::kLastAdmin, "LAST_ADMIN", 409},
                       Row{ErrorCode::kOperatorOwnsProducts, "OPERATOR_OWNS_PRODUCTS", 409},
                       Row{ErrorCode::kInvalidPolicy, "INVALID_POLICY", 400},
                       Row{ErrorCode::kSchemaTooNew, "SCHEMA_TOO_NEW", 500},
                       Row{ErrorCode::kNotImplemented, "NOT_IMPLEMENTED", 501},
                       Row{ErrorCode::kUnavailable, "UNAVAILABLE", 503},
                       Row{ErrorCode::kInternal, "INTERNAL", 500}}) {
    EXPECT_EQ(ErrorCodeName(r.code), r.name);
    EXPECT_EQ(HttpStatusOf(r.code), r.status) << r.name;
  }
  EXPECT_EQ(ErrorTitle(ErrorCode::kSnNotFound).zh, "备案服务号不存在");
  EXPECT_EQ(ErrorTitle(ErrorCode::kSnNotFound).en, "Service number not found");
}

}  // namespace
}  // namespace beian
