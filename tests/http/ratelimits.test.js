// Write rate limits (issue 14 point 3): token buckets per account and per token, kept in the
// store, so that every server on one database shares them; operators' imports have their own
// bucket. RateLimit-Policy and RateLimit on every charged response, 429 RATE_LIMITED with
// Retry-After beyond. Small policy values with a slow refill make the test deterministic.
'use strict';
const { describe, test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { backends, cli, setup, startServer, call, assertProblem, product } = require('./lib/harness');

const POLICY = `[limits]
account_write_burst = 4
account_writes_per_minute = 1
token_write_burst = 3
token_writes_per_minute = 1
import_burst = 2
imports_per_minute = 1
`;

// Parses `"name";a=1;b=2, "other";…` into {name: {a: 1, b: 2}, …}.
function parseList(field) {
  assert.ok(field, 'header present');
  const out = {};
  for (const item of field.split(',')) {
    const [name, ...params] = item.trim().split(';');
    out[JSON.parse(name)] = Object.fromEntries(params.map((p) => p.split('=')).map(([k, v]) => [k, Number(v)]));
  }
  return out;
}

const invalidFiling = (ctx, token) => call(ctx.url, 'POST', '/v1/filings', { token, body: {} });

for (const backend of backends()) {
  describe(`write rate limits (${backend})`, () => {
    let ctx;
    let second;
    let dir;
    before(async () => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'beian-rl-'));
      const policy = path.join(dir, 'policy.toml');
      fs.writeFileSync(policy, POLICY);
      ctx = await setup(backend, { extraArgs: ['--policy', policy] });
      second = await startServer(ctx.db, { extraArgs: ['--policy', policy] });
    });
    after(async () => {
      await second.stop();
      await ctx.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    });

    test('per token, then per account; reads are not limited', async () => {
      const issued = await ctx.as('op').post('/v1/accounts/alice/tokens');
      assert.equal(issued.status, 201, issued.text);
      const other = issued.body.token;
      for (let i = 0; i < 3; i++) {
        const r = await invalidFiling(ctx, ctx.tokens.alice);
        assert.equal(r.status, 400, r.text);
        assert.deepEqual(parseList(r.headers.get('ratelimit-policy')),
          { account: { q: 4, w: 240 }, token: { q: 3, w: 180 } });
        const state = parseList(r.headers.get('ratelimit'));
        assert.equal(state.token.r, 2 - i);
        assert.equal(state.account.r, 3 - i);
        assert.ok(state.token.t > 0 && state.token.t <= 180);
      }
      const limited = await invalidFiling(ctx, ctx.tokens.alice);
      assertProblem(limited, 429, 'RATE_LIMITED');
      assert.match(limited.headers.get('retry-after'), /^[1-9][0-9]*$/);
      assert.ok(Number(limited.headers.get('retry-after')) <= 60);
      assert.equal(parseList(limited.headers.get('ratelimit')).token.r, 0);
      // The account's other token has its own bucket, but the account's is nearly empty.
      assert.equal((await invalidFiling(ctx, other)).status, 400);
      const accountLimited = await invalidFiling(ctx, other);
      assertProblem(accountLimited, 429, 'RATE_LIMITED');
      assert.equal(parseList(accountLimited.headers.get('ratelimit')).account.r, 0);
      // Refused writes changed nothing; reads still work, without RateLimit fields.
      const me = await ctx.as('alice').get('/v1/me');
      assert.equal(me.status, 200);
      assert.equal(me.headers.get('ratelimit'), null);
      // Another account is not affected, on the other server either.
      assert.equal((await call(second.url, 'POST', '/v1/filings', { token: ctx.tokens.carol, body: {} })).status, 400);
    });

    test('50 concurrent writes over two servers: exactly the burst passes', async () => {
      const results = await Promise.all(Array.from({ length: 50 }, (_, i) =>
        call(i % 2 ? second.url : ctx.url, 'POST', '/v1/filings', { token: ctx.tokens.bob, body: {} })));
      const statuses = results.map((r) => r.status);
      assert.equal(statuses.filter((s) => s === 400).length, 3, statuses.join(' '));
      assert.equal(statuses.filter((s) => s === 429).length, 47, statuses.join(' '));
      for (const r of results.filter((x) => x.status === 429)) {
        assertProblem(r, 429, 'RATE_LIMITED');
        assert.ok(r.headers.get('retry-after'));
      }
    });

    // On SQLite the applies of a token already authenticated are queued from the I/O thread to the
    // store's writer (docs/architecture.md, "Applies without a worker"); on PostgreSQL, and for a
    // refusal, they run on a worker. The answers and the charges are the same on every path.
    test('applies: a number, a refusal and a 429 are charged and answered alike', async () => {
      cli(ctx.db, ['account', 'add', 'frank', '--role', 'customer']);
      const token = cli(ctx.db, ['token', 'issue', 'frank']).stdout.trim();
      const file = path.join(dir, 'frank.ndjson');
      fs.writeFileSync(file, ['rl-f1', 'rl-f2', 'rl-f3'].map((id) => `${JSON.stringify(product(id, 'frank'))}\n`).join(''));
      cli(ctx.db, ['import', file]);
      const apply = (id) => call(ctx.url, 'POST', `/v1/products/${id}/service-numbers`, { token });
      const left = (r) => {
        const state = parseList(r.headers.get('ratelimit'));
        return [state.account.r, state.token.r];
      };
      assert.equal((await call(ctx.url, 'GET', '/v1/me', { token })).status, 200);  // now cached
      const first = await apply('rl-f1');
      assert.equal(first.status, 201, first.text);
      assert.equal(first.headers.get('location'), `/v1/service-numbers/${first.body.code}`);
      assert.equal(first.body.product_id, 'rl-f1');
      assert.deepEqual(left(first), [3, 2]);
      const missing = await apply('rl-none');  // refused, and charged
      assertProblem(missing, 404, 'NOT_FOUND');
      assert.ok(missing.body.request_id);
      assert.deepEqual(left(missing), [2, 1]);
      const second = await apply('rl-f2');
      assert.equal(second.status, 201, second.text);
      assert.deepEqual(left(second), [1, 0]);
      const limited = await apply('rl-f3');
      assertProblem(limited, 429, 'RATE_LIMITED');
      assert.match(limited.headers.get('retry-after'), /^[1-9][0-9]*$/);
      assert.deepEqual(left(limited), [1, 0]);
      assert.ok(limited.body.request_id);
      assert.ok(limited.headers.get('ratelimit-policy'));
      // Two numbers; the refused requests wrote nothing.
      const numbers = await call(ctx.url, 'GET', '/v1/service-numbers', { token });
      assert.equal(numbers.status, 200, numbers.text);
      assert.deepEqual(numbers.body.items.map((n) => n.product_id).sort(), ['rl-f1', 'rl-f2']);
    });

    test("operators' imports have their own budget", async () => {
      const line = JSON.stringify(product('rl-imp', 'dave'));
      for (let i = 0; i < 2; i++) {
        const r = await call(ctx.url, 'POST', '/v1/imports', { token: ctx.tokens.op, raw: `${line}\n`, headers: { 'Content-Type': 'application/x-ndjson' } });
        assert.equal(r.status, 200, r.text);
        assert.deepEqual(Object.keys(parseList(r.headers.get('ratelimit'))), ['import']);
      }
      const r = await call(second.url, 'POST', '/v1/imports', { token: ctx.tokens.op, raw: `${line}\n`, headers: { 'Content-Type': 'application/x-ndjson' } });
      assertProblem(r, 429, 'RATE_LIMITED');
      assert.equal(parseList(r.headers.get('ratelimit')).import.r, 0);
      // The operator's other writes draw from its account and token buckets: still open.
      const put = await ctx.as('op').put('/v1/accounts/erin', { role: 'customer' });
      assert.equal(put.status, 201, put.text);
    });
  });

  // The review's finding: one client looping submit filing -> withdraw added 4,590 filings and
  // 18,360 events in 20 s. With the default policy the loop now stops at its buckets.
  describe(`a submit/withdraw loop under the default limits (${backend})`, () => {
    let ctx;
    before(async () => { ctx = await setup(backend); });
    after(async () => { await ctx.stop(); });

    test('stops at the burst plus what refilled, and further writes are refused', async () => {
      await ctx.putProducts(product('rl-loop', 'alice'));
      const started = Date.now();
      const applied = await ctx.as('alice').post('/v1/products/rl-loop/service-numbers');
      assert.equal(applied.status, 201, applied.text);
      const buckets = parseList(applied.headers.get('ratelimit-policy'));
      let accepted = 1;
      let limited;
      for (let i = 0; i < 2000; i++) {
        const f = await ctx.as('alice').post('/v1/filings',
          { domain: `rl-loop-${i}.example.cn`, service_number: applied.body.code });
        if (f.status === 429) { limited = f; break; }
        assert.equal(f.status, 201, f.text);
        accepted += 1;
        const w = await ctx.as('alice').post(`/v1/filings/${f.body.id}/withdraw`);
        if (w.status === 429) { limited = w; break; }
        assert.equal(w.status, 200, w.text);
        accepted += 1;
      }
      assert.ok(limited, 'the loop was never limited');
      assertProblem(limited, 429, 'RATE_LIMITED');
      assert.ok(accepted >= Math.min(...Object.values(buckets).map(({ q }) => q)), `only ${accepted} accepted`);
      // Ten more writes: a token may have refilled meanwhile (the buckets count whole seconds), so
      // any answer but 429 counts as accepted, and every 429 says when to retry.
      let refused = 0;
      for (let i = 0; i < 10; i++) {
        const r = await ctx.as('alice').post('/v1/filings', { domain: `rl-after-${i}.example.cn`, service_number: applied.body.code });
        if (r.status !== 429) { accepted += 1; continue; }
        refused += 1;
        assertProblem(r, 429, 'RATE_LIMITED');
        assert.match(r.headers.get('retry-after'), /^[1-9][0-9]*$/);
      }
      const seconds = (Date.now() - started) / 1000;
      // The smallest bucket decides: q at once, then q per w seconds (+1: a refill on the boundary
      // of the last second counted).
      const allowed = Math.min(...Object.values(buckets).map(({ q, w }) => q + Math.ceil(seconds * q / w) + 1));
      assert.ok(accepted <= allowed, `${accepted} writes accepted in ${seconds} s, at most ${allowed} allowed`);
      assert.ok(refused >= 8, `only ${refused} of 10 further writes refused`);
    });
  });
}
