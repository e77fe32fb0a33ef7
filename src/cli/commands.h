#pragma once
// Subcommands of `beian`. Each Register* adds one subcommand to the app; its callback stores the
// exit status (0 done, 1 failed, 2 wrong usage) in ctx.exit_code. Errors go to stderr as one line
// (open_store.h PrintError). Malformed arguments are refused by CLI11 checks, also with exit 2.
#include <CLI/CLI.hpp>
#include <string>

namespace beian::cli {

struct Context {
  std::string db_url;  // --db or BEIAN_DB, default "sqlite:beian.db"
  int db_wait = 30;    // --db-wait: seconds serve, demo and migrate wait for PostgreSQL
  int exit_code = 0;
};

// A CLI11 check that a value is an account id (so a malformed one is wrong usage, exit 2).
CLI::Validator AccountIdValidator();

void RegisterServe(CLI::App& app, Context& ctx);    // serve, demo (cmd_serve.cpp)
void RegisterMigrate(CLI::App& app, Context& ctx);  // migrate (cmd_admin.cpp)
void RegisterAccount(CLI::App& app, Context& ctx);  // account add, token issue (cmd_admin.cpp)
void RegisterImport(CLI::App& app, Context& ctx);   // import (cmd_import.cpp)
void RegisterExplain(CLI::App& app, Context& ctx);  // explain, policy show (cmd_explain.cpp)
void RegisterBackup(CLI::App& app, Context& ctx);   // backup (cmd_backup.cpp)
void RegisterNotices(CLI::App& app, Context& ctx);  // notices scan (cmd_notices.cpp)
void RegisterEvents(CLI::App& app, Context& ctx);  // events export, events archive (cmd_events.cpp)

}  // namespace beian::cli
