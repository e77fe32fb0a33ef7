#pragma once
// The background jobs of `beian serve` and `beian demo` and their options: webhook delivery,
// notices, audit retention. Each feature adds its options to BackgroundArgs/AddBackgroundOptions
// and its jobs to AddBackgroundJobs.
#include <CLI/CLI.hpp>
#include <string>

#include "cli/job_runner.h"
#include "service/service.h"

namespace beian::cli {

struct BackgroundArgs {
  int notice_interval = 300;  // --notice-interval SECONDS: how often notices are scanned
  bool no_jobs = false;       // --no-background-jobs
  // --audit-archive-dir: where the retention job writes archived events (required when the
  // policy's [audit] retention_days is set).
  std::string audit_archive_dir;
  // Webhook delivery.
  std::string webhook_retry_schedule;   // --webhook-retry-schedule ("" = the default)
  std::string webhook_allowed_private;  // --webhook-allowed-private (CIDR list)
  int webhook_timeout = 15;             // --webhook-timeout, seconds
  int webhook_workers = 4;              // --webhook-workers
};

void AddBackgroundOptions(CLI::App* cmd, BackgroundArgs& args);

// Checks `args` and adds the jobs to `runner`; false (after printing why) when the options are
// inconsistent. `service` must outlive the runner's Stop().
bool AddBackgroundJobs(JobRunner& runner, Service& service, const BackgroundArgs& args);

}  // namespace beian::cli
