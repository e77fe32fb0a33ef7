#pragma once
// Internal to src/store: the Store over a pool of SQLite or PostgreSQL connections.
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <exception>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include "store/pool.h"
#include "store/sqlite_change_watch.h"
#include "store/store.h"

namespace beian::store_internal {

class SqlStore final : public Store {
 public:
  SqlStore(Dialect dialect, Pool::Factory factory, StoreOptions options);
  // Lets the group-commit writer (if started) finish the queued writes, then stops it.
  ~SqlStore() override;

  Dialect dialect() const override { return dialect_; }
  Status Migrate() override;                 // migrate.cpp
  Status CheckSchema() override;             // migrate.cpp
  int LatestSchemaVersion() const override;  // migrate.cpp
  Status Ping() override;
  Status CheckWritable() override;
  Status CheckIntegrity() override;
  Status Backup(const std::string& dest) override;
  std::optional<ChangeStamp> CurrentChangeStamp() const override;
  // SQLite: watches the database's commits for CurrentChangeStamp (nullptr: no stamps).
  void set_change_watch(std::unique_ptr<SqliteChangeWatch> w) { change_watch_ = std::move(w); }

  Pool& pool() { return pool_; }

  // How many SQLite writers wait for the writer thread to take them into a batch. Thread-safe;
  // for tests.
  std::size_t QueuedWriters();

 protected:
  // SQLite write transactions go through group commit (below); everything else runs alone.
  Status RunTx(TxMode mode, const std::function<bool(Tx&)>& body) override;
  // SQLite: queues body as a member of the group commit (below) that does not wait.
  bool QueueWrite(std::function<bool(Tx&)> body,
                  std::function<void(bool ran, bool kept)> done) override;

 private:
  struct GroupMember;
  // One transaction for `body`, with the retry policy of Store::Write, from `attempt`.
  Status RunTxAlone(TxMode mode, const std::function<bool(Tx&)>& body, int attempt = 0);
  // The final status of a failed attempt, or nullopt when it should be retried.
  std::optional<Status> Settle(std::exception_ptr failure, bool begun, int attempt) const;
  // Group commit for SQLite, which admits one writer at a time: concurrent write transactions of
  // this process queue up; one thread of the Store's own (the writer, started by the first such
  // write) runs the queued bodies one after another in one transaction, each inside its own
  // SAVEPOINT, and commits once, so one fsync serves them all, then takes the next queue at once.
  // The result is the same as running them one by one. A body that returns false (a refusal) is
  // rolled back to its savepoint; a body that throws is too, and is re-run alone afterwards, on
  // the caller's thread; if the shared commit fails, every body of the batch is re-run alone. So
  // is every write when the writer thread cannot be started, or arrives while the destructor runs.
  // Nothing is acknowledged (not even a refusal, which read the batch's earlier writes) before
  // the commit returned. A body must not itself write through this Store (it would wait for the
  // writer that runs it).
  Status RunGroupedWrite(const std::function<bool(Tx&)>& body);
  // Queues `member` for the writer (starting it if need be); false, queueing nothing, when writes
  // must run alone (the Store is being destroyed, or no thread could be started).
  bool Enqueue(const std::shared_ptr<GroupMember>& member);
  // The writer thread: runs queued batches until the destructor asks it to stop and the queue is
  // empty. After a commit it wakes the batch's first waiting member (one wake-up call per batch),
  // then calls the queued members' callbacks, and takes the next queue itself: the next batch does
  // not wait for another thread to be scheduled.
  void WriterLoop();
  // Runs `batch` without group_mu_ held; returns for each member whether it committed. Before
  // committing it appends to `batch` whoever queued while its bodies ran (under group_mu_, at most
  // kMaxBatch members in all), and runs them too: a writer that arrives just after the batch was
  // formed shares its commit instead of waiting for it and then for one of its own.
  std::vector<bool> RunBatch(std::vector<std::shared_ptr<GroupMember>>& batch);
  static constexpr std::size_t kMaxBatch = 256;
  // Moves queued writers to the end of `batch` (up to kMaxBatch in all); false if none moved.
  bool TakeQueued(std::vector<std::shared_ptr<GroupMember>>& batch);

  Dialect dialect_;
  StoreOptions options_;
  Pool::Factory factory_;
  Pool pool_;
  std::unique_ptr<Conn> group_conn_;  // the writer thread's connection (SQLite)
  std::mutex group_mu_;               // guards group_queue_, writer_idle_, writer_stop_ and writer_
  std::condition_variable group_cv_;  // the idle writer waits on it for the queue to fill
  std::vector<std::shared_ptr<GroupMember>> group_queue_;
  bool writer_idle_ = false;  // the writer waits on group_cv_ (a writer that queues wakes it)
  bool writer_stop_ = false;  // set by the destructor
  std::thread writer_;        // started by the first grouped write
  std::unique_ptr<SqliteChangeWatch> change_watch_;  // SQLite in WAL mode only
  mutable std::atomic<bool> corrupt_seen_{false};    // set by Settle; never cleared
  std::mutex probe_mu_;                              // guards the three below
  bool probing_ = false;
  std::chrono::steady_clock::time_point probe_at_{};
  std::optional<Status> probe_;  // the last CheckWritable answer
};

// The error a StoreError becomes at the transaction boundary.
Error ErrorFromStoreError(const StoreError& e);

}  // namespace beian::store_internal
