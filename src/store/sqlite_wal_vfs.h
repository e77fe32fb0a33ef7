#pragma once
// Internal to src/store: opening SQLite connections whose write-ahead-log writes are coalesced.
#include <string>

struct sqlite3;

namespace beian::store_internal {

// Opens `path` as sqlite3_open_v2(path, db, flags, vfs) would, through a VFS (registered on the
// first call; thread-safe) that wraps SQLite's default one, and returns SQLite's result code.
//
// SQLite appends a commit to the log one 24-byte frame header and one page at a time, each its
// own write(2). The VFS gathers contiguous writes to a log file in memory and issues them in
// 64 KiB writes: as soon as the frame that commits a transaction is complete, and when SQLite
// syncs, reads, sizes or truncates the log, passes it a file control, writes elsewhere in it, or
// the gathered bytes reach 1 MiB. So a commit reaches the file before the connection makes it
// visible, whatever the synchronous setting; only frames of a transaction that has not committed
// can still be gathered. Those are dropped when the transaction rolls back (a rollback hook that
// this function installs: do not replace it with sqlite3_rollback_hook) or the log is closed,
// since by then another connection may have committed frames at the same place. A write error of
// a gathered write is reported by the call that issues it. Other files pass straight through.
int OpenWithCoalescingWal(const std::string& path, int flags, sqlite3** db);

// Test hook: how many writes coalescing log files issued to the default VFS, and how many writes
// SQLite made to them, since the process started.
struct CoalescingWalStats {
  long long issued_writes = 0;
  long long sqlite_writes = 0;
};
CoalescingWalStats GetCoalescingWalStats();

}  // namespace beian::store_internal
