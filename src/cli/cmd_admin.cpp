// `beian account …` and `beian token …`: parsing and wiring only.
#include <iostream>
#include <memory>
#include <string>

#include "cli/commands.h"
#include "cli/open_store.h"
#include "service/service.h"
#include "store/store.h"

namespace beian::cli {

namespace {

struct AccountArgs {
  std::string id;
  std::string role;
  std::string roles;
  bool roles_given = false;
  std::string name;
  bool name_given = false;
};

struct TokenArgs {
  std::string account;
  std::string id;
  int64_t grace = 0;
};

int Fail(const Error& e) {
  PrintError(e);
  return 1;
}

// Runs call(service) on the store of ctx: prints its refusal (exit 1) or hands its value to print
// (exit 0).
template <class Call, class Print>
int CallAndPrint(const Context& ctx, Call call, Print print) {
  return WithService(ctx.db_url, [&](Service& service) {
    auto r = call(service);
    if (!r.ok()) return Fail(r.error());
    print(*r);
    return 0;
  });
}

int AddAccount(const Context& ctx, const AccountArgs& args) {
  return WithService(ctx.db_url, [&](Service& service) {
    AccountChange change;
    change.id = args.id;
    change.role = ParseRole(args.role);
    if (args.roles_given) {
      std::optional<RoleSet> roles = ParseRoleList(args.roles);
      if (!roles) {
        std::cerr << "beian: --roles takes admin, reviewer and inventory (comma-separated)\n";
        return 2;
      }
      change.roles = *roles;
    }
    if (args.name_given) change.name = args.name;
    auto done = service.PutAccount(SystemPrincipal(), change);
    if (!done.ok()) return Fail(done.error());
    std::cout << "account " << args.id << (done->second ? " created" : " updated") << '\n';
    return 0;
  });
}

int SetDisabled(const Context& ctx, const std::string& id, bool disabled) {
  AccountChange change;
  change.id = id;
  change.disabled = disabled;
  return CallAndPrint(
      ctx, [&](Service& service) { return service.PutAccount(SystemPrincipal(), change); },
      [&](const auto&) {
        std::cout << "account " << id << (disabled ? " disabled" : " enabled") << '\n';
      });
}

int IssueToken(const Context& ctx, const std::string& account) {
  return CallAndPrint(
      ctx, [&](Service& service) { return service.IssueToken(SystemPrincipal(), account); },
      [](const std::string& token) { std::cout << token << '\n'; });
}

std::string TimeOr(const std::optional<Time>& t, std::string_view none) {
  return t ? FormatRfc3339Cst(*t) : std::string(none);
}

int ListTokens(const Context& ctx, const std::string& account) {
  std::optional<std::string> whose;
  if (!account.empty()) whose = account;
  return CallAndPrint(
      ctx, [&](Service& service) { return service.ListTokens(SystemPrincipal(), whose); },
      [](const std::vector<TokenRecord>& tokens) {
        std::cout << "ID\tACCOUNT\tNAME\tSCOPES\tCREATED\tEXPIRES\tLAST_USED\tREVOKED\n";
        for (const TokenRecord& t : tokens) {
          std::cout << t.id << '\t' << t.account_id << '\t' << t.name << '\t'
                    << ScopeListText(t.scopes) << '\t' << FormatRfc3339Cst(t.created_at) << '\t'
                    << TimeOr(t.expires_at, "never") << '\t' << TimeOr(t.last_used_at, "-") << '\t'
                    << TimeOr(t.revoked_at, "-") << '\n';
        }
      });
}

int RevokeToken(const Context& ctx, const std::string& id) {
  return CallAndPrint(
      ctx, [&](Service& service) { return service.RevokeToken(SystemPrincipal(), id); },
      [&](const Ok&) { std::cout << "token " << id << " revoked\n"; });
}

int RotateToken(const Context& ctx, const TokenArgs& args) {
  return CallAndPrint(
      ctx,
      [&](Service& service) {
        return service.RotateToken(SystemPrincipal(), args.id, std::chrono::seconds(args.grace));
      },
      [&](const NewToken& t) {
        std::cerr << "beian: token " << args.id << " stops working in " << args.grace
                  << " s; new token id " << t.record.id << '\n';
        std::cout << t.secret << '\n';
      });
}

void RegisterAccountCommands(CLI::App& app, Context& ctx) {
  auto args = std::make_shared<AccountArgs>();
  CLI::App* account = app.add_subcommand("account", "manage accounts");
  account->require_subcommand(1);
  CLI::App* add = account->add_subcommand(
      "add",
      "add (or update) an account; refused (exit 1) for the last admin's demotion and for "
      "an operator that owns products");
  add->add_option("ID", args->id, "account id, [A-Za-z0-9._-]{1,64}")
      ->required()
      ->check(AccountIdValidator());
  add->add_option("--role", args->role,
                  "customer or operator (operator: roles from --roles, "
                  "default all three)")
      ->required()
      ->check(CLI::IsMember({"customer", "operator"}));
  add->add_option("--roles", args->roles,
                  "operator roles, comma-separated: admin, reviewer, inventory")
      ->each([args](const std::string&) { args->roles_given = true; });
  add->add_option("--name", args->name, "display name")->each([args](const std::string&) {
    args->name_given = true;
  });
  add->callback([&ctx, args] { ctx.exit_code = AddAccount(ctx, *args); });

  auto target = std::make_shared<std::string>();
  CLI::App* disable = account->add_subcommand(
      "disable", "disable an account: its tokens and sessions stop working at once");
  disable->add_option("ID", *target, "account id")->required();
  disable->callback([&ctx, target] { ctx.exit_code = SetDisabled(ctx, *target, true); });
  CLI::App* enable = account->add_subcommand("enable", "enable a disabled account again");
  enable->add_option("ID", *target, "account id")->required();
  enable->callback([&ctx, target] { ctx.exit_code = SetDisabled(ctx, *target, false); });
}

void RegisterTokenCommands(CLI::App& app, Context& ctx) {
  auto args = std::make_shared<TokenArgs>();
  CLI::App* token =
      app.add_subcommand("token",
                         "manage API tokens (the pepper comes from BEIAN_TOKEN_PEPPER_FILE or "
                         "BEIAN_TOKEN_PEPPER, as for serve)");
  token->require_subcommand(1);
  CLI::App* issue = token->add_subcommand(
      "issue",
      "print a new API token for ACCOUNT with every scope it may hold (only its keyed "
      "hash is stored)");
  issue->add_option("ACCOUNT", args->account, "account id")
      ->required()
      ->check(AccountIdValidator());
  issue->callback([&ctx, args] { ctx.exit_code = IssueToken(ctx, args->account); });
  CLI::App* list = token->add_subcommand("list", "list the tokens of ACCOUNT (default: all)");
  list->add_option("ACCOUNT", args->account, "account id");
  list->callback([&ctx, args] { ctx.exit_code = ListTokens(ctx, args->account); });
  CLI::App* revoke = token->add_subcommand("revoke", "revoke token ID at once");
  revoke->add_option("ID", args->id, "token id (tok_…)")->required();
  revoke->callback([&ctx, args] { ctx.exit_code = RevokeToken(ctx, args->id); });
  CLI::App* rotate = token->add_subcommand(
      "rotate", "print a new token like ID; ID stops working after --grace seconds");
  rotate->add_option("ID", args->id, "token id (tok_…)")->required();
  rotate->add_option("--grace", args->grace, "seconds the old token keeps working (0–86400)")
      ->capture_default_str()
      ->check(CLI::Range(0, 86400));
  rotate->callback([&ctx, args] { ctx.exit_code = RotateToken(ctx, *args); });
}

}  // namespace

void RegisterAccount(CLI::App& app, Context& ctx) {
  RegisterAccountCommands(app, ctx);
  RegisterTokenCommands(app, ctx);
}

}  // namespace beian::cli
