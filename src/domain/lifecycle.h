#pragma once
// The life cycle of a service number and of the filing that uses it (rules.md "A number's life").
#include <optional>
#include <string_view>

#include "domain/result.h"

namespace beian {

enum class NumberState { kAvailable, kInReview, kFiled, kVoided };
enum class FilingState { kInReview, kApproved, kRejected, kWithdrawn, kCancelled };
enum class FilingAction { kSubmit, kApprove, kReject, kWithdraw, kCancel };

std::string_view NumberStateName(NumberState s);  // "available", "in_review", "filed", "voided"
std::optional<NumberState> ParseNumberState(std::string_view s);
std::string_view FilingStateName(FilingState s);  // "in_review", "approved", …
std::optional<FilingState> ParseFilingState(std::string_view s);
std::string_view FilingActionName(FilingAction a);  // "submit", "approve", …

struct LifecycleStep {
  FilingState filing;
  NumberState number;
};

// The states after `action`. Submit starts from no filing: pass `filing` = nullopt and the
// number's state; every other action needs the filing's state. Illegal moves give kInvalidState
// (for submit on a non-available number: kSnInReview, kSnAlreadyFiled or kSnVoided).
Result<LifecycleStep> ApplyFilingAction(std::optional<FilingState> filing, NumberState number,
                                        FilingAction action);

}  // namespace beian
