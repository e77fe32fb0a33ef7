// GET /v1/notices over HTTP, with notices made by the serve job (--notice-interval) and by
// `beian notices scan`: each kind once, own for customers, all or one account's for operators,
// the same notices in the audit trail; on SQLite and PostgreSQL.
'use strict';
const { describe, test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { backends, setup, cli, assertProblem, product, inDays } = require('./lib/harness');

// Resolves with fn()'s value once it is truthy; fails after `ms`.
async function eventually(fn, ms = 15000) {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    assert.ok(Date.now() < end, 'condition not met in time');
    await new Promise((r) => setTimeout(r, 100));
  }
}

for (const backend of backends()) {
  describe(`notices (${backend})`, () => {
    let ctx;
    let op;
    let alice;
    let bob;
    let farCode;
    let goneCode;
    let filing;
    const kinds = async (who, q = '') => {
      const r = await who.get(`/v1/notices${q}`);
      assert.equal(r.status, 200, r.text);
      return r.body.items.map((n) => `${n.kind} ${n.object.id}`).sort();
    };
    before(async () => {
      ctx = await setup(backend, { extraArgs: ['--notice-interval', '1'] });
      op = ctx.as('op');
      alice = ctx.as('alice');
      bob = ctx.as('bob');
      // ~100 days left: below the 3-month minimum within 30 days.
      await ctx.putProducts(
        product('p-soon', 'alice'), product('p-far', 'alice'),
        product('p-bare', 'alice', { expires_at: inDays(100) }), product('p-gone', 'bob'));
      for (const id of ['p-soon', 'p-far']) {
        const n = await alice.post(`/v1/products/${id}/service-numbers`);
        assert.equal(n.status, 201, n.text);
        if (id === 'p-far') farCode = n.body.code;
      }
      const g = await bob.post('/v1/products/p-gone/service-numbers');
      assert.equal(g.status, 201, g.text);
      goneCode = g.body.code;
      const f = await alice.post('/v1/filings', { domain: 'notice.example.cn', service_number: farCode });
      assert.equal(f.status, 201, f.text);
      filing = f.body;
      await ctx.putProducts(product('p-soon', 'alice', { expires_at: inDays(100) }));
      assert.equal((await op.del('/v1/products/p-gone')).status, 204);
    });
    after(async () => { await ctx.stop(); });

    test('the serve job tells alice of her product and bob of his lapsed number', async () => {
      await eventually(async () => (await kinds(alice)).length === 1 && (await kinds(bob)).length === 1);
      assert.deepEqual(await kinds(alice), ['product.term_expiring p-soon']);
      assert.deepEqual(await kinds(bob), [`number.lapsed ${goneCode}`]);
      const r = await alice.get('/v1/notices', { lang: 'en' });
      const n = r.body.items[0];
      assert.equal(n.account_id, 'alice');
      assert.deepEqual(n.object, { type: 'product', id: 'p-soon', href: '/v1/products/p-soon' });
      assert.equal(n.params.min_months, 3);
      assert.ok(n.params.days_left >= 99 && n.params.days_left <= 101, String(n.params.days_left));
      assert.match(n.message, /Renew/);
      assert.match((await alice.get('/v1/notices', { lang: 'zh-CN' })).body.items[0].message, /续费/);
      const b = (await bob.get('/v1/notices')).body.items[0];
      assert.equal(b.params.reason, 'released');
      assert.equal(b.object.href, `/v1/service-numbers/${goneCode}`);
    });

    test('each notice is also an audit event of the same type, once', async () => {
      await eventually(async () => (await kinds(alice)).length === 1);
      const ev = await alice.get('/v1/events?order=desc&limit=500');
      assert.equal(ev.status, 200, ev.text);
      const term = ev.body.items.filter((e) => e.type === 'product.term_expiring');
      assert.equal(term.length, 1);
      assert.equal(term[0].subject, 'p-soon');
      // Later runs of the job and a scan from the CLI emit nothing again.
      const out = cli(ctx.db, ['notices', 'scan']).stdout;
      assert.match(out, /^notices emitted: 0 /);
    });

    test('beian notices scan --at: an overdue review, told to the filer', async () => {
      const at = new Date(Date.now() + 21 * 86400000).toISOString().replace(/\.\d+Z$/, 'Z');
      const out = cli(ctx.db, ['notices', 'scan', '--at', at]).stdout;
      assert.match(out, /filing\.review_overdue 1\)/);
      assert.deepEqual(await kinds(alice),
        [`filing.review_overdue ${filing.id}`, 'product.term_expiring p-soon']);
      const n = (await alice.get('/v1/notices')).body.items.find((x) => x.kind === 'filing.review_overdue');
      assert.equal(n.object.href, `/v1/filings/${filing.id}`);
      assert.equal(n.params.domain, 'notice.example.cn');
      assert.equal(n.params.review_days, 20);
      assert.match(cli(ctx.db, ['notices', 'scan', '--at', at]).stdout, /^notices emitted: 0 /);
    });

    test('operators see all or one account\'s; customers only their own; paging', async () => {
      await eventually(async () => (await kinds(bob)).length === 1);
      assert.deepEqual(await kinds(op, '?account_id=bob'), [`number.lapsed ${goneCode}`]);
      assert.ok((await kinds(op)).length >= 2);
      assertProblem(await alice.get('/v1/notices?account_id=bob'), 403, 'FORBIDDEN');
      assertProblem(await alice.get('/v1/notices?limit=0'), 400, 'INVALID_REQUEST');
      assertProblem(await alice.get('/v1/notices?before=x'), 400, 'INVALID_REQUEST');
      const first = await op.get('/v1/notices?limit=1');
      assert.equal(first.body.items.length, 1);
      assert.ok(first.body.next_before > 0);
      const second = await op.get(`/v1/notices?limit=1&before=${first.body.next_before}`);
      assert.equal(second.body.items.length, 1);
      assert.ok(second.body.items[0].id < first.body.items[0].id);
    });
  });
}
