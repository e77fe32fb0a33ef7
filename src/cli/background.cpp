#include "cli/background.h"

namespace beian::cli {

void AddBackgroundOptions(CLI::App* cmd, BackgroundArgs& args) {
  cmd->add_flag("--no-background-jobs", args.no_jobs,
                "run no background job in this process (webhook delivery, notices, retention); "
                "for a node that only answers requests while others do that work");
}

bool AddBackgroundJobs(JobRunner& runner, Service& service, const BackgroundArgs& args) {
  (void)runner;
  (void)service;
  if (args.no_jobs) return true;
  return true;
}

}  // namespace beian::cli
