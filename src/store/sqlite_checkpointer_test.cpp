// SqliteCheckpointer against real SQLite files in a temporary directory: commits never checkpoint
// themselves, the background thread does once the log reaches its threshold.
#include "store/sqlite_checkpointer.h"

#include <gtest/gtest.h>
#include <sqlite3.h>
#include <stdlib.h>

#include <chrono>
#include <filesystem>
#include <string>
#include <thread>

#include "store/sqlite_wal_vfs.h"

namespace beian::store_internal {
namespace {

class CheckpointerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/beian-checkpointer.XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
    path_ = dir_ + "/t.db";
    ASSERT_EQ(OpenWithCoalescingWal(path_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, &db_),
              SQLITE_OK);
    Exec(
        "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000; "
        "CREATE TABLE t (id INTEGER PRIMARY KEY, v BLOB)");
  }
  void TearDown() override {
    sqlite3_close_v2(db_);
    std::filesystem::remove_all(dir_);
  }
  void Exec(const std::string& sql) {
    char* err = nullptr;
    ASSERT_EQ(sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &err), SQLITE_OK)
        << (err != nullptr ? err : "") << " in " << sql;
  }
  // Commits `n` transactions of one 64 KiB row each (16 log pages of 4 KiB per commit).
  void Commit(int first, int n) {
    for (int i = first; i < first + n; ++i) {
      Exec("INSERT INTO t (id, v) VALUES (" + std::to_string(i) + ", zeroblob(65536))");
    }
  }
  std::uintmax_t DatabaseBytes() const { return std::filesystem::file_size(path_); }
  // Frames in the log file (its length; the log is not restarted in the tests that use this).
  int LogFrames() const {
    return static_cast<int>(std::filesystem::file_size(path_ + "-wal") / (4096 + 24));
  }

  std::string dir_;
  std::string path_;
  sqlite3* db_ = nullptr;
};

TEST_F(CheckpointerTest, CommitsBelowTheThresholdStartNoCheckpoint) {
  SqliteCheckpointer checkpointer(path_);
  checkpointer.Attach(db_);
  const std::uintmax_t before = DatabaseBytes();
  // About half the threshold: far above SQLite's own automatic threshold of 1,000 pages, which
  // the checkpointer replaces (left on, it would have copied these pages into the file).
  Commit(0, SqliteCheckpointer::kBackgroundPages / 16 / 2);
  EXPECT_EQ(checkpointer.checkpoints(), 0);
  EXPECT_EQ(DatabaseBytes(), before);
}

TEST_F(CheckpointerTest, TheThreadCheckpointsOnceTheLogIsFull) {
  SqliteCheckpointer checkpointer(path_);
  checkpointer.Attach(db_);
  const std::uintmax_t before = DatabaseBytes();
  // Above the thread's threshold, below the commits' own: only the thread can have copied.
  Commit(0, SqliteCheckpointer::kBackgroundPages / 16 + 10);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (DatabaseBytes() < before + 100 * 65536 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::yield();
  }
  EXPECT_GE(checkpointer.checkpoints(), 1);
  EXPECT_EQ(checkpointer.last_result(), SQLITE_OK);
  EXPECT_GE(DatabaseBytes(), before + 100 * 65536);  // the rows reached the database file
}

// Between kBackgroundPages and kInlinePages the thread copies in steps of kPassPages, so that a
// page many commits change is copied once per step; from kInlinePages on it copies as soon as it
// can, so that the commits' own checkpoint finds little left.
TEST(CheckpointerPolicyTest, PassesAreSpacedUntilTheLogIsLong) {
  using C = SqliteCheckpointer;
  EXPECT_FALSE(C::PassWanted(C::kBackgroundPages - 1, C::kBackgroundPages - 1));
  EXPECT_TRUE(C::PassWanted(C::kBackgroundPages, C::kBackgroundPages));  // nothing copied yet
  EXPECT_FALSE(C::PassWanted(C::kBackgroundPages + 100, 100));           // just after a pass
  EXPECT_FALSE(C::PassWanted(C::kInlinePages - 1, C::kPassPages - 1));
  EXPECT_TRUE(C::PassWanted(C::kBackgroundPages + C::kPassPages, C::kPassPages));
  EXPECT_TRUE(C::PassWanted(C::kInlinePages, 1));
  EXPECT_TRUE(C::PassWanted(C::kForcePages, 0));
}

// A commit asks the thread for a pass only once kPassPages have been added since what it copied.
// A reader holds a snapshot from just below kBackgroundPages: the pass copies up to it, and the
// log cannot restart under the reader.
TEST_F(CheckpointerTest, AfterAPassCommitsAskForTheNextOnlyOnceTheyAddKPassPages) {
  SqliteCheckpointer checkpointer(path_);
  checkpointer.Attach(db_);
  int next = 0;
  while (LogFrames() < SqliteCheckpointer::kBackgroundPages - 32) Commit(next++, 1);
  sqlite3* reader = nullptr;
  ASSERT_EQ(OpenWithCoalescingWal(path_, SQLITE_OPEN_READWRITE, &reader), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(reader, "BEGIN; SELECT count(*) FROM t", nullptr, nullptr, nullptr),
            SQLITE_OK);
  const int snapshot = LogFrames();
  while (checkpointer.requests() == 0) Commit(next++, 1);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (checkpointer.finished_checkpoints() == 0 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::yield();
  }
  ASSERT_EQ(checkpointer.finished_checkpoints(), 1);
  ASSERT_EQ(checkpointer.last_result(), SQLITE_OK);
  // The pass copied the reader's snapshot; commits of fewer than kPassPages since ask for nothing.
  while (LogFrames() < snapshot + SqliteCheckpointer::kPassPages - 64) Commit(next++, 1);
  EXPECT_EQ(checkpointer.requests(), 1);
  while (LogFrames() < snapshot + SqliteCheckpointer::kPassPages + 16) Commit(next++, 1);
  EXPECT_GE(checkpointer.requests(), 2);
  ASSERT_EQ(sqlite3_exec(reader, "COMMIT", nullptr, nullptr, nullptr), SQLITE_OK);
  sqlite3_close_v2(reader);
}

// The log is restarted from its beginning once a checkpoint has copied all of it: written four
// times over the length at which commits checkpoint whatever is left, it is reused (without
// restarts it would hold every frame). The rows are replaced, so the database stays small.
TEST_F(CheckpointerTest, TheLogIsReusedNotGrown) {
  SqliteCheckpointer checkpointer(path_);
  checkpointer.Attach(db_);
  constexpr int kFrames = 4 * SqliteCheckpointer::kForcePages;
  for (int i = 0; i < kFrames / 16; ++i) {  // 16 frames or more each
    Exec("INSERT OR REPLACE INTO t (id, v) VALUES (" + std::to_string(i % 64) +
         ", zeroblob(65536))");
  }
  const std::uintmax_t log_bytes = std::filesystem::file_size(path_ + "-wal");
  EXPECT_LT(log_bytes, std::uintmax_t{kFrames} * (4096 + 24) / 2);
  EXPECT_GE(checkpointer.checkpoints(), 1);
}

// The committing connection checkpoints only what the thread has left: while a reader keeps the
// thread from copying past its snapshot, commits beyond kInlinePages do not checkpoint (each would
// copy thousands of pages with everyone waiting), until the log reaches kForcePages.
TEST_F(CheckpointerTest, CommitsCheckpointOnlyASmallRemainderUntilTheLogIsFarTooLong) {
  SqliteCheckpointer checkpointer(path_);
  checkpointer.Attach(db_);
  Commit(0, 4);
  sqlite3* reader = nullptr;
  ASSERT_EQ(OpenWithCoalescingWal(path_, SQLITE_OPEN_READWRITE, &reader), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(reader, "BEGIN; SELECT count(*) FROM t", nullptr, nullptr, nullptr),
            SQLITE_OK);  // holds its snapshot: 4 rows
  int next = 4;
  while (LogFrames() <
         SqliteCheckpointer::kInlinePages + 2 * SqliteCheckpointer::kInlineRemainder) {
    Commit(next++, 1);
  }
  // The thread was asked at kBackgroundPages, and can copy only the first frames.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (checkpointer.checkpoints() == 0 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::yield();
  }
  EXPECT_GE(checkpointer.checkpoints(), 1);
  EXPECT_EQ(checkpointer.inline_checkpoints(), 0);
  while (LogFrames() < SqliteCheckpointer::kForcePages + 32) Commit(next++, 1);
  EXPECT_GE(checkpointer.inline_checkpoints(), 1);
  ASSERT_EQ(sqlite3_exec(reader, "COMMIT", nullptr, nullptr, nullptr), SQLITE_OK);
  sqlite3_close_v2(reader);
}

}  // namespace
}  // namespace beian::store_internal
