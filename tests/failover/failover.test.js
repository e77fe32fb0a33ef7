// Failover under load (make failover): a real cluster from scripts/cluster.sh (etcd, three
// PostgreSQL 15 under Patroni with synchronous replication, haproxy, three `beian serve` nodes).
// Clients apply for numbers, submit filings and approve them through haproxy without pause; the
// primary PostgreSQL is SIGKILLed (with its Patroni: the loss of its machine), later a beian node.
// Afterwards every acknowledged number, filing and approval is in the database, no quota is
// exceeded and no filing holds two numbers. Prints the unavailability window and the errors the
// clients saw (FAILOVER_REPORT=file also writes them as JSON).
'use strict';
const { test } = require('node:test');
const assert = require('node:assert/strict');
const { spawnSync } = require('node:child_process');
const crypto = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { ROOT, BIN, cli, inDays, highWriteLimitsPolicy } = require('../http/lib/harness');

const CLUSTER = path.join(ROOT, 'scripts/cluster.sh');
const RUN_MS = Number(process.env.FAILOVER_RUN_MS || 45000);
const KILL_PRIMARY_AT = 10000;
const KILL_NODE_AT = 28000;
const WORKERS = 8;
const CUSTOMERS = 4;
const PRODUCTS_PER_CUSTOMER = 600;
const GOAL_MS = 15000;

function sh(args, env = {}) {
  const r = spawnSync(CLUSTER, args, { encoding: 'utf8', env: { ...process.env, BEIAN_BIN: BIN, ...env } });
  assert.equal(r.status, 0, `cluster.sh ${args.join(' ')}: ${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

function psql(url, sql) {
  const r = spawnSync('psql', [url, '-v', 'ON_ERROR_STOP=1', '-qAtF', '\t', '-c', sql], { encoding: 'utf8' });
  assert.equal(r.status, 0, `psql: ${r.stderr}`);
  return r.stdout.trim() === '' ? [] : r.stdout.trim().split('\n').map((l) => l.split('\t'));
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

test('the cluster rides through the loss of its primary and of a beian node', { timeout: 15 * 60000 }, async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'beian-failover-'));
  t.after(() => spawnSync(CLUSTER, ['down', dir], { stdio: 'inherit' }));
  // The write rate limits (per account and token) would refuse most of this load: the test is
  // about failover, so its nodes allow far more writes than the defaults.
  const out = sh(['up', dir], { CLUSTER_POLICY: highWriteLimitsPolicy() });
  const httpUrl = out.match(/^HTTP_URL=(.*)$/m)[1];
  const pgUrl = out.match(/^PG_URL=(.*)$/m)[1];

  // Accounts, tokens and products (quota: 5 numbers per ECS product).
  const tokens = {};
  cli(pgUrl, ['account', 'add', 'op', '--role', 'operator']);
  tokens.op = cli(pgUrl, ['token', 'issue', 'op']).stdout.trim();
  const products = [];
  const lines = [];
  for (let c = 0; c < CUSTOMERS; c++) {
    const id = `c${c}`;
    cli(pgUrl, ['account', 'add', id, '--role', 'customer']);
    tokens[id] = cli(pgUrl, ['token', 'issue', id]).stdout.trim();
    for (let p = 0; p < PRODUCTS_PER_CUSTOMER; p++) {
      const pid = `ecs-${c}-${p}`;
      products.push({ id: pid, owner: id });
      lines.push(JSON.stringify({
        id: pid, account_id: id, kind: 'ecs', name: pid, billing: 'subscription', region: 'cn-hangzhou',
        public_ips: ['47.96.1.2'], expires_at: inDays(400), status: 'running',
      }));
    }
  }
  const file = path.join(dir, 'products.ndjson');
  fs.writeFileSync(file, lines.join('\n') + '\n');
  cli(pgUrl, ['import', file]);

  // What the clients were told.
  const acked = { numbers: new Map(), filings: new Map(), approvals: new Set() };
  const unfiled = [];    // acknowledged numbers without a filing yet: {code, owner}
  const inReview = [];   // acknowledged filing ids
  const errors = {};     // "POST apply 503" -> count
  const successes = [];  // [start, end] of every acknowledged write
  let refusals = 0;
  const start = Date.now();
  const now = () => Date.now() - start;

  // One logical write: retried with the same Idempotency-Key while the answer is not definite.
  async function write(kind, p, token, body, key) {
    for (;;) {
      const t0 = now();
      let status;
      let json;
      try {
        const headers = { Authorization: `Bearer ${token}` };
        if (key) headers['Idempotency-Key'] = key;
        if (body !== undefined) headers['Content-Type'] = 'application/json';
        const res = await fetch(httpUrl + p, {
          method: 'POST', headers, body: body === undefined ? undefined : JSON.stringify(body),
          signal: AbortSignal.timeout(20000),
        });
        status = res.status;
        const text = await res.text();
        json = text ? JSON.parse(text) : undefined;
        if (status === 503 && res.headers.get('retry-after') === null) status = '503 (no Retry-After)';
      } catch (e) {
        status = `network:${e.cause?.code || e.name}`;
      }
      if (typeof status === 'number' && status < 500) {
        if (status < 300) successes.push([t0, now()]);
        return { status, json };
      }
      const k = `${kind} ${status}`;
      errors[k] = (errors[k] || 0) + 1;
      if (now() > RUN_MS + 60000) return { status, json };
      await sleep(200);
    }
  }

  async function worker(w) {
    let i = 0;
    while (now() < RUN_MS) {
      i++;
      const r = (w * 7919 + i * 104729) % 10;
      if (r < 2 && inReview.length > 0) {
        const id = inReview.shift();
        const res = await write('approve', `/v1/filings/${id}/approve`, tokens.op, undefined, null);
        if (res.status === 200) acked.approvals.add(id);
        else if (res.status === 409) refusals++;  // approved by an attempt whose answer was lost
        else assert.fail(`approve ${id}: ${res.status} ${JSON.stringify(res.json)}`);
      } else if (r < 5 && unfiled.length > 0) {
        const n = unfiled.shift();
        const domain = `f${crypto.randomBytes(6).toString('hex')}.example.cn`;
        const res = await write('file', '/v1/filings', tokens[n.owner], { domain, service_number: n.code },
          crypto.randomUUID());
        if (res.status === 201) {
          acked.filings.set(res.json.id, n.code);
          inReview.push(res.json.id);
        } else {
          assert.ok(res.status >= 400 && res.status < 500, `file: ${res.status} ${JSON.stringify(res.json)}`);
          refusals++;
        }
      } else {
        const p = products[(w * 131 + i * 17) % products.length];
        const res = await write('apply', `/v1/products/${p.id}/service-numbers`, tokens[p.owner], undefined,
          crypto.randomUUID());
        if (res.status === 201) {
          assert.ok(!acked.numbers.has(res.json.code), `number ${res.json.code} issued twice`);
          acked.numbers.set(res.json.code, p.id);
          unfiled.push({ code: res.json.code, owner: p.owner });
        } else {
          assert.equal(res.status, 409, `apply: ${res.status} ${JSON.stringify(res.json)}`);
          refusals++;
        }
      }
    }
  }

  const events = {};
  const chaos = (async () => {
    await sleep(KILL_PRIMARY_AT);
    events.primaryKilledAt = now();
    events.primary = sh(['kill-primary', dir]).trim();
    await sleep(KILL_NODE_AT - KILL_PRIMARY_AT);
    events.nodeKilledAt = now();
    sh(['kill-node', dir, '2']);
  })();
  await Promise.all([chaos, ...Array.from({ length: WORKERS }, (_, w) => worker(w))]);

  // The unavailability window: from the kill to the end of the first acknowledged write that
  // was sent after it.
  const firstAfter = (at) => Math.min(...successes.filter(([s]) => s >= at).map(([, e]) => e));
  const primaryWindow = firstAfter(events.primaryKilledAt) - events.primaryKilledAt;
  const nodeWindow = firstAfter(events.nodeKilledAt) - events.nodeKilledAt;
  let longestGap = 0;
  const ends = successes.map(([, e]) => e).sort((a, b) => a - b);
  for (let i = 1; i < ends.length; i++) longestGap = Math.max(longestGap, ends[i] - ends[i - 1]);
  const report = {
    killed: events.primary,
    acknowledged: { numbers: acked.numbers.size, filings: acked.filings.size, approvals: acked.approvals.size },
    refusals,
    primary_unavailable_ms: primaryWindow,
    node_unavailable_ms: nodeWindow,
    longest_gap_between_acknowledged_writes_ms: longestGap,
    client_errors: errors,
  };
  console.log(`failover report: ${JSON.stringify(report, null, 2)}`);
  if (process.env.FAILOVER_REPORT) fs.writeFileSync(process.env.FAILOVER_REPORT, JSON.stringify(report, null, 2));

  // Writes were acknowledged after each fault: the cluster came back by itself.
  assert.ok(Number.isFinite(primaryWindow), 'no write was acknowledged after the primary was killed');
  assert.ok(Number.isFinite(nodeWindow), 'no write was acknowledged after the node was killed');
  assert.ok(primaryWindow < GOAL_MS, `unavailable for ${primaryWindow} ms after the primary was killed`);

  // Every acknowledged number exists, on the product it was issued for.
  const numbers = new Map(psql(pgUrl, 'SELECT code, product_id FROM service_numbers'));
  for (const [code, pid] of acked.numbers) assert.equal(numbers.get(code), pid, `acknowledged number ${code} lost`);
  // Every acknowledged filing exists with its number; every acknowledged approval holds.
  const filings = new Map(psql(pgUrl, 'SELECT id, service_number, state FROM filings').map(([id, sn, st]) => [id, { sn, st }]));
  for (const [id, code] of acked.filings) {
    assert.ok(filings.has(id), `acknowledged filing ${id} lost`);
    assert.equal(filings.get(id).sn, code);
  }
  for (const id of acked.approvals) assert.equal(filings.get(id).st, 'approved', `approval of ${id} lost`);
  // No quota exceeded: at most 5 numbers per product, and each scope's count matches its numbers.
  assert.deepEqual(psql(pgUrl, 'SELECT product_id FROM service_numbers GROUP BY product_id HAVING count(*) > 5'), []);
  assert.deepEqual(psql(pgUrl, `SELECT q.key FROM quota_scopes q
    WHERE q.used <> (SELECT count(*) FROM service_numbers n WHERE n.quota_scope = q.key)`), []);
  // The overview's per-state counts still match the rows.
  assert.deepEqual(psql(pgUrl, `SELECT entity, state FROM
      (SELECT entity, state, SUM(n) AS n FROM state_counts GROUP BY entity, state HAVING SUM(n) <> 0) c
    FULL JOIN (SELECT 'numbers' AS entity, state, COUNT(*) AS n FROM service_numbers GROUP BY state
               UNION ALL SELECT 'filings', state, COUNT(*) FROM filings GROUP BY state) r USING (entity, state)
    WHERE c.n IS DISTINCT FROM r.n`), []);
  // No filing holds two numbers, no number is in two active filings.
  assert.deepEqual(psql(pgUrl, `SELECT filing_id FROM service_numbers WHERE filing_id IS NOT NULL
    GROUP BY filing_id HAVING count(*) > 1`), []);
  assert.deepEqual(psql(pgUrl, `SELECT service_number FROM filings WHERE state IN ('in_review', 'approved')
    GROUP BY service_number HAVING count(*) > 1`), []);
});
