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

inline constexpr FilingState kAllFilingStates[] = {FilingState::kInReview, FilingState::kApproved,
                                                   FilingState::kRejected, FilingState::kWithdrawn,
                                                   FilingState::kCancelled};

// Domains (rules.md, changed by issue 12). Within one account an active filing (in review or
// approved) holds its domain: the account may not submit another filing of it while one is
// active. Across accounts only an approved filing holds the domain: filings of one domain from
// different accounts may be in review together (the filing authority decides), but none may be
// submitted or approved while another filing of the domain is approved. The store's partial
// unique indexes mirror both rules (007_domain_per_account.sql).
bool IsActiveFiling(FilingState s);
// True for the states that hold a domain against every other account: approved only.
bool HoldsDomainAgainstOthers(FilingState s);
// The state of the number that a filing in state `s` would hold: for a filing made without a
// number (host credentials), so that ApplyFilingAction can judge the move all the same.
NumberState ImpliedNumberState(FilingState s);

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
