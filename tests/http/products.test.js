// Products over HTTP: upsert, import, release, list with filters and paging, get, isolation of
// accounts and every 400 of the request parsers, on SQLite and PostgreSQL.
'use strict';
const { describe, test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { backends, setup, assertProblem, product, inDays } = require('./lib/harness');

for (const backend of backends()) {
  describe(`products (${backend})`, () => {
    let ctx;
    let op;
    let alice;
    let bob;
    before(async () => {
      ctx = await setup(backend);
      op = ctx.as('op');
      alice = ctx.as('alice');
      bob = ctx.as('bob');
    });
    after(async () => { await ctx.stop(); });

    test('PUT creates (201) then updates (200) and returns the product with its eligibility', async () => {
      const created = await op.put('/v1/products/p-web-1', product('p-web-1', 'alice'));
      assert.equal(created.status, 201, created.text);
      assert.equal(created.body.id, 'p-web-1');
      assert.equal(created.body.account_id, 'alice');
      assert.equal(created.body.eligibility.can_apply, true);
      assert.deepEqual(created.body.eligibility.quota, { scope: 'product', limit: 5, used: 0, remaining: 5 });
      const updated = await op.put('/v1/products/p-web-1', product('p-web-1', 'alice', { name: 'renamed' }));
      assert.equal(updated.status, 200);
      assert.equal(updated.body.name, 'renamed');
      // The id may be left out of the body: the path names the product.
      const { id, ...noId } = product('p-web-2', 'alice');
      assert.equal(id, 'p-web-2');
      assert.equal((await op.put('/v1/products/p-web-2', noId)).status, 201);
    });

    test('the vhost password is write-only', async () => {
      const r = await op.put('/v1/products/p-vh', product('p-vh', 'alice',
        { kind: 'vhost', public_ips: [], vhost_username: 'h1', vhost_password: 'secret-pw' }));
      assert.equal(r.status, 201, r.text);
      assert.doesNotMatch(r.text, /secret-pw|vhost_password/);
      assert.deepEqual(r.body.eligibility.hints.map((h) => h.code), ['VHOST_CREDENTIALS_ACCEPTED']);
      const got = await alice.get('/v1/products/p-vh');
      assert.doesNotMatch(got.text, /secret-pw|vhost_password/);
    });

    test('a marketplace_site product gets its one number on upsert', async () => {
      const r = await op.put('/v1/products/p-mkt', product('p-mkt', 'alice',
        { kind: 'marketplace_site', public_ips: [], expires_at: inDays(800) }));
      assert.equal(r.status, 201, r.text);
      assert.equal(r.body.issued_service_number.product_id, 'p-mkt');
      assert.equal(r.body.issued_service_number.state, 'available');
      assert.deepEqual(r.body.eligibility.reasons.map((x) => x.code), ['QUOTA_EXHAUSTED']);
      const again = await op.put('/v1/products/p-mkt', product('p-mkt', 'alice',
        { kind: 'marketplace_site', public_ips: [], expires_at: inDays(800) }));
      assert.equal(again.status, 200);
      assert.equal(again.body.issued_service_number, undefined);
    });

    test('bad product bodies are 400 with field errors and change nothing', async () => {
      const cases = [
        [{ raw: '{"id": "p-bad", ' }, null],
        [{ raw: '[1,2]' }, null],
        [{ body: { ...product('p-bad', 'alice'), colour: 'red' } }, 'colour'],
        [{ body: { ...product('p-bad', 'alice'), kind: 'mainframe' } }, 'kind'],
        [{ body: { ...product('p-bad', 'alice'), public_ips: '1.2.3.4' } }, 'public_ips'],
        [{ body: { ...product('p-bad', 'alice'), expires_at: 'tomorrow' } }, 'expires_at'],
        [{ body: { ...product('p-bad', 'alice'), expires_at: undefined } }, 'expires_at'],
        [{ body: { ...product('p-bad', 'alice'), account_id: 'bad id!' } }, 'account_id'],
        [{ body: product('other-id', 'alice') }, 'id'],
      ];
      for (const [opts, field] of cases) {
        const r = await ctx.call('PUT', '/v1/products/p-bad', { token: ctx.tokens.op, ...opts });
        const p = assertProblem(r, 400, 'INVALID_REQUEST');
        if (field) assert.ok(p.errors.some((e) => e.field === field), `${field}: ${r.text}`);
      }
      assertProblem(await op.put('/v1/products/bad%20id', product('bad id', 'alice')), 400, 'INVALID_REQUEST');
      assertProblem(await op.get('/v1/products/p-bad'), 404, 'NOT_FOUND');
    });

    test('only operators write products', async () => {
      assertProblem(await alice.put('/v1/products/p-x', product('p-x', 'alice')), 403, 'FORBIDDEN');
      assertProblem(await alice.del('/v1/products/p-web-1'), 403, 'FORBIDDEN');
      const imp = await ctx.call('POST', '/v1/imports', { token: ctx.tokens.alice, raw: '' });
      assertProblem(imp, 403, 'FORBIDDEN');
    });

    test('POST /v1/imports upserts NDJSON and reports bad lines', async () => {
      const lines = [
        JSON.stringify(product('imp-1', 'bob')),
        '{not json',
        JSON.stringify(product('imp-2', 'bob', { kind: 'swas' })),
        JSON.stringify(product('p-web-1', 'alice', { name: 'imported' })),
        JSON.stringify({ ...product('imp-3', 'bob'), kind: 'nope' }),
      ].join('\n');
      const r = await ctx.call('POST', '/v1/imports', { token: ctx.tokens.op, raw: lines,
        headers: { 'Content-Type': 'application/x-ndjson' } });
      assert.equal(r.status, 200, r.text);
      assert.equal(r.body.created, 2);
      assert.equal(r.body.updated, 1);
      assert.deepEqual(r.body.failed.map((f) => [f.line, f.code]), [[2, 'INVALID_REQUEST'], [5, 'INVALID_REQUEST']]);
      for (const f of r.body.failed) assert.equal(typeof f.detail, 'string');
      assert.equal((await bob.get('/v1/products/imp-2')).body.kind, 'swas');
    });

    test('customers see only their own products; others are 404 like missing ones', async () => {
      assert.equal((await alice.get('/v1/products/p-web-1')).status, 200);
      assert.equal((await op.get('/v1/products/p-web-1')).status, 200);
      const other = assertProblem(await bob.get('/v1/products/p-web-1'), 404, 'NOT_FOUND');
      const missing = assertProblem(await bob.get('/v1/products/no-such'), 404, 'NOT_FOUND');
      assert.equal(other.detail, missing.detail);
      const list = await bob.get('/v1/products?limit=500');
      assert.ok(list.body.items.every((p) => p.account_id === 'bob'));
      // A customer's account_id filter cannot widen the view.
      const sneaky = await bob.get('/v1/products?account_id=alice');
      assert.ok(sneaky.body.items.every((p) => p.account_id === 'bob'));
      assertProblem(await bob.post('/v1/products/p-web-1/service-numbers'), 404, 'NOT_FOUND');
      assertProblem(await ctx.as('carol').get('/v1/products/imp-1'), 404, 'NOT_FOUND');
    });

    test('lists filter by kind, can_apply and account, and page with page_token', async () => {
      const ids = [];
      for (let i = 0; i < 5; i++) ids.push(`pg-${i}`);
      await ctx.putProducts(...ids.map((id) => product(id, 'carol')),
        product('pg-hk', 'carol', { region: 'cn-hongkong' }), product('pg-swas', 'carol', { kind: 'swas' }));
      const carol = ctx.as('carol');
      const seen = [];
      let token = null;
      do {
        const q = token ? `?limit=2&page_token=${encodeURIComponent(token)}` : '?limit=2';
        const r = await carol.get(`/v1/products${q}`);
        assert.equal(r.status, 200, r.text);
        assert.ok(r.body.items.length <= 2);
        seen.push(...r.body.items.map((p) => p.id));
        token = r.body.next_page_token;
      } while (token);
      assert.deepEqual(seen, [...ids, 'pg-hk', 'pg-swas'].sort());
      const swas = await carol.get('/v1/products?kind=swas');
      assert.deepEqual(swas.body.items.map((p) => p.id), ['pg-swas']);
      const blocked = await carol.get('/v1/products?can_apply=false');
      assert.deepEqual(blocked.body.items.map((p) => p.id), ['pg-hk']);
      const ok = await carol.get('/v1/products?can_apply=true&kind=ecs');
      assert.deepEqual(ok.body.items.map((p) => p.id), ids);
      const opView = await op.get('/v1/products?account_id=carol&limit=500');
      assert.equal(opView.body.items.length, 7);
      assert.ok(opView.body.items.every((p) => p.account_id === 'carol'));
      assert.equal(opView.body.next_page_token, null);
    });

    test('bad paging and filter values are 400 INVALID_REQUEST', async () => {
      for (const q of ['limit=0', 'limit=501', 'limit=abc', 'limit=10x', 'limit=-1', 'kind=mainframe',
        'can_apply=yes', 'account_id=bad%20id', 'page_token=%%%', 'page_token=not-a-token!',
        'colour=red', 'limit=1&limit=2']) {
        const r = await alice.get(`/v1/products?${q}`);
        assertProblem(r, 400, 'INVALID_REQUEST');
      }
    });

    test('DELETE releases a product: customers no longer see it, operators do', async () => {
      await ctx.putProducts(product('p-gone', 'alice'));
      const r = await op.del('/v1/products/p-gone');
      assert.equal(r.status, 204);
      assert.equal(r.text, '');
      assertProblem(await alice.get('/v1/products/p-gone'), 404, 'NOT_FOUND');
      assertProblem(await alice.post('/v1/products/p-gone/service-numbers'), 404, 'NOT_FOUND');
      const seen = await op.get('/v1/products/p-gone');
      assert.equal(seen.body.status, 'released');
      assertProblem(await op.del('/v1/products/no-such'), 404, 'NOT_FOUND');
      assertProblem(await op.del('/v1/products/bad%20id'), 400, 'INVALID_REQUEST');
    });

    test('product messages follow Accept-Language', async () => {
      await ctx.putProducts(product('p-short', 'alice', { expires_at: inDays(20) }));
      const zh = await alice.get('/v1/products/p-short');
      const en = await alice.get('/v1/products/p-short', { lang: 'en' });
      const [rz] = zh.body.eligibility.reasons;
      const [re] = en.body.eligibility.reasons;
      assert.equal(rz.code, 'REMAINING_TERM_TOO_SHORT');
      assert.equal(re.code, 'REMAINING_TERM_TOO_SHORT');
      assert.match(rz.message, /[\u4e00-\u9fff]/);
      assert.doesNotMatch(re.message, /[\u4e00-\u9fff]/);
      assert.equal(typeof re.renew_until, 'string');
    });
  });
}
