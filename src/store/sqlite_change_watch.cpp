// SqliteChangeWatch: the wal-index header as a change stamp.
#include "store/sqlite_change_watch.h"

#include <sqlite3.h>

#include <cstdint>
#include <cstring>

namespace beian::store_internal {
namespace {

// The wal-index header (walformat.html, "The WAL-Index Header"): two copies of 48 bytes at offset
// 0 and 48, in the machine's byte order. As 32-bit words: 2 iChange, 4 mxFrame, 8 and 9 the
// log's salts; byte 12 is isInit.
constexpr std::size_t kHeaderWords = 12;
// SQLite maps the wal-index in regions of 32 KiB (WALINDEX_PGSZ); the header is in the first.
constexpr int kWalIndexRegion = 32768;

bool JournalModeIsWal(sqlite3* db) {
  sqlite3_stmt* st = nullptr;
  if (sqlite3_prepare_v2(db, "PRAGMA journal_mode", -1, &st, nullptr) != SQLITE_OK) return false;
  bool wal = false;
  if (sqlite3_step(st) == SQLITE_ROW) {
    const unsigned char* mode = sqlite3_column_text(st, 0);
    wal = mode != nullptr && std::strcmp(reinterpret_cast<const char*>(mode), "wal") == 0;
  }
  sqlite3_finalize(st);
  return wal;
}

// Runs one read so that this connection opens (and maps) the wal-index; true when it ran.
bool ReadOnce(sqlite3* db) {
  return sqlite3_exec(db, "SELECT count(*) FROM sqlite_master", nullptr, nullptr, nullptr) ==
         SQLITE_OK;
}

}  // namespace

std::unique_ptr<SqliteChangeWatch> SqliteChangeWatch::Open(const std::string& path) {
  if (path.empty() || path == ":memory:" || path.starts_with("file:")) return nullptr;
  sqlite3* db = nullptr;
  sqlite3_file* file = nullptr;
  volatile void* region = nullptr;
  // SQLite's own mapping of the wal-index, through the file's shared-memory method. Opening and
  // mapping the -shm file here instead would be wrong: closing any descriptor of a file drops
  // every POSIX lock the process holds on it, SQLite's included.
  const bool mapped =
      sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, nullptr) ==
          SQLITE_OK &&
      JournalModeIsWal(db) && ReadOnce(db) &&
      sqlite3_file_control(db, "main", SQLITE_FCNTL_FILE_POINTER, &file) == SQLITE_OK &&
      file != nullptr && file->pMethods != nullptr && file->pMethods->iVersion >= 2 &&
      file->pMethods->xShmMap(file, 0, kWalIndexRegion, 0, &region) == SQLITE_OK &&
      region != nullptr;
  if (!mapped) {
    sqlite3_close_v2(db);
    return nullptr;
  }
  return std::unique_ptr<SqliteChangeWatch>(
      new SqliteChangeWatch(db, const_cast<const void*>(region)));
}

SqliteChangeWatch::~SqliteChangeWatch() { sqlite3_close_v2(db_); }

std::optional<ChangeStamp> SqliteChangeWatch::Current() const {
  // As SQLite's readers do: the first copy, then the second (acquire loads: none moves before an
  // earlier one); a writer writes them in the other order, so equal copies are one complete
  // header.
  const auto* words = static_cast<const uint32_t*>(map_);
  uint32_t first[kHeaderWords];
  uint32_t second[kHeaderWords];
  for (std::size_t i = 0; i < kHeaderWords; ++i) {
    first[i] = __atomic_load_n(&words[i], __ATOMIC_ACQUIRE);
  }
  for (std::size_t i = 0; i < kHeaderWords; ++i) {
    second[i] = __atomic_load_n(&words[kHeaderWords + i], __ATOMIC_ACQUIRE);
  }
  const bool is_init = reinterpret_cast<const unsigned char*>(first)[12] != 0;
  if (std::memcmp(first, second, sizeof first) != 0 || !is_init) return std::nullopt;
  return ChangeStamp{{first[2], first[4], first[8], first[9]}};
}

}  // namespace beian::store_internal
