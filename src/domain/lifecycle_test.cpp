#include "domain/lifecycle.h"

#include <gtest/gtest.h>

namespace beian {
namespace {

using A = FilingAction;
using F = FilingState;
using N = NumberState;

void ExpectStep(std::optional<F> f, N n, A a, F want_f, N want_n) {
  const auto r = ApplyFilingAction(f, n, a);
  ASSERT_TRUE(r.ok()) << FilingActionName(a) << ": " << r.error().detail.en;
  EXPECT_EQ(r->filing, want_f);
  EXPECT_EQ(r->number, want_n);
}

ErrorCode Refusal(std::optional<F> f, N n, A a) {
  const auto r = ApplyFilingAction(f, n, a);
  EXPECT_FALSE(r.ok());
  return r.ok() ? ErrorCode::kInternal : r.error().code;
}

TEST(Lifecycle, TheLegalMoves) {
  ExpectStep(std::nullopt, N::kAvailable, A::kSubmit, F::kInReview, N::kInReview);
  ExpectStep(F::kInReview, N::kInReview, A::kApprove, F::kApproved, N::kFiled);
  ExpectStep(F::kInReview, N::kInReview, A::kReject, F::kRejected, N::kAvailable);
  ExpectStep(F::kInReview, N::kInReview, A::kWithdraw, F::kWithdrawn, N::kAvailable);
  ExpectStep(F::kApproved, N::kFiled, A::kCancel, F::kCancelled, N::kVoided);
}

// FAQ: 备案服务号可以复用吗？ A filed number cannot be used for another domain.
TEST(Faq, FiledNumberIsNotReusable) {
  const auto approved = ApplyFilingAction(F::kInReview, N::kInReview, A::kApprove);
  ASSERT_TRUE(approved.ok());
  EXPECT_EQ(Refusal(std::nullopt, approved->number, A::kSubmit), ErrorCode::kSnAlreadyFiled);
}

// FAQ: 注销备案后，备案服务号可以删除重新申请吗？ A voided number never comes back.
TEST(Faq, VoidedNumberNeverComesBack) {
  EXPECT_EQ(Refusal(std::nullopt, N::kVoided, A::kSubmit), ErrorCode::kSnVoided);
  for (A a : {A::kApprove, A::kReject, A::kWithdraw, A::kCancel}) {
    for (F f : {F::kInReview, F::kApproved, F::kRejected, F::kWithdrawn, F::kCancelled}) {
      const auto r = ApplyFilingAction(f, N::kVoided, a);
      EXPECT_FALSE(r.ok() && r->number != N::kVoided) << FilingActionName(a);
    }
  }
}

TEST(Lifecycle, NumberInReviewIsHeldByOneFiling) {
  EXPECT_EQ(Refusal(std::nullopt, N::kInReview, A::kSubmit), ErrorCode::kSnInReview);
}

TEST(Lifecycle, RejectedOrWithdrawnNumberCanBeUsedAgain) {
  const auto rejected = ApplyFilingAction(F::kInReview, N::kInReview, A::kReject);
  ASSERT_TRUE(rejected.ok());
  ExpectStep(std::nullopt, rejected->number, A::kSubmit, F::kInReview, N::kInReview);
}

TEST(Lifecycle, EveryOtherMoveIsInvalidState) {
  const F filings[] = {F::kInReview, F::kApproved, F::kRejected, F::kWithdrawn, F::kCancelled};
  const N numbers[] = {N::kAvailable, N::kInReview, N::kFiled, N::kVoided};
  int legal = 0;
  for (A a : {A::kApprove, A::kReject, A::kWithdraw, A::kCancel}) {
    EXPECT_EQ(Refusal(std::nullopt, N::kInReview, a), ErrorCode::kInvalidState);
    for (F f : filings) {
      for (N n : numbers) {
        const auto r = ApplyFilingAction(f, n, a);
        if (r.ok()) {
          ++legal;
        } else {
          EXPECT_EQ(r.error().code, ErrorCode::kInvalidState);
          EXPECT_FALSE(r.error().detail.zh.empty());
          EXPECT_NE(r.error().detail.en.find(FilingActionName(a)), std::string::npos);
        }
      }
    }
  }
  EXPECT_EQ(legal, 4);  // approve, reject, withdraw from in_review; cancel from approved
  for (F f : filings) EXPECT_EQ(Refusal(f, N::kAvailable, A::kSubmit), ErrorCode::kInvalidState);
}

TEST(Lifecycle, NamesRoundTrip) {
  for (N n : {N::kAvailable, N::kInReview, N::kFiled, N::kVoided}) {
    EXPECT_EQ(ParseNumberState(NumberStateName(n)), n);
  }
  for (F f : {F::kInReview, F::kApproved, F::kRejected, F::kWithdrawn, F::kCancelled}) {
    EXPECT_EQ(ParseFilingState(FilingStateName(f)), f);
  }
  EXPECT_EQ(NumberStateName(N::kInReview), "in_review");
  EXPECT_EQ(FilingStateName(F::kCancelled), "cancelled");
  EXPECT_EQ(FilingActionName(A::kWithdraw), "withdraw");
  EXPECT_FALSE(ParseNumberState("Available").has_value());
  EXPECT_FALSE(ParseFilingState("").has_value());
}

TEST(Lifecycle, InReviewAndApprovedFilingsAreActive) {
  for (F f : kAllFilingStates) {
    EXPECT_EQ(IsActiveFiling(f), f == F::kInReview || f == F::kApproved) << FilingStateName(f);
  }
}

TEST(Lifecycle, OnlyAnApprovedFilingHoldsItsDomainAgainstOtherAccounts) {
  for (F f : kAllFilingStates) {
    EXPECT_EQ(HoldsDomainAgainstOthers(f), f == F::kApproved) << FilingStateName(f);
  }
}

TEST(Lifecycle, ImpliedNumberStateFollowsTheFiling) {
  EXPECT_EQ(ImpliedNumberState(F::kInReview), N::kInReview);
  EXPECT_EQ(ImpliedNumberState(F::kApproved), N::kFiled);
  EXPECT_EQ(ImpliedNumberState(F::kCancelled), N::kVoided);
  EXPECT_EQ(ImpliedNumberState(F::kRejected), N::kAvailable);
  EXPECT_EQ(ImpliedNumberState(F::kWithdrawn), N::kAvailable);
}

}  // namespace
}  // namespace beian
