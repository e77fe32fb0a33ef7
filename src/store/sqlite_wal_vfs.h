#pragma once
// Internal to src/store: a SQLite VFS that coalesces the writes SQLite makes to a write-ahead log.

namespace beian::store_internal {

// The name of a VFS (registered on the first call; thread-safe) that wraps SQLite's default VFS.
// SQLite appends a commit to the log one 24-byte frame header and one page at a time, each its
// own write(2); this VFS gathers contiguous writes to a log file in memory and issues them as one
// write when SQLite syncs, reads, sizes, truncates or closes the log, passes it a file control,
// or writes somewhere else in it (or the gathered bytes reach 1 MiB). Other files pass straight
// through to the default VFS.
//
// Precondition: every connection opened with this VFS runs with synchronous=FULL, so SQLite
// syncs the log (and with it every gathered byte) before a commit becomes visible to other
// connections or is reported done. A write error of a gathered write is reported by the call
// that issues it (typically the sync of the commit, which then fails).
const char* CoalescingWalVfsName();

// Test hook: how many times a coalescing log file has issued a gathered write to the default
// VFS, and how many writes SQLite made to such files, since the process started.
struct CoalescingWalStats {
  long long issued_writes = 0;
  long long sqlite_writes = 0;
};
CoalescingWalStats GetCoalescingWalStats();

}  // namespace beian::store_internal
