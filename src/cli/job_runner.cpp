#include "cli/job_runner.h"

#include <exception>
#include <iostream>

namespace beian::cli {

void JobRunner::Add(std::string name, Run run) {
  jobs_.push_back({std::move(name), std::move(run)});
}

void JobRunner::Start() {
  for (Job& job : jobs_) threads_.emplace_back([this, &job] { Loop(job); });
}

void JobRunner::Wake(std::string_view prefix) {
  {
    std::lock_guard lock(mu_);
    for (Job& job : jobs_) {
      if (std::string_view(job.name).starts_with(prefix)) ++job.wakes;
    }
  }
  cv_.notify_all();
}

void JobRunner::Stop() {
  {
    std::lock_guard lock(mu_);
    if (stopping_ && threads_.empty()) return;
    stopping_ = true;
  }
  cv_.notify_all();
  for (std::thread& t : threads_) t.join();
  threads_.clear();
}

void JobRunner::Loop(Job& job) {
  for (;;) {
    unsigned long seen;
    {
      std::lock_guard lock(mu_);
      if (stopping_) return;
      seen = job.wakes;
    }
    std::chrono::milliseconds delay = retry_after_throw;
    try {
      delay = job.run();
    } catch (const std::exception& e) {
      std::cerr << "beian: job " << job.name << " failed: " << e.what() << std::endl;
    }
    std::unique_lock lock(mu_);
    cv_.wait_for(lock, delay, [&] { return stopping_ || job.wakes != seen; });
  }
}

}  // namespace beian::cli
