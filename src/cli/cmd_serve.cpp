// `beian serve` and `beian demo`: argument parsing and wiring of store, policy, service and server.
#include <chrono>
#include <iostream>
#include <memory>
#include <string>

#include "cli/commands.h"
#include "cli/demo_seed.h"
#include "cli/open_store.h"
#include "http/logging.h"
#include "http/server.h"
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
};

void PrintListening(const std::string& host, uint16_t port) {
  const bool v6 = host.find(':') != std::string::npos;
  std::cout << "beian: listening on http://" << (v6 ? "[" + host + "]" : host) << ':' << port
            << std::endl;
}

// Serves `store` until a signal; 0 after a clean drain, 1 on failure.
int ServeStore(Store& store, const Policy& policy, const http::ServerOptions& options) {
  Service service(store, policy);
  if (!ConfigureTokenPepper(service, true)) return 1;
  http::InitLogging();
  Status st = http::Serve(service, options, PrintListening);
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
  return ServeStore(*store, *policy, options);
}

int RunDemo(const Context& ctx, const ServeArgs& args) {
  http::ServerOptions options;
  if (int rc = Prepare(args, options); rc != 0) return rc;
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
  return ServeStore(*store, *policy, options);
}

void AddServeOptions(CLI::App* cmd, ServeArgs& args, bool threads) {
  cmd->fallthrough();  // `beian demo --db URL` (as `make demo` runs it) means the global --db
  cmd->add_option("--listen", args.listen, "HOST:PORT to listen on (port 0: any free port)")
      ->capture_default_str();
  cmd->add_option("--policy", args.policy, "policy file (TOML) merged over the defaults");
  if (threads) {
    cmd->add_option("--threads", args.threads, "I/O threads (default: the number of cores)")
        ->check(CLI::Range(1, 1024));
    cmd->add_option("--workers", args.workers,
                    "threads for store calls (default: cores for SQLite, 2×cores+2 for PostgreSQL)")
        ->check(CLI::Range(1, 1024));
    cmd->add_option("--writers", args.writers,
                    "threads for the store calls of requests that may write (default: 8×cores for "
                    "SQLite, where writers wait for a shared commit; PostgreSQL: the --workers)")
        ->check(CLI::Range(1, 1024));
  }
  cmd->add_option("--max-connections", args.max_connections,
                  "open connections at most; further ones are closed at once (0: half of what "
                  "the open-file limit allows, at most 10000; larger values are lowered to it)")
      ->capture_default_str()
      ->check(CLI::Range(0, 1'000'000));
  cmd->add_option("--max-connections-per-client", args.max_connections_per_client,
                  "open connections per client IP address at most; further ones are closed at once")
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
