#pragma once
// Internal to src/store: checkpoints a SQLite database's write-ahead log mostly on a thread of its
// own. SQLite's automatic checkpoint runs inside the COMMIT that crosses its threshold and copies
// the whole log into the database: with 10,000 pages, a stall of tens of milliseconds for every
// request queued behind that commit (the p99 of applies at 32 connections was 28-35 ms).
//
// Here a passive checkpoint starts on the thread once the log holds kBackgroundPages, and runs
// again each time commits have added kPassPages since what the thread last copied; from
// kInlinePages on, as soon as the last pass ends. A pass copies each page once however many
// commits changed it, so spacing the passes copies the pages that every commit touches (the
// tables' last pages, their indexes' hot leaves) once per kPassPages, not after every commit: in
// the apply benchmark the thread wrote about 4 times fewer bytes to the database per apply.
// SQLite syncs the database file only at the end of a checkpoint that copied the whole log, so
// the thread syncs it after each of its passes: the pages it copied are then on disk before the
// commit that completes the log has to wait for them.
//
// The committing connection still checkpoints, as SQLite would, because only a checkpoint that
// ends while no writer has appended since lets the next writer restart the log from its
// beginning. Everyone queued behind that commit waits for its copy and its sync of the database
// file, so it checkpoints only once the log holds kInlinePages and at most kInlineRemainder of
// them are left to copy (just after a pass of the thread), or at kForcePages whatever is left.
#include <atomic>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>

struct sqlite3;

namespace beian::store_internal {

class SqliteCheckpointer {
 public:
  // Log pages after which the thread checkpoints, the pages commits add between its passes until
  // the log holds kInlinePages, after which a commit checkpoints too (SQLite's default threshold
  // is 1,000: a page that many commits touch is copied once per checkpoint, not ten times).
  static constexpr int kBackgroundPages = 5000;
  static constexpr int kPassPages = 2000;
  static constexpr int kInlinePages = 15000;
  static constexpr int kInlineRemainder = 500;
  static constexpr int kForcePages = 2 * kInlinePages;
  static_assert(kPassPages <= kBackgroundPages && kBackgroundPages < kInlinePages);

  // Whether a commit that leaves `pages` in the log, `left` of them not yet copied by the thread,
  // asks the thread for a pass. Pure.
  static bool PassWanted(int pages, int left) {
    return pages >= kInlinePages || (pages >= kBackgroundPages && left >= kPassPages);
  }

  // For the database file at `path`; starts no thread until a checkpoint is first wanted.
  explicit SqliteCheckpointer(std::string path);
  // Stops and joins the thread (a checkpoint under way finishes first).
  ~SqliteCheckpointer();
  SqliteCheckpointer(const SqliteCheckpointer&) = delete;
  SqliteCheckpointer& operator=(const SqliteCheckpointer&) = delete;

  // Makes `db` (a connection to this database, closed before this object is destroyed) ask the
  // thread for a checkpoint after a commit when PassWanted, and checkpoint itself at kInlinePages,
  // instead of SQLite's automatic checkpoints. Thread-safe.
  void Attach(sqlite3* db);

  // Checkpoints started on the thread since construction (for tests). Thread-safe.
  long long checkpoints() const;
  // Of those, how many have ended (for tests). Thread-safe.
  long long finished_checkpoints() const;
  // Times the thread was asked for a pass since construction, whether or not it was idle (for
  // tests). Thread-safe.
  long long requests() const;
  // Checkpoints run by committing connections since construction (for tests). Thread-safe.
  long long inline_checkpoints() const { return inline_.load(std::memory_order_relaxed); }
  // SQLite's result code of the last checkpoint (SQLITE_OK before the first). Thread-safe.
  int last_result() const { return last_rc_.load(std::memory_order_relaxed); }

 private:
  static int OnCommit(void* self, sqlite3* db, const char* schema, int pages);
  void Request();
  void Run();

  const std::string path_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  // Under mu_:
  bool wanted_ = false;
  bool stop_ = false;
  long long checkpoints_ = 0;
  long long finished_ = 0;
  long long requests_ = 0;
  std::atomic<int> last_rc_{0};
  // Log frames the thread's last pass had copied (SQLite's nBackfill then), and the log's length
  // at the last commit: a shorter log since means it restarted. Hints only: races between
  // committing connections at worst checkpoint once early or late.
  std::atomic<int> backfilled_{0};
  std::atomic<int> last_pages_{0};
  std::atomic<long long> inline_{0};
  std::thread thread_;  // started by the first Request
};

}  // namespace beian::store_internal
