// `beian explain` and `beian policy show`: the rules engine from the command line, no database.
#include <boost/json.hpp>
#include <chrono>
#include <iostream>
#include <iterator>
#include <memory>
#include <optional>
#include <string>

#include "cli/commands.h"
#include "cli/open_store.h"
#include "codec/product_json.h"
#include "codec/strict_json.h"
#include "domain/eligibility.h"
#include "domain/policy.h"

namespace beian::cli {
namespace {

struct ExplainOptions {
  std::string now;
  int used = 0;
  std::string as;
  std::string policy_file;
  std::string lang = "zh";
};

std::optional<Policy> PolicyOrReport(const std::string& file) {
  if (file.empty()) return DefaultPolicy();
  Result<Policy> p = LoadPolicyFile(file);
  if (!p.ok()) {
    PrintErrorLine(p.error().detail.en);
    return std::nullopt;
  }
  return std::move(p).value();
}

const CLI::Validator kRfc3339(
    [](std::string& s) -> std::string {
      return ParseRfc3339(s) ? "" : "not an RFC 3339 date-time (e.g. 2026-11-27T10:00:00+08:00)";
    },
    "RFC3339", "RFC 3339 date-time");

// The product text with an "id" added when the object has none: eligibility does not depend on
// the id, and PUT /v1/products/{id} also lets the body omit it. Anything else is left to the codec.
std::string WithSomeId(const std::string& input) {
  Text problem;
  std::optional<boost::json::value> v = ParseStrictJson(input, problem);
  if (!v || !v->is_object() || v->get_object().contains("id")) return input;
  v->get_object()["id"] = "explain";
  return boost::json::serialize(*v);
}

int RunExplain(const ExplainOptions& o) {
  const auto policy = PolicyOrReport(o.policy_file);
  if (!policy) return 1;
  const std::string input{std::istreambuf_iterator<char>(std::cin),
                          std::istreambuf_iterator<char>()};
  Result<ProductInput> parsed = ParseProductJson(WithSomeId(input));
  if (!parsed.ok()) {
    PrintErrorLine("invalid product: " + parsed.error().detail.en);
    return 1;
  }
  const Product& p = parsed->product;
  const Time now = o.now.empty()
                       ? std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now())
                       : *ParseRfc3339(o.now);
  const bool owner = o.as.empty() || o.as == p.account_id;
  const Eligibility e = Evaluate(p, *policy, now, o.used, owner);
  std::cout << EligibilityToJson(e, o.lang == "en" ? Lang::kEn : Lang::kZh) << '\n';
  return std::cout.good() ? 0 : 1;
}

void AddExplain(CLI::App& app, Context& ctx) {
  auto o = std::make_shared<ExplainOptions>();
  CLI::App* cmd = app.add_subcommand(
      "explain",
      "read one product object (JSON) on stdin and print whether a new service number may be "
      "applied for, with every failing rule (no database)");
  cmd->add_option("--now", o->now, "judge at this time (RFC 3339; default: the current time)")
      ->check(kRfc3339);
  cmd->add_option("--used", o->used, "numbers already issued in the product's quota scope")
      ->check(CLI::Range(0, 1'000'000));
  cmd->add_option("--as", o->as, "the asking account (another account than the owner: NOT_OWNER)")
      ->check(AccountIdValidator());
  cmd->add_option("--policy", o->policy_file, "policy file (TOML) merged over the defaults");
  cmd->add_option("--lang", o->lang, "language of messages: zh (default) or en")
      ->check(CLI::IsMember({"zh", "en"}));
  cmd->callback([o, &ctx] { ctx.exit_code = RunExplain(*o); });
}

void AddPolicy(CLI::App& app, Context& ctx) {
  CLI::App* policy = app.add_subcommand("policy", "show the policy in force");
  policy->require_subcommand(1);
  auto file = std::make_shared<std::string>();
  CLI::App* show = policy->add_subcommand(
      "show", "print the policy in force (the defaults merged with --policy) as TOML");
  show->add_option("--policy", *file, "policy file (TOML) merged over the defaults");
  show->callback([file, &ctx] {
    const auto p = PolicyOrReport(*file);
    if (!p) {
      ctx.exit_code = 1;
      return;
    }
    std::cout << PolicyToToml(*p);
    ctx.exit_code = std::cout.good() ? 0 : 1;
  });
}

}  // namespace

CLI::Validator AccountIdValidator() {
  return CLI::Validator(
      [](std::string& s) -> std::string {
        return IsValidAccountId(s) ? "" : "not an account id ([A-Za-z0-9._-]{1,64})";
      },
      "ACCOUNT", "account id");
}

void RegisterExplain(CLI::App& app, Context& ctx) {
  AddExplain(app, ctx);
  AddPolicy(app, ctx);
}

}  // namespace beian::cli
