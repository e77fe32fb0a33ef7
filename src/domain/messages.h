#pragma once
// The message catalogue: every code a user can meet, in zh-CN and en, with its remedy.
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
// The standard title of an error code, e.g. kSnNotFound → "备案服务号不存在" / "Service number not
// found".
Text ErrorTitle(ErrorCode c);

}  // namespace beian
