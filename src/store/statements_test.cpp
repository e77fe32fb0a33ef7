// The statement tables (statements.h): every statement is written for both dialects, and every
// one prepares, as Tx runs it, on a real SQLite and a real PostgreSQL database at the latest
// schema; list statements both without filters and with every filter that Tx may add.
// PostgreSQL comes from BEIAN_TEST_PG_ADMIN_URL (scripts/with_pg.sh); without it that case fails.
#include "store/statements.h"

#include <gtest/gtest.h>
#include <libpq-fe.h>
#include <sqlite3.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <random>
#include <string>
#include <variant>
#include <vector>

#include "store/store.h"
#include "store/tx_rows.h"

namespace beian::store_internal {
namespace {

using Member = std::string_view Statements::*;

struct Named {
  const char* name;
  Member member;
};
#define BEIAN_STATEMENT(m) \
  Named { #m, &Statements::m }

// Every member that is a whole statement (list statements included).
const Named kStatements[] = {
    BEIAN_STATEMENT(get_account),
    BEIAN_STATEMENT(get_account_for_share),
    BEIAN_STATEMENT(get_account_for_update),
    BEIAN_STATEMENT(insert_account),
    BEIAN_STATEMENT(update_account),
    BEIAN_STATEMENT(get_accounts_in_for_share),
    BEIAN_STATEMENT(upsert_accounts),
    BEIAN_STATEMENT(list_accounts),
    BEIAN_STATEMENT(count_other_active_admins),
    BEIAN_STATEMENT(count_products_of),
    BEIAN_STATEMENT(insert_token),
    BEIAN_STATEMENT(token_by_hash),
    BEIAN_STATEMENT(get_token),
    BEIAN_STATEMENT(list_tokens),
    BEIAN_STATEMENT(list_tokens_of_account),
    BEIAN_STATEMENT(revoke_token),
    BEIAN_STATEMENT(touch_token),
    BEIAN_STATEMENT(credential_generation),
    BEIAN_STATEMENT(bump_credential_generation),
    BEIAN_STATEMENT(insert_oidc_login),
    BEIAN_STATEMENT(take_oidc_login),
    BEIAN_STATEMENT(purge_oidc_logins),
    BEIAN_STATEMENT(insert_web_session),
    BEIAN_STATEMENT(get_web_session),
    BEIAN_STATEMENT(touch_web_session),
    BEIAN_STATEMENT(revoke_web_session),
    BEIAN_STATEMENT(purge_web_sessions),
    BEIAN_STATEMENT(get_product),
    BEIAN_STATEMENT(get_products_in),
    BEIAN_STATEMENT(insert_product),
    BEIAN_STATEMENT(update_product),
    BEIAN_STATEMENT(insert_products),
    BEIAN_STATEMENT(update_products),
    BEIAN_STATEMENT(count_products_by_kind),
    BEIAN_STATEMENT(list_products),
    BEIAN_STATEMENT(insert_quota_scope),
    BEIAN_STATEMENT(lock_quota),
    BEIAN_STATEMENT(peek_quota),
    BEIAN_STATEMENT(peek_quotas_in),
    BEIAN_STATEMENT(add_quota_use),
    BEIAN_STATEMENT(insert_number),
    BEIAN_STATEMENT(get_number),
    BEIAN_STATEMENT(get_number_for_update),
    BEIAN_STATEMENT(update_number),
    BEIAN_STATEMENT(insert_grant),
    BEIAN_STATEMENT(grants_in),
    BEIAN_STATEMENT(count_numbers_by_state),
    BEIAN_STATEMENT(list_numbers),
    BEIAN_STATEMENT(list_numbers_visible),
    BEIAN_STATEMENT(list_numbers_visible_after),
    BEIAN_STATEMENT(insert_filing),
    BEIAN_STATEMENT(get_filing),
    BEIAN_STATEMENT(get_filing_for_update),
    BEIAN_STATEMENT(update_filing),
    BEIAN_STATEMENT(active_filing_for_domain),
    BEIAN_STATEMENT(approved_filing_for_domain),
    BEIAN_STATEMENT(filings_in_review_for_domain),
    BEIAN_STATEMENT(list_filings),
    BEIAN_STATEMENT(list_filings_oldest),
    BEIAN_STATEMENT(list_filings_newest),
    BEIAN_STATEMENT(filings_of_number),
    BEIAN_STATEMENT(list_grants),
    BEIAN_STATEMENT(delete_grant),
    BEIAN_STATEMENT(list_filings_visible),
    BEIAN_STATEMENT(get_idempotency),
    BEIAN_STATEMENT(put_idempotency),
    BEIAN_STATEMENT(purge_idempotency),
    BEIAN_STATEMENT(lock_attempts),
    BEIAN_STATEMENT(count_attempts),
    BEIAN_STATEMENT(nth_attempt),
    BEIAN_STATEMENT(record_attempt),
    BEIAN_STATEMENT(remove_attempt),
    BEIAN_STATEMENT(purge_attempts),
    BEIAN_STATEMENT(insert_bucket),
    BEIAN_STATEMENT(lock_bucket),
    BEIAN_STATEMENT(put_bucket),
    BEIAN_STATEMENT(purge_buckets),
    BEIAN_STATEMENT(append_event),
    BEIAN_STATEMENT(append_events),
    BEIAN_STATEMENT(list_events),
    BEIAN_STATEMENT(list_events_of_account),
    BEIAN_STATEMENT(list_events_desc),
    BEIAN_STATEMENT(list_events_of_account_desc),
    BEIAN_STATEMENT(products_by_ip),
    BEIAN_STATEMENT(products_by_ip_of_account),
    BEIAN_STATEMENT(filings_by_domain),
    BEIAN_STATEMENT(filings_by_domain_visible),
    BEIAN_STATEMENT(numbers_issued_per_bucket),
    BEIAN_STATEMENT(events_per_bucket),
    BEIAN_STATEMENT(insert_webhook),
    BEIAN_STATEMENT(get_webhook),
    BEIAN_STATEMENT(lock_webhook),
    BEIAN_STATEMENT(list_webhooks),
    BEIAN_STATEMENT(count_webhooks),
    BEIAN_STATEMENT(update_webhook),
    BEIAN_STATEMENT(set_webhook_lease),
    BEIAN_STATEMENT(delete_webhook),
    BEIAN_STATEMENT(delete_webhook_messages),
    BEIAN_STATEMENT(delete_webhook_attempts),
    BEIAN_STATEMENT(events_high_water),
    BEIAN_STATEMENT(webhook_due),
    BEIAN_STATEMENT(claim_webhook),
    BEIAN_STATEMENT(upsert_webhook_message),
    BEIAN_STATEMENT(head_webhook_message),
    BEIAN_STATEMENT(update_webhook_message),
    BEIAN_STATEMENT(insert_webhook_attempt),
    BEIAN_STATEMENT(list_webhook_attempts),
    BEIAN_STATEMENT(count_pending_messages),
    BEIAN_STATEMENT(last_webhook_attempt),
    BEIAN_STATEMENT(webhook_queue_stats),
    BEIAN_STATEMENT(get_event),
    BEIAN_STATEMENT(events_in_seqs),
    BEIAN_STATEMENT(events_in_time_range),
    BEIAN_STATEMENT(insert_notice),
    BEIAN_STATEMENT(list_notices),
    BEIAN_STATEMENT(list_notices_of_account),
    BEIAN_STATEMENT(notice_term_candidates),
    BEIAN_STATEMENT(notice_expired_between),
    BEIAN_STATEMENT(notice_lapsed_changed),
    BEIAN_STATEMENT(notice_unnoticed_numbers),
    BEIAN_STATEMENT(notice_overdue_filings),
    BEIAN_STATEMENT(nth_oldest_in_review),
    BEIAN_STATEMENT(state_counts),
    BEIAN_STATEMENT(migration_lock),
    BEIAN_STATEMENT(has_version_table),
    BEIAN_STATEMENT(create_version_table),
    BEIAN_STATEMENT(current_version),
    BEIAN_STATEMENT(insert_version),
    BEIAN_STATEMENT(touch_version),
    BEIAN_STATEMENT(ping),
};

const std::vector<Member> kAllFilingLists = {
    &Statements::list_filings, &Statements::list_filings_visible, &Statements::list_filings_oldest,
    &Statements::list_filings_newest};

// Every member that is a filter, with the list statements Tx adds it to.
struct Filter {
  Named filter;
  std::vector<Member> lists;
};
const Filter kFilters[] = {
    {BEIAN_STATEMENT(products_of_account), {&Statements::list_products}},
    {BEIAN_STATEMENT(products_of_kind), {&Statements::list_products}},
    {BEIAN_STATEMENT(products_after), {&Statements::list_products}},
    {BEIAN_STATEMENT(products_not_released), {&Statements::list_products}},
    {BEIAN_STATEMENT(numbers_in_state),
     {&Statements::list_numbers, &Statements::list_numbers_visible,
      &Statements::list_numbers_visible_after}},
    {BEIAN_STATEMENT(numbers_not_available),
     {&Statements::list_numbers, &Statements::list_numbers_visible,
      &Statements::list_numbers_visible_after}},
    {BEIAN_STATEMENT(numbers_of_product),
     {&Statements::list_numbers, &Statements::list_numbers_visible,
      &Statements::list_numbers_visible_after}},
    {BEIAN_STATEMENT(numbers_after), {&Statements::list_numbers}},
    {BEIAN_STATEMENT(filings_in_state), kAllFilingLists},
    {BEIAN_STATEMENT(filings_after),
     {&Statements::list_filings, &Statements::list_filings_visible}},
    {BEIAN_STATEMENT(filings_of_account), kAllFilingLists},
    {BEIAN_STATEMENT(filings_of_kind), kAllFilingLists},
    {BEIAN_STATEMENT(filings_submitted_before), kAllFilingLists},
    {BEIAN_STATEMENT(filings_after_oldest), {&Statements::list_filings_oldest}},
    {BEIAN_STATEMENT(filings_after_newest), {&Statements::list_filings_newest}},
};

static_assert(sizeof(Statements) ==
                  (std::size(kStatements) + std::size(kFilters)) * sizeof(std::string_view),
              "name every member of Statements in kStatements or kFilters");

// The statements that statements.h allows to be "" in SQLite (and only there).
bool MayBeEmptyInSqlite(Member m) {
  return m == &Statements::lock_attempts || m == &Statements::migration_lock;
}

bool IsList(std::string_view sql) {
  return sql.find("{where}") != std::string_view::npos ||
         sql.find("{and}") != std::string_view::npos;
}

// The highest $n of `sql`: the number of parameters it takes of its own.
std::size_t OwnParams(std::string_view sql) {
  std::size_t highest = 0;
  for (std::size_t i = 0; i + 1 < sql.size(); ++i) {
    if (sql[i] != '$') continue;
    std::size_t n = 0, j = i + 1;
    while (j < sql.size() && sql[j] >= '0' && sql[j] <= '9') n = n * 10 + (sql[j++] - '0');
    highest = std::max(highest, n);
  }
  return highest;
}

// What Tx runs for each statement: the statement itself, and for a list statement also the
// statement with every filter it may get.
struct Runnable {
  std::string what;
  std::string sql;
};
std::vector<Runnable> RunnableStatements(const Statements& s) {
  std::vector<Runnable> out;
  for (const Named& n : kStatements) {
    const std::string_view sql = s.*n.member;
    if (sql.empty()) continue;
    const std::vector<Value> own(OwnParams(sql), Value{nullptr});
    out.push_back({n.name, ListQuery(sql, own).Sql()});
    if (!IsList(sql)) continue;
    ListQuery all(sql, own);
    std::string names;
    for (const Filter& f : kFilters) {
      if (std::find(f.lists.begin(), f.lists.end(), n.member) == f.lists.end()) continue;
      const std::string_view filter = s.*f.filter.member;
      std::size_t slots = 0;
      for (std::size_t at = filter.find("$?"); at != std::string_view::npos;
           at = filter.find("$?", at + 2)) {
        ++slots;
      }
      if (slots == 0) {
        all.Where(filter);
      } else if (slots == 1) {
        all.Where(filter, std::string("x"));
      } else {  // a filter of several parameters (a keyset after (created_at, id))
        all.Where(filter, std::vector<Value>(slots, std::string("x")));
      }
      names += std::string(" ") + f.filter.name;
    }
    out.push_back({std::string(n.name) + " with" + names, all.Sql()});
  }
  return out;
}

TEST(StatementsTest, EveryStatementIsWrittenForBothDialects) {
  for (const Named& n : kStatements) {
    EXPECT_FALSE((kPostgresStatements.*n.member).empty()) << "postgres " << n.name;
    if (!MayBeEmptyInSqlite(n.member)) {
      EXPECT_FALSE((kSqliteStatements.*n.member).empty()) << "sqlite " << n.name;
    }
  }
  for (const Filter& f : kFilters) {
    EXPECT_FALSE((kPostgresStatements.*f.filter.member).empty()) << f.filter.name;
    EXPECT_FALSE((kSqliteStatements.*f.filter.member).empty()) << f.filter.name;
  }
  EXPECT_EQ(&StatementsFor(Dialect::kSqlite), &kSqliteStatements);
  EXPECT_EQ(&StatementsFor(Dialect::kPostgres), &kPostgresStatements);
}

TEST(StatementsTest, SlotsAndFilterParametersAreWhereTheyBelong) {
  for (const Statements* s : {&kSqliteStatements, &kPostgresStatements}) {
    for (const Named& n : kStatements) {
      const std::string_view sql = s->*n.member;
      EXPECT_EQ(sql.find("$?"), std::string_view::npos) << n.name;
      const bool filtered = std::any_of(std::begin(kFilters), std::end(kFilters), [&](auto& f) {
        return std::find(f.lists.begin(), f.lists.end(), n.member) != f.lists.end();
      });
      EXPECT_EQ(IsList(sql), filtered) << n.name << ": a slot exactly where filters go";
    }
    for (const Filter& f : kFilters) {
      const std::string_view sql = s->*f.filter.member;
      EXPECT_EQ(sql.find('{'), std::string_view::npos) << f.filter.name;
      EXPECT_EQ(OwnParams(sql), 0u) << f.filter.name << ": filters take $? only";
    }
  }
}

TEST(StatementsTest, ListQueryPutsTheFiltersIntoEverySlotWithParametersAfterTheOwnOnes) {
  ListQuery none("SELECT a FROM t{where} ORDER BY a LIMIT $1", {int64_t{5}});
  EXPECT_EQ(none.Sql(), "SELECT a FROM t ORDER BY a LIMIT $1");
  EXPECT_EQ(none.params().size(), 1u);

  ListQuery two("SELECT a FROM t{where} ORDER BY a LIMIT $1", {int64_t{5}});
  two.Where("(b = $? OR c = $?)", std::string("x")).Where("d <> 'e'").Where("f > $?", int64_t{7});
  EXPECT_EQ(two.Sql(),
            "SELECT a FROM t WHERE (b = $2 OR c = $2) AND d <> 'e' AND f > $3 ORDER BY "
            "a LIMIT $1");
  ASSERT_EQ(two.params().size(), 3u);
  EXPECT_EQ(std::get<std::string>(two.params()[1]), "x");
  EXPECT_EQ(std::get<int64_t>(two.params()[2]), 7);

  ListQuery both("(SELECT a FROM t WHERE u = $1{and}) UNION (SELECT a FROM v WHERE w = $1{and})",
                 {std::string("u")});
  EXPECT_EQ(ListQuery(both).Sql(),
            "(SELECT a FROM t WHERE u = $1) UNION (SELECT a FROM v WHERE w = $1)");
  both.Where("s = $?", std::string("s"));
  EXPECT_EQ(both.Sql(),
            "(SELECT a FROM t WHERE u = $1 AND s = $2) UNION (SELECT a FROM v WHERE w = $1 AND "
            "s = $2)");
  EXPECT_EQ(both.params().size(), 2u);
}

// A database of the latest schema, made through the Store as beian makes it.
void Migrate(const std::string& url) {
  auto store = Store::Open(url);
  ASSERT_TRUE(store.ok()) << store.error().detail.en;
  const Status migrated = (*store)->Migrate();
  ASSERT_TRUE(migrated.ok()) << migrated.error().detail.en;
}

std::string UniqueName() {
  std::random_device rd;
  return std::to_string(getpid()) + "_" + std::to_string(rd() % 1000000);
}

TEST(StatementsTest, EverySqliteStatementPreparesAtTheLatestSchema) {
  const std::filesystem::path dir =
      std::filesystem::temp_directory_path() / ("beian_statements_" + UniqueName());
  std::filesystem::create_directories(dir);
  const std::string path = (dir / "beian.db").string();
  Migrate("sqlite:" + path);
  if (!HasFatalFailure()) {
    sqlite3* db = nullptr;
    EXPECT_EQ(sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE, nullptr), SQLITE_OK);
    for (const Runnable& r : RunnableStatements(kSqliteStatements)) {
      sqlite3_stmt* stmt = nullptr;
      const int rc =
          sqlite3_prepare_v2(db, r.sql.c_str(), static_cast<int>(r.sql.size()), &stmt, nullptr);
      EXPECT_EQ(rc, SQLITE_OK) << r.what << ": " << sqlite3_errmsg(db) << "\n" << r.sql;
      sqlite3_finalize(stmt);
    }
    sqlite3_close(db);
  }
  std::filesystem::remove_all(dir);
}

// Runs one statement on the PostgreSQL database at `url`; "" or the error.
std::string PgExec(const std::string& url, const std::string& sql) {
  PGconn* conn = PQconnectdb(url.c_str());
  std::string error;
  if (PQstatus(conn) != CONNECTION_OK) {
    error = PQerrorMessage(conn);
  } else {
    PGresult* res = PQexec(conn, sql.c_str());
    if (PQresultStatus(res) != PGRES_COMMAND_OK) error = PQresultErrorMessage(res);
    PQclear(res);
  }
  PQfinish(conn);
  return error;
}

// `url` with its database name replaced by `db` (no query parameters expected).
std::string WithDatabase(const std::string& url, const std::string& db) {
  const std::size_t slash = url.rfind('/');
  return url.substr(0, slash) + "/" + db;
}

TEST(StatementsTest, EveryPostgresStatementPreparesAtTheLatestSchema) {
  const char* admin = std::getenv("BEIAN_TEST_PG_ADMIN_URL");
  ASSERT_NE(admin, nullptr) << "BEIAN_TEST_PG_ADMIN_URL is not set: run under scripts/with_pg.sh";
  const std::string name = "beian_statements_" + UniqueName();
  ASSERT_EQ(PgExec(admin, "CREATE DATABASE " + name), "");
  const std::string url = WithDatabase(admin, name);
  Migrate(url);
  if (!HasFatalFailure()) {
    PGconn* conn = PQconnectdb(url.c_str());
    EXPECT_EQ(PQstatus(conn), CONNECTION_OK) << PQerrorMessage(conn);
    for (const Runnable& r : RunnableStatements(kPostgresStatements)) {
      PGresult* res = PQprepare(conn, "", r.sql.c_str(), 0, nullptr);
      EXPECT_EQ(PQresultStatus(res), PGRES_COMMAND_OK)
          << r.what << ": " << PQresultErrorMessage(res) << r.sql;
      PQclear(res);
    }
    PQfinish(conn);
  }
  EXPECT_EQ(PgExec(admin, "DROP DATABASE " + name + " WITH (FORCE)"), "");
}

}  // namespace
}  // namespace beian::store_internal
