#include "cli/background.h"

#include <filesystem>
#include <iostream>

#include "cli/open_store.h"

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

// Audit retention: archives and deletes expired events hourly (Service::ArchiveExpiredEvents);
// after a failure, again in five minutes. False (after printing why) when the policy keeps
// events for a limited time but no existing archive directory was given.
bool AddRetentionJob(JobRunner& runner, Service& service, const std::string& dir) {
  const int days = service.policy().audit_retention_days;
  if (days <= 0) return true;
  std::error_code ec;
  if (dir.empty() || !std::filesystem::is_directory(dir, ec)) {
    std::cerr << "beian: the policy sets [audit] retention_days = " << days
              << ": give --audit-archive-dir, an existing directory for the archived events "
                 "(events are archived before they are deleted, never dropped)\n";
    return false;
  }
  runner.Add("audit-retention", [&service, dir] {
    auto r = service.ArchiveExpiredEvents(service.Now(), dir);
    if (!r.ok()) {
      PrintError(r.error());
      return std::chrono::milliseconds{std::chrono::minutes{5}};
    }
    return std::chrono::milliseconds{std::chrono::hours{1}};
  });
  return true;
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
  cmd->add_option("--audit-archive-dir", args.audit_archive_dir,
                  "directory for events archived by the policy's [audit] retention_days (NDJSON "
                  "files, written before the events are deleted); required when retention is set");
}

bool AddBackgroundJobs(JobRunner& runner, Service& service, const BackgroundArgs& args) {
  if (args.no_jobs) return true;
  AddNoticeJob(runner, service, std::chrono::seconds{args.notice_interval});
  return AddRetentionJob(runner, service, args.audit_archive_dir);
}

}  // namespace beian::cli
