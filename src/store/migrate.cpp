// Schema migrations: numbered files per dialect, embedded at build time.
#include <algorithm>
#include <charconv>

#include "store/drivers.h"
#include "store/sql_store.h"
#include "store/statements.h"

namespace beian::store_internal {
namespace {

struct Migration {
  int version;
  std::string_view sql;
};

std::vector<Migration> MigrationsFor(Dialect d) {
  const std::string_view dialect = d == Dialect::kPostgres ? "postgres" : "sqlite";
  std::vector<Migration> out;
  for (const MigrationFile& f : EmbeddedMigrationFiles()) {
    if (f.dialect != dialect) continue;
    int version = 0;
    std::from_chars(f.name.data(), f.name.data() + f.name.size(), version);
    if (version > 0) out.push_back({version, f.sql});
  }
  std::sort(out.begin(), out.end(),
            [](const Migration& a, const Migration& b) { return a.version < b.version; });
  return out;
}

// 0 when the schema_version table does not exist yet.
int CurrentVersion(Conn& conn) {
  const Statements& sql = StatementsFor(conn.dialect());
  if (conn.Query(sql.has_version_table).empty()) return 0;
  const auto rows = conn.Query(sql.current_version);
  return static_cast<int>(rows.at(0).Int(0));
}

}  // namespace

int SqlStore::LatestSchemaVersion() const {
  const auto all = MigrationsFor(dialect_);
  return all.empty() ? 0 : all.back().version;
}

Status SqlStore::Migrate() {
  const auto migrations = MigrationsFor(dialect_);
  return RunTxAlone(TxMode::kWrite, [&](Tx& tx) {
    Conn& conn = tx.conn();
    const Statements& sql = StatementsFor(conn.dialect());
    if (!sql.migration_lock.empty()) conn.Query(sql.migration_lock);
    conn.ExecScript(sql.create_version_table);
    const int current = CurrentVersion(conn);
    const int64_t now = std::chrono::duration_cast<std::chrono::seconds>(
                            std::chrono::system_clock::now().time_since_epoch())
                            .count();
    for (const Migration& m : migrations) {
      if (m.version <= current) continue;
      conn.ExecScript(m.sql);
      conn.Exec(sql.insert_version, {int64_t{m.version}, now});
    }
    return true;
  });
}

Status SqlStore::CheckSchema() {
  int current = 0;
  Status st = RunTx(TxMode::kRead, [&](Tx& tx) {
    current = CurrentVersion(tx.conn());
    return true;
  });
  if (!st.ok()) return st;
  const int latest = LatestSchemaVersion();
  const std::string have = std::to_string(current);
  const std::string want = std::to_string(latest);
  if (current > latest) {
    return MakeError(
        ErrorCode::kSchemaTooNew,
        Text{"数据库结构版本 " + have + " 高于本程序支持的版本 " + want + "，请升级 beian",
             "the database schema is at version " + have + ", newer than this binary knows (" +
                 want + "): upgrade beian"});
  }
  if (current < latest) {
    return MakeError(ErrorCode::kUnavailable,
                     Text{"数据库结构版本 " + have + " 低于 " + want + "，请运行 beian migrate",
                          "the database schema is at version " + have + ", older than " + want +
                              ": run beian migrate"});
  }
  return OkStatus();
}

}  // namespace beian::store_internal
