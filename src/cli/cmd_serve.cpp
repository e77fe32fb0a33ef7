// `beian serve` and `beian demo`: argument parsing and wiring of store, policy, service and server.
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <memory>
#include <string>

#include "cli/background.h"
#include "cli/commands.h"
#include "cli/demo_seed.h"
#include "cli/open_store.h"
#include "http/logging.h"
#include "http/outbound.h"
#include "http/server.h"
#include "http/sso.h"
#include "service/service.h"
#include "store/store.h"

namespace beian::cli {
namespace {

struct ServeArgs {
  std::string listen = "127.0.0.1:8080";
  std::string policy;
  int threads = 0;
  int workers = 0;
  int writers = 0;
  int max_connections = http::ServerOptions{}.max_connections;
  int max_connections_per_client = http::ServerOptions{}.max_connections_per_client;
  int header_timeout = static_cast<int>(http::ServerOptions{}.header_timeout.count());
  int read_timeout = static_cast<int>(http::ServerOptions{}.read_timeout.count());
  int idle_timeout = static_cast<int>(http::ServerOptions{}.idle_timeout.count());
  bool skip_quick_check = false;
  http::SsoOptions sso;
  std::string client_secret_file;
  int session_idle = static_cast<int>(http::SsoOptions{}.session_idle.count());
  int session_lifetime = static_cast<int>(http::SsoOptions{}.session_absolute.count());
  int jwks_refetch = static_cast<int>(http::SsoOptions{}.jwks_refetch_interval.count());
  BackgroundArgs background;
};

// The SSO settings of `args`, with the client secret read from its file or
// BEIAN_OIDC_CLIENT_SECRET; nullopt (after printing why) when inconsistent.
std::optional<http::SsoOptions> SsoFromArgs(const ServeArgs& args) {
  http::SsoOptions o = args.sso;
  o.session_idle = std::chrono::seconds(args.session_idle);
  o.session_absolute = std::chrono::seconds(args.session_lifetime);
  o.jwks_refetch_interval = std::chrono::seconds(args.jwks_refetch);
  if (o.issuer.empty()) {
    if (!o.client_id.empty() || !o.jwt_audience.empty()) {
      std::cerr << "beian: --oidc-client-id and --jwt-audience need --oidc-issuer\n";
      return std::nullopt;
    }
    return o;
  }
  if (!args.client_secret_file.empty()) {
    std::ifstream in(args.client_secret_file);
    if (!in || !std::getline(in, o.client_secret)) {
      std::cerr << "beian: cannot read the client secret from " << args.client_secret_file << '\n';
      return std::nullopt;
    }
  } else if (const char* env = std::getenv("BEIAN_OIDC_CLIENT_SECRET")) {
    o.client_secret = env;
  }
  if (!o.client_id.empty() && o.client_secret.empty()) {
    std::cerr << "beian: --oidc-client-id needs the client secret: --oidc-client-secret-file or "
                 "BEIAN_OIDC_CLIENT_SECRET\n";
    return std::nullopt;
  }
  if (Status st = http::CheckOutboundUrl(o.issuer); !st.ok()) {
    std::cerr << "beian: --oidc-issuer: " << st.error().detail.en << '\n';
    return std::nullopt;
  }
  return o;
}

void PrintListening(const std::string& host, uint16_t port) {
  const bool v6 = host.find(':') != std::string::npos;
  std::cout << "beian: listening on http://" << (v6 ? "[" + host + "]" : host) << ':' << port
            << std::endl;
}

// Serves `store` until a signal; 0 after a clean drain, 1 on failure.
int ServeStore(Store& store, const Policy& policy, http::ServerOptions options,
               const http::SsoOptions& sso_options, const BackgroundArgs& background) {
  Service service(store, policy);
  if (!ConfigureTokenPepper(service, true)) return 1;
  JobRunner jobs;
  if (!AddBackgroundJobs(jobs, service, background)) return 2;
  http::InitLogging();
  std::optional<http::Sso> sso;
  if (!sso_options.issuer.empty()) {
    sso.emplace(sso_options);
    options.sso = &*sso;
  }
  jobs.Start();
  Status st = http::Serve(service, options, [&sso](const std::string& host, uint16_t port) {
    if (sso) sso->SetListening(host, port);
    PrintListening(host, port);
  });
  jobs.Stop();
  http::ShutdownLogging();
  if (!st.ok()) {
    PrintError(st.error());
    return 1;
  }
  return 0;
}

// Parses the shared options; 2 (usage) when malformed, else 0.
int Prepare(const ServeArgs& args, http::ServerOptions& options) {
  if (Status st = http::ParseListen(args.listen, options); !st.ok()) {
    PrintError(st.error());
    return 2;
  }
  options.io_threads = args.threads;
  options.worker_threads = args.workers;
  options.writer_threads = args.writers;
  options.max_connections = args.max_connections;
  options.max_connections_per_client = args.max_connections_per_client;
  options.header_timeout = std::chrono::seconds(args.header_timeout);
  options.read_timeout = std::chrono::seconds(args.read_timeout);
  options.idle_timeout = std::chrono::seconds(args.idle_timeout);
  return 0;
}

// Start-up checks of `serve`: refuses (false) a damaged SQLite file (PRAGMA quick_check) unless
// skipped; warns when the store takes no writes now (the server starts, /readyz answers 503).
bool CheckStoreAtStart(Store& store, bool quick_check) {
  if (quick_check) {
    if (Status st = store.CheckIntegrity(); !st.ok()) {
      PrintError(st.error());
      std::cerr << "beian: refusing to serve a damaged database: restore the last backup "
                   "(beian backup) or repair it, then start again"
                << std::endl;
      return false;
    }
  }
  if (Status st = store.CheckWritable(); !st.ok()) {
    std::cerr << "beian: warning: the database takes no writes now; /readyz answers 503 until "
                 "it does: "
              << st.error().cause << std::endl;
  }
  return true;
}

int RunServe(const Context& ctx, const ServeArgs& args) {
  http::ServerOptions options;
  if (int rc = Prepare(args, options); rc != 0) return rc;
  std::optional<http::SsoOptions> sso = SsoFromArgs(args);
  if (!sso) return 2;
  std::optional<Policy> policy = LoadPolicyOrPrint(args.policy);
  if (!policy) return 1;
  int rc = 1;
  std::unique_ptr<Store> store = OpenWaiting(ctx.db_url, std::chrono::seconds(ctx.db_wait), &rc);
  if (!store) return rc;
  if (Status st = store->CheckSchema(); !st.ok()) {
    PrintError(st.error());
    return 1;
  }
  if (!CheckStoreAtStart(*store, !args.skip_quick_check)) return 1;
  return ServeStore(*store, *policy, options, *sso, args.background);
}

int RunDemo(const Context& ctx, const ServeArgs& args) {
  http::ServerOptions options;
  if (int rc = Prepare(args, options); rc != 0) return rc;
  options.demo = true;
  std::optional<http::SsoOptions> sso = SsoFromArgs(args);
  if (!sso) return 2;
  std::optional<Policy> policy = LoadPolicyOrPrint(args.policy);
  if (!policy) return 1;
  int rc = 1;
  std::unique_ptr<Store> store = OpenWaiting(ctx.db_url, std::chrono::seconds(ctx.db_wait), &rc);
  if (!store) return rc;
  if (Status st = store->Migrate(); !st.ok()) {
    PrintError(st.error());
    return 1;
  }
  Service service(*store, *policy);
  if (!ConfigureTokenPepper(service, false)) return 1;
  Result<bool> seeded = DemoSeeded(*store);
  if (!seeded.ok()) {
    PrintError(seeded.error());
    return 1;
  }
  if (!*seeded) {
    if (Status st = SeedDemo(service); !st.ok()) {
      PrintError(st.error());
      return 1;
    }
  }
  Result<std::vector<DemoToken>> tokens = IssueDemoTokens(service);
  if (!tokens.ok()) {
    PrintError(tokens.error());
    return 1;
  }
  for (const DemoToken& t : *tokens) {
    std::cout << "demo token " << t.account_id << ' ' << t.role << ' ' << t.token << '\n';
  }
  std::cout.flush();
  return ServeStore(*store, *policy, options, *sso, args.background);
}

void AddSsoOptions(CLI::App* cmd, ServeArgs& args) {
  cmd->add_option("--oidc-issuer", args.sso.issuer,
                  "OpenID Connect issuer URL (https; http only on a loopback host, for tests): "
                  "enables console sign-in (with --oidc-client-id) and bearer JWTs (with "
                  "--jwt-audience)");
  cmd->add_option("--oidc-client-id", args.sso.client_id,
                  "client id of the console at the issuer; its secret comes from "
                  "--oidc-client-secret-file or BEIAN_OIDC_CLIENT_SECRET");
  cmd->add_option("--oidc-client-secret-file", args.client_secret_file,
                  "file whose first line is the client secret");
  cmd->add_option("--oidc-account-claim", args.sso.account_claim,
                  "claim naming the beian account id")
      ->capture_default_str();
  cmd->add_option("--oidc-roles-claim", args.sso.roles_claim,
                  "claim listing operator roles (admin, reviewer, inventory, operator = all): an "
                  "operator's roles are its account's roles that the claim also names, and one "
                  "left with none is refused (default: not used, the account's roles apply)");
  cmd->add_option("--jwt-audience", args.sso.jwt_audience,
                  "accept bearer JWTs from the issuer whose aud contains this value");
  cmd->add_option("--jwks-refetch-interval", args.jwks_refetch,
                  "seconds between JWKS fetches caused by unknown key ids")
      ->capture_default_str()
      ->check(CLI::Range(1, 86400));
  cmd->add_option("--public-url", args.sso.public_url,
                  "the console's external base URL, e.g. https://beian.example.com (sign-in "
                  "redirects; https makes the session cookie Secure); default: the listen address");
  cmd->add_option("--session-idle", args.session_idle,
                  "seconds a console session survives without use")
      ->capture_default_str()
      ->check(CLI::Range(60, 86400 * 30));
  cmd->add_option("--session-lifetime", args.session_lifetime,
                  "seconds a console session lasts at most after sign-in")
      ->capture_default_str()
      ->check(CLI::Range(60, 86400 * 90));
}

void AddServeOptions(CLI::App* cmd, ServeArgs& args, bool threads) {
  cmd->fallthrough();  // `beian demo --db URL` (as `make demo` runs it) means the global --db
  cmd->add_option("--listen", args.listen, "HOST:PORT to listen on (port 0: any free port)")
      ->capture_default_str();
  cmd->add_option("--policy", args.policy, "policy file (TOML) merged over the defaults");
  if (threads) {
    cmd->add_option("--threads", args.threads,
                    "I/O threads (default: the number of cores this process may run on, as taskset "
                    "or a cpuset allows)")
        ->check(CLI::Range(1, 1024));
    cmd->add_option("--workers", args.workers,
                    "threads for store calls (default: cores for SQLite, 2×cores+2 for PostgreSQL)")
        ->check(CLI::Range(1, 1024));
    cmd->add_option("--writers", args.writers,
                    "threads for the store calls of requests that may write (default: 16×cores for "
                    "SQLite, where writers wait for a shared commit; PostgreSQL: the --workers)")
        ->check(CLI::Range(1, 1024));
  }
  cmd->add_option("--max-connections", args.max_connections,
                  "open connections at most; further ones are closed at once (0: half of (the "
                  "open-file limit - 128), at most 10000; larger values are lowered to limit - "
                  "128)")
      ->capture_default_str()
      ->check(CLI::Range(0, 1'000'000));
  cmd->add_option("--max-connections-per-client", args.max_connections_per_client,
                  "open connections per client (an IPv4 address, or an IPv6 /64) at most; further "
                  "ones are closed at once")
      ->capture_default_str()
      ->check(CLI::Range(1, 1'000'000));
  cmd->add_option("--header-timeout", args.header_timeout,
                  "seconds a new connection has to send its first request head")
      ->capture_default_str()
      ->check(CLI::Range(1, 3600));
  cmd->add_option("--read-timeout", args.read_timeout,
                  "seconds to receive a request body, or to send a reply")
      ->capture_default_str()
      ->check(CLI::Range(1, 3600));
  cmd->add_option("--idle-timeout", args.idle_timeout,
                  "seconds a kept-alive connection may wait for its next request")
      ->capture_default_str()
      ->check(CLI::Range(1, 3600));
  AddSsoOptions(cmd, args);
  AddBackgroundOptions(cmd, args.background);
}

}  // namespace

void RegisterServe(CLI::App& app, Context& ctx) {
  auto serve_args = std::make_shared<ServeArgs>();
  CLI::App* serve = app.add_subcommand(
      "serve", "serve the HTTP API and console until SIGTERM/SIGINT, then drain and exit 0");
  AddServeOptions(serve, *serve_args, true);
  serve->add_flag("--skip-quick-check", serve_args->skip_quick_check,
                  "start without PRAGMA quick_check of an SQLite database (it reads the whole "
                  "file: minutes for a very large one)");
  serve->callback([&ctx, serve_args] { ctx.exit_code = RunServe(ctx, *serve_args); });

  auto demo_args = std::make_shared<ServeArgs>();
  CLI::App* demo = app.add_subcommand(
      "demo", "migrate, seed the demo data (once), print demo tokens and serve like `serve`");
  AddServeOptions(demo, *demo_args, true);
  demo->callback([&ctx, demo_args] { ctx.exit_code = RunDemo(ctx, *demo_args); });
}

}  // namespace beian::cli
