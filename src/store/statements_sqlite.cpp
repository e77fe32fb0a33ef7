// Every statement of the store for SQLite, as it runs (names and parameters: statements.h).
// Write transactions are BEGIN IMMEDIATE and exclude each other, so nothing here locks a row:
// the *_for_update, *_for_share and lock_* statements are plain reads, and lock_attempts and
// migration_lock are empty. Lists of values come as one JSON array, read with json_each.
#include "store/statements.h"

namespace beian::store_internal {

constexpr Statements kSqliteStatements = {
    // --- Accounts.
    .get_account = "SELECT id, role, name, created_at, roles, status FROM accounts WHERE id = $1",
    .get_account_for_share =
        "SELECT id, role, name, created_at, roles, status FROM accounts WHERE id = $1",
    .get_account_for_update =
        "SELECT id, role, name, created_at, roles, status FROM accounts WHERE id = $1",
    .insert_account =
        "INSERT INTO accounts (id, role, name, created_at, roles, status) "
        "VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (id) DO NOTHING",
    .update_account =
        "UPDATE accounts SET role = $2, name = $3, roles = $4, status = $5 WHERE id = $1",
    .get_accounts_in_for_share =
        "SELECT id, role, name, created_at, roles, status FROM accounts "
        "WHERE id IN (SELECT value FROM json_each($1)) ORDER BY id",
    .upsert_accounts =
        "INSERT INTO accounts (id, role, name, created_at, roles, status) "
        "SELECT json_extract(value, '$[0]'), json_extract(value, '$[1]'), "
        "json_extract(value, '$[2]'), json_extract(value, '$[3]'), json_extract(value, '$[4]'), "
        "json_extract(value, '$[5]') FROM json_each($1) WHERE true ORDER BY key "
        "ON CONFLICT (id) DO UPDATE SET role = excluded.role, name = excluded.name, "
        "roles = excluded.roles, status = excluded.status",
    .list_accounts =
        "SELECT id, role, name, created_at, roles, status FROM accounts WHERE id > $1 "
        "ORDER BY id LIMIT $2",
    .count_other_active_admins =
        "SELECT COUNT(*) FROM accounts WHERE role = 'operator' AND status = 'active' AND "
        "(' ' || roles || ' ') LIKE '% admin %' AND id <> $1",
    .count_products_of = "SELECT COUNT(*) FROM products WHERE account_id = $1",

    // --- Tokens.
    .insert_token =
        "INSERT INTO tokens (hash, id, account_id, name, scopes, creator, created_at, expires_at, "
        "last_used_at, revoked_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    .token_by_hash =
        "SELECT t.id, t.account_id, t.name, t.scopes, t.creator, t.created_at, t.expires_at, "
        "t.last_used_at, t.revoked_at, a.id, a.role, a.name, a.created_at, a.roles, a.status "
        "FROM tokens t JOIN accounts a ON a.id = t.account_id WHERE t.hash = $1",
    .get_token =
        "SELECT id, account_id, name, scopes, creator, created_at, expires_at, last_used_at, "
        "revoked_at FROM tokens WHERE id = $1",
    .list_tokens =
        "SELECT id, account_id, name, scopes, creator, created_at, expires_at, last_used_at, "
        "revoked_at FROM tokens ORDER BY created_at DESC, id DESC LIMIT $1",
    .list_tokens_of_account =
        "SELECT id, account_id, name, scopes, creator, created_at, expires_at, last_used_at, "
        "revoked_at FROM tokens WHERE account_id = $1 ORDER BY created_at DESC, id DESC LIMIT $2",
    .revoke_token =
        "UPDATE tokens SET revoked_at = $2 WHERE id = $1 AND (revoked_at IS NULL OR revoked_at > "
        "$2)",
    .touch_token =
        "UPDATE tokens SET last_used_at = $2 WHERE id = $1 AND "
        "(last_used_at IS NULL OR last_used_at < $3)",
    .credential_generation = "SELECT gen FROM credential_generation WHERE id = 1",
    .bump_credential_generation = "UPDATE credential_generation SET gen = gen + 1 WHERE id = 1",

    // --- Console sign-in.
    .insert_oidc_login =
        "INSERT INTO oidc_logins (state_hash, code_verifier, nonce, created_at) "
        "VALUES ($1, $2, $3, $4)",
    .take_oidc_login =
        "DELETE FROM oidc_logins WHERE state_hash = $1 RETURNING code_verifier, nonce, created_at",
    .purge_oidc_logins = "DELETE FROM oidc_logins WHERE created_at < $1",
    .insert_web_session =
        "INSERT INTO web_sessions (id_hash, account_id, roles, csrf_token, created_at, "
        "last_seen_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
    .get_web_session =
        "SELECT account_id, roles, csrf_token, created_at, last_seen_at, expires_at, revoked_at "
        "FROM web_sessions WHERE id_hash = $1",
    .touch_web_session =
        "UPDATE web_sessions SET last_seen_at = $2 WHERE id_hash = $1 AND last_seen_at < $2",
    .revoke_web_session =
        "UPDATE web_sessions SET revoked_at = $2 WHERE id_hash = $1 AND revoked_at IS NULL",
    .purge_web_sessions = "DELETE FROM web_sessions WHERE expires_at < $1",

    // --- Products.
    .get_product =
        "SELECT id, account_id, kind, name, billing, region, public_ips, expires_at, status, "
        "vhost_username, vhost_password_hash, created_at, updated_at FROM products WHERE id = $1",
    .get_products_in =
        "SELECT id, account_id, kind, name, billing, region, public_ips, expires_at, status, "
        "vhost_username, vhost_password_hash, created_at, updated_at FROM products "
        "WHERE id IN (SELECT value FROM json_each($1))",
    .insert_product =
        "INSERT INTO products (id, account_id, kind, name, billing, region, public_ips, "
        "expires_at, status, vhost_username, vhost_password_hash, created_at, updated_at) "
        "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) "
        "ON CONFLICT (id) DO NOTHING",
    .update_product =
        "UPDATE products SET account_id = $2, kind = $3, name = $4, billing = $5, region = $6, "
        "public_ips = $7, expires_at = $8, status = $9, vhost_username = $10, "
        "vhost_password_hash = $11, updated_at = $12 WHERE id = $1",
    .insert_products =
        "INSERT INTO products (id, account_id, kind, name, billing, region, public_ips, "
        "expires_at, status, vhost_username, vhost_password_hash, created_at, updated_at) "
        "SELECT json_extract(value, '$[0]'), json_extract(value, '$[1]'), "
        "json_extract(value, '$[2]'), json_extract(value, '$[3]'), json_extract(value, '$[4]'), "
        "json_extract(value, '$[5]'), json_extract(value, '$[6]'), json_extract(value, '$[7]'), "
        "json_extract(value, '$[8]'), json_extract(value, '$[9]'), json_extract(value, '$[10]'), "
        "json_extract(value, '$[11]'), json_extract(value, '$[12]') "
        "FROM json_each($1) WHERE true ORDER BY key ON CONFLICT (id) DO NOTHING RETURNING id",
    .update_products =
        "UPDATE products SET account_id = json_extract(r.value, '$[1]'), "
        "kind = json_extract(r.value, '$[2]'), name = json_extract(r.value, '$[3]'), "
        "billing = json_extract(r.value, '$[4]'), region = json_extract(r.value, '$[5]'), "
        "public_ips = json_extract(r.value, '$[6]'), expires_at = json_extract(r.value, '$[7]'), "
        "status = json_extract(r.value, '$[8]'), vhost_username = json_extract(r.value, '$[9]'), "
        "vhost_password_hash = json_extract(r.value, '$[10]'), "
        "updated_at = json_extract(r.value, '$[12]') "
        "FROM json_each($1) r WHERE products.id = json_extract(r.value, '$[0]')",
    .count_products_by_kind =
        "SELECT kind, COUNT(*) FROM products WHERE account_id = $1 AND status <> 'released' "
        "GROUP BY kind ORDER BY kind",
    .list_products =
        "SELECT id, account_id, kind, name, billing, region, public_ips, expires_at, status, "
        "vhost_username, vhost_password_hash, created_at, updated_at FROM products{where} "
        "ORDER BY id LIMIT $1",
    .products_of_account = "account_id = $?",
    .products_of_kind = "kind = $?",
    .products_after = "id > $?",
    .products_not_released = "status <> 'released'",

    // --- Quota scopes.
    .insert_quota_scope =
        "INSERT INTO quota_scopes (key, used) VALUES ($1, 0) ON CONFLICT (key) DO NOTHING",
    .lock_quota = "SELECT used FROM quota_scopes WHERE key = $1",
    .peek_quota = "SELECT used FROM quota_scopes WHERE key = $1",
    .peek_quotas_in =
        "SELECT key, used FROM quota_scopes WHERE key IN (SELECT value FROM json_each($1))",
    .add_quota_use = "UPDATE quota_scopes SET used = used + 1 WHERE key = $1",

    // --- Service numbers and grants.
    .insert_number =
        "INSERT INTO service_numbers (code, product_id, account_id, kind, quota_scope, state, "
        "issued_at, domain, filing_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) "
        "ON CONFLICT (code) DO NOTHING",
    .get_number =
        "SELECT code, product_id, account_id, kind, quota_scope, state, issued_at, domain, "
        "filing_id FROM service_numbers WHERE code = $1",
    .get_number_for_update =
        "SELECT code, product_id, account_id, kind, quota_scope, state, issued_at, domain, "
        "filing_id FROM service_numbers WHERE code = $1",
    .update_number =
        "UPDATE service_numbers SET state = $2, domain = $3, filing_id = $4 WHERE code = $1",
    .insert_grant =
        "INSERT INTO grants (code, account_id, granted_at) VALUES ($1, $2, $3) "
        "ON CONFLICT (code, account_id) DO NOTHING",
    .list_grants = "SELECT account_id, granted_at FROM grants WHERE code = $1 ORDER BY account_id",
    .delete_grant = "DELETE FROM grants WHERE code = $1 AND account_id = $2",
    .grants_in =
        "SELECT code, account_id FROM grants WHERE code IN (SELECT value FROM json_each($1)) "
        "ORDER BY code, account_id",
    .count_numbers_by_state =
        "SELECT state, COUNT(*) FROM service_numbers WHERE account_id = $1 GROUP BY state "
        "ORDER BY state",
    .list_numbers =
        "SELECT n.code, n.product_id, n.account_id, n.kind, n.quota_scope, n.state, n.issued_at, "
        "n.domain, n.filing_id FROM service_numbers n{where} ORDER BY n.code LIMIT $1",
    // Owned and granted numbers, each read from its own index in code order: one "owner OR
    // grantee" condition walks every number in code order until it has a page.
    .list_numbers_visible =
        "SELECT code, product_id, account_id, kind, quota_scope, state, issued_at, domain, "
        "filing_id FROM ("
        "SELECT * FROM (SELECT n.code, n.product_id, n.account_id, n.kind, n.quota_scope, "
        "n.state, n.issued_at, n.domain, n.filing_id FROM service_numbers n "
        "WHERE n.account_id = $1{and} ORDER BY n.code LIMIT $2) o "
        "UNION "
        "SELECT * FROM (SELECT n.code, n.product_id, n.account_id, n.kind, n.quota_scope, "
        "n.state, n.issued_at, n.domain, n.filing_id FROM grants g "
        "JOIN service_numbers n ON n.code = g.code "
        "WHERE g.account_id = $1{and} ORDER BY g.code LIMIT $2) gr"
        ") u ORDER BY code LIMIT $2",
    .list_numbers_visible_after =
        "SELECT code, product_id, account_id, kind, quota_scope, state, issued_at, domain, "
        "filing_id FROM ("
        "SELECT * FROM (SELECT n.code, n.product_id, n.account_id, n.kind, n.quota_scope, "
        "n.state, n.issued_at, n.domain, n.filing_id FROM service_numbers n "
        "WHERE n.account_id = $1 AND n.code > $3{and} ORDER BY n.code LIMIT $2) o "
        "UNION "
        "SELECT * FROM (SELECT n.code, n.product_id, n.account_id, n.kind, n.quota_scope, "
        "n.state, n.issued_at, n.domain, n.filing_id FROM grants g "
        "JOIN service_numbers n ON n.code = g.code "
        "WHERE g.account_id = $1 AND g.code > $3 AND n.code > $3{and} ORDER BY g.code LIMIT $2) gr"
        ") u ORDER BY code LIMIT $2",
    .numbers_in_state = "n.state = $?",
    .numbers_not_available = "n.state <> 'available'",
    .numbers_of_product = "n.product_id = $?",
    .numbers_after = "n.code > $?",

    // --- Filings.
    .insert_filing =
        "INSERT INTO filings (id, account_id, owner_id, domain, service_number, product_id, "
        "state, reason, created_at, updated_at) "
        "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    .get_filing =
        "SELECT id, account_id, owner_id, domain, service_number, product_id, state, reason, "
        "created_at, updated_at FROM filings WHERE id = $1",
    .get_filing_for_update =
        "SELECT id, account_id, owner_id, domain, service_number, product_id, state, reason, "
        "created_at, updated_at FROM filings WHERE id = $1",
    .update_filing = "UPDATE filings SET state = $2, reason = $3, updated_at = $4 WHERE id = $1",
    .active_filing_for_domain =
        "SELECT id, account_id, owner_id, domain, service_number, product_id, state, reason, "
        "created_at, updated_at FROM filings WHERE domain = $1 AND account_id = $2 AND state IN "
        "('in_review', 'approved')",
    .approved_filing_for_domain =
        "SELECT id, account_id, owner_id, domain, service_number, product_id, state, reason, "
        "created_at, updated_at FROM filings WHERE domain = $1 AND state = 'approved'",
    // The IN term repeats the partial index's condition so that SQLite uses it too.
    .filings_in_review_for_domain =
        "SELECT id, account_id, owner_id, domain, service_number, product_id, state, reason, "
        "created_at, updated_at FROM filings WHERE domain = $1 AND state IN "
        "('in_review', 'approved') AND state = 'in_review' ORDER BY id",
    .list_filings =
        "SELECT id, account_id, owner_id, domain, service_number, product_id, state, reason, "
        "created_at, updated_at FROM filings{where} ORDER BY id LIMIT $1",
    .list_filings_oldest =
        "SELECT id, account_id, owner_id, domain, service_number, product_id, state, reason, "
        "created_at, updated_at FROM filings{where} ORDER BY created_at, id LIMIT $1",
    .list_filings_newest =
        "SELECT id, account_id, owner_id, domain, service_number, product_id, state, reason, "
        "created_at, updated_at FROM filings{where} ORDER BY created_at DESC, id DESC LIMIT $1",
    .filings_of_number =
        "SELECT id, account_id, owner_id, domain, service_number, product_id, state, reason, "
        "created_at, updated_at FROM filings WHERE service_number = $1 ORDER BY id",
    // The filer's and the product owner's filings, each read from its own index in id order: one
    // "account_id = v OR owner_id = v" walks every filing in id order until it has a page.
    .list_filings_visible =
        "SELECT id, account_id, owner_id, domain, service_number, product_id, state, reason, "
        "created_at, updated_at FROM ("
        "SELECT * FROM (SELECT id, account_id, owner_id, domain, service_number, product_id, "
        "state, reason, created_at, updated_at FROM filings "
        "WHERE account_id = $1{and} ORDER BY id LIMIT $2) a "
        "UNION "
        "SELECT * FROM (SELECT id, account_id, owner_id, domain, service_number, product_id, "
        "state, reason, created_at, updated_at FROM filings "
        "WHERE owner_id = $1{and} ORDER BY id LIMIT $2) o"
        ") f ORDER BY id LIMIT $2",
    .filings_in_state = "state = $?",
    .filings_after = "id > $?",
    .filings_of_account = "account_id = $?",
    .filings_of_kind = "product_id IN (SELECT id FROM products WHERE kind = $?)",
    .filings_submitted_before = "created_at < $?",
    .filings_after_oldest = "(created_at > $? OR (created_at = $? AND id > $?))",
    .filings_after_newest = "(created_at < $? OR (created_at = $? AND id < $?))",

    // --- Idempotency keys.
    .get_idempotency =
        "SELECT account_id, key, request_hash, result, created_at FROM idempotency "
        "WHERE account_id = $1 AND key = $2",
    .put_idempotency =
        "INSERT INTO idempotency (account_id, key, request_hash, result, created_at) "
        "VALUES ($1, $2, $3, $4, $5)",
    .purge_idempotency = "DELETE FROM idempotency WHERE created_at < $1",

    // --- Attempts.
    .lock_attempts = "",
    .count_attempts = "SELECT COUNT(*) FROM attempts WHERE subject = $1 AND at >= $2",
    .nth_attempt =
        "SELECT at FROM attempts WHERE subject = $1 AND at >= $2 ORDER BY at LIMIT 1 OFFSET $3",
    .record_attempt = "INSERT INTO attempts (subject, at) VALUES ($1, $2)",
    // One row of possibly several equal ones, by rowid.
    .remove_attempt =
        "DELETE FROM attempts WHERE rowid IN (SELECT rowid FROM attempts "
        "WHERE subject = $1 AND at = $2 LIMIT 1)",
    .purge_attempts = "DELETE FROM attempts WHERE at < $1",

    // --- Rate buckets.
    .insert_bucket =
        "INSERT INTO rate_buckets (key, level, at) VALUES ($1, $2, $3) "
        "ON CONFLICT (key) DO NOTHING",
    .lock_bucket = "SELECT level, at FROM rate_buckets WHERE key = $1",
    .put_bucket = "UPDATE rate_buckets SET level = $2, at = $3 WHERE key = $1",
    .purge_buckets = "DELETE FROM rate_buckets WHERE at < $1",

    // --- Events. seq is the autoincrement rowid: writers are serialised, so it is commit order.
    .append_event =
        "INSERT INTO events (at, actor, type, account_id, subject, data, account2) "
        "VALUES ($1, $2, $3, $4, $5, $6, $7)",
    .append_events =
        "INSERT INTO events (at, actor, type, account_id, subject, data, account2) "
        "SELECT json_extract(value, '$[0]'), json_extract(value, '$[1]'), "
        "json_extract(value, '$[2]'), json_extract(value, '$[3]'), json_extract(value, '$[4]'), "
        "json_extract(value, '$[5]'), json_extract(value, '$[6]') FROM json_each($1) ORDER BY key",
    .list_events =
        "SELECT seq, at, actor, type, account_id, subject, data, account2 FROM events "
        "WHERE seq > $1 ORDER BY seq LIMIT $2",
    // Two ordered index scans merged, each limited (an OR would sort every matching row).
    .list_events_of_account =
        "SELECT seq, at, actor, type, account_id, subject, data, account2 FROM ("
        "SELECT * FROM (SELECT seq, at, actor, type, account_id, subject, data, account2 "
        "FROM events WHERE seq > $1 AND account_id = $3 ORDER BY seq LIMIT $2) a "
        "UNION ALL "
        "SELECT * FROM (SELECT seq, at, actor, type, account_id, subject, data, account2 "
        "FROM events WHERE seq > $1 AND account2 = $3 AND account2 <> '' "
        "ORDER BY seq LIMIT $2) b"
        ") u ORDER BY seq LIMIT $2",
    .list_events_desc =
        "SELECT seq, at, actor, type, account_id, subject, data, account2 FROM events "
        "WHERE seq < $1 ORDER BY seq DESC LIMIT $2",
    .list_events_of_account_desc =
        "SELECT seq, at, actor, type, account_id, subject, data, account2 FROM ("
        "SELECT * FROM (SELECT seq, at, actor, type, account_id, subject, data, account2 "
        "FROM events WHERE seq < $1 AND account_id = $3 ORDER BY seq DESC LIMIT $2) a "
        "UNION ALL "
        "SELECT * FROM (SELECT seq, at, actor, type, account_id, subject, data, account2 "
        "FROM events WHERE seq < $1 AND account2 = $3 AND account2 <> '' "
        "ORDER BY seq DESC LIMIT $2) b"
        ") u ORDER BY seq DESC LIMIT $2",

    // --- Search.
    .products_by_ip =
        "SELECT p.id, p.account_id, p.kind, p.name, p.billing, p.region, p.public_ips, "
        "p.expires_at, "
        "p.status, p.vhost_username, p.vhost_password_hash, p.created_at, p.updated_at "
        "FROM product_ips i JOIN products p ON p.id = i.product_id WHERE i.ip = $1 "
        "ORDER BY i.product_id LIMIT $2",
    .products_by_ip_of_account =
        "SELECT p.id, p.account_id, p.kind, p.name, p.billing, p.region, p.public_ips, "
        "p.expires_at, "
        "p.status, p.vhost_username, p.vhost_password_hash, p.created_at, p.updated_at "
        "FROM product_ips i JOIN products p ON p.id = i.product_id WHERE i.ip = $1 "
        "AND p.account_id = $2 AND p.status <> 'released' ORDER BY i.product_id LIMIT $3",
    .filings_by_domain =
        "SELECT id, account_id, owner_id, domain, service_number, product_id, state, reason, "
        "created_at, updated_at FROM filings WHERE domain = $1 ORDER BY id LIMIT $2",
    .filings_by_domain_visible =
        "SELECT id, account_id, owner_id, domain, service_number, product_id, state, reason, "
        "created_at, updated_at FROM filings WHERE domain = $1 "
        "AND (account_id = $2 OR owner_id = $2) ORDER BY id LIMIT $3",

    // --- Dashboard.
    .numbers_issued_per_bucket =
        "SELECT (issued_at - $1) / $3 AS b, COUNT(*) FROM service_numbers "
        "WHERE issued_at >= $1 AND issued_at < $2 GROUP BY b ORDER BY b",
    .events_per_bucket =
        "SELECT (at - $2) / $4 AS b, COUNT(*) FROM events "
        "WHERE type = $1 AND at >= $2 AND at < $3 GROUP BY b ORDER BY b",
    .nth_oldest_in_review =
        "SELECT created_at FROM filings WHERE state = 'in_review' "
        "ORDER BY created_at LIMIT 1 OFFSET $1",

    // --- Statistics.
    .state_counts =
        "SELECT state, CAST(SUM(n) AS BIGINT) FROM state_counts WHERE entity = $1 GROUP BY state "
        "HAVING SUM(n) > 0 ORDER BY state",

    // --- Schema versions and health.
    .migration_lock = "",
    .has_version_table =
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'",
    .create_version_table =
        "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, "
        "applied_at BIGINT NOT NULL)",
    .current_version = "SELECT COALESCE(MAX(version), 0) FROM schema_version",
    .insert_version = "INSERT INTO schema_version (version, applied_at) VALUES ($1, $2)",
    .touch_version =
        "UPDATE schema_version SET applied_at = applied_at "
        "WHERE version = (SELECT MAX(version) FROM schema_version)",
    .ping = "SELECT 1",

    // --- Webhooks (009_webhooks.sql).
    .insert_webhook =
        "INSERT INTO webhooks (id, account_id, url, event_types, description, secret, "
        "previous_secret, previous_secret_expires_at, state, disabled_reason, cursor_seq, "
        "failing_since, lease_owner, lease_until, next_at, created_at, updated_at) VALUES ($1, $2, "
        "$3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)",
    .get_webhook =
        "SELECT id, account_id, url, event_types, description, secret, previous_secret, "
        "previous_secret_expires_at, state, disabled_reason, cursor_seq, failing_since, "
        "lease_owner, lease_until, next_at, created_at, updated_at FROM webhooks WHERE id = $1",
    .lock_webhook =
        "SELECT id, account_id, url, event_types, description, secret, previous_secret, "
        "previous_secret_expires_at, state, disabled_reason, cursor_seq, failing_since, "
        "lease_owner, lease_until, next_at, created_at, updated_at FROM webhooks WHERE id = $1",
    .list_webhooks =
        "SELECT id, account_id, url, event_types, description, secret, previous_secret, "
        "previous_secret_expires_at, state, disabled_reason, cursor_seq, failing_since, "
        "lease_owner, lease_until, next_at, created_at, updated_at FROM webhooks WHERE account_id "
        "= $1 AND id > $2 ORDER BY id LIMIT $3",
    .count_webhooks = "SELECT COUNT(*) FROM webhooks WHERE account_id = $1",
    .update_webhook =
        "UPDATE webhooks SET url = $2, event_types = $3, description = $4, secret = $5, "
        "previous_secret = $6, previous_secret_expires_at = $7, state = $8, disabled_reason = $9, "
        "cursor_seq = $10, failing_since = $11, next_at = $12, updated_at = $13 WHERE id = $1",
    .set_webhook_lease = "UPDATE webhooks SET lease_owner = $2, lease_until = $3 WHERE id = $1",
    .delete_webhook = "DELETE FROM webhooks WHERE id = $1",
    .delete_webhook_messages = "DELETE FROM webhook_messages WHERE webhook_id = $1",
    .delete_webhook_attempts = "DELETE FROM webhook_attempts WHERE webhook_id = $1",
    .events_high_water = "SELECT COALESCE(MAX(seq), 0) FROM events",
    .webhook_due =
        "SELECT id FROM webhooks WHERE state = 'active' AND lease_until < $1 AND (next_at <= $1 OR "
        "cursor_seq < $2) ORDER BY next_at, id LIMIT 1",
    .claim_webhook =
        "SELECT id FROM webhooks WHERE state = 'active' AND lease_until < $1 AND (next_at <= $1 OR "
        "cursor_seq < $2) ORDER BY next_at, id LIMIT 1",
    .upsert_webhook_message =
        "INSERT INTO webhook_messages (webhook_id, seq, event_type, state, attempts, queued_at, "
        "next_attempt_at) VALUES ($1, $2, $3, 'pending', 0, $4, $5) ON CONFLICT (webhook_id, seq) "
        "DO UPDATE SET state = 'pending', attempts = 0, queued_at = excluded.queued_at, "
        "next_attempt_at = excluded.next_attempt_at",
    .head_webhook_message =
        "SELECT webhook_id, seq, event_type, state, attempts, queued_at, next_attempt_at FROM "
        "webhook_messages WHERE webhook_id = $1 AND state = 'pending' ORDER BY queued_at, seq "
        "LIMIT 1",
    .update_webhook_message =
        "UPDATE webhook_messages SET state = $3, attempts = $4, next_attempt_at = $5 WHERE "
        "webhook_id = $1 AND seq = $2",
    .insert_webhook_attempt =
        "INSERT INTO webhook_attempts (webhook_id, seq, event_type, attempt, at, outcome, status, "
        "latency_ms, response, next_attempt_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    .list_webhook_attempts =
        "SELECT id, webhook_id, seq, event_type, attempt, at, outcome, status, latency_ms, "
        "response, next_attempt_at FROM webhook_attempts WHERE webhook_id = $1 AND id < $2 ORDER "
        "BY id DESC LIMIT $3",
    .count_pending_messages =
        "SELECT COUNT(*) FROM webhook_messages WHERE webhook_id = $1 AND state = 'pending'",
    .last_webhook_attempt =
        "SELECT at, outcome FROM webhook_attempts WHERE webhook_id = $1 ORDER BY id DESC LIMIT 1",
    .webhook_queue_stats =
        "SELECT COUNT(*), MIN(m.queued_at) FROM webhook_messages m JOIN webhooks w ON w.id = "
        "m.webhook_id WHERE m.state = 'pending' AND w.state = 'active'",
    .get_event =
        "SELECT seq, at, actor, type, account_id, subject, data, account2 FROM events WHERE seq = "
        "$1",
    .events_in_seqs =
        "SELECT seq, at, actor, type, account_id, subject, data, account2 FROM events WHERE seq IN "
        "(SELECT value FROM json_each($1)) ORDER BY seq",
    .events_in_time_range =
        "SELECT seq, at, actor, type, account_id, subject, data, account2 FROM events WHERE at >= "
        "$1 AND at < $2 ORDER BY seq LIMIT $3",
    // --- Notices.
    .insert_notice =
        "INSERT INTO notices (kind, account_id, object_id, product_id, occurred_at, due_at, "
        "detail, min_months, review_days, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, "
        "$10) ON CONFLICT (kind, object_id, occurred_at) DO NOTHING RETURNING id",
    .list_notices =
        "SELECT id, kind, account_id, object_id, product_id, occurred_at, due_at, detail, "
        "min_months, "
        "review_days, created_at FROM notices WHERE id < $1 ORDER BY id DESC LIMIT $2",
    .list_notices_of_account =
        "SELECT id, kind, account_id, object_id, product_id, occurred_at, due_at, detail, "
        "min_months, "
        "review_days, created_at FROM notices WHERE account_id = $1 AND id < $2 "
        "ORDER BY account_id DESC, id DESC LIMIT $3",
    .notice_term_candidates =
        "SELECT "
        "p.id, p.account_id, p.kind, p.name, p.billing, p.region, p.public_ips, p.expires_at, "
        "p.status, p.vhost_username, p.vhost_password_hash, p.created_at, p.updated_at "
        "FROM products p WHERE p.kind = $1 AND p.status IN ('running', 'stopped') "
        "AND p.billing = 'subscription' AND p.expires_at > $2 AND p.expires_at < $3 "
        "AND (p.expires_at, p.id) > ($4, $5) "
        "AND EXISTS (SELECT 1 FROM service_numbers n WHERE n.product_id = p.id "
        "AND n.state = 'available') "
        "AND NOT EXISTS (SELECT 1 FROM notices x WHERE x.kind = 'product.term_expiring' "
        "AND x.object_id = p.id AND x.occurred_at = p.expires_at) "
        "ORDER BY p.expires_at, p.id LIMIT $6",
    .notice_expired_between =
        "SELECT "
        "p.id, p.account_id, p.kind, p.name, p.billing, p.region, p.public_ips, p.expires_at, "
        "p.status, p.vhost_username, p.vhost_password_hash, p.created_at, p.updated_at, "
        "COALESCE(p.status_changed_at, p.created_at), COALESCE(p.ips_changed_at, p.created_at) "
        "FROM products p WHERE p.expires_at > $1 AND p.expires_at <= $2 "
        "AND (p.expires_at, p.id) > ($3, $4) ORDER BY p.expires_at, p.id LIMIT $5",
    .notice_lapsed_changed =
        "SELECT "
        "p.id, p.account_id, p.kind, p.name, p.billing, p.region, p.public_ips, p.expires_at, "
        "p.status, p.vhost_username, p.vhost_password_hash, p.created_at, p.updated_at, "
        "COALESCE(p.status_changed_at, p.created_at), COALESCE(p.ips_changed_at, p.created_at) "
        "FROM products p WHERE (p.status IN ('expired', 'released') OR p.public_ips = '[]') "
        "AND p.updated_at > $1 AND p.updated_at <= $2 "
        "AND (p.updated_at, p.id) > ($3, $4) ORDER BY p.updated_at, p.id LIMIT $5",
    .notice_unnoticed_numbers =
        "SELECT n.code, n.product_id, n.account_id, n.kind, n.quota_scope, n.state, n.issued_at, "
        "n.domain, n.filing_id FROM service_numbers n JOIN products p ON p.id = n.product_id "
        "WHERE n.product_id IN (SELECT value FROM json_each($1)) AND n.state = 'available' "
        "AND NOT EXISTS (SELECT 1 FROM notices x WHERE x.kind = 'number.lapsed' "
        "AND x.object_id = n.code AND x.occurred_at >= CASE "
        "WHEN p.status = 'released' THEN COALESCE(p.status_changed_at, p.created_at) "
        "WHEN p.expires_at <= $2 THEN p.expires_at "
        "WHEN p.status = 'expired' THEN COALESCE(p.status_changed_at, p.created_at) "
        "ELSE COALESCE(p.ips_changed_at, p.created_at) END) "
        "ORDER BY n.code",
    .notice_overdue_filings =
        "SELECT f.id, f.account_id, f.owner_id, f.domain, f.service_number, f.product_id, "
        "f.state, f.reason, f.created_at, f.updated_at FROM filings f WHERE f.state = 'in_review' "
        "AND f.created_at <= $1 AND (f.created_at, f.id) > ($2, $3) "
        "AND NOT EXISTS (SELECT 1 FROM notices x WHERE x.kind = 'filing.review_overdue' "
        "AND x.object_id = f.id AND x.occurred_at = f.created_at) "
        "ORDER BY f.created_at, f.id LIMIT $4",
};

}  // namespace beian::store_internal
