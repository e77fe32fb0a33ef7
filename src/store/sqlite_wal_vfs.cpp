// The coalescing write-ahead-log VFS (see sqlite_wal_vfs.h): a shim over the default VFS.
#include "store/sqlite_wal_vfs.h"

#include <sqlite3.h>

#include <atomic>
#include <cstring>
#include <mutex>

namespace beian::store_internal {
namespace {

constexpr int kInitialBuffer = 64 * 1024;
constexpr int kMaxBuffer = 1024 * 1024;
// The default VFS writes at most 128 KiB - 1 bytes per call (larger writes come back short).
constexpr int kMaxIssue = 64 * 1024;

// A log file: SQLite allocates szOsFile bytes; the default VFS's file lives after this header.
struct WalFile {
  sqlite3_file base;  // base.pMethods == &g_methods
  sqlite3_file* real;
  char* buf;  // gathered bytes for [buf_off, buf_off + buf_len), or null
  sqlite3_int64 buf_off;
  int buf_len;
  int buf_cap;
  bool commit_header_seen;  // the last write was the header of a frame that commits
};
// A log frame starts with a 24-byte header whose bytes 4-7 (big-endian) hold the database size
// in pages for the frame that commits a transaction, and 0 for every other frame.
constexpr int kFrameHeaderSize = 24;
constexpr int kHeaderSize = (sizeof(WalFile) + 7) & ~7;

sqlite3_vfs* g_base = nullptr;
sqlite3_vfs g_vfs;
sqlite3_io_methods g_methods;
std::atomic<long long> g_issued{0};
std::atomic<long long> g_sqlite_writes{0};

WalFile* AsWal(sqlite3_file* f) { return reinterpret_cast<WalFile*>(f); }
const sqlite3_io_methods& Real(WalFile* f) { return *f->real->pMethods; }

int Flush(WalFile* f) {
  if (f->buf_len == 0) return SQLITE_OK;
  const int len = f->buf_len;
  f->buf_len = 0;
  for (int done = 0; done < len; done += kMaxIssue) {
    const int n = len - done < kMaxIssue ? len - done : kMaxIssue;
    g_issued.fetch_add(1, std::memory_order_relaxed);
    if (const int rc = Real(f).xWrite(f->real, f->buf + done, n, f->buf_off + done);
        rc != SQLITE_OK) {
      return rc;
    }
  }
  return SQLITE_OK;
}

// Makes room for `n` more bytes; false when the buffer cannot hold them.
bool Reserve(WalFile* f, int n) {
  if (f->buf_len + n <= f->buf_cap) return true;
  int cap = f->buf_cap == 0 ? kInitialBuffer : f->buf_cap;
  while (cap < f->buf_len + n && cap < kMaxBuffer) cap *= 2;
  if (cap < f->buf_len + n) return false;
  void* grown = sqlite3_realloc(f->buf, cap);
  if (grown == nullptr) return false;
  f->buf = static_cast<char*>(grown);
  f->buf_cap = cap;
  return true;
}

bool IsCommitFrameHeader(const void* data, int n) {
  if (n != kFrameHeaderSize) return false;
  const auto* b = static_cast<const unsigned char*>(data);
  return (b[4] | b[5] | b[6] | b[7]) != 0;
}

// Appends a write to the gathered bytes, first issuing them when it does not continue them.
int Gather(WalFile* f, const void* data, int n, sqlite3_int64 off) {
  if (f->buf_len > 0 && off != f->buf_off + f->buf_len) {
    if (const int rc = Flush(f); rc != SQLITE_OK) return rc;
  }
  if (!Reserve(f, n)) {
    if (const int rc = Flush(f); rc != SQLITE_OK) return rc;
    if (!Reserve(f, n)) {  // out of memory: write through
      g_issued.fetch_add(1, std::memory_order_relaxed);
      return Real(f).xWrite(f->real, data, n, off);
    }
  }
  if (f->buf_len == 0) f->buf_off = off;
  std::memcpy(f->buf + f->buf_len, data, n);
  f->buf_len += n;
  return SQLITE_OK;
}

int Write(sqlite3_file* file, const void* data, int n, sqlite3_int64 off) {
  WalFile* f = AsWal(file);
  g_sqlite_writes.fetch_add(1, std::memory_order_relaxed);
  const bool completes_commit = f->commit_header_seen;
  f->commit_header_seen = IsCommitFrameHeader(data, n);
  if (const int rc = Gather(f, data, n, off); rc != SQLITE_OK) return rc;
  return completes_commit ? Flush(f) : SQLITE_OK;
}

// Whatever is still gathered belongs to a transaction that did not commit (see the header).
int Close(sqlite3_file* file) {
  WalFile* f = AsWal(file);
  const int closed = Real(f).xClose(f->real);
  sqlite3_free(f->buf);
  f->buf = nullptr;
  f->buf_len = 0;
  f->buf_cap = 0;
  return closed;
}

int Read(sqlite3_file* file, void* out, int n, sqlite3_int64 off) {
  WalFile* f = AsWal(file);
  if (const int rc = Flush(f); rc != SQLITE_OK) return rc;
  return Real(f).xRead(f->real, out, n, off);
}

int Truncate(sqlite3_file* file, sqlite3_int64 size) {
  WalFile* f = AsWal(file);
  if (const int rc = Flush(f); rc != SQLITE_OK) return rc;
  return Real(f).xTruncate(f->real, size);
}

int Sync(sqlite3_file* file, int flags) {
  WalFile* f = AsWal(file);
  if (const int rc = Flush(f); rc != SQLITE_OK) return rc;
  return Real(f).xSync(f->real, flags);
}

int FileSize(sqlite3_file* file, sqlite3_int64* size) {
  WalFile* f = AsWal(file);
  if (const int rc = Flush(f); rc != SQLITE_OK) return rc;
  return Real(f).xFileSize(f->real, size);
}

int FileControl(sqlite3_file* file, int op, void* arg) {
  WalFile* f = AsWal(file);
  if (const int rc = Flush(f); rc != SQLITE_OK) return rc;
  return Real(f).xFileControl(f->real, op, arg);
}

int Fetch(sqlite3_file* file, sqlite3_int64 off, int n, void** out) {
  WalFile* f = AsWal(file);
  *out = nullptr;
  if (const int rc = Flush(f); rc != SQLITE_OK) return rc;
  return Real(f).iVersion >= 3 ? Real(f).xFetch(f->real, off, n, out) : SQLITE_OK;
}

// The remaining methods only forward.
int Lock(sqlite3_file* f, int l) { return Real(AsWal(f)).xLock(AsWal(f)->real, l); }
int Unlock(sqlite3_file* f, int l) { return Real(AsWal(f)).xUnlock(AsWal(f)->real, l); }
int CheckReservedLock(sqlite3_file* f, int* out) {
  return Real(AsWal(f)).xCheckReservedLock(AsWal(f)->real, out);
}
int SectorSize(sqlite3_file* f) { return Real(AsWal(f)).xSectorSize(AsWal(f)->real); }
int DeviceCharacteristics(sqlite3_file* f) {
  return Real(AsWal(f)).xDeviceCharacteristics(AsWal(f)->real);
}
int ShmMap(sqlite3_file* f, int region, int size, int extend, void volatile** out) {
  return Real(AsWal(f)).xShmMap(AsWal(f)->real, region, size, extend, out);
}
int ShmLock(sqlite3_file* f, int offset, int n, int flags) {
  return Real(AsWal(f)).xShmLock(AsWal(f)->real, offset, n, flags);
}
void ShmBarrier(sqlite3_file* f) { Real(AsWal(f)).xShmBarrier(AsWal(f)->real); }
int ShmUnmap(sqlite3_file* f, int del) { return Real(AsWal(f)).xShmUnmap(AsWal(f)->real, del); }
int Unfetch(sqlite3_file* f, sqlite3_int64 off, void* p) {
  return Real(AsWal(f)).iVersion >= 3 ? Real(AsWal(f)).xUnfetch(AsWal(f)->real, off, p) : SQLITE_OK;
}

int Open(sqlite3_vfs*, sqlite3_filename name, sqlite3_file* file, int flags, int* out_flags) {
  if ((flags & SQLITE_OPEN_WAL) == 0) return g_base->xOpen(g_base, name, file, flags, out_flags);
  WalFile* f = AsWal(file);
  f->real = reinterpret_cast<sqlite3_file*>(reinterpret_cast<char*>(file) + kHeaderSize);
  f->buf = nullptr;
  f->buf_off = 0;
  f->buf_len = 0;
  f->buf_cap = 0;
  f->commit_header_seen = false;
  const int rc = g_base->xOpen(g_base, name, f->real, flags, out_flags);
  // SQLite closes a file whose pMethods is set, even when the open failed.
  f->base.pMethods = f->real->pMethods != nullptr ? &g_methods : nullptr;
  return rc;
}

void Register() {
  g_base = sqlite3_vfs_find(nullptr);
  g_vfs = *g_base;  // every other VFS method is the default one's, with its pAppData
  g_vfs.zName = "beian-coalescing-wal";
  g_vfs.szOsFile = kHeaderSize + g_base->szOsFile;
  g_vfs.pNext = nullptr;
  g_vfs.xOpen = Open;
  g_methods = sqlite3_io_methods{3,
                                 Close,
                                 Read,
                                 Write,
                                 Truncate,
                                 Sync,
                                 FileSize,
                                 Lock,
                                 Unlock,
                                 CheckReservedLock,
                                 FileControl,
                                 SectorSize,
                                 DeviceCharacteristics,
                                 ShmMap,
                                 ShmLock,
                                 ShmBarrier,
                                 ShmUnmap,
                                 Fetch,
                                 Unfetch};
  sqlite3_vfs_register(&g_vfs, 0);
}

// The rollback hook: the connection's log may hold gathered frames of the transaction that is
// rolling back; drop them before the connection touches the log again.
void DropUncommitted(void* db) {
  sqlite3_file* log = nullptr;
  if (sqlite3_file_control(static_cast<sqlite3*>(db), "main", SQLITE_FCNTL_JOURNAL_POINTER, &log) ==
          SQLITE_OK &&
      log != nullptr && log->pMethods == &g_methods) {
    AsWal(log)->buf_len = 0;
    AsWal(log)->commit_header_seen = false;
  }
}

}  // namespace

int OpenWithCoalescingWal(const std::string& path, int flags, sqlite3** db) {
  static std::once_flag once;
  std::call_once(once, Register);
  const int rc = sqlite3_open_v2(path.c_str(), db, flags, g_vfs.zName);
  if (rc == SQLITE_OK) sqlite3_rollback_hook(*db, DropUncommitted, *db);
  return rc;
}

CoalescingWalStats GetCoalescingWalStats() {
  return {g_issued.load(std::memory_order_relaxed),
          g_sqlite_writes.load(std::memory_order_relaxed)};
}

}  // namespace beian::store_internal
