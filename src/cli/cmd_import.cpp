#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <string>

#include "cli/commands.h"
#include "cli/open_store.h"
#include "service/service.h"
#include "store/store.h"

namespace beian::cli {
namespace {

struct ImportArgs {
  std::string file;
  std::string policy;
};

constexpr int kBarWidth = 30;

// Draws "\r[#####-----]  45%  123456 lines" (or lines and MiB when the size is unknown).
void DrawProgress(int64_t lines, int64_t bytes, int64_t total) {
  std::cerr << '\r';
  if (total > 0) {
    const int64_t pct = std::min<int64_t>(100, bytes * 100 / total);
    const int filled = static_cast<int>(pct * kBarWidth / 100);
    std::cerr << '[' << std::string(filled, '#') << std::string(kBarWidth - filled, '-') << "] "
              << pct << "%  ";
  }
  std::cerr << lines << " lines, " << (bytes >> 20) << " MiB" << std::flush;
}

int RunImport(const Context& ctx, const ImportArgs& args) {
  std::optional<Policy> policy = LoadPolicyOrPrint(args.policy);
  if (!policy) return 1;
  const std::string path = args.file == "-" ? "/dev/stdin" : args.file;
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    std::cerr << "beian: cannot open " << args.file << '\n';
    return 1;
  }
  std::unique_ptr<Store> store = OpenCheckedStore(ctx.db_url);
  if (!store) return 1;
  Service service(*store, std::move(*policy));
  if (!ConfigureTokenPepper(service, false)) return 1;

  const bool tty = isatty(STDERR_FILENO) == 1;
  std::error_code ec;
  const int64_t total =
      args.file == "-" ? 0 : static_cast<int64_t>(std::filesystem::file_size(path, ec));
  ImportProgress progress;
  if (tty)
    progress = [&](int64_t lines, int64_t bytes) { DrawProgress(lines, bytes, ec ? 0 : total); };
  Result<ImportReport> report = service.Import(SystemPrincipal(), in, progress);
  if (tty) std::cerr << '\n';
  if (!report.ok()) {
    PrintError(report.error());
    return 1;
  }
  for (const ImportLineError& e : report->failed) {
    std::cerr << "line " << e.line << ": " << e.code << ": " << e.detail << '\n';
  }
  if (report->failed_count > static_cast<int64_t>(report->failed.size())) {
    std::cerr << "(the first " << report->failed.size() << " of " << report->failed_count
              << " refused lines are listed)\n";
  }
  std::cout << "import: " << report->created << " created, " << report->updated << " updated, "
            << report->failed_count << " failed\n";
  return report->failed_count == 0 ? 0 : 1;
}

}  // namespace

void RegisterImport(CLI::App& app, Context& ctx) {
  auto args = std::make_shared<ImportArgs>();
  CLI::App* cmd = app.add_subcommand(
      "import", "upsert products from NDJSON (one product object a line; - for stdin)");
  cmd->add_option("FILE", args->file, "NDJSON file, or - for stdin")->required();
  cmd->add_option("--policy", args->policy, "policy file (TOML) merged over the defaults");
  cmd->callback([&ctx, args] { ctx.exit_code = RunImport(ctx, *args); });
}

}  // namespace beian::cli
