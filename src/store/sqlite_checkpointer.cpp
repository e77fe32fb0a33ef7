// SqliteCheckpointer: passive checkpoints of the log on a background thread.
#include "store/sqlite_checkpointer.h"

#include <sqlite3.h>

#include <algorithm>
#include <utility>

#include "store/sqlite_wal_vfs.h"

namespace beian::store_internal {

SqliteCheckpointer::SqliteCheckpointer(std::string path) : path_(std::move(path)) {}

SqliteCheckpointer::~SqliteCheckpointer() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void SqliteCheckpointer::Attach(sqlite3* db) {
  // Replaces SQLite's automatic checkpoint, which is a log hook too (sqlite3_wal_autocheckpoint).
  sqlite3_wal_hook(db, &SqliteCheckpointer::OnCommit, this);
}

long long SqliteCheckpointer::checkpoints() const {
  std::lock_guard lock(mu_);
  return checkpoints_;
}

long long SqliteCheckpointer::finished_checkpoints() const {
  std::lock_guard lock(mu_);
  return finished_;
}

long long SqliteCheckpointer::requests() const {
  std::lock_guard lock(mu_);
  return requests_;
}

int SqliteCheckpointer::OnCommit(void* self_ptr, sqlite3* db, const char* schema, int pages) {
  auto* self = static_cast<SqliteCheckpointer*>(self_ptr);
  if (pages < self->last_pages_.exchange(pages, std::memory_order_relaxed)) {
    self->backfilled_.store(0, std::memory_order_relaxed);  // the log restarted
  }
  const int left = pages - std::min(pages, self->backfilled_.load(std::memory_order_relaxed));
  if (PassWanted(pages, left)) self->Request();
  // What SQLite's own hook does, at a higher threshold and once the thread has copied all but the
  // last few frames (and synced the database file), so that this copy is short. SQLITE_BUSY (the
  // thread is at it) returns at once.
  if ((pages >= kInlinePages && left <= kInlineRemainder) || pages >= kForcePages) {
    self->inline_.fetch_add(1, std::memory_order_relaxed);
    (void)sqlite3_wal_checkpoint_v2(db, schema, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
  }
  return SQLITE_OK;
}

void SqliteCheckpointer::Request() {
  {
    std::lock_guard lock(mu_);
    ++requests_;
    if (stop_ || wanted_) return;
    wanted_ = true;
    if (!thread_.joinable()) thread_ = std::thread([this] { Run(); });
  }
  cv_.notify_one();
}

void SqliteCheckpointer::Run() {
  sqlite3* db = nullptr;
  if (OpenWithCoalescingWal(path_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, &db) != SQLITE_OK) {
    // No checkpoints from here: SQLite checkpoints when the last connection closes, and the log
    // keeps working meanwhile (it only grows).
    sqlite3_close_v2(db);
    return;
  }
  sqlite3_busy_timeout(db, 1000);
  // A connection opens the log only when it first reads the database; until then a checkpoint
  // does nothing.
  (void)sqlite3_exec(db, "PRAGMA schema_version", nullptr, nullptr, nullptr);
  std::unique_lock lock(mu_);
  for (;;) {
    cv_.wait(lock, [this] { return wanted_ || stop_; });
    if (stop_) break;
    ++checkpoints_;
    lock.unlock();
    // PASSIVE: copies what no reader still needs, never waits for or blocks readers and writers.
    // Failures (SQLITE_BUSY: another process is checkpointing) are left to the next request.
    int copied = 0;
    const int rc =
        sqlite3_wal_checkpoint_v2(db, nullptr, SQLITE_CHECKPOINT_PASSIVE, nullptr, &copied);
    last_rc_.store(rc, std::memory_order_relaxed);
    if (rc == SQLITE_OK) {
      // Unless this pass copied the whole log, SQLite left the database file unsynced: sync it
      // here, where nobody waits for it. A failure is left to the checkpoint that completes the
      // log, which syncs the file too and reports it.
      sqlite3_file* file = nullptr;
      if (sqlite3_file_control(db, "main", SQLITE_FCNTL_FILE_POINTER, &file) == SQLITE_OK &&
          file != nullptr && file->pMethods != nullptr) {
        (void)file->pMethods->xSync(file, SQLITE_SYNC_NORMAL);
      }
      backfilled_.store(copied, std::memory_order_relaxed);
    }
    lock.lock();
    ++finished_;
    wanted_ = false;
  }
  lock.unlock();
  sqlite3_close_v2(db);
}

}  // namespace beian::store_internal
