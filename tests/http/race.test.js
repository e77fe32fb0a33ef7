// Two `beian serve` processes on one database racing: concurrent applies issue exactly the quota,
// concurrent filings on one number leave exactly one in review. On PostgreSQL (the multi-server
// deployment) and on SQLite (several processes on one file).
'use strict';
const { describe, test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { backends, setup, startServer, call, product, assertProblem } = require('./lib/harness');

for (const backend of backends()) {
  describe(`two servers racing (${backend})`, () => {
    let ctx;
    let second;
    let urls;
    before(async () => {
      ctx = await setup(backend);
      second = await startServer(ctx.db);
      urls = [ctx.url, second.url];
    });
    after(async () => {
      const r = await second.stop();
      await ctx.stop();  // before asserting: a server left running keeps the test process alive
      assert.equal(r.code, 0, second.stderr());
    });

    test('40 concurrent applies on one product (quota 5) issue exactly 5 numbers', async () => {
      await ctx.putProducts(product('race-1', 'alice'));
      const results = await Promise.all(Array.from({ length: 40 }, (_, i) =>
        call(urls[i % 2], 'POST', '/v1/products/race-1/service-numbers', { token: ctx.tokens.alice })));
      const issued = results.filter((r) => r.status === 201);
      const refused = results.filter((r) => r.status !== 201);
      assert.equal(issued.length, 5, results.map((r) => r.status).join(' '));
      for (const r of refused) {
        const p = assertProblem(r, 409, 'NOT_ELIGIBLE');
        assert.deepEqual(p.reasons.map((x) => x.code), ['QUOTA_EXHAUSTED']);
      }
      assert.equal(new Set(issued.map((r) => r.body.code)).size, 5);
      const listed = await call(ctx.url, 'GET', '/v1/service-numbers?product_id=race-1', { token: ctx.tokens.alice });
      assert.equal(listed.body.items.length, 5);
    });

    test('account-scoped quota holds across products and servers', async () => {
      await ctx.putProducts(...[1, 2, 3].map((i) => product(`race-wh-${i}`, 'bob', { kind: 'web_hosting' })));
      const results = await Promise.all(Array.from({ length: 30 }, (_, i) =>
        call(urls[i % 2], 'POST', `/v1/products/race-wh-${(i % 3) + 1}/service-numbers`, { token: ctx.tokens.bob })));
      assert.equal(results.filter((r) => r.status === 201).length, 5, results.map((r) => r.status).join(' '));
    });

    test('concurrent retries with one Idempotency-Key issue one number', async () => {
      await ctx.putProducts(product('race-idem', 'alice'));
      const results = await Promise.all(Array.from({ length: 16 }, (_, i) =>
        call(urls[i % 2], 'POST', '/v1/products/race-idem/service-numbers',
          { token: ctx.tokens.alice, headers: { 'Idempotency-Key': 'race-key' } })));
      assert.ok(results.every((r) => r.status === 201), results.map((r) => r.text).join('\n'));
      assert.equal(new Set(results.map((r) => r.body.code)).size, 1);
      const p = await call(ctx.url, 'GET', '/v1/products/race-idem', { token: ctx.tokens.alice });
      assert.equal(p.body.eligibility.quota.used, 1);
    });

    test('concurrent filings on one number: exactly one in review, the others SN_IN_REVIEW', async () => {
      await ctx.putProducts(product('race-f', 'alice'));
      const code = (await call(ctx.url, 'POST', '/v1/products/race-f/service-numbers', { token: ctx.tokens.alice })).body.code;
      assert.equal((await call(ctx.url, 'POST', `/v1/service-numbers/${code}/grants`,
        { token: ctx.tokens.alice, body: { account_id: 'carol' } })).status, 200);
      const results = await Promise.all(Array.from({ length: 20 }, (_, i) =>
        call(urls[i % 2], 'POST', '/v1/filings', {
          token: i % 4 === 3 ? ctx.tokens.carol : ctx.tokens.alice,
          body: { domain: `race-${i}.example.cn`, service_number: code },
        })));
      const won = results.filter((r) => r.status === 201);
      assert.equal(won.length, 1, results.map((r) => `${r.status} ${r.body && r.body.code}`).join(' '));
      for (const r of results.filter((x) => x.status !== 201)) assertProblem(r, 409, 'SN_IN_REVIEW');
      const n = await call(second.url, 'GET', `/v1/service-numbers/${code}`, { token: ctx.tokens.alice });
      assert.equal(n.body.state, 'in_review');
      assert.equal(n.body.filing_id, won[0].body.id);
      const inReview = await call(ctx.url, 'GET', '/v1/filings?state=in_review&limit=500', { token: ctx.tokens.op });
      assert.equal(inReview.body.items.filter((f) => f.service_number === code).length, 1);
    });
  });
}
