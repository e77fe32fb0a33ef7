// Batch apply (POST /v1/service-numbers) and bulk eligibility (POST /v1/eligibility), on SQLite
// and PostgreSQL: all or nothing, per-item reasons, another account's product as not found,
// idempotent replay, validation that changes nothing.
'use strict';
const { describe, test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { backends, setup, assertProblem, product, inDays } = require('./lib/harness');

for (const backend of backends()) {
  describe(`batch apply and eligibility (${backend})`, () => {
    let ctx;
    let alice;
    let bob;
    let op;
    // How many numbers alice holds of product `id`.
    const count = async (id) => (await alice.get(`/v1/service-numbers?product_id=${id}`)).body.items.length;
    before(async () => {
      ctx = await setup(backend);
      alice = ctx.as('alice');
      bob = ctx.as('bob');
      op = ctx.as('op');
      await ctx.putProducts(
        product('b-1', 'alice'),
        product('b-2', 'alice'),
        product('b-3', 'alice'),
        product('b-idem', 'alice'),
        product('b-payg', 'alice', { billing: 'pay_as_you_go', expires_at: undefined, public_ips: [] }),
        product('b-bob', 'bob'),
      );
    });
    after(async () => { await ctx.stop(); });

    test('a batch issues every number in one go: 201 with items, one event per number', async () => {
      const r = await alice.post('/v1/service-numbers', { items: [{ product_id: 'b-1', count: 2 }, { product_id: 'b-2' }] });
      assert.equal(r.status, 201, r.text);
      assert.deepEqual(r.body.items.map((n) => n.product_id), ['b-1', 'b-1', 'b-2']);
      for (const n of r.body.items) {
        assert.equal(n.state, 'available');
        assert.equal(n.usable, true);
      }
      assert.equal(new Set(r.body.items.map((n) => n.code)).size, 3);
      const events = (await alice.get('/v1/events?limit=500')).body.items;
      for (const n of r.body.items) {
        assert.equal(events.filter((e) => e.type === 'number.issued' && e.subject === n.code).length, 1);
      }
    });

    test('one refused item refuses the batch: 409 with per-item reasons, nothing issued', async () => {
      const before3 = await count('b-3');
      const r = await alice.post('/v1/service-numbers', {
        items: [{ product_id: 'b-3', count: 1 }, { product_id: 'b-payg' }, { product_id: 'b-bob' }, { product_id: 'nope' }],
      }, { lang: 'en' });
      const p = assertProblem(r, 409, 'NOT_ELIGIBLE');
      assert.deepEqual(p.items.map((i) => i.product_id), ['b-payg', 'b-bob', 'nope']);
      assert.deepEqual(p.items[0].reasons.map((x) => x.code), ['PAY_AS_YOU_GO', 'NO_PUBLIC_IP']);
      // Another account's product reads exactly like one that does not exist.
      assert.deepEqual(p.items[1], p.items[2] && { ...p.items[2], product_id: 'b-bob' });
      assert.deepEqual(p.items[1].reasons.map((x) => x.code), ['PRODUCT_NOT_FOUND']);
      assert.equal(typeof p.items[1].reasons[0].remedy, 'string');
      assert.equal(await count('b-3'), before3);
      const zh = assertProblem(await alice.post('/v1/service-numbers', { items: [{ product_id: 'nope' }] }), 409, 'NOT_ELIGIBLE');
      assert.equal(zh.items[0].reasons[0].message, '产品不存在');
    });

    test('more than the quota in one batch is refused whole with QUOTA_EXHAUSTED', async () => {
      const r = await alice.post('/v1/service-numbers', { items: [{ product_id: 'b-3', count: 6 }] });
      const p = assertProblem(r, 409, 'NOT_ELIGIBLE');
      assert.deepEqual(p.items, [{ product_id: 'b-3', reasons: p.items[0].reasons }]);
      assert.deepEqual(p.items[0].reasons.map((x) => x.code), ['QUOTA_EXHAUSTED']);
      assert.equal(await count('b-3'), 0);
      assert.equal((await alice.post('/v1/service-numbers', { items: [{ product_id: 'b-3', count: 5 }] })).status, 201);
      assert.equal(await count('b-3'), 5);
    });

    test('Idempotency-Key: a retry replays the same numbers; another request with the key is 422', async () => {
      const key = { headers: { 'Idempotency-Key': 'batch-key-1' } };
      const body = { items: [{ product_id: 'b-idem', count: 2 }] };
      const first = await alice.post('/v1/service-numbers', body, key);
      assert.equal(first.status, 201, first.text);
      const again = await alice.post('/v1/service-numbers', body, key);
      assert.equal(again.status, 201, again.text);
      assert.deepEqual(again.body.items.map((n) => n.code), first.body.items.map((n) => n.code));
      assert.equal(await count('b-idem'), 2);
      assertProblem(await alice.post('/v1/service-numbers', { items: [{ product_id: 'b-idem', count: 1 }] }, key),
        422, 'IDEMPOTENCY_KEY_REUSED');
      // The key of a single apply is not a batch's.
      assertProblem(await alice.post('/v1/products/b-idem/service-numbers', undefined, key), 422, 'IDEMPOTENCY_KEY_REUSED');
      assert.equal(await count('b-idem'), 2);
    });

    test('bad bodies are 400 INVALID_REQUEST naming the field, and change nothing', async () => {
      const bad = [
        [{}, 'items'],
        [{ items: [] }, 'items'],
        [{ items: 'b-1' }, 'items'],
        [{ items: [{ product_id: 'b-2', count: 0 }] }, 'items[0].count'],
        [{ items: [{ product_id: 'b-2', count: 1.5 }] }, 'items[0].count'],
        [{ items: [{ product_id: 'b-2', count: 21 }] }, 'items[0].count'],
        [{ items: [{ product_id: 'b-2', count: 15 }, { product_id: 'b-1', count: 6 }] }, 'items'],
        [{ items: [{ product_id: 'b-2' }, { product_id: 'b-2' }] }, 'items[1].product_id'],
        [{ items: [{ product_id: 'bad id' }] }, 'items[0].product_id'],
        [{ items: [{ count: 1 }] }, 'items[0].product_id'],
        [{ items: [{ product_id: 'b-2', extra: 1 }] }, 'items[0].extra'],
        [{ items: [{ product_id: 'b-2' }], more: true }, 'more'],
      ];
      const before2 = await count('b-2');
      for (const [body, field] of bad) {
        const p = assertProblem(await alice.post('/v1/service-numbers', body), 400, 'INVALID_REQUEST');
        assert.ok(p.errors.some((e) => e.field === field), `${JSON.stringify(body)}: ${JSON.stringify(p.errors)}`);
      }
      assert.equal(await count('b-2'), before2);
    });

    test('operators do not apply; a token without numbers:apply is refused', async () => {
      assertProblem(await op.post('/v1/service-numbers', { items: [{ product_id: 'b-1' }] }), 403, 'FORBIDDEN');
      const t = await alice.post('/v1/tokens', { name: 'ro', scopes: ['products:read'] });
      assert.equal(t.status, 201, t.text);
      const r = await ctx.call('POST', '/v1/service-numbers', { token: t.body.token, body: { items: [{ product_id: 'b-1' }] } });
      assertProblem(r, 403, 'INSUFFICIENT_SCOPE');
    });

    test('eligibility by id: own products judged, others and unknown ones not found, in order', async () => {
      const r = await alice.post('/v1/eligibility', { product_ids: ['b-payg', 'b-bob', 'b-2', 'zzz'] }, { lang: 'en' });
      assert.equal(r.status, 200, r.text);
      assert.deepEqual(r.body.items.map((i) => [i.product_id, i.can_apply]),
        [['b-payg', false], ['b-bob', false], ['b-2', true], ['zzz', false]]);
      assert.deepEqual(r.body.items[0].reasons.map((x) => x.code), ['PAY_AS_YOU_GO', 'NO_PUBLIC_IP']);
      assert.deepEqual(r.body.items[1].reasons.map((x) => x.code), ['PRODUCT_NOT_FOUND']);
      assert.deepEqual(r.body.items[1].reasons, r.body.items[3].reasons);
      assert.equal(r.body.items[2].quota.limit, 5);
      // The same eligibility as GET /v1/products/{id}.
      const one = await alice.get('/v1/products/b-payg', { lang: 'en' });
      assert.deepEqual({ ...r.body.items[0], product_id: undefined }, { ...one.body.eligibility, product_id: undefined });
      // Bob sees his own, never alice's.
      const b = await bob.post('/v1/eligibility', { product_ids: ['b-bob', 'b-2'] });
      assert.deepEqual(b.body.items.map((i) => i.can_apply), [true, false]);
    });

    test('eligibility of products not yet imported: pure rules, nothing stored', async () => {
      const r = await alice.post('/v1/eligibility', {
        products: [
          product('new-1', 'alice'),
          product('new-2', 'alice', { expires_at: inDays(20) }),
          product('new-3', 'alice', { region: 'cn-hongkong' }),
        ],
      });
      assert.equal(r.status, 200, r.text);
      assert.deepEqual(r.body.items.map((i) => [i.product_id, i.can_apply]), [['new-1', true], ['new-2', false], ['new-3', false]]);
      assert.deepEqual(r.body.items[1].reasons.map((x) => x.code), ['REMAINING_TERM_TOO_SHORT']);
      assert.equal(r.body.items[0].quota.used, 0);
      assertProblem(await op.get('/v1/products/new-1'), 404, 'NOT_FOUND');
    });

    test('eligibility: bad bodies are 400 naming the field; a read-only token may ask', async () => {
      const bad = [
        [{}, 'product_ids'],
        [{ product_ids: [] }, 'product_ids'],
        [{ product_ids: ['a'], products: [] }, 'product_ids'],
        [{ product_ids: Array.from({ length: 501 }, (_, i) => `p${i}`) }, 'product_ids'],
        [{ product_ids: ['ok', 'bad id'] }, 'product_ids[1]'],
        [{ products: [{ id: 'x' }] }, 'products[0].account_id'],
        [{ products: [product('x', 'alice', { kind: 'toaster' })] }, 'products[0].kind'],
        [{ products: [7] }, 'products[0]'],
      ];
      for (const [body, field] of bad) {
        const p = assertProblem(await alice.post('/v1/eligibility', body), 400, 'INVALID_REQUEST');
        assert.ok(p.errors.some((e) => e.field === field), `${JSON.stringify(body).slice(0, 80)}: ${JSON.stringify(p.errors)}`);
      }
      const t = await alice.post('/v1/tokens', { name: 'read', scopes: ['products:read'] });
      const r = await ctx.call('POST', '/v1/eligibility', { token: t.body.token, body: { product_ids: ['b-1'] } });
      assert.equal(r.status, 200, r.text);
      const t2 = await alice.post('/v1/tokens', { name: 'nums', scopes: ['numbers:read'] });
      assertProblem(await ctx.call('POST', '/v1/eligibility', { token: t2.body.token, body: { product_ids: ['b-1'] } }),
        403, 'INSUFFICIENT_SCOPE');
    });
  });
}
