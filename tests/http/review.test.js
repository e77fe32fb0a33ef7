// Review tools and the domain rule over HTTP, on SQLite and PostgreSQL: filings of one domain from
// several accounts in review together, one approval (DOMAIN_ALREADY_FILED), conflicts for
// operators only, the queue's filters and order, bulk approve/reject with per-filing results, and
// non-blank reject reasons.
'use strict';
const { describe, test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { backends, setup, assertProblem, product } = require('./lib/harness');

for (const backend of backends()) {
  describe(`review tools (${backend})`, () => {
    let ctx;
    let op;
    let seq = 0;
    const domain = () => `rv-${backend}-${++seq}.example.cn`;
    let fresh = 0;
    // A filing of `d` by `who` with a number of a new product of theirs.
    const file = async (who, d, fields = {}) => {
      const id = `rv-${who}-${++fresh}`;
      await ctx.putProducts(product(id, who, fields));
      const n = await ctx.as(who).post(`/v1/products/${id}/service-numbers`);
      assert.equal(n.status, 201, n.text);
      const r = await ctx.as(who).post('/v1/filings', { domain: d, service_number: n.body.code });
      return r;
    };
    const mustFile = async (who, d, fields) => {
      const r = await file(who, d, fields);
      assert.equal(r.status, 201, r.text);
      return r.body;
    };

    before(async () => {
      ctx = await setup(backend);
      op = ctx.as('op');
    });
    after(async () => { await ctx.stop(); });

    test('accounts file one domain together; one approval excludes the others', async () => {
      const d = domain();
      const fa = await mustFile('alice', d);
      const fb = await mustFile('bob', d);
      assert.ok(fa.submitted_at && fa.submitted_at === fa.created_at);
      // One account, one active filing of a domain.
      assertProblem(await file('alice', d), 409, 'DOMAIN_IN_USE');
      // Operators see the conflict; customers never do.
      const seen = (await op.get(`/v1/filings/${fa.id}`)).body;
      assert.deepEqual(seen.conflicts, [fb.id]);
      assert.equal((await ctx.as('alice').get(`/v1/filings/${fa.id}`)).body.conflicts, undefined);
      const listed = (await op.get('/v1/filings?state=in_review&limit=500')).body.items.find((f) => f.id === fb.id);
      assert.deepEqual(listed.conflicts, [fa.id]);
      assert.equal(JSON.stringify((await ctx.as('bob').get('/v1/filings?limit=500')).body).includes(fa.id), false);

      assert.equal((await op.post(`/v1/filings/${fa.id}/approve`)).status, 200);
      assertProblem(await op.post(`/v1/filings/${fb.id}/approve`), 409, 'DOMAIN_ALREADY_FILED');
      assert.equal((await ctx.as('bob').get(`/v1/filings/${fb.id}`)).body.state, 'in_review');
      // A new filing of the filed domain is refused, naming neither the account nor the filing.
      for (const lang of ['en', 'zh-CN']) {
        const carol = await file('carol', d);
        const p = assertProblem(carol, 409, 'DOMAIN_IN_USE');
        assert.equal(carol.text.includes('alice'), false, carol.text);
        assert.equal(carol.text.includes(fa.id), false, carol.text);
        assert.equal(carol.text.includes('review') || carol.text.includes('审核'), false, `${lang}: ${p.detail}`);
      }
    });

    test('the queue: filters by account, kind and age, oldest or newest first, paged', async () => {
      const base = domain();
      const mine = [];
      for (let i = 0; i < 3; i++) mine.push(await mustFile('carol', `q${i}-${base}`, { kind: 'swas' }));
      const asc = await op.get('/v1/filings?state=in_review&account_id=carol&kind=swas&order=asc&limit=2');
      assert.equal(asc.status, 200, asc.text);
      assert.equal(asc.body.items.length, 2);
      const next = await op.get(`/v1/filings?state=in_review&account_id=carol&kind=swas&order=asc&limit=2&page_token=${asc.body.next_page_token}`);
      assert.equal(next.status, 200, next.text);
      const all = [...asc.body.items, ...next.body.items].map((f) => f.id);
      assert.deepEqual(new Set(all), new Set(mine.map((f) => f.id)));
      assert.equal(all.length, 3);
      const times = [...asc.body.items, ...next.body.items].map((f) => f.submitted_at);
      assert.deepEqual(times, [...times].sort());
      const desc = await op.get('/v1/filings?account_id=carol&kind=swas&order=desc&limit=500');
      assert.deepEqual(desc.body.items.map((f) => f.id), [...all].reverse());
      assert.equal((await op.get('/v1/filings?account_id=carol&kind=ecs&limit=500')).body.items.length,
        (await op.get('/v1/filings?account_id=carol&limit=500')).body.items.length - 3);
      // Age: nothing was submitted an hour ago; everything before a minute from now.
      assert.equal((await op.get('/v1/filings?account_id=carol&older_than=3600')).body.items.length, 0);
      const soon = new Date(Date.now() + 60000).toISOString().replace(/\.\d+Z$/, 'Z');
      assert.equal((await op.get(`/v1/filings?account_id=carol&kind=swas&submitted_before=${soon}`)).body.items.length, 3);
      // A token of one order is not one of the other.
      assertProblem(await op.get(`/v1/filings?page_token=${asc.body.next_page_token}`), 400, 'INVALID_REQUEST');
      for (const bad of ['order=up', 'kind=toaster', 'older_than=-1', 'older_than=1h', 'submitted_before=yesterday',
        'account_id=bad%20id', 'older_than=5&submitted_before=2026-01-01T00:00:00Z']) {
        assertProblem(await op.get(`/v1/filings?${bad}`), 400, 'INVALID_REQUEST');
      }
      assertProblem(await ctx.as('carol').get('/v1/filings?order=asc'), 400, 'INVALID_REQUEST');
      // A customer's filters narrow its own filings only.
      assert.equal((await ctx.as('bob').get('/v1/filings?account_id=carol')).body.items.length, 0);
    });

    test('bulk review: per-filing results, one failing does not stop the others', async () => {
      const d = domain();
      const f1 = await mustFile('alice', `b1-${d}`);
      const f2 = await mustFile('bob', `b2-${d}`);
      const done = await mustFile('bob', `b3-${d}`);
      assert.equal((await op.post(`/v1/filings/${done.id}/approve`)).status, 200);
      const missing = 'f-aaaaaaaaaaaaaaaaaaaa';
      const r = await op.post('/v1/filings/review', { action: 'approve', filing_ids: [f1.id, done.id, missing, f2.id] }, { lang: 'en' });
      assert.equal(r.status, 200, r.text);
      assert.deepEqual(r.body.items.map((i) => [i.filing_id, i.ok]), [[f1.id, true], [done.id, false], [missing, false], [f2.id, true]]);
      assert.equal(r.body.items[0].filing.state, 'approved');
      assert.equal(r.body.items[1].error.code, 'INVALID_STATE');
      assert.equal(r.body.items[1].error.status, 409);
      assert.equal(r.body.items[2].error.code, 'NOT_FOUND');
      assert.equal((await ctx.as('bob').get(`/v1/filings/${f2.id}`)).body.state, 'approved');
      const f4 = await mustFile('alice', `b4-${d}`);
      const rej = await op.post('/v1/filings/review', { action: 'reject', filing_ids: [f4.id], reason: '名称不符' });
      assert.equal(rej.status, 200, rej.text);
      assert.equal(rej.body.items[0].filing.reason, '名称不符');
    });

    test('bulk review: bad bodies and blank reasons are 400 and change nothing; customers are 403', async () => {
      const f = await mustFile('alice', domain());
      const bad = [
        [{ action: 'reject', filing_ids: [f.id] }, 'reason'],
        [{ action: 'reject', filing_ids: [f.id], reason: ' \u3000\t' }, 'reason'],
        [{ action: 'approve', filing_ids: [f.id], reason: 'x' }, 'reason'],
        [{ action: 'cancel', filing_ids: [f.id] }, 'action'],
        [{ filing_ids: [f.id] }, 'action'],
        [{ action: 'approve', filing_ids: [] }, 'filing_ids'],
        [{ action: 'approve' }, 'filing_ids'],
        [{ action: 'approve', filing_ids: [f.id, f.id] }, 'filing_ids[1]'],
        [{ action: 'approve', filing_ids: ['nope'] }, 'filing_ids[0]'],
        [{ action: 'approve', filing_ids: Array.from({ length: 101 }, () => f.id) }, 'filing_ids'],
        [{ action: 'approve', filing_ids: [f.id], extra: 1 }, 'extra'],
      ];
      for (const [body, field] of bad) {
        const p = assertProblem(await op.post('/v1/filings/review', body), 400, 'INVALID_REQUEST');
        assert.ok(p.errors.some((e) => e.field === field), `${JSON.stringify(body).slice(0, 80)}: ${JSON.stringify(p.errors)}`);
      }
      assertProblem(await ctx.as('alice').post('/v1/filings/review', { action: 'approve', filing_ids: [f.id] }), 403, 'FORBIDDEN');
      assert.equal((await ctx.as('alice').get(`/v1/filings/${f.id}`)).body.state, 'in_review');
      // The single reject refuses a blank reason too.
      const p = assertProblem(await op.post(`/v1/filings/${f.id}/reject`, { reason: '   ' }), 400, 'INVALID_REQUEST');
      assert.equal(p.errors[0].field, 'reason');
      assert.equal((await ctx.as('alice').get(`/v1/filings/${f.id}`)).body.state, 'in_review');
    });
  });
}
