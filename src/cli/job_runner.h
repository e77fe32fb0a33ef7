#pragma once
// Background jobs of `beian serve` (webhook delivery, notices, audit retention): each job runs on
// a thread of its own, first at Start() and then again after the delay its last run returned.
// Every job must be safe to run in any number of processes at once (the store is the only shared
// state: jobs take leases or rely on unique keys there). Thread-safe; Stop() is idempotent and
// also called by the destructor.
#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace beian::cli {

class JobRunner {
 public:
  // A run returns how long to wait before the next one. It must not throw (a job logs its own
  // failures); an exception that escapes is logged and the job waits `retry_after_throw`.
  using Run = std::function<std::chrono::milliseconds()>;

  JobRunner() = default;
  JobRunner(const JobRunner&) = delete;
  JobRunner& operator=(const JobRunner&) = delete;
  ~JobRunner() { Stop(); }

  // Precondition: Start() was not called yet.
  void Add(std::string name, Run run);
  void Start();
  // Wakes the jobs whose name starts with `prefix` (every job when it is empty) so that they run
  // now (e.g. after a commit that queued work); a job that is running runs again when it returns.
  void Wake(std::string_view prefix = {});
  // Asks every job to stop and joins the threads; a run under way is finished first.
  void Stop();

  static constexpr std::chrono::milliseconds retry_after_throw{5000};

 private:
  struct Job {
    std::string name;
    Run run;
    unsigned long wakes = 0;  // guarded by mu_
  };
  void Loop(Job& job);

  std::vector<Job> jobs_;
  std::vector<std::thread> threads_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stopping_ = false;
};

}  // namespace beian::cli
