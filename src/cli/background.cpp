#include "cli/background.h"

#include <iostream>

namespace beian::cli {
namespace {

// Notices: one scan (Service::ScanNotices) every `interval`; a failed scan is logged and tried
// again after the same interval.
void AddNoticeJob(JobRunner& runner, Service& service, std::chrono::seconds interval) {
  runner.Add("notices", [&service, interval]() -> std::chrono::milliseconds {
    Result<NoticeScanReport> r = service.ScanNotices(service.Now());
    if (!r.ok()) {
      std::cerr << "beian: notices scan failed: " << r.error().detail.en
                << (r.error().cause.empty() ? "" : ": " + r.error().cause) << std::endl;
    }
    return interval;
  });
}

}  // namespace

void AddBackgroundOptions(CLI::App* cmd, BackgroundArgs& args) {
  cmd->add_flag("--no-background-jobs", args.no_jobs,
                "run no background job in this process (webhook delivery, notices, retention); "
                "for a node that only answers requests while others do that work");
  cmd->add_option("--notice-interval", args.notice_interval,
                  "seconds between two scans for customer notices (product.term_expiring, "
                  "number.lapsed, filing.review_overdue); the first runs at start")
      ->capture_default_str()
      ->check(CLI::Range(1, 86400));
}

bool AddBackgroundJobs(JobRunner& runner, Service& service, const BackgroundArgs& args) {
  if (args.no_jobs) return true;
  AddNoticeJob(runner, service, std::chrono::seconds{args.notice_interval});
  return true;
}

}  // namespace beian::cli
