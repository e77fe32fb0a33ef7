#pragma once
// Internal to src/store: every SQL statement that Tx, the migrator and the store's health checks
// run, by name. Each dialect has its own table, written whole in one file
// (statements_sqlite.cpp, statements_postgres.cpp), so a statement is read as it runs, and the
// code that runs it never branches on the dialect. Parameters are $1, $2, … as listed here.
//
// List statements with optional filters ("list_*" below) hold the slot "{where}" or "{and}"
// where ListQuery (tx_rows.h) puts the filters a call chose: each filter is a named condition
// (the indented members after its list) whose "$?" stands for one parameter numbered after the
// list's own. Without filters a slot is left out, so the list runs as written.
//
// A statement may be "" only where its comment says so: the operation has nothing to run in
// that dialect, and the caller skips it.
#include <string_view>

#include "store/db.h"

namespace beian::store_internal {

struct Statements {
  // --- Accounts. Account columns: id, role, name, created_at, roles, status.
  std::string_view get_account;             // $1 id -> account columns
  std::string_view get_account_for_share;   // as get_account; the row cannot change until the end
  std::string_view get_account_for_update;  // as get_account; the row is locked until the end
  std::string_view insert_account;  // $1..$6 the account columns; nothing when the id exists
  std::string_view update_account;  // $1 id, $2 role, $3 name, $4 roles, $5 status
  // $1 JSON array of ids -> account columns, by id; the rows cannot change until the end.
  std::string_view get_accounts_in_for_share;
  // $1 JSON array of [id, role, name, created_at, roles, status]: inserts each, or updates
  // role, name, roles and status when the id exists (as insert_account then update_account).
  std::string_view upsert_accounts;
  std::string_view list_accounts;              // $1 after id, $2 limit -> account columns, by id
  std::string_view count_other_active_admins;  // $1 id left out -> count
  std::string_view count_products_of;          // $1 account_id -> count (released ones too)

  // --- Tokens. Token columns: id, account_id, name, scopes, creator, created_at, expires_at,
  // last_used_at, revoked_at.
  std::string_view insert_token;            // $1 hash, $2..$10 the token columns
  std::string_view token_by_hash;           // $1 hash -> token columns, then the account's columns
  std::string_view get_token;               // $1 id -> token columns
  std::string_view list_tokens;             // $1 limit -> token columns, newest first
  std::string_view list_tokens_of_account;  // $1 account_id, $2 limit; as list_tokens
  std::string_view revoke_token;            // $1 id, $2 at; unless revoked at or before $2 already
  std::string_view touch_token;  // $1 id, $2 at, $3 not_after; when last used before $3 or never
  std::string_view credential_generation;       // -> gen
  std::string_view bump_credential_generation;  // gen + 1; locks the row until the end

  // --- Console sign-in (006_web_sessions.sql): OpenID Connect logins waiting for the issuer and
  // console sessions. Session columns: account_id, roles, csrf_token, created_at, last_seen_at,
  // expires_at, revoked_at.
  std::string_view insert_oidc_login;  // $1 state_hash, $2 code_verifier, $3 nonce, $4 created_at
  // $1 state_hash -> code_verifier, nonce, created_at of the login it deletes.
  std::string_view take_oidc_login;
  std::string_view purge_oidc_logins;   // $1 before: logins created before it
  std::string_view insert_web_session;  // $1 id_hash, $2..$7 the session columns but revoked_at
  std::string_view get_web_session;     // $1 id_hash -> session columns
  std::string_view touch_web_session;   // $1 id_hash, $2 at; when last seen before $2
  std::string_view revoke_web_session;  // $1 id_hash, $2 at; unless revoked already
  std::string_view purge_web_sessions;  // $1 before: sessions that ended before it

  // --- Products. Product columns as ProductFromRow (tx_rows.h) reads them.
  std::string_view get_product;      // $1 id
  std::string_view get_products_in;  // $1 JSON array of ids
  std::string_view insert_product;   // $1..$13 the product columns; nothing when the id exists
  std::string_view update_product;   // $1 id, $2..$12 the product columns but created_at
  // $1 JSON array of rows, each the 13 product columns in order (distinct ids): inserts the rows
  // whose id does not exist -> the ids inserted.
  std::string_view insert_products;
  // $1 JSON array of rows as insert_products: updates each (created_at is kept).
  std::string_view update_products;
  std::string_view count_products_by_kind;  // $1 account_id -> kind, count (not released), by kind
  std::string_view list_products;           // $1 limit; {where}; by id
  std::string_view products_of_account;     //   filter: account_id = $?
  std::string_view products_of_kind;        //   filter: kind = $?
  std::string_view products_after;          //   filter: id > $?
  std::string_view products_not_released;   //   filter without a parameter

  // --- Quota scopes.
  std::string_view insert_quota_scope;  // $1 key; used 0; nothing when it exists
  std::string_view lock_quota;          // $1 key -> used; the row is locked until the end
  std::string_view peek_quota;          // $1 key -> used
  std::string_view peek_quotas_in;      // $1 JSON array of keys -> key, used
  std::string_view add_quota_use;       // $1 key; used + 1

  // --- Service numbers and grants. Number columns as NumberFromRow (tx_rows.h) reads them.
  std::string_view insert_number;          // $1..$9 the number columns; nothing when code exists
  std::string_view get_number;             // $1 code
  std::string_view get_number_for_update;  // $1 code; the row is locked until the end
  std::string_view update_number;          // $1 code, $2 state, $3 domain, $4 filing_id
  std::string_view insert_grant;  // $1 code, $2 account_id, $3 granted_at; nothing when granted
  std::string_view list_grants;   // $1 code -> account_id, granted_at; by account_id
  std::string_view delete_grant;  // $1 code, $2 account_id
  std::string_view grants_in;     // $1 JSON array of codes -> code, account_id, by both
  std::string_view count_numbers_by_state;  // $1 owner account_id -> state, count, by state
  std::string_view list_numbers;            // $1 limit; {where}; by code
  // $1 account_id (owner or grantee), $2 limit; {and}; by code.
  std::string_view list_numbers_visible;
  // As list_numbers_visible, codes after $3 only.
  std::string_view list_numbers_visible_after;
  std::string_view numbers_in_state;  //   filter: n.state = $?
  // filter without a parameter, with numbers_in_state for any state but 'available': the state
  // index holds the other states only (002_partial_state_index.sql), and the planners use it
  // when the query states that condition in the same words.
  std::string_view numbers_not_available;
  std::string_view numbers_of_product;  //   filter: n.product_id = $?
  std::string_view numbers_after;       //   filter: n.code > $? (list_numbers only)

  // --- Filings. Filing columns as FilingFromRow (tx_rows.h) reads them.
  std::string_view insert_filing;          // $1..$10 the filing columns
  std::string_view get_filing;             // $1 id
  std::string_view get_filing_for_update;  // $1 id; the row is locked until the end
  std::string_view update_filing;          // $1 id, $2 state, $3 reason, $4 updated_at
  // $1 domain, $2 account_id: that account's filing in review or approved.
  std::string_view active_filing_for_domain;
  std::string_view approved_filing_for_domain;    // $1 domain
  std::string_view filings_in_review_for_domain;  // $1 domain; by id
  std::string_view list_filings;                  // $1 limit; {where}; by id
  std::string_view list_filings_oldest;           // $1 limit; {where}; by created_at, id
  std::string_view list_filings_newest;           // $1 limit; {where}; by created_at, id desc
  std::string_view filings_of_number;             // $1 code; by id
  std::string_view list_filings_visible;  // $1 account_id (filer or owner), $2 limit; {and}; by id
  std::string_view filings_in_state;      //   filter: state = $?
  std::string_view filings_after;         //   filter: id > $?
  std::string_view filings_of_account;    //   filter: account_id = $?
  std::string_view filings_of_kind;       //   filter: the product's kind = $?
  std::string_view filings_submitted_before;  // filter: created_at < $?
  // filters with values (created_at, created_at, id): after that key in either order
  std::string_view filings_after_oldest;
  std::string_view filings_after_newest;

  // --- Idempotency keys.
  std::string_view get_idempotency;    // $1 account_id, $2 key -> account_id, key, request_hash,
                                       // result, created_at
  std::string_view put_idempotency;    // $1..$5 as get_idempotency returns them
  std::string_view purge_idempotency;  // $1 before

  // --- Attempts behind TOO_MANY_ATTEMPTS.
  // $1 subject; serialises the transactions counting attempts on $1 until the end. "" where
  // write transactions exclude each other anyway (SQLite).
  std::string_view lock_attempts;
  std::string_view count_attempts;  // $1 subject, $2 since -> count
  std::string_view nth_attempt;     // $1 subject, $2 since, $3 n (from 0) -> at
  std::string_view record_attempt;  // $1 subject, $2 at
  std::string_view remove_attempt;  // $1 subject, $2 at; one such row
  std::string_view purge_attempts;  // $1 before

  // --- Rate buckets.
  std::string_view insert_bucket;  // $1 key, $2 level, $3 at; nothing when it exists
  std::string_view lock_bucket;    // $1 key -> level, at; the row is locked until the end
  std::string_view put_bucket;     // $1 key, $2 level, $3 at
  std::string_view purge_buckets;  // $1 before

  // --- Events. Event columns as EventFromRow (tx_rows.h) reads them.
  // $1 at, $2 actor, $3 type, $4 account_id, $5 subject, $6 data, $7 account2; assigns seq.
  std::string_view append_event;
  // $1 JSON array of [at, actor, type, account_id, subject, data, account2]: as append_event for
  // each, in array order (seq ascending).
  std::string_view append_events;
  // $1 after seq, $2 limit -> events no uncommitted event can precede, by seq.
  std::string_view list_events;
  // As list_events, $3 the first or second account of each event.
  std::string_view list_events_of_account;
  // $1 before seq, $2 limit -> events with a smaller seq, newest first (committed ones only).
  std::string_view list_events_desc;
  // As list_events_desc, $3 the first or second account of each event.
  std::string_view list_events_of_account_desc;

  // --- Search (008_search_stats.sql).
  std::string_view products_by_ip;  // $1 ip, $2 limit -> product columns, by id
  // $1 ip, $2 account_id (owner), $3 limit -> product columns of products not released, by id.
  std::string_view products_by_ip_of_account;
  std::string_view filings_by_domain;  // $1 domain, $2 limit -> filing columns, by id
  // $1 domain, $2 account_id (filer or owner), $3 limit -> filing columns, by id.
  std::string_view filings_by_domain_visible;

  // --- The operators' dashboard (008_search_stats.sql).
  // $1 from, $2 to (excluded), $3 bucket seconds -> bucket index ((issued_at - $1) / $3), count.
  std::string_view numbers_issued_per_bucket;
  // $1 type, $2 from, $3 to (excluded), $4 bucket seconds -> bucket index, count of such events.
  std::string_view events_per_bucket;
  // $1 n (from 0) -> created_at of the (n+1)-th oldest filing in review; no row when fewer.
  std::string_view nth_oldest_in_review;

  // --- Statistics (for /metrics): counts kept by triggers (003_state_counts.sql).
  std::string_view state_counts;  // $1 entity ('numbers', 'filings') -> state, count, by state

  // --- Schema versions (migrate.cpp) and health (sql_store.cpp).
  // Serialises concurrent migrators until the end. "" where write transactions exclude each
  // other anyway (SQLite).
  std::string_view migration_lock;
  std::string_view has_version_table;     // a row when schema_version exists
  std::string_view create_version_table;  // unless it exists
  std::string_view current_version;       // -> the highest applied version, 0 for none
  std::string_view insert_version;        // $1 version, $2 applied_at
  std::string_view touch_version;         // rewrites one row of schema_version as it is
  std::string_view ping;                  // reads nothing

  // --- Webhooks (009_webhooks.sql). Webhook columns: id, account_id, url, event_types,
  // description, secret, previous_secret, previous_secret_expires_at, state, disabled_reason,
  // cursor_seq, failing_since, lease_owner, lease_until, next_at, created_at, updated_at.
  // Message columns: webhook_id, seq, event_type, state, attempts, queued_at, next_attempt_at.
  // Attempt columns: id, webhook_id, seq, event_type, attempt, at, outcome, status, latency_ms,
  // response, next_attempt_at.
  std::string_view insert_webhook;  // $1..$17 the webhook columns
  std::string_view get_webhook;     // $1 id -> webhook columns
  std::string_view lock_webhook;    // as get_webhook; the row is locked until the end
  std::string_view list_webhooks;   // $1 account_id, $2 after id, $3 limit -> columns, by id
  std::string_view count_webhooks;  // $1 account_id -> count
  // $1 id, $2 url, $3 event_types, $4 description, $5 secret, $6 previous_secret,
  // $7 previous_secret_expires_at, $8 state, $9 disabled_reason, $10 cursor_seq,
  // $11 failing_since, $12 next_at, $13 updated_at (not the lease).
  std::string_view update_webhook;
  std::string_view set_webhook_lease;        // $1 id, $2 owner, $3 until
  std::string_view delete_webhook;           // $1 id
  std::string_view delete_webhook_messages;  // $1 webhook_id
  std::string_view delete_webhook_attempts;  // $1 webhook_id
  // -> the highest seq no uncommitted event can precede (0 for none).
  std::string_view events_high_water;
  // $1 now ms, $2 high water -> id of an active webhook whose lease is free and that has a
  // message due or events after its cursor; the claim_ form locks the row (skipping locked ones).
  std::string_view webhook_due;
  std::string_view claim_webhook;
  // $1 webhook_id, $2 seq, $3 event_type, $4 queued_at, $5 next_attempt_at; an existing message
  // is queued again (pending, 0 attempts).
  std::string_view upsert_webhook_message;
  std::string_view head_webhook_message;  // $1 webhook_id -> the first pending message's columns
  // $1 webhook_id, $2 seq, $3 state, $4 attempts, $5 next_attempt_at
  std::string_view update_webhook_message;
  std::string_view insert_webhook_attempt;  // $1..$10 the attempt columns but id
  // $1 webhook_id, $2 before id, $3 limit -> attempt columns, newest first
  std::string_view list_webhook_attempts;
  std::string_view count_pending_messages;  // $1 webhook_id -> count
  std::string_view last_webhook_attempt;    // $1 webhook_id -> at, outcome of the newest
  // -> count of pending messages of active webhooks, the oldest queued_at (NULL for none)
  std::string_view webhook_queue_stats;
  std::string_view get_event;       // $1 seq -> event columns
  std::string_view events_in_seqs;  // $1 JSON array of seqs -> event columns, by seq
  // $1 since, $2 until (excluded; Unix seconds), $3 limit -> event columns, by seq
  std::string_view events_in_time_range;

  // --- Notices (notices_tx.h). Notice columns: id, kind, account_id, object_id, product_id,
  // occurred_at, due_at, detail, min_months, review_days, created_at.
  std::string_view insert_notice;  // $1..$10 the notice columns but id; nothing when it exists
  std::string_view list_notices;   // $1 before id, $2 limit -> notice columns, newest first
  std::string_view list_notices_of_account;  // $1 account_id, $2 before id, $3 limit
  // $1 kind, $2 now, $3 horizon, $4 $5 after (expires_at, id), $6 limit -> product columns
  std::string_view notice_term_candidates;
  // $1 from, $2 to, $3 $4 after (expires_at, id), $5 limit -> product columns, status_changed_at,
  // ips_changed_at (created_at when NULL)
  std::string_view notice_expired_between;
  // $1 from, $2 to, $3 $4 after (updated_at, id), $5 limit -> as notice_expired_between
  std::string_view notice_lapsed_changed;
  // $1 JSON array of product ids, $2 now -> number columns, by code
  std::string_view notice_unnoticed_numbers;
  // $1 cutoff, $2 $3 after (created_at, id), $4 limit -> filing columns
  std::string_view notice_overdue_filings;
};

// The statements of `dialect`.
const Statements& StatementsFor(Dialect dialect);
extern const Statements kSqliteStatements;    // statements_sqlite.cpp
extern const Statements kPostgresStatements;  // statements_postgres.cpp

}  // namespace beian::store_internal
