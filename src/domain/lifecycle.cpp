#include "domain/lifecycle.h"

#include <array>
#include <string>

namespace beian {
namespace {

constexpr std::array<std::string_view, 4> kNumberStates{"available", "in_review", "filed",
                                                        "voided"};
constexpr std::array<std::string_view, 5> kFilingStates{"in_review", "approved", "rejected",
                                                        "withdrawn", "cancelled"};
constexpr std::array<std::string_view, 5> kActions{"submit", "approve", "reject", "withdraw",
                                                   "cancel"};

template <class E, std::size_t N>
std::optional<E> ParseName(const std::array<std::string_view, N>& names, std::string_view s) {
  for (std::size_t i = 0; i < N; ++i) {
    if (names[i] == s) return static_cast<E>(i);
  }
  return std::nullopt;
}

Error Illegal(std::optional<FilingState> filing, NumberState number, FilingAction action) {
  const std::string act(FilingActionName(action));
  const std::string fs(filing ? FilingStateName(*filing) : "none");
  const std::string ns(NumberStateName(number));
  return MakeError(
      ErrorCode::kInvalidState,
      Text{"当前状态不允许此操作（" + act + "）：备案状态为 " + fs + "，服务号状态为 " + ns,
           "cannot " + act + ": the filing is " + fs + " and its number is " + ns});
}

Result<LifecycleStep> Submit(std::optional<FilingState> filing, NumberState number) {
  if (filing) return Illegal(filing, number, FilingAction::kSubmit);
  switch (number) {
    case NumberState::kAvailable:
      return LifecycleStep{FilingState::kInReview, NumberState::kInReview};
    case NumberState::kInReview:
      return MakeError(ErrorCode::kSnInReview);
    case NumberState::kFiled:
      return MakeError(ErrorCode::kSnAlreadyFiled);
    case NumberState::kVoided:
      break;
  }
  return MakeError(ErrorCode::kSnVoided);
}

}  // namespace

std::string_view NumberStateName(NumberState s) { return kNumberStates[static_cast<int>(s)]; }
std::optional<NumberState> ParseNumberState(std::string_view s) {
  return ParseName<NumberState>(kNumberStates, s);
}
std::string_view FilingStateName(FilingState s) { return kFilingStates[static_cast<int>(s)]; }
std::optional<FilingState> ParseFilingState(std::string_view s) {
  return ParseName<FilingState>(kFilingStates, s);
}
std::string_view FilingActionName(FilingAction a) { return kActions[static_cast<int>(a)]; }

Result<LifecycleStep> ApplyFilingAction(std::optional<FilingState> filing, NumberState number,
                                        FilingAction action) {
  if (action == FilingAction::kSubmit) return Submit(filing, number);
  const bool in_review = filing == FilingState::kInReview && number == NumberState::kInReview;
  switch (action) {
    case FilingAction::kApprove:
      if (in_review) return LifecycleStep{FilingState::kApproved, NumberState::kFiled};
      break;
    case FilingAction::kReject:
      if (in_review) return LifecycleStep{FilingState::kRejected, NumberState::kAvailable};
      break;
    case FilingAction::kWithdraw:
      if (in_review) return LifecycleStep{FilingState::kWithdrawn, NumberState::kAvailable};
      break;
    case FilingAction::kCancel:
      if (filing == FilingState::kApproved && number == NumberState::kFiled) {
        return LifecycleStep{FilingState::kCancelled, NumberState::kVoided};
      }
      break;
    case FilingAction::kSubmit:
      break;
  }
  return Illegal(filing, number, action);
}

bool IsActiveFiling(FilingState s) {
  return s == FilingState::kInReview || s == FilingState::kApproved;
}

bool HoldsDomainAgainstOthers(FilingState s) { return s == FilingState::kApproved; }

NumberState ImpliedNumberState(FilingState s) {
  switch (s) {
    case FilingState::kInReview:
      return NumberState::kInReview;
    case FilingState::kApproved:
      return NumberState::kFiled;
    case FilingState::kCancelled:
      return NumberState::kVoided;
    case FilingState::kRejected:
    case FilingState::kWithdrawn:
      break;
  }
  return NumberState::kAvailable;
}

}  // namespace beian
