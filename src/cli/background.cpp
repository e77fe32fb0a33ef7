#include "cli/background.h"

#include <unistd.h>

#include <filesystem>
#include <iostream>
#include <memory>
#include <random>

#include "cli/open_store.h"
#include "http/webhook_client.h"
#include "service/webhook_scout.h"

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
  cmd->add_option("--webhook-retry-schedule", args.webhook_retry_schedule,
                  "delays before each webhook delivery attempt, e.g. 0s,5s,5m,2h (default "
                  "0s,5s,5m,30m,2h,5h,10h,14h,20h,24h)");
  cmd->add_option("--webhook-allowed-private", args.webhook_allowed_private,
                  "networks webhooks may reach although private or loopback, e.g. "
                  "127.0.0.0/8,::1/128 (default: none)");
  cmd->add_option("--webhook-timeout", args.webhook_timeout,
                  "seconds one webhook delivery attempt may take (default 15)")
      ->check(CLI::Range(1, 120));
  cmd->add_option("--webhook-workers", args.webhook_workers,
                  "webhook delivery threads: endpoints served at once (default 4)")
      ->check(CLI::Range(1, 64));
}

namespace {

// A name for this process's leases: host, pid and a random part.
std::string ProcessName() {
  char host[256] = {};
  gethostname(host, sizeof host - 1);
  std::random_device rd;
  return std::string(host) + "-" + std::to_string(getpid()) + "-" + std::to_string(rd() % 1000000);
}

constexpr std::string_view kWebhookJob = "webhooks-";

bool AddWebhookJobs(JobRunner& runner, Service& service, const BackgroundArgs& args) {
  WebhookOptions options;
  if (!args.webhook_retry_schedule.empty()) {
    Result<RetrySchedule> s = ParseRetrySchedule(args.webhook_retry_schedule);
    if (!s.ok()) {
      std::cerr << "--webhook-retry-schedule: " << s.error().detail.en << "\n";
      return false;
    }
    options.schedule = *s;
  }
  http::WebhookClientOptions client;
  Result<std::vector<http::IpNetwork>> nets = http::ParseCidrList(args.webhook_allowed_private);
  if (!nets.ok()) {
    std::cerr << "--webhook-allowed-private: " << nets.error().detail.en << "\n";
    return false;
  }
  client.allowed_private = *nets;
  client.timeout = std::chrono::seconds(args.webhook_timeout);
  options.timeout = client.timeout;
  auto transport = std::make_shared<http::CurlWebhookTransport>(client);
  const std::string process = ProcessName();
  // One worker at a time polls (WebhookScout); the scout that claims work wakes the others.
  auto scout = std::make_shared<WebhookScout>();
  for (int i = 0; i < args.webhook_workers; ++i) {
    WebhookOptions mine = options;
    mine.owner = process + "-" + std::to_string(i);
    mine.on_due = [scout, i, &runner] {
      if (scout->Found(i)) runner.Wake(kWebhookJob);
    };
    runner.Add(std::string(kWebhookJob) + std::to_string(i), [&service, transport, scout, i, mine] {
      const std::chrono::milliseconds next = service.DeliverWebhooks(*transport, mine);
      // Nothing (more) was due: the scout polls again soon, the others wait to be woken.
      return next == mine.poll ? scout->AfterIdleRun(i, mine) : next;
    });
  }
  return true;
}

}  // namespace

bool AddBackgroundJobs(JobRunner& runner, Service& service, const BackgroundArgs& args) {
  if (args.no_jobs) return true;
  if (!AddWebhookJobs(runner, service, args)) return false;
  AddNoticeJob(runner, service, std::chrono::seconds{args.notice_interval});
  return AddRetentionJob(runner, service, args.audit_archive_dir);
}

}  // namespace beian::cli
