// beian: issues and tracks ICP filing service numbers. See README.md and `beian --help`.
#include <cstdlib>
#include <iostream>

#include "cli/commands.h"

int main(int argc, char** argv) {
  CLI::App app{"beian: issues and tracks ICP filing service numbers (备案服务号)", "beian"};
  app.require_subcommand(1);
  beian::cli::Context ctx;
  const char* env_db = std::getenv("BEIAN_DB");
  ctx.db_url = env_db != nullptr && *env_db != '\0' ? env_db : "sqlite:beian.db";
  app.add_option(
      "--db", ctx.db_url,
      "store URL: sqlite:PATH (default sqlite:beian.db) or postgresql://… (env BEIAN_DB)");
  beian::cli::RegisterServe(app, ctx);
  beian::cli::RegisterMigrate(app, ctx);
  beian::cli::RegisterAccount(app, ctx);
  beian::cli::RegisterImport(app, ctx);
  beian::cli::RegisterExplain(app, ctx);
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return 2;
  }
  return ctx.exit_code;
}
