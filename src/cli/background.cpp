#include "cli/background.h"

#include <unistd.h>

#include <iostream>
#include <memory>
#include <random>

#include "http/webhook_client.h"

namespace beian::cli {

void AddBackgroundOptions(CLI::App* cmd, BackgroundArgs& args) {
  cmd->add_flag("--no-background-jobs", args.no_jobs,
                "run no background job in this process (webhook delivery, notices, retention); "
                "for a node that only answers requests while others do that work");
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
  for (int i = 0; i < args.webhook_workers; ++i) {
    WebhookOptions mine = options;
    mine.owner = process + "-" + std::to_string(i);
    runner.Add("webhooks-" + std::to_string(i),
               [&service, transport, mine] { return service.DeliverWebhooks(*transport, mine); });
  }
  return true;
}

}  // namespace

bool AddBackgroundJobs(JobRunner& runner, Service& service, const BackgroundArgs& args) {
  if (args.no_jobs) return true;
  if (!AddWebhookJobs(runner, service, args)) return false;
  return true;
}

}  // namespace beian::cli
