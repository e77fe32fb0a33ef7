#pragma once
// The message catalogue: every code a user can meet, in zh-CN and en, with its remedy.
#include <string_view>
#include <vector>

#include "domain/eligibility.h"
#include "domain/policy.h"
#include "domain/result.h"
#include "domain/text.h"

namespace beian {

// What the reason means for this product, e.g. "计费方式为按量付费，按量付费实例不支持备案".
Text ReasonMessage(const Reason& r);
// What the user can do; mentions min_months, renew_until (as a CST date), etc. where relevant.
Text ReasonRemedy(const Reason& r);
Text HintMessage(HintCode h);
Text AdviceMessage(AdviceCode a);
Text AdviceRemedy(AdviceCode a);
// Why a webhook request was refused (400 INVALID_REQUEST naming the field, or 409 for
// kTooManyWebhooks). WebhookProblemText says it; `arg` is the unknown event type for
// kUnknownEventType and unused otherwise.
enum class WebhookProblem {
  kUrlRequired,
  kUrlScheme,
  kUrlTooLong,
  kUrlSpace,
  kUrlUserInfo,
  kUrlBadHost,
  kUrlNoHost,
  kEventTypesNotArray,
  kTooManyEventTypes,
  kUnknownEventType,
  kDescriptionTooLong,
  kBadState,
  kTooManyWebhooks,
  kBadWebhookId,
  kEventIdsNotArray,
  kTooManyReplayEvents,
  kBadReplayTime,
  kReplayNeedsRange,
};
Text WebhookProblemText(WebhookProblem p, std::string_view arg = {});

// The standard title of an error code, e.g. kSnNotFound → "备案服务号不存在" / "Service number not
// found".
Text ErrorTitle(ErrorCode c);

}  // namespace beian
