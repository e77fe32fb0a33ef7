// GET /v1/stats over HTTP: exact figures of a small world (numbers issued, filing transitions,
// review queue, quota use by kind, products that cannot apply by reason), the buckets, operator
// only, validation 400s; on SQLite and PostgreSQL.
'use strict';
const { describe, test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { backends, setup, assertProblem, product } = require('./lib/harness');

for (const backend of backends()) {
  describe(`stats (${backend})`, () => {
    let ctx;
    let op;
    let alice;
    let bob;
    before(async () => {
      ctx = await setup(backend);
      op = ctx.as('op');
      alice = ctx.as('alice');
      bob = ctx.as('bob');
      await ctx.putProducts(
        product('st-a1', 'alice'),
        product('st-a2', 'alice', { public_ips: [] }),
        product('st-b1', 'bob'));
      const codes = [];
      for (const [who, p] of [[alice, 'st-a1'], [alice, 'st-a1'], [bob, 'st-b1']]) {
        const r = await who.post(`/v1/products/${p}/service-numbers`);
        assert.equal(r.status, 201, r.text);
        codes.push(r.body.code);
      }
      const file = async (who, domain, code) => {
        const r = await who.post('/v1/filings', { domain, service_number: code });
        assert.equal(r.status, 201, r.text);
        return r.body.id;
      };
      const f1 = await file(alice, 'stats-one.cn', codes[0]);
      const f2 = await file(alice, 'stats-two.cn', codes[1]);
      await file(bob, 'stats-three.cn', codes[2]);
      assert.equal((await op.post(`/v1/filings/${f1}/approve`)).status, 200);
      assert.equal((await op.post(`/v1/filings/${f2}/reject`, { reason: 'no' })).status, 200);
    });
    after(async () => { await ctx.stop(); });

    test('default: the last 30 days by day, with this small world\'s exact figures', async () => {
      const r = await op.get('/v1/stats');
      assert.equal(r.status, 200, r.text);
      const s = r.body;
      assert.equal(s.bucket, 'day');
      const { numbers_issued: issued, filings_by_state: filings } = s.series;
      assert.equal(issued.length, 30);
      assert.equal(filings.length, 30);
      assert.equal(issued[0].t, s.from);
      assert.match(s.from, /T00:00:00\+08:00$/);
      assert.equal(Date.parse(s.to) - Date.parse(s.from), 30 * 86400000);
      assert.ok(Date.parse(issued[29].t) <= Date.now() && Date.now() < Date.parse(s.to));
      assert.deepEqual(issued.map((b) => b.n), [...Array(29).fill(0), 3]);
      assert.deepEqual(filings[29], { t: issued[29].t, in_review: 3, approved: 1, rejected: 1, withdrawn: 0, cancelled: 0 });
      assert.ok(filings.slice(0, 29).every((b) => b.in_review + b.approved + b.rejected === 0));
      const q = s.series.review_queue;
      assert.equal(q.size, 1);
      assert.ok(q.age_p50_seconds >= 0 && q.age_p50_seconds < 600, JSON.stringify(q));
      assert.equal(q.age_p90_seconds, q.age_p50_seconds);
      const limit = (await alice.get('/v1/products/st-a1')).body.eligibility.quota.limit;
      assert.deepEqual(s.series.quota_use_by_kind, [{ kind: 'ecs', scopes: 3, used: 3, limit: 3 * limit, exhausted: 0 }]);
      assert.deepEqual(s.series.cannot_apply_by_reason, [{ reason: 'NO_PUBLIC_IP', n: 1 }]);
      assert.deepEqual(s.product_sample, { products: 3, complete: true });
    });

    test('hour buckets over an explicit range; dates are CST days, to a date is its end', async () => {
      const now = new Date();
      const hourStart = new Date(Math.floor(now.getTime() / 3600000) * 3600000);
      const from = new Date(hourStart.getTime() - 3600000).toISOString().replace(/\.\d+Z$/, 'Z');
      const to = new Date(hourStart.getTime() + 3600000).toISOString().replace(/\.\d+Z$/, 'Z');
      const r = await op.get(`/v1/stats?bucket=hour&from=${from}&to=${to}`);
      assert.equal(r.status, 200, r.text);
      assert.equal(r.body.bucket, 'hour');
      assert.deepEqual(r.body.series.numbers_issued.map((b) => b.n), [0, 3]);
      assert.equal(Date.parse(r.body.series.numbers_issued[1].t), hourStart.getTime());
      const day = await op.get('/v1/stats?from=2026-01-01&to=2026-01-31');
      assert.equal(day.status, 200, day.text);
      assert.equal(day.body.from, '2026-01-01T00:00:00+08:00');
      assert.equal(day.body.to, '2026-02-01T00:00:00+08:00');
      assert.equal(day.body.series.numbers_issued.length, 31);
      assert.ok(day.body.series.numbers_issued.every((b) => b.n === 0));
    });

    test('operators only: customers get 403 FORBIDDEN', async () => {
      assertProblem(await alice.get('/v1/stats'), 403, 'FORBIDDEN');
      assertProblem(await ctx.call('GET', '/v1/stats'), 401, 'UNAUTHENTICATED');
    });

    test('bad parameters are 400 naming the field', async () => {
      const cases = [
        ['/v1/stats?bucket=week', 'bucket'],
        ['/v1/stats?from=yesterday', 'from'],
        ['/v1/stats?to=2026-13-01', 'to'],
        ['/v1/stats?from=2026-02-01&to=2026-01-01', 'from'],
        ['/v1/stats?from=2026-01-01&to=2026-01-01T00:00:00%2B08:00', 'from'],
        ['/v1/stats?bucket=hour&from=2026-01-01&to=2026-03-01', 'to'],  // 1416 buckets
        ['/v1/stats?from=2020-01-01&to=2026-01-01', 'to'],  // over 1000 days
      ];
      for (const [path, field] of cases) {
        const p = assertProblem(await op.get(path), 400, 'INVALID_REQUEST');
        assert.ok(p.errors.some((e) => e.field === field), `${path}: ${JSON.stringify(p)}`);
      }
      assertProblem(await op.get('/v1/stats?limit=1'), 400, 'INVALID_REQUEST');
      const most = await op.get('/v1/stats?bucket=hour&from=2026-01-01T00:00:00Z&to=2026-02-11T16:00:00Z');
      assert.equal(most.status, 200, most.text);  // exactly 1000 buckets
      assert.equal(most.body.series.numbers_issued.length, 1000);
    });
  });
}
