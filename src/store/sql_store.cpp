// Store::Open and the transaction runner with retries.
#include "store/sql_store.h"

#include <sys/statvfs.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <exception>
#include <mutex>
#include <optional>
#include <random>
#include <system_error>
#include <thread>

#include "store/drivers.h"
#include "store/sqlite_checkpointer.h"
#include "store/statements.h"

namespace beian {

const char* StoreFaultName(StoreFault f) {
  switch (f) {
    case StoreFault::kConflict:
      return "conflict";
    case StoreFault::kUnreachable:
      return "unreachable";
    case StoreFault::kReadOnly:
      return "read-only";
    case StoreFault::kFull:
      return "disk-full";
    case StoreFault::kCorrupt:
      return "corrupt";
    case StoreFault::kOther:
      break;
  }
  return "other";
}

namespace store_internal {
namespace {

// The client sees only the standard detail of the code; the cause goes to the server's log.
Error StoreFailure(ErrorCode code, std::string cause) {
  Error e = MakeError(code);
  e.cause = std::move(cause);
  return e;
}

// Exponential backoff from 1 ms up to 256 ms, with full jitter.
void Backoff(int attempt) {
  thread_local std::mt19937 rng{std::random_device{}()};
  const int cap = 1 << std::min(attempt, 8);
  std::uniform_int_distribution<int> us(0, cap * 1000);
  std::this_thread::sleep_for(std::chrono::microseconds(us(rng)));
}

// Waits before reconnecting after a lost connection: 50 ms doubling to 800 ms, with jitter, so
// that a failover (seconds) is not met with a storm of connection attempts.
void ReconnectBackoff(int attempt) {
  thread_local std::mt19937 rng{std::random_device{}()};
  const int cap = 50 << std::min(attempt, 4);
  std::uniform_int_distribution<int> ms(cap / 2, cap);
  std::this_thread::sleep_for(std::chrono::milliseconds(ms(rng)));
}

// SQLite is not ready with less than this free on the database's file system.
constexpr uint64_t kMinFreeBytes = 1 << 20;

// "disk-full: …" when the file system of the main database (a row of PRAGMA database_list) has
// less than kMinFreeBytes available, else "".
std::string LowSpace(const std::vector<Row>& databases) {
  for (const Row& r : databases) {
    if (r.Str(1) != "main" || r.IsNull(2) || r.Str(2).empty()) continue;
    const std::string& file = r.Str(2);
    const std::size_t slash = file.rfind('/');
    const std::string dir = slash == std::string::npos ? "." : file.substr(0, slash + 1);
    struct statvfs fs;
    if (::statvfs(dir.c_str(), &fs) != 0) return "";
    const uint64_t free = static_cast<uint64_t>(fs.f_bavail) * fs.f_frsize;
    if (free >= kMinFreeBytes) return "";
    return "disk-full: " + std::to_string(free) + " bytes free on the file system of " + file;
  }
  return "";
}

}  // namespace

Error ErrorFromStoreError(const StoreError& e) {
  const StoreFault f = e.fault();
  // Faults that may pass (the database comes back, space is freed, a primary is promoted) are
  // 503 with Retry-After; a damaged database or a bug will not pass by waiting: 500.
  const bool passing = f == StoreFault::kUnreachable || f == StoreFault::kReadOnly ||
                       f == StoreFault::kFull || f == StoreFault::kConflict;
  return StoreFailure(passing ? ErrorCode::kUnavailable : ErrorCode::kInternal,
                      std::string(StoreFaultName(f)) + ": " + e.what());
}

SqlStore::SqlStore(Dialect dialect, Pool::Factory factory, StoreOptions options)
    : dialect_(dialect), options_(options), factory_(factory), pool_(factory, options.pool_size) {}

std::optional<ChangeStamp> SqlStore::CurrentChangeStamp() const {
  if (change_watch_ == nullptr || corrupt_seen_.load(std::memory_order_acquire))
    return std::nullopt;
  return change_watch_->Current();
}

Status SqlStore::Ping() {
  return RunTx(TxMode::kRead, [this](Tx& tx) {
    tx.conn().Query(StatementsFor(dialect_).ping);
    return true;
  });
}

Status SqlStore::CheckWritable() {
  const auto now = std::chrono::steady_clock::now();
  {
    // No lock is held across the probe's I/O: callers meanwhile get the last answer.
    std::lock_guard lock(probe_mu_);
    if (probe_ && (probing_ || now - probe_at_ < std::chrono::seconds(1))) return *probe_;
    if (probing_) return StoreFailure(ErrorCode::kUnavailable, "unreachable: first probe running");
    probing_ = true;
  }
  std::string low_space;
  Status st = RunTx(TxMode::kWrite, [&](Tx& tx) {
    tx.conn().Exec(StatementsFor(dialect_).touch_version);
    // A small write may still fit into blocks the write-ahead log already holds while larger
    // ones fail: SQLite is also not ready when its file system is (nearly) full.
    if (dialect_ == Dialect::kSqlite) low_space = LowSpace(tx.conn().Query("PRAGMA database_list"));
    return true;
  });
  if (st.ok() && !low_space.empty()) st = StoreFailure(ErrorCode::kUnavailable, low_space);
  if (st.ok() && corrupt_seen_.load(std::memory_order_relaxed)) {
    st = StoreFailure(ErrorCode::kInternal,
                      "corrupt: a request found the database damaged earlier; restore it from a "
                      "backup and restart");
  }
  std::lock_guard lock(probe_mu_);
  probe_ = st;
  probe_at_ = now;
  probing_ = false;
  return st;
}

Status SqlStore::CheckIntegrity() {
  if (dialect_ != Dialect::kSqlite) return OkStatus();
  try {
    std::unique_ptr<Conn> conn = factory_();  // its page cache is dropped with it
    const std::vector<Row> rows = conn->Query("PRAGMA quick_check(10)");
    std::string problems;
    for (const Row& r : rows) {
      const std::string& line = r.Str(0);
      if (line == "ok") continue;
      problems += (problems.empty() ? "" : "; ") + line;
    }
    if (problems.empty()) return OkStatus();
    return StoreFailure(ErrorCode::kInternal, "corrupt: PRAGMA quick_check: " + problems);
  } catch (const StoreError& e) {
    return ErrorFromStoreError(e);
  }
}

Status SqlStore::Backup(const std::string& dest) {
  if (dialect_ != Dialect::kSqlite) {
    return MakeError(ErrorCode::kInvalidRequest,
                     Text{"beian backup 只复制 SQLite 数据库；PostgreSQL 请用 pg_dump 备份",
                          "beian backup copies SQLite databases only; back PostgreSQL up with "
                          "pg_dump"});
  }
  try {
    std::unique_ptr<Conn> conn = factory_();
    conn->BackupTo(dest);
    return OkStatus();
  } catch (const StoreError& e) {
    if (std::string_view(e.what()).ends_with("exists already")) {
      return MakeError(ErrorCode::kInvalidRequest,
                       Text{"备份目标已存在：" + dest, "the backup destination exists: " + dest});
    }
    return ErrorFromStoreError(e);
  }
}

Status SqlStore::RunTx(TxMode mode, const std::function<bool(Tx&)>& body) {
  if (dialect_ == Dialect::kSqlite && mode == TxMode::kWrite) return RunGroupedWrite(body);
  return RunTxAlone(mode, body);
}

SqlStore::~SqlStore() {
  {
    std::lock_guard<std::mutex> lock(group_mu_);
    writer_stop_ = true;
  }
  group_cv_.notify_one();
  if (writer_.joinable()) writer_.join();
}

struct SqlStore::GroupMember {
  // What the member's thread waits for: Signal(), after which `outcome` is final.
  enum Word : int { kPending, kCommitted, kAlone };
  const std::function<bool(Tx&)>* body = nullptr;
  std::exception_ptr failure;  // what the body threw in the batch (its first attempt)
  bool kept = false;           // the body returned true in the batch
  // A queued member (QueueWrite): owns its body, and is told by `done` instead of waking.
  std::function<bool(Tx&)> owned_body;
  std::function<void(bool ran, bool kept)> done;
  // Set by the writer before it signals the batch's first member: this member's outcome, and the
  // (up to two) members this one signals once it woke, so that the members of a batch wake each
  // other in a tree and the writer itself makes one wake-up call per batch, not one per member.
  Word outcome = kPending;
  std::shared_ptr<GroupMember> wakes[2];

  // A mutex and condition variable, not std::atomic<int>::wait: libstdc++'s wait spins with
  // sched_yield before it sleeps, and with more request threads than cores those yields were
  // 9% of the server's CPU time under applies.
  void Signal() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      signalled_ = true;
    }
    cv_.notify_one();
  }
  // Blocks until Signal() ran; returns `outcome`, which the writer set before the first signal of
  // the batch (the signals pass it on through each member's mutex).
  Word Await() {
    std::unique_lock<std::mutex> lock(mu_);
    cv_.wait(lock, [this] { return signalled_; });
    return outcome;
  }
  void WakeOthers() {
    for (std::shared_ptr<GroupMember>& m : wakes) {
      if (m) m->Signal();
      m.reset();
    }
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  bool signalled_ = false;  // guarded by mu_
};

bool SqlStore::Enqueue(const std::shared_ptr<GroupMember>& member) {
  bool wake = false;
  {
    std::lock_guard<std::mutex> lock(group_mu_);
    if (!writer_.joinable() && !writer_stop_) {
      try {
        writer_ = std::thread([this] { WriterLoop(); });
      } catch (const std::system_error&) {  // no thread to be had (EAGAIN): write alone
      }
    }
    if (writer_stop_ || !writer_.joinable()) return false;
    group_queue_.push_back(member);
    wake = writer_idle_;
    writer_idle_ = false;  // one wake-up is enough for the writers queueing until it runs
  }
  if (wake) group_cv_.notify_one();
  return true;
}

bool SqlStore::QueueWrite(std::function<bool(Tx&)> body,
                          std::function<void(bool ran, bool kept)> done) {
  if (dialect_ != Dialect::kSqlite) return false;
  auto member = std::make_shared<GroupMember>();
  member->owned_body = std::move(body);
  member->body = &member->owned_body;
  member->done = std::move(done);
  return Enqueue(member);
}

Status SqlStore::RunGroupedWrite(const std::function<bool(Tx&)>& body) {
  // Shared: the writer signals a member after the member may have seen its word and returned.
  const auto me = std::make_shared<GroupMember>();
  me->body = &body;
  if (!Enqueue(me)) return RunTxAlone(TxMode::kWrite, body);
  const GroupMember::Word word = me->Await();
  me->WakeOthers();
  if (word != GroupMember::kAlone) return OkStatus();
  if (!me->failure) return RunTxAlone(TxMode::kWrite, body);  // the shared commit failed
  // The batch run was this body's first attempt: settle or retry it as RunTxAlone would.
  if (std::optional<Status> final = Settle(me->failure, true, 0)) return *final;
  Backoff(0);
  return RunTxAlone(TxMode::kWrite, body, 1);
}

void SqlStore::WriterLoop() {
  std::vector<std::shared_ptr<GroupMember>> batch;
  std::vector<std::shared_ptr<GroupMember>> told;  // the batch's queued members
  for (;;) {
    {
      std::unique_lock<std::mutex> lock(group_mu_);
      while (group_queue_.empty() && !writer_stop_) {
        writer_idle_ = true;
        group_cv_.wait(lock);
      }
      writer_idle_ = false;
    }
    // Only this thread takes from the queue, so what it saw queued is still there.
    if (!TakeQueued(batch)) return;  // stopping, and nothing is left to write
    const std::vector<bool> committed = RunBatch(batch);
    // The waiting members wake each other in a tree built over them alone; the queued ones are
    // told here, after the tree's root was woken.
    std::size_t waiters = 0;
    for (std::size_t i = 0; i < batch.size(); ++i) {
      batch[i]->outcome = committed[i] ? GroupMember::kCommitted : GroupMember::kAlone;
      if (batch[i]->done) {
        told.push_back(std::move(batch[i]));
      } else {
        batch[waiters++] = std::move(batch[i]);
      }
    }
    batch.resize(waiters);
    for (std::size_t i = 0; i < batch.size(); ++i) {
      for (std::size_t k = 0; k < 2; ++k) {
        const std::size_t child = 2 * i + 1 + k;
        if (child < batch.size()) batch[i]->wakes[k] = batch[child];
      }
    }
    if (!batch.empty()) batch.front()->Signal();
    batch.clear();
    for (const std::shared_ptr<GroupMember>& m : told) {
      const bool ran = m->outcome == GroupMember::kCommitted;
      try {
        m->done(ran, ran && m->kept);
      } catch (...) {  // the callback's own failure (it must not throw): the others go on
      }
    }
    told.clear();
  }
}

std::vector<bool> SqlStore::RunBatch(std::vector<std::shared_ptr<GroupMember>>& batch) {
  std::vector<bool> ran;
  try {
    // Only the writer uses this connection, so its page cache stays valid between batches.
    if (!group_conn_ || !group_conn_->Healthy()) {
      group_conn_ = factory_();
      // Nearly every SQLite write runs on this connection: give it a page cache (64 MiB) that
      // holds the indexes' hot pages. Readers' caches are reset by every commit: theirs stay small.
      group_conn_->ExecScript("PRAGMA cache_size=-65536");
    }
    Conn* conn = group_conn_.get();
    try {
      conn->Begin(TxMode::kWrite);
      for (std::size_t i = 0;; ++i) {  // Exec: statements prepared once
        if (i == batch.size() && !TakeQueued(batch)) break;
        ran.push_back(false);
        GroupMember* m = batch[i].get();
        conn->Exec("SAVEPOINT member");
        try {
          Tx tx(*conn);
          m->kept = (*m->body)(tx);
          if (!m->kept) conn->Exec("ROLLBACK TO member");
          conn->Exec("RELEASE member");
          ran[i] = true;
        } catch (...) {
          m->failure = std::current_exception();
          conn->Exec("ROLLBACK TO member");
          conn->Exec("RELEASE member");
        }
      }
      conn->Commit();
    } catch (...) {
      conn->Rollback();
      throw;
    }
    return ran;
  } catch (...) {
    // Nothing of this batch committed: every member runs alone, from its first attempt.
    for (const auto& m : batch) m->failure = nullptr;
    return std::vector<bool>(batch.size(), false);
  }
}

std::size_t SqlStore::QueuedWriters() {
  std::lock_guard<std::mutex> lock(group_mu_);
  return group_queue_.size();
}

bool SqlStore::TakeQueued(std::vector<std::shared_ptr<GroupMember>>& batch) {
  std::lock_guard<std::mutex> lock(group_mu_);
  if (group_queue_.empty() || batch.size() >= kMaxBatch) return false;
  const std::size_t n = std::min(group_queue_.size(), kMaxBatch - batch.size());
  batch.insert(batch.end(), group_queue_.begin(), group_queue_.begin() + static_cast<long>(n));
  group_queue_.erase(group_queue_.begin(), group_queue_.begin() + static_cast<long>(n));
  return true;
}

Status SqlStore::RunTxAlone(TxMode mode, const std::function<bool(Tx&)>& body, int attempt) {
  const auto give_up = std::chrono::steady_clock::now() + options_.failover_wait;
  int reconnects = 0;
  for (;; ++attempt) {
    bool begun = false;
    std::exception_ptr failure;
    try {
      Pool::Lease conn = pool_.Acquire();
      try {
        conn->Begin(mode);
        begun = true;
        Tx tx(*conn);
        if (body(tx)) {
          conn->Commit();
        } else {
          conn->Rollback();
        }
        return OkStatus();
      } catch (...) {
        conn->Rollback();
        throw;
      }
    } catch (const ConnectionLostError& e) {
      // Lost before COMMIT was sent: the server rolled back, so run it again on a new
      // connection (the pool drops the broken one), for up to failover_wait.
      if (std::chrono::steady_clock::now() >= give_up) return Status(ErrorFromStoreError(e));
      ReconnectBackoff(reconnects++);
      --attempt;  // reconnecting does not use up the conflict retries
      continue;
    } catch (...) {
      failure = std::current_exception();
    }
    if (std::optional<Status> final = Settle(failure, begun, attempt)) return *final;
    Backoff(attempt);
  }
}

std::optional<Status> SqlStore::Settle(std::exception_ptr failure, bool begun, int attempt) const {
  try {
    std::rethrow_exception(failure);
  } catch (const CommitUnknownError& e) {
    // Not retried: it may have committed. The client retries with its Idempotency-Key.
    Error err = MakeError(
        ErrorCode::kUnavailable,
        Text{"数据库连接在提交时中断，无法确认本次写入是否生效；请使用同一 Idempotency-Key "
             "重试，或先查询结果。",
             "the database connection was lost while committing, so whether this write took "
             "effect is unknown; retry with the same Idempotency-Key or check the result first."});
    err.cause = std::string("unreachable: commit outcome unknown: ") + e.what();
    return Status(std::move(err));
  } catch (const StoreError& e) {
    if (e.fault() == StoreFault::kCorrupt) corrupt_seen_.store(true, std::memory_order_relaxed);
    // A stale pooled connection fails at BEGIN: safe to retry on a fresh one.
    const bool retry = e.retryable() || (e.unavailable() && !begun);
    if (!retry || attempt >= options_.max_retries) return Status(ErrorFromStoreError(e));
    return std::nullopt;
  } catch (const std::exception& e) {
    return Status(StoreFailure(ErrorCode::kInternal, std::string("internal: ") + e.what()));
  } catch (...) {
    return Status(StoreFailure(ErrorCode::kInternal, "internal: unknown exception"));
  }
}

}  // namespace store_internal

bool Store::TryWriteQueued(std::function<bool(Tx&)> fn, std::function<void(bool)> done) {
  std::function<void(bool, bool)> told = [this, done = std::move(done)](bool ran, bool kept) {
    if (ran && kept) committed_writes_.fetch_add(1, std::memory_order_relaxed);
    done(ran);
  };
  return QueueWrite(std::move(fn), std::move(told));
}

bool IsStoreUrl(std::string_view url) {
  return (url.starts_with("sqlite:") && url.size() > 7) || url.starts_with("postgresql://") ||
         url.starts_with("postgres://");
}

Result<std::unique_ptr<Store>> Store::Open(std::string_view url, StoreOptions options) {
  using store_internal::Pool;
  using store_internal::SqlStore;
  const std::string u(url);
  Dialect dialect;
  Pool::Factory factory;
  if (!IsStoreUrl(u)) {
    return MakeError(ErrorCode::kInvalidRequest,
                     Text{"数据库地址无效（应为 sqlite:路径 或 postgresql://…）：" + u,
                          "invalid database URL (expected sqlite:PATH or postgresql://…): " + u});
  }
  if (u.starts_with("sqlite:")) {
    dialect = Dialect::kSqlite;
    const std::string path = u.substr(7);
    // One log checkpointer for the Store's connections (it lives as long as the last of them).
    auto checkpointer = std::make_shared<store_internal::SqliteCheckpointer>(path);
    factory = [path, options, checkpointer] {
      return store_internal::OpenSqliteConn(path, options, checkpointer);
    };
  } else {
    dialect = Dialect::kPostgres;
    factory = [u] { return store_internal::OpenPgConn(u); };
  }
  try {
    auto store = std::make_unique<SqlStore>(dialect, factory, options);
    store->pool().Seed(factory());
    if (dialect == Dialect::kSqlite) {
      store->set_change_watch(store_internal::SqliteChangeWatch::Open(u.substr(7)));
    }
    return std::unique_ptr<Store>(std::move(store));
  } catch (const StoreError& e) {
    return store_internal::ErrorFromStoreError(e);
  }
}

}  // namespace beian
