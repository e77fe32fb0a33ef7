// Store::Open and the transaction runner with retries.
#include "store/sql_store.h"

#include <algorithm>
#include <random>
#include <thread>

#include "store/drivers.h"

namespace beian {
namespace store_internal {
namespace {

Error Unavailable(const std::string& why) {
  return MakeError(ErrorCode::kUnavailable,
                   Text{"数据库暂时不可用：" + why, "the database is unavailable: " + why});
}

// Exponential backoff from 1 ms up to 256 ms, with full jitter.
void Backoff(int attempt) {
  thread_local std::mt19937 rng{std::random_device{}()};
  const int cap = 1 << std::min(attempt, 8);
  std::uniform_int_distribution<int> us(0, cap * 1000);
  std::this_thread::sleep_for(std::chrono::microseconds(us(rng)));
}

}  // namespace

Error ErrorFromStoreError(const StoreError& e) {
  if (e.unavailable() || e.retryable()) return Unavailable(e.what());
  return MakeError(ErrorCode::kInternal, Text{std::string("数据库错误：") + e.what(),
                                              std::string("database error: ") + e.what()});
}

SqlStore::SqlStore(Dialect dialect, Pool::Factory factory, StoreOptions options)
    : dialect_(dialect), options_(options), pool_(std::move(factory), options.pool_size) {}

Status SqlStore::Ping() {
  return RunTx(TxMode::kRead, [](Tx& tx) { tx.conn().Query("SELECT 1"); });
}

Status SqlStore::RunTx(TxMode mode, const std::function<void(Tx&)>& body) {
  for (int attempt = 0;; ++attempt) {
    bool begun = false;
    try {
      Pool::Lease conn = pool_.Acquire();
      try {
        conn->Begin(mode);
        begun = true;
        Tx tx(*conn);
        body(tx);
        conn->Commit();
        return OkStatus();
      } catch (...) {
        conn->Rollback();
        throw;
      }
    } catch (const StoreError& e) {
      // A stale pooled connection fails at BEGIN: safe to retry on a fresh one.
      const bool retry = e.retryable() || (e.unavailable() && !begun);
      if (!retry || attempt >= options_.max_retries) return ErrorFromStoreError(e);
    } catch (const std::exception& e) {
      return MakeError(ErrorCode::kInternal, Text{std::string("内部错误：") + e.what(),
                                                  std::string("internal error: ") + e.what()});
    } catch (...) {
      return MakeError(ErrorCode::kInternal, Text{"内部错误", "internal error"});
    }
    Backoff(attempt);
  }
}

}  // namespace store_internal

Result<std::unique_ptr<Store>> Store::Open(std::string_view url, StoreOptions options) {
  using store_internal::Pool;
  using store_internal::SqlStore;
  const std::string u(url);
  Dialect dialect;
  Pool::Factory factory;
  if (u.rfind("sqlite:", 0) == 0 && u.size() > 7) {
    dialect = Dialect::kSqlite;
    const std::string path = u.substr(7);
    factory = [path, options] { return store_internal::OpenSqliteConn(path, options); };
  } else if (u.rfind("postgresql://", 0) == 0 || u.rfind("postgres://", 0) == 0) {
    dialect = Dialect::kPostgres;
    factory = [u] { return store_internal::OpenPgConn(u); };
  } else {
    return MakeError(ErrorCode::kInvalidRequest,
                     Text{"数据库地址无效（应为 sqlite:路径 或 postgresql://…）：" + u,
                          "invalid database URL (expected sqlite:PATH or postgresql://…): " + u});
  }
  try {
    auto store = std::make_unique<SqlStore>(dialect, factory, options);
    store->pool().Seed(factory());
    return std::unique_ptr<Store>(std::move(store));
  } catch (const StoreError& e) {
    return store_internal::Unavailable(e.what());
  }
}

}  // namespace beian
