// `beian backup DEST`: a consistent copy of an SQLite database while servers keep writing.
#include <chrono>
#include <iostream>
#include <memory>

#include "cli/commands.h"
#include "cli/open_store.h"
#include "store/store.h"

namespace beian::cli {
namespace {

constexpr const char* kPgAdvice =
    "beian: backup copies SQLite databases only. Back PostgreSQL up with its own tools, e.g.\n"
    "  pg_dump --format=custom --file=DEST 'postgresql://USER@HOST:PORT/DB'   (restore: "
    "pg_restore --dbname=… DEST)\n"
    "or continuous archiving (pg_basebackup + WAL archive) for point-in-time recovery.\n";

int RunBackup(const Context& ctx, const std::string& dest) {
  int rc = 1;
  std::unique_ptr<Store> store = OpenWaiting(ctx.db_url, std::chrono::seconds(0), &rc);
  if (!store) return rc;
  if (store->dialect() == Dialect::kPostgres) {
    std::cerr << kPgAdvice;
    return 2;
  }
  const auto started = std::chrono::steady_clock::now();
  if (Status st = store->Backup(dest); !st.ok()) {
    PrintError(st.error());
    return 1;
  }
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                      std::chrono::steady_clock::now() - started)
                      .count();
  std::cout << "backup written to " << dest << " in " << ms << " ms (checked with quick_check)"
            << std::endl;
  return 0;
}

}  // namespace

void RegisterBackup(CLI::App& app, Context& ctx) {
  auto dest = std::make_shared<std::string>();
  CLI::App* cmd = app.add_subcommand(
      "backup",
      "copy an SQLite database, consistent as of one moment, to the new file DEST while servers "
      "keep writing (online backup API; checked with quick_check). Exit 0 written, 1 failed, "
      "2 for PostgreSQL (prints pg_dump advice)");
  cmd->add_option("DEST", *dest, "the copy's path; must not exist")->required();
  cmd->callback([&ctx, dest] { ctx.exit_code = RunBackup(ctx, *dest); });
}

}  // namespace beian::cli
