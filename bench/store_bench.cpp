// Apply throughput with durable commits (Service::Apply: quota lock, eligibility, insert, event,
// commit) beside the raw durable-commit baseline of the same backend: one INSERT per committed
// transaction in WAL mode with synchronous=FULL, on as many threads. PostgreSQL's baseline is
// pgbench -N, run by bench/store.bench.sh.
//
// Registered only when BEIAN_STORE_BENCH_DIR names a scratch directory (bench/store.bench.sh sets
// it), so that a plain run of beian_bench stays quick; BEIAN_STORE_BENCH_PG_URL adds PostgreSQL.
// BEIAN_STORE_BENCH_THREADS (default 8) and BEIAN_STORE_BENCH_SECONDS (default 5) set the load.
#include <benchmark/benchmark.h>
#include <sqlite3.h>

#include <chrono>
#include <cstdlib>
#include <map>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <vector>

#include "service/service.h"
#include "store/store.h"

namespace beian {
namespace {

std::string Env(const char* name, const char* fallback = "") {
  const char* v = std::getenv(name);
  return v != nullptr && *v != '\0' ? v : fallback;
}

// A store migrated once per URL, with one ecs product per thread and an effectively unbounded
// quota, so every apply issues a number.
struct ApplyEnv {
  std::unique_ptr<Store> store;
  std::unique_ptr<Service> service;
};

ApplyEnv& EnvFor(const std::string& url, int threads) {
  static std::mutex mu;
  static std::map<std::string, ApplyEnv> envs;
  std::lock_guard lock(mu);
  ApplyEnv& env = envs[url];
  if (env.service) return env;
  StoreOptions options;
  options.pool_size = threads + 2;
  Result<std::unique_ptr<Store>> store = Store::Open(url, options);
  if (!store.ok()) throw std::runtime_error("open " + url + ": " + store.error().detail.en);
  env.store = std::move(store.value());
  if (Status st = env.store->Migrate(); !st.ok()) throw std::runtime_error(st.error().detail.en);
  Policy policy = DefaultPolicy();
  policy.kinds[Kind::kEcs].quota = 1'000'000'000;
  env.service = std::make_unique<Service>(*env.store, policy);
  const Time now = env.service->Now();
  for (int t = 0; t < threads; ++t) {
    ProductInput in;
    in.product.id = "bench-" + std::to_string(t);
    in.product.account_id = "bench-" + std::to_string(t);
    in.product.kind = Kind::kEcs;
    in.product.region = "cn-hangzhou";
    in.product.public_ips = {"47.96.1." + std::to_string(t + 1)};
    in.product.expires_at = AddMonthsCst(now, 60);
    auto r = env.service->UpsertProduct(SystemPrincipal(), in);
    if (!r.ok()) throw std::runtime_error(r.error().detail.en);
  }
  return env;
}

void BM_StoreApply(benchmark::State& state, const std::string& url) {
  ApplyEnv& env = EnvFor(url, state.threads());
  const std::string id = "bench-" + std::to_string(state.thread_index());
  const Principal owner{id, Role::kCustomer};
  for (auto _ : state) {
    Result<NumberView> r = env.service->Apply(owner, id);
    if (!r.ok()) {
      state.SkipWithError(r.error().detail.en.c_str());
      break;
    }
  }
  state.SetItemsProcessed(state.iterations());
}

void Check(int rc, sqlite3* db, const char* what) {
  if (rc != SQLITE_OK && rc != SQLITE_DONE) {
    throw std::runtime_error(std::string(what) + ": " + sqlite3_errmsg(db));
  }
}

// The baseline: what durable single-row commits cost on this disk with SQLite.
void BM_RawCommitSqlite(benchmark::State& state, const std::string& path) {
  sqlite3* db = nullptr;
  Check(sqlite3_open(path.c_str(), &db), db, "open");
  Check(sqlite3_busy_timeout(db, 10000), db, "busy_timeout");
  Check(sqlite3_exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;", nullptr, nullptr,
                     nullptr),
        db, "pragma");
  if (state.thread_index() == 0) {
    Check(sqlite3_exec(db, "CREATE TABLE IF NOT EXISTS t (id INTEGER PRIMARY KEY, v TEXT)", nullptr,
                       nullptr, nullptr),
          db, "create");
  }
  sqlite3_stmt* insert = nullptr;
  for (auto _ : state) {
    if (insert == nullptr) {
      Check(sqlite3_prepare_v2(db, "INSERT INTO t (v) VALUES (?1)", -1, &insert, nullptr), db,
            "prepare");
    }
    Check(sqlite3_exec(db, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr), db, "begin");
    sqlite3_bind_text(insert, 1, "7K2QX-9MZ4P-R8T1V-C3W0A-4HJ9D", -1, SQLITE_STATIC);
    Check(sqlite3_step(insert), db, "insert");
    sqlite3_reset(insert);
    Check(sqlite3_exec(db, "COMMIT", nullptr, nullptr, nullptr), db, "commit");
  }
  sqlite3_finalize(insert);
  sqlite3_close(db);
  state.SetItemsProcessed(state.iterations());
}

// Registers the store benchmarks when asked to (see the top of this file).
const bool kRegistered = [] {
  const std::string dir = Env("BEIAN_STORE_BENCH_DIR");
  if (dir.empty()) return false;
  const int threads = std::atoi(Env("BEIAN_STORE_BENCH_THREADS", "8").c_str());
  const double seconds = std::atof(Env("BEIAN_STORE_BENCH_SECONDS", "5").c_str());
  auto tune = [&](benchmark::internal::Benchmark* b) {
    b->Threads(threads)->UseRealTime()->MinTime(seconds)->Unit(benchmark::kMicrosecond);
  };
  tune(benchmark::RegisterBenchmark("BM_StoreRawCommit/sqlite", BM_RawCommitSqlite,
                                    dir + "/raw.db"));
  tune(benchmark::RegisterBenchmark("BM_StoreApply/sqlite", BM_StoreApply,
                                    "sqlite:" + dir + "/apply.db"));
  const std::string pg = Env("BEIAN_STORE_BENCH_PG_URL");
  if (!pg.empty()) tune(benchmark::RegisterBenchmark("BM_StoreApply/postgres", BM_StoreApply, pg));
  return true;
}();

}  // namespace
}  // namespace beian
