// The coalescing WAL VFS against real SQLite files in a temporary directory.
#include "store/sqlite_wal_vfs.h"

#include <gtest/gtest.h>
#include <sqlite3.h>
#include <stdlib.h>

#include <filesystem>
#include <string>

namespace beian::store_internal {
namespace {

class WalVfsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/beian-wal-vfs.XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
    path_ = dir_ + "/t.db";
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  // A connection as the store opens them (WAL, synchronous=FULL), through the coalescing VFS or
  // (plain) SQLite's default one.
  sqlite3* Open(bool plain = false, const char* synchronous = "FULL") {
    sqlite3* db = nullptr;
    const int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
    EXPECT_EQ(plain ? sqlite3_open_v2(path_.c_str(), &db, flags, nullptr)
                    : OpenWithCoalescingWal(path_, flags, &db),
              SQLITE_OK);
    Exec(db, std::string("PRAGMA journal_mode=WAL; PRAGMA busy_timeout=5000; ") +
                 "PRAGMA synchronous=" + synchronous);
    return db;
  }
  static void Exec(sqlite3* db, const std::string& sql) {
    char* err = nullptr;
    ASSERT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err), SQLITE_OK)
        << (err != nullptr ? err : "") << " in " << sql;
  }
  static std::string One(sqlite3* db, const std::string& sql) {
    sqlite3_stmt* stmt = nullptr;
    std::string out;
    if (sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt, nullptr) == SQLITE_OK &&
        sqlite3_step(stmt) == SQLITE_ROW) {
      out = reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0));
    }
    sqlite3_finalize(stmt);
    return out;
  }
  // Appends `rows` rows of 1,000 bytes each in one transaction, then commits or rolls back.
  static void Insert(sqlite3* db, int first, int rows, const char* end = "COMMIT") {
    Exec(db, "BEGIN IMMEDIATE");
    for (int i = first; i < first + rows; ++i) {
      Exec(db,
           "INSERT INTO t (id, v) VALUES (" + std::to_string(i) + ", printf('%.*c', 1000, 'x'))");
    }
    Exec(db, end);
  }

  std::string dir_;
  std::string path_;
};

TEST_F(WalVfsTest, ACommitOfManyPagesIsWrittenInAFewWrites) {
  sqlite3* db = Open();
  Exec(db, "CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT); CREATE INDEX t_v ON t (v, id)");
  const CoalescingWalStats before = GetCoalescingWalStats();
  for (int c = 0; c < 10; ++c) Insert(db, c * 5, 5);  // ~8 pages (33 KB) per commit
  const CoalescingWalStats after = GetCoalescingWalStats();
  sqlite3_close(db);
  const long long sqlite_writes = after.sqlite_writes - before.sqlite_writes;
  const long long issued = after.issued_writes - before.issued_writes;
  EXPECT_GE(sqlite_writes, 10 * 2 * 5);        // a header and a page per frame
  EXPECT_LE(issued, 10 + 1) << sqlite_writes;  // one per commit (and the log's header)
}

TEST_F(WalVfsTest, OtherConnectionsSeeEveryCommitAndReopeningKeepsIt) {
  sqlite3* writer = Open();
  sqlite3* reader = Open();
  sqlite3* plain = Open(true);  // the default VFS reads the same log
  Exec(writer, "CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)");
  for (int c = 0; c < 30; ++c) {
    Insert(writer, c * 50, 50);
    const std::string want = std::to_string((c + 1) * 50);
    ASSERT_EQ(One(reader, "SELECT COUNT(*) FROM t"), want);
    ASSERT_EQ(One(plain, "SELECT COUNT(*) FROM t"), want);
  }
  Exec(reader, "PRAGMA wal_checkpoint(PASSIVE)");
  Insert(writer, 100000, 50);
  sqlite3_close(reader);
  sqlite3_close(plain);
  sqlite3_close(writer);
  sqlite3* again = Open();
  EXPECT_EQ(One(again, "SELECT COUNT(*) FROM t"), "1550");
  EXPECT_EQ(One(again, "PRAGMA integrity_check"), "ok");
  sqlite3_close(again);
}

// A transaction larger than the page cache spills frames into the log before it commits and
// reads them back; one larger than the 1 MiB buffer flushes it part-way.
TEST_F(WalVfsTest, ASpillingTransactionLargerThanTheBufferCommitsIntact) {
  sqlite3* db = Open();
  Exec(db, "PRAGMA cache_size=20");
  Exec(db, "CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT); CREATE INDEX t_v ON t (v, id)");
  Insert(db, 0, 5000);  // ~5 MB in pages and index pages
  Exec(db, "BEGIN IMMEDIATE; UPDATE t SET v = 'y' || v WHERE id % 3 = 0; ROLLBACK");
  sqlite3* other = Open(true);
  EXPECT_EQ(One(other, "SELECT COUNT(*) FROM t WHERE v LIKE 'x%'"), "5000");
  EXPECT_EQ(One(other, "PRAGMA integrity_check"), "ok");
  sqlite3_close(other);
  sqlite3_close(db);
}

// A transaction that spilled frames into the log and was rolled back leaves them behind its
// last commit; another connection then commits frames at the same place. Neither the first
// connection's next read nor its close may write the abandoned frames over them.
TEST_F(WalVfsTest, FramesOfARolledBackTransactionNeverOverwriteLaterCommits) {
  sqlite3* a = Open();
  sqlite3* b = Open();
  Exec(a, "CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT); PRAGMA cache_size=10");
  Insert(a, 0, 10);
  Exec(a, "PRAGMA wal_checkpoint(TRUNCATE)");  // the rollback then reads pages from the database
  Insert(a, 1000, 200, "ROLLBACK");            // spills: ~50 pages, far more than the cache holds
  Insert(b, 10, 490);                          // as many frames as the abandoned ones, and more
  EXPECT_EQ(One(a, "SELECT COUNT(*) FROM t"), "500");
  sqlite3_close(a);
  EXPECT_EQ(One(b, "SELECT COUNT(*) FROM t"), "500");
  EXPECT_EQ(One(b, "PRAGMA integrity_check"), "ok");
  sqlite3_close(b);
  sqlite3* again = Open(true);
  EXPECT_EQ(One(again, "SELECT COUNT(*) FROM t"), "500");
  EXPECT_EQ(One(again, "PRAGMA integrity_check"), "ok");
  sqlite3_close(again);
}

// With synchronous=OFF SQLite never syncs the log, yet other connections see each commit: the
// frame that commits is written out as soon as it is complete.
TEST_F(WalVfsTest, CommitsReachTheLogWithoutASync) {
  sqlite3* writer = Open(false, "OFF");
  sqlite3* plain = Open(true);
  Exec(writer, "CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)");
  for (int c = 0; c < 5; ++c) {
    Insert(writer, c * 10, 10);
    ASSERT_EQ(One(plain, "SELECT COUNT(*) FROM t"), std::to_string((c + 1) * 10));
  }
  sqlite3_close(plain);
  sqlite3_close(writer);
}

}  // namespace
}  // namespace beian::store_internal
