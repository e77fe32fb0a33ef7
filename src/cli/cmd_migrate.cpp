// `beian migrate`: creates or upgrades the schema of the store at --db.
#include <iostream>

#include "cli/commands.h"
#include "cli/open_store.h"
#include "store/store.h"

namespace beian::cli {

void RegisterMigrate(CLI::App& app, Context& ctx) {
  CLI::App* cmd = app.add_subcommand("migrate", "create or upgrade the schema; safe to run twice");
  cmd->callback([&ctx] {
    std::unique_ptr<Store> store =
        OpenWaiting(ctx.db_url, std::chrono::seconds(ctx.db_wait), &ctx.exit_code);
    if (!store) return;
    Status st = store->Migrate();
    if (st.ok()) st = store->CheckSchema();
    if (!st.ok()) {
      PrintError(st.error());
      ctx.exit_code = 1;
      return;
    }
    std::cout << "schema at version " << store->LatestSchemaVersion() << "\n";
    ctx.exit_code = 0;
  });
}

}  // namespace beian::cli
