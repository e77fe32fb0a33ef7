// beian: issues and tracks ICP filing service numbers. See README.md and `beian --help`.
#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include "cli/commands.h"
#include "store/store.h"

namespace {

// The first word where a subcommand is expected but none of that name exists (walking down the
// subcommands that require one), or nullopt. Options and their values are skipped.
std::optional<std::string> UnknownCommand(CLI::App& app, const std::vector<std::string>& args) {
  CLI::App* current = &app;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a == "--") return std::nullopt;
    if (a.size() > 1 && a[0] == '-') {
      if (a.find('=') != std::string::npos) continue;
      // Does this option (here or in a parent it falls through to) take a value?
      for (CLI::App* owner = current; owner != nullptr; owner = owner->get_parent()) {
        const CLI::Option* opt = owner->get_option_no_throw(a);
        if (opt == nullptr) continue;
        if (opt->get_items_expected_min() > 0) ++i;
        break;
      }
      continue;
    }
    if (current->get_require_subcommand_min() == 0) return std::nullopt;
    CLI::App* next = nullptr;
    for (CLI::App* sub : current->get_subcommands({})) {
      if (sub->check_name(a)) next = sub;
    }
    if (next == nullptr) return a;
    current = next;
  }
  return std::nullopt;
}

// Every subcommand's --help names the global options, which may follow it.
void AddGlobalFooter(CLI::App& app) {
  for (CLI::App* sub : app.get_subcommands({})) {
    sub->footer(
        "Global option, also accepted here: --db URL (sqlite:PATH or postgresql://…; env "
        "BEIAN_DB; default sqlite:beian.db).");
    AddGlobalFooter(*sub);
  }
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"beian: issues and tracks ICP filing service numbers (备案服务号)", "beian"};
  app.require_subcommand(1);
  // Options of the app (--db) are also accepted after a subcommand: subcommands inherit this.
  app.fallthrough();
  beian::cli::Context ctx;
  ctx.db_url = "sqlite:beian.db";
  app.add_option("--db", ctx.db_url,
                 "store URL: sqlite:PATH (default sqlite:beian.db) or postgresql://…; may also "
                 "follow the subcommand")
      ->envname("BEIAN_DB")
      ->check(CLI::Validator(
          [](std::string& url) -> std::string {
            return beian::IsStoreUrl(url) ? "" : "expected sqlite:PATH or postgresql://…";
          },
          "URL", "store URL"));
  app.set_config(
      "--config", "",
      "configuration file (TOML; the package's is /etc/beian/beian.toml): top-level keys "
      "are the global options (db, db-wait), [serve] holds serve's options, each by its "
      "long name; options on the command line win; unknown keys are refused");
  app.allow_config_extras(CLI::config_extras_mode::error);
  app.add_option("--db-wait", ctx.db_wait,
                 "seconds serve, demo and migrate wait for an unreachable PostgreSQL at start, "
                 "retrying with backoff (0: fail at once)")
      ->capture_default_str()
      ->check(CLI::Range(0, 86400));
  beian::cli::RegisterServe(app, ctx);
  beian::cli::RegisterMigrate(app, ctx);
  beian::cli::RegisterAccount(app, ctx);
  beian::cli::RegisterImport(app, ctx);
  beian::cli::RegisterExplain(app, ctx);
  beian::cli::RegisterBackup(app, ctx);
  beian::cli::RegisterNotices(app, ctx);
  beian::cli::RegisterEvents(app, ctx);
  AddGlobalFooter(app);
  const std::vector<std::string> args(argv + 1, argv + argc);
  if (std::optional<std::string> unknown = UnknownCommand(app, args)) {
    std::cerr << "beian: unknown command '" << *unknown << "' (see beian --help)\n";
    return 2;
  }
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
