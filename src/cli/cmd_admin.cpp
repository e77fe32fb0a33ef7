#include <iostream>
#include <memory>
#include <string>

#include "cli/commands.h"
#include "cli/open_store.h"
#include "service/service.h"

namespace beian::cli {

namespace {

struct AccountArgs {
  std::string id;
  std::string role;
  std::string name;
};

// Runs fn(service) on a checked store with the default policy; 1 when the store cannot be used.
template <class F>
int WithService(const Context& ctx, F&& fn) {
  std::unique_ptr<Store> store = OpenCheckedStore(ctx.db_url);
  if (!store) return 1;
  Service service(*store, DefaultPolicy());
  return fn(service);
}

int AddAccount(const Context& ctx, const AccountArgs& args) {
  return WithService(ctx, [&](Service& service) {
    Account a;
    a.id = args.id;
    a.role = ParseRole(args.role).value_or(Role::kCustomer);
    a.name = args.name;
    Result<bool> created = service.PutAccount(SystemPrincipal(), a);
    if (!created) {
      PrintError(created.error());
      return 1;
    }
    std::cout << "account " << a.id << (*created ? " created" : " updated") << '\n';
    return 0;
  });
}

int IssueToken(const Context& ctx, const std::string& account) {
  return WithService(ctx, [&](Service& service) {
    Result<std::string> token = service.IssueToken(SystemPrincipal(), account);
    if (!token) {
      PrintError(token.error());
      return 1;
    }
    std::cout << *token << '\n';
    return 0;
  });
}

}  // namespace

void RegisterAccount(CLI::App& app, Context& ctx) {
  auto args = std::make_shared<AccountArgs>();
  CLI::App* account = app.add_subcommand("account", "manage accounts");
  account->require_subcommand(1);
  CLI::App* add = account->add_subcommand("add", "add (or update) an account");
  add->add_option("ID", args->id, "account id, [A-Za-z0-9._-]{1,64}")->required();
  add->add_option("--role", args->role, "customer or operator")
      ->required()
      ->check(CLI::IsMember({"customer", "operator"}));
  add->add_option("--name", args->name, "display name");
  add->callback([&ctx, args] { ctx.exit_code = AddAccount(ctx, *args); });

  auto token_account = std::make_shared<std::string>();
  CLI::App* token = app.add_subcommand("token", "manage API tokens");
  token->require_subcommand(1);
  CLI::App* issue =
      token->add_subcommand("issue", "print a new API token for ACCOUNT (only its hash is stored)");
  issue->add_option("ACCOUNT", *token_account, "account id")->required();
  issue->callback([&ctx, token_account] { ctx.exit_code = IssueToken(ctx, *token_account); });
}

}  // namespace beian::cli
