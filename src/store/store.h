#pragma once
// The Store: the single source of truth, chosen by URL ("sqlite:PATH" or "postgresql://…").
// Thread-safe: any number of threads may run transactions at once; each takes a connection from a
// pool. Several processes (and, for PostgreSQL, machines) may share one database.
#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>

#include "domain/result.h"
#include "store/db.h"
#include "store/tx.h"

namespace beian {

struct StoreOptions {
  int pool_size = 16;  // connections kept open
  std::chrono::milliseconds busy_timeout{10000};
  int max_retries = 20;  // for retryable transaction failures
  // How long a transaction keeps reconnecting after losing its connection before COMMIT (a
  // failover, a restarted server) before it gives up with kUnavailable.
  std::chrono::milliseconds failover_wait{3000};
};

// True for a URL that Store::Open understands: sqlite:PATH (non-empty PATH), postgresql://… or
// postgres://…. Says nothing about whether the database can be reached.
bool IsStoreUrl(std::string_view url);

// Identifies the database's committed state (see Store::CurrentChangeStamp).
struct ChangeStamp {
  std::array<uint32_t, 4> words{};
  friend bool operator==(const ChangeStamp&, const ChangeStamp&) = default;
};

class Store {
 public:
  // Opens the database; does not migrate. Errors: kInvalidRequest for a malformed URL,
  // kUnavailable when the database cannot be opened or reached.
  static Result<std::unique_ptr<Store>> Open(std::string_view url, StoreOptions options = {});
  virtual ~Store() = default;

  virtual Dialect dialect() const = 0;

  // Creates or upgrades the schema; safe to run twice and from several processes at once.
  virtual Status Migrate() = 0;
  // Ok when the schema is exactly the one this binary knows; kSchemaTooNew when newer;
  // kUnavailable when older (run `beian migrate`).
  virtual Status CheckSchema() = 0;
  virtual int LatestSchemaVersion() const = 0;
  // Ok when the database answers.
  virtual Status Ping() = 0;
  // Ok when a write transaction commits now (it rewrites one bookkeeping row): false for a
  // read-only database, a full disk, no reachable primary. Fails for good once this Store has
  // seen the database corrupt. The answer is reused for up to a second, so frequent callers
  // (readiness probes) cost at most one commit per second. The error's cause names the fault.
  virtual Status CheckWritable() = 0;
  // SQLite: PRAGMA quick_check on a connection of its own; kInternal (cause "corrupt: …") when the
  // file is damaged. PostgreSQL: Ok (it checks its pages itself).
  virtual Status CheckIntegrity() = 0;
  // SQLite: writes a consistent copy of the database, as of one moment, to the new file `dest`
  // (the online backup API: writers go on meanwhile), checked with PRAGMA quick_check and moved
  // into place atomically; kInvalidRequest when `dest` exists. PostgreSQL: kInvalidRequest (back
  // it up with pg_dump or continuous archiving).
  virtual Status Backup(const std::string& dest) = 0;

  // Runs fn(Tx&) in one transaction and returns its Result (a Status or Result<T>). Commits when
  // fn returns a value; rolls back when fn returns an error (a refusal writes nothing, whatever fn
  // wrote before deciding to refuse) unless fn called tx.KeepWritesIfRefused(); rolls back when fn
  // throws. Retryable failures re-run fn from the start, so fn must have no effect outside the
  // transaction. Database failures become kUnavailable / kInternal errors. A lost connection is
  // reconnected and fn re-run for up to StoreOptions::failover_wait; a connection lost while
  // COMMIT was in flight is kUnavailable and never retried (the outcome is unknown).
  template <class F>
  auto Write(F&& fn) -> decltype(fn(std::declval<Tx&>())) {
    return Run<decltype(fn(std::declval<Tx&>()))>(TxMode::kWrite, fn);
  }
  template <class F>
  auto Read(F&& fn) -> decltype(fn(std::declval<Tx&>())) {
    return Run<decltype(fn(std::declval<Tx&>()))>(TxMode::kRead, fn);
  }

  // Queues fn to run in a write transaction without blocking the caller, where this Store groups
  // writes (SQLite's group commit). Returns false, having queued nothing, where it does not
  // (PostgreSQL, a Store being destroyed, no writer thread to be had). Otherwise fn runs once, on
  // the Store's writer thread, and then done(true) is called there once the transaction is over:
  // fn's writes committed if fn returned true and were rolled back if it returned false.
  // done(false): nothing of fn's committed (fn threw, or the shared commit failed), and nothing is
  // retried here: the caller runs its request again with Write, which retries. done must neither
  // block nor throw (it runs before the writer takes its next batch; what it throws is dropped).
  // Thread-safe.
  bool TryWriteQueued(std::function<bool(Tx&)> fn, std::function<void(bool)> done);

  // A stamp of everything committed to the database so far, by any connection of any process:
  // two equal stamps, read at T1 and later at T2, mean that nothing was committed in between, so
  // what a read transaction begun after T1 saw is still the database's state at T2. nullopt when
  // this Store cannot tell without a round trip (PostgreSQL, a SQLite database not in WAL mode, a
  // commit writing the stamp right now, a database seen corrupt): then read. Thread-safe, no I/O.
  virtual std::optional<ChangeStamp> CurrentChangeStamp() const { return std::nullopt; }

  // Write transactions that committed through this Store since it was opened (those whose fn
  // returned a value or kept its writes when refusing). Thread-safe.
  uint64_t committed_writes() const { return committed_writes_.load(std::memory_order_relaxed); }

 protected:
  // Runs body in a transaction with the retry policy above: commits when body returns true, rolls
  // back when it returns false; returns the error when it gave up.
  virtual Status RunTx(TxMode mode, const std::function<bool(Tx&)>& body) = 0;
  // TryWriteQueued's work: done(ran, kept), ran meaning "the transaction is over and whatever body
  // decided (kept: it returned true) is what happened". The default queues nothing.
  virtual bool QueueWrite(std::function<bool(Tx&)> /*body*/,
                          std::function<void(bool ran, bool kept)> /*done*/) {
    return false;
  }

 private:
  template <class R, class F>
  R Run(TxMode mode, F& fn) {
    std::optional<R> out;
    bool commits = false;  // as the last run of fn decided
    Status st = RunTx(mode, [&](Tx& tx) {
      out.emplace(fn(tx));
      commits = out->ok() || tx.keeps_writes_if_refused();
      return commits;
    });
    if (!st.ok()) return R(st.error());
    if (mode == TxMode::kWrite && commits)
      committed_writes_.fetch_add(1, std::memory_order_relaxed);
    return std::move(*out);
  }

  std::atomic<uint64_t> committed_writes_{0};
};

}  // namespace beian
