#include "service/webhook_scout.h"

#include <gtest/gtest.h>

#include <thread>
#include <vector>

#include "service/service.h"

namespace beian {
namespace {

TEST(WebhookScoutTest, OneIdleWorkerPollsAndTheOthersWait) {
  WebhookOptions o;
  WebhookScout scout;
  EXPECT_EQ(scout.AfterIdleRun(2, o), o.poll);
  EXPECT_EQ(scout.scout(), 2);
  EXPECT_EQ(scout.AfterIdleRun(0, o), o.idle_poll);
  EXPECT_EQ(scout.AfterIdleRun(1, o), o.idle_poll);
  EXPECT_EQ(scout.AfterIdleRun(2, o), o.poll);  // stays the scout
  EXPECT_EQ(scout.scout(), 2);
}

TEST(WebhookScoutTest, TheScoutThatFindsWorkHandsOverToTheNextIdleWorker) {
  WebhookOptions o;
  WebhookScout scout;
  ASSERT_EQ(scout.AfterIdleRun(0, o), o.poll);
  EXPECT_FALSE(scout.Found(1));  // not the scout: changes nothing, wakes no one
  EXPECT_EQ(scout.scout(), 0);
  EXPECT_TRUE(scout.Found(0));  // delivering now, perhaps for the whole timeout: wake the others
  EXPECT_EQ(scout.scout(), -1);
  EXPECT_FALSE(scout.Found(0));
  EXPECT_EQ(scout.AfterIdleRun(3, o), o.poll);  // a woken worker takes over
  EXPECT_EQ(scout.AfterIdleRun(0, o), o.idle_poll);
}

TEST(WebhookScoutTest, ExactlyOneOfManyConcurrentIdleWorkersBecomesTheScout) {
  WebhookOptions o;
  o.poll = std::chrono::milliseconds(50);
  o.idle_poll = std::chrono::milliseconds(1000);
  for (int round = 0; round < 50; ++round) {
    WebhookScout scout;
    std::vector<std::chrono::milliseconds> got(8);
    std::vector<std::thread> threads;
    for (int w = 0; w < 8; ++w) {
      threads.emplace_back([&, w] { got[static_cast<std::size_t>(w)] = scout.AfterIdleRun(w, o); });
    }
    for (auto& t : threads) t.join();
    int polling = 0;
    for (int w = 0; w < 8; ++w) {
      if (got[static_cast<std::size_t>(w)] == o.poll) {
        ++polling;
        EXPECT_EQ(scout.scout(), w);
      }
    }
    EXPECT_EQ(polling, 1);
  }
}

}  // namespace
}  // namespace beian
