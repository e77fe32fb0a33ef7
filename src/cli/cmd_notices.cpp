// `beian notices scan`: one notices scan (as the serve job runs it), e.g. from cron or a test.
#include <iostream>
#include <memory>
#include <string>

#include "cli/commands.h"
#include "cli/open_store.h"
#include "service/service.h"
#include "store/store.h"

namespace beian::cli {
namespace {

struct ScanArgs {
  std::string policy;
  std::string at;
};

int RunScan(const Context& ctx, const ScanArgs& args) {
  std::optional<Policy> policy = LoadPolicyOrPrint(args.policy);
  if (!policy) return 1;
  std::unique_ptr<Store> store = OpenCheckedStore(ctx.db_url);
  if (!store) return 1;
  Service service(*store, *policy);
  Time now = service.Now();
  if (!args.at.empty()) {
    const std::optional<Time> at = ParseRfc3339(args.at);
    if (!at) {
      std::cerr << "beian: --at takes an RFC 3339 date-time, e.g. 2027-01-01T00:00:00+08:00\n";
      return 2;
    }
    now = *at;
  }
  Result<NoticeScanReport> r = service.ScanNotices(now);
  if (!r.ok()) {
    PrintError(r.error());
    return 1;
  }
  std::cout << "notices emitted: " << r->total() << " (product.term_expiring " << r->term_expiring
            << ", number.lapsed " << r->number_lapsed << ", filing.review_overdue "
            << r->review_overdue << ")\n";
  return 0;
}

}  // namespace

void RegisterNotices(CLI::App& app, Context& ctx) {
  CLI::App* notices = app.add_subcommand("notices", "customer notices (see docs/interface.md)");
  notices->require_subcommand(1);
  auto args = std::make_shared<ScanArgs>();
  CLI::App* scan = notices->add_subcommand(
      "scan",
      "emit the notices due now (product.term_expiring, number.lapsed, filing.review_overdue) "
      "that were not emitted before, each once, with its audit event; what `beian serve` does "
      "every --notice-interval seconds");
  scan->add_option("--policy", args->policy, "policy file (TOML) merged over the defaults");
  scan->add_option("--at", args->at,
                   "judge as of this RFC 3339 date-time instead of now (for tests and catching "
                   "up)");
  scan->callback([args, &ctx] { ctx.exit_code = RunScan(ctx, *args); });
}

}  // namespace beian::cli
