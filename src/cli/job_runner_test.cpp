#include "cli/job_runner.h"

#include <gtest/gtest.h>

#include <chrono>
#include <condition_variable>
#include <mutex>

namespace beian::cli {
namespace {

// Counts the runs of each job; Await blocks until a count is reached (or 10 s pass).
struct Runs {
  std::mutex mu;
  std::condition_variable cv;
  int webhooks = 0;
  int notices = 0;

  JobRunner::Run Counter(int Runs::*count) {
    return [this, count] {
      {
        std::lock_guard lock(mu);
        ++(this->*count);
      }
      cv.notify_all();
      return std::chrono::milliseconds{std::chrono::hours{1}};
    };
  }
  bool Await(int Runs::*count, int n) {
    std::unique_lock lock(mu);
    return cv.wait_for(lock, std::chrono::seconds(10), [&] { return this->*count >= n; });
  }
  int Get(int Runs::*count) {
    std::lock_guard lock(mu);
    return this->*count;
  }
};

TEST(JobRunnerTest, WakeByPrefixRunsOnlyThoseJobsAgain) {
  Runs runs;
  JobRunner runner;
  runner.Add("webhooks-0", runs.Counter(&Runs::webhooks));
  runner.Add("notices", runs.Counter(&Runs::notices));
  runner.Start();
  ASSERT_TRUE(runs.Await(&Runs::webhooks, 1));
  ASSERT_TRUE(runs.Await(&Runs::notices, 1));
  for (int n = 2; n <= 4; ++n) {  // each wake is one more run, an hour before its time
    runner.Wake("webhooks-");
    ASSERT_TRUE(runs.Await(&Runs::webhooks, n)) << n;
  }
  EXPECT_EQ(runs.Get(&Runs::notices), 1);  // never woken
  runner.Wake();
  ASSERT_TRUE(runs.Await(&Runs::notices, 2));
  runner.Stop();
}

}  // namespace
}  // namespace beian::cli
