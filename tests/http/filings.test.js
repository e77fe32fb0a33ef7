// Filings over HTTP: submit with a number or host credentials, every refusal of rules.md, the review
// actions and their INVALID_STATE, roles, overview and the audit trail, on SQLite and PostgreSQL.
'use strict';
const { describe, test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { backends, setup, assertProblem, product } = require('./lib/harness');
const { randomCode, corrupt } = require('./lib/sn');

for (const backend of backends()) {
  describe(`filings (${backend})`, () => {
    let ctx;
    let op;
    let alice;
    let bob;
    let seq = 0;
    const domain = () => `site-${backend}-${++seq}.example.cn`;
    let fresh = 0;
    // Applies for a number on `id`, or on a new fileable product of alice (quotas are small).
    const apply = async (id) => {
      if (!id) {
        id = `f-auto-${++fresh}`;
        await ctx.putProducts(product(id, 'alice'));
      }
      const r = await alice.post(`/v1/products/${id}/service-numbers`);
      assert.equal(r.status, 201, r.text);
      return r.body.code;
    };
    const file = (who, code, d = domain(), opts = {}) =>
      ctx.as(who).post('/v1/filings', { domain: d, service_number: code }, opts);

    before(async () => {
      ctx = await setup(backend);
      op = ctx.as('op');
      alice = ctx.as('alice');
      bob = ctx.as('bob');
      await ctx.putProducts(
        product('f-ecs', 'alice'),
        product('f-ip', 'alice'),
        product('f-vh', 'alice', { kind: 'vhost', public_ips: [], vhost_username: 'h-alice', vhost_password: 'pw-right-1' }),
        product('f-vh-bob', 'bob', { kind: 'vhost', public_ips: [], vhost_username: 'h-bob', vhost_password: 'pw-bob' }),
      );
    });
    after(async () => { await ctx.stop(); });

    test('submit: 201 in_review with Location; the number is in review', async () => {
      const code = await apply('f-ecs');
      const d = domain();
      const r = await file('alice', code, d.toUpperCase() + '.');
      assert.equal(r.status, 201, r.text);
      assert.match(r.body.id, /^f-[0-9a-z]{20}$/);
      assert.equal(r.headers.get('location'), `/v1/filings/${r.body.id}`);
      assert.equal(r.body.domain, d);
      assert.equal(r.body.state, 'in_review');
      assert.equal(r.body.service_number, code);
      assert.equal(r.body.product_id, 'f-ecs');
      assert.equal(r.body.account_id, 'alice');
      const n = await alice.get(`/v1/service-numbers/${code}`);
      assert.equal(n.body.state, 'in_review');
      assert.equal(n.body.filing_id, r.body.id);
      assert.equal(n.body.usable, false);
      const got = await alice.get(`/v1/filings/${r.body.id}`);
      assert.deepEqual(got.body, r.body);
    });

    test('internationalised domains are stored as A-labels', async () => {
      const r = await file('alice', await apply(), '例子.中国');
      assert.equal(r.status, 201, r.text);
      assert.equal(r.body.domain, 'xn--fsqu00a.xn--fiqs8s');
    });

    test('400: INVALID_DOMAIN, SN_MALFORMED, bad bodies', async () => {
      const code = await apply();
      for (const bad of ['', 'localhost', '1.2.3.4', '*.example.com', '-bad-.example.com', `${'a'.repeat(64)}.cn`]) {
        assertProblem(await file('alice', code, bad), 400, 'INVALID_DOMAIN');
      }
      assertProblem(await file('alice', corrupt(code)), 400, 'SN_MALFORMED');
      assertProblem(await file('alice', 'not-a-number'), 400, 'SN_MALFORMED');
      const bodies = [
        { domain: 'a.example.cn' },
        { domain: 'a.example.cn', service_number: code, vhost: { product_id: 'f-vh', username: 'u', password: 'p' } },
        { domain: 'a.example.cn', service_number: 12 },
        { domain: 5, service_number: code },
        { domain: 'a.example.cn', service_number: code, note: 'hi' },
        { domain: 'a.example.cn', vhost: { product_id: 'f-vh', username: 'u' } },
        { domain: 'a.example.cn', vhost: 'f-vh' },
      ];
      for (const body of bodies) {
        const p = assertProblem(await alice.post('/v1/filings', body), 400, 'INVALID_REQUEST');
        assert.ok(p.errors.length > 0, JSON.stringify(body));
      }
      assertProblem(await ctx.call('POST', '/v1/filings', { token: ctx.tokens.alice, raw: '{"domain":' }), 400, 'INVALID_REQUEST');
      assertProblem(await ctx.call('POST', '/v1/filings', { token: ctx.tokens.alice, raw: '"x"' }), 400, 'INVALID_REQUEST');
      assert.equal((await alice.get(`/v1/service-numbers/${code}`)).body.state, 'available');
    });

    test('404 SN_NOT_FOUND for missing numbers and numbers of other accounts', async () => {
      assertProblem(await file('alice', randomCode()), 404, 'SN_NOT_FOUND');
      const code = await apply();
      assertProblem(await file('bob', code), 404, 'SN_NOT_FOUND');
      assert.equal((await alice.get(`/v1/service-numbers/${code}`)).body.state, 'available');
    });

    test('409 SN_IN_REVIEW, SN_ALREADY_FILED, SN_VOIDED, DOMAIN_IN_USE and the life cycle', async () => {
      const code = await apply();
      const d = domain();
      const f = (await file('alice', code, d)).body;
      assertProblem(await file('alice', code), 409, 'SN_IN_REVIEW');
      assertProblem(await file('alice', await apply(), d), 409, 'DOMAIN_IN_USE');
      const approved = await op.post(`/v1/filings/${f.id}/approve`);
      assert.equal(approved.status, 200, approved.text);
      assert.equal(approved.body.state, 'approved');
      assert.equal((await alice.get(`/v1/service-numbers/${code}`)).body.state, 'filed');
      assertProblem(await file('alice', code), 409, 'SN_ALREADY_FILED');
      assertProblem(await op.post(`/v1/filings/${f.id}/approve`), 409, 'INVALID_STATE');
      assertProblem(await op.post(`/v1/filings/${f.id}/reject`, { reason: 'late' }), 409, 'INVALID_STATE');
      assertProblem(await alice.post(`/v1/filings/${f.id}/withdraw`), 409, 'INVALID_STATE');
      const cancelled = await alice.post(`/v1/filings/${f.id}/cancel`);
      assert.equal(cancelled.status, 200, cancelled.text);
      assert.equal(cancelled.body.state, 'cancelled');
      const n = (await alice.get(`/v1/service-numbers/${code}`)).body;
      assert.equal(n.state, 'voided');
      assert.equal(n.usable, false);
      assertProblem(await file('alice', code), 409, 'SN_VOIDED');
      assertProblem(await op.post(`/v1/filings/${f.id}/cancel`), 409, 'INVALID_STATE');
      // The domain is free again once its filing is cancelled.
      assert.equal((await file('alice', await apply(), d)).status, 201);
    });

    test('reject and withdraw give the number back', async () => {
      const code = await apply();
      const f1 = (await file('alice', code)).body;
      const rejected = await op.post(`/v1/filings/${f1.id}/reject`, { reason: '网站名称不符' });
      assert.equal(rejected.status, 200, rejected.text);
      assert.equal(rejected.body.state, 'rejected');
      assert.equal(rejected.body.reason, '网站名称不符');
      assert.equal((await alice.get(`/v1/service-numbers/${code}`)).body.state, 'available');
      const f2 = (await file('alice', code)).body;
      const withdrawn = await alice.post(`/v1/filings/${f2.id}/withdraw`);
      assert.equal(withdrawn.body.state, 'withdrawn');
      assert.equal((await alice.get(`/v1/service-numbers/${code}`)).body.state, 'available');
      const f3 = (await file('alice', code)).body;
      // A rejection needs a reason that is not blank; a refused one changes nothing.
      const noReason = await ctx.call('POST', `/v1/filings/${f3.id}/reject`, { token: ctx.tokens.op });
      assertProblem(noReason, 400, 'INVALID_REQUEST');
      for (const blank of ['', '   ', ' \t\n', '\u3000\u00a0 ']) {
        const r = await op.post(`/v1/filings/${f3.id}/reject`, { reason: blank });
        assertProblem(r, 400, 'INVALID_REQUEST');
        assert.equal(r.body.errors[0].field, 'reason');
      }
      assert.equal((await alice.get(`/v1/filings/${f3.id}`)).body.state, 'in_review');
      assertProblem(await op.post(`/v1/filings/${f3.id}/reject`, { reason: 5 }), 400, 'INVALID_REQUEST');
      assertProblem(await op.post(`/v1/filings/${f3.id}/reject`, { why: 'x' }), 400, 'INVALID_REQUEST');
    });

    test('roles and ownership of the review actions; bad and unknown filing ids', async () => {
      const f = (await file('alice', await apply())).body;
      assertProblem(await alice.post(`/v1/filings/${f.id}/approve`), 403, 'FORBIDDEN');
      assertProblem(await alice.post(`/v1/filings/${f.id}/reject`), 403, 'FORBIDDEN');
      assertProblem(await op.post(`/v1/filings/${f.id}/withdraw`), 403, 'FORBIDDEN');
      assertProblem(await bob.get(`/v1/filings/${f.id}`), 404, 'NOT_FOUND');
      assertProblem(await bob.post(`/v1/filings/${f.id}/withdraw`), 404, 'NOT_FOUND');
      assertProblem(await bob.post(`/v1/filings/${f.id}/cancel`), 404, 'NOT_FOUND');
      assertProblem(await op.post('/v1/filings/f-aaaaaaaaaaaaaaaaaaaa/approve'), 404, 'NOT_FOUND');
      assertProblem(await alice.get('/v1/filings/f-aaaaaaaaaaaaaaaaaaaa'), 404, 'NOT_FOUND');
      for (const bad of ['x', 'f-AAAAAAAAAAAAAAAAAAAA', 'f-short', 'filing%201']) {
        assertProblem(await alice.get(`/v1/filings/${bad}`), 400, 'INVALID_REQUEST');
        assertProblem(await op.post(`/v1/filings/${bad}/approve`), 400, 'INVALID_REQUEST');
      }
      assertProblem(await alice.post(`/v1/filings/${f.id}/withdraw`, { now: true }), 400, 'INVALID_REQUEST');
      assertProblem(await op.post('/v1/filings', { domain: 'op.example.cn', service_number: randomCode() }), 403, 'FORBIDDEN');
    });

    test('a grantee files with a granted number; the owner sees the filing', async () => {
      const code = await apply();
      assert.equal((await alice.post(`/v1/service-numbers/${code}/grants`, { account_id: 'carol' })).status, 200);
      const r = await file('carol', code);
      assert.equal(r.status, 201, r.text);
      assert.equal(r.body.account_id, 'carol');
      assert.equal((await alice.get(`/v1/filings/${r.body.id}`)).status, 200);
      assert.equal((await ctx.as('carol').get(`/v1/filings/${r.body.id}`)).status, 200);
      assertProblem(await bob.get(`/v1/filings/${r.body.id}`), 404, 'NOT_FOUND');
      // A number in review cannot be granted.
      assertProblem(await alice.post(`/v1/service-numbers/${code}/grants`, { account_id: 'bob' }), 409, 'INVALID_STATE');
    });

    test('409 PRODUCT_NOT_ELIGIBLE with the product\'s failing rules', async () => {
      const code = await apply('f-ip');
      await ctx.putProducts(product('f-ip', 'alice', { public_ips: [] }));
      const p = assertProblem(await file('alice', code, domain(), { lang: 'en' }), 409, 'PRODUCT_NOT_ELIGIBLE');
      assert.deepEqual(p.reasons.map((x) => x.code), ['NO_PUBLIC_IP']);
      assert.doesNotMatch(p.reasons[0].message, /[\u4e00-\u9fff]/);
      await ctx.putProducts(product('f-ip', 'alice', { region: 'cn-hongkong', public_ips: [] }));
      const zh = assertProblem(await file('alice', code), 409, 'PRODUCT_NOT_ELIGIBLE');
      assert.deepEqual(zh.reasons.map((x) => x.code), ['REGION_NOT_MAINLAND', 'NO_PUBLIC_IP']);
      assert.match(zh.reasons[0].message, /[\u4e00-\u9fff]/);
      assert.equal((await alice.get(`/v1/service-numbers/${code}`)).body.state, 'available');
    });

    test('host credentials: accepted for the owner\'s vhost; VHOST_CREDENTIALS_INVALID then 429', async () => {
      const vh = (password, productId = 'f-vh', username = 'h-alice') =>
        alice.post('/v1/filings', { domain: domain(), vhost: { product_id: productId, username, password } });
      const ok = await vh('pw-right-1');
      assert.equal(ok.status, 201, ok.text);
      assert.equal(ok.body.service_number, null);
      assert.equal(ok.body.product_id, 'f-vh');
      assertProblem(await vh('pw-bob', 'f-vh-bob', 'h-bob'), 403, 'VHOST_CREDENTIALS_INVALID');
      assertProblem(await vh('x', 'f-ecs'), 403, 'VHOST_CREDENTIALS_INVALID');
      for (let i = 0; i < 5; i++) assertProblem(await vh(`wrong-${i}`), 403, 'VHOST_CREDENTIALS_INVALID');
      assertProblem(await vh('pw-right-1'), 429, 'TOO_MANY_ATTEMPTS');
    });

    test('listing filings: own, operator all, state filter, paging, bad values', async () => {
      const mine = await alice.get('/v1/filings?limit=500');
      assert.equal(mine.status, 200);
      assert.ok(mine.body.items.length >= 8);
      const inReview = await alice.get('/v1/filings?state=in_review&limit=500');
      assert.ok(inReview.body.items.length > 0);
      assert.ok(inReview.body.items.every((f) => f.state === 'in_review'));
      const ids = [];
      let token = null;
      do {
        const r = await alice.get(`/v1/filings?limit=2${token ? `&page_token=${encodeURIComponent(token)}` : ''}`);
        ids.push(...r.body.items.map((f) => f.id));
        token = r.body.next_page_token;
      } while (token);
      assert.deepEqual(ids, mine.body.items.map((f) => f.id));
      assert.deepEqual((await bob.get('/v1/filings')).body.items, []);
      assert.ok((await op.get('/v1/filings?limit=500')).body.items.length >= mine.body.items.length);
      for (const q of ['state=done', 'limit=9999', 'page_token=%00', 'domain=x']) {
        assertProblem(await alice.get(`/v1/filings?${q}`), 400, 'INVALID_REQUEST');
      }
    });

    test('overview: counts, quotas and advice, for customers only', async () => {
      const ov = await alice.get('/v1/overview', { lang: 'en' });
      assert.equal(ov.status, 200, ov.text);
      assert.ok(ov.body.products_by_kind.ecs >= 2);
      assert.equal(ov.body.products_by_kind.vhost, 1);
      assert.ok(ov.body.numbers_by_state.available > 0);
      assert.ok(ov.body.numbers_by_state.voided >= 1);
      assert.ok(Array.isArray(ov.body.account_quotas));
      assert.deepEqual(ov.body.advice, []);
      const carol = await ctx.as('carol').get('/v1/overview', { lang: 'en' });
      assert.deepEqual(carol.body.advice.map((a) => a.code), ['NO_FILEABLE_PRODUCT']);
      assert.doesNotMatch(carol.body.advice[0].message, /[\u4e00-\u9fff]/);
      assert.equal(typeof carol.body.advice[0].remedy, 'string');
      assertProblem(await op.get('/v1/overview'), 403, 'FORBIDDEN');
      assertProblem(await alice.get('/v1/overview?x=1'), 400, 'INVALID_REQUEST');
    });

    test('events: the audit trail, oldest first, paged with after; customers see their own', async () => {
      const all = [];
      let after = 0;
      for (;;) {
        const r = await op.get(`/v1/events?after=${after}&limit=50`);
        assert.equal(r.status, 200, r.text);
        all.push(...r.body.items);
        if (r.body.items.length === 0) break;
        assert.equal(r.body.next_after, r.body.items.at(-1).seq);
        after = r.body.next_after;
      }
      assert.ok(all.length > 20);
      for (let i = 1; i < all.length; i++) assert.ok(all[i].seq > all[i - 1].seq);
      const types = new Set(all.map((e) => e.type));
      for (const t of ['account.created', 'token.issued', 'product.created', 'number.issued', 'filing.submitted',
        'filing.approved', 'filing.rejected', 'filing.withdrawn', 'filing.cancelled', 'number.granted']) {
        assert.ok(types.has(t), `no ${t} event in ${[...types]}`);
      }
      for (const e of all) {
        for (const k of ['seq', 'at', 'actor', 'type', 'account_id', 'subject', 'data']) assert.ok(k in e, k);
      }
      const bobs = await bob.get('/v1/events?limit=500');
      assert.ok(bobs.body.items.length > 0);
      assert.ok(bobs.body.items.every((e) => e.account_id === 'bob'), JSON.stringify(bobs.body.items));
      for (const q of ['after=-1', 'after=x', 'limit=0', 'limit=501', 'before=3', 'order=up',
        'order=desc&after=3', 'order=desc&before=-1', 'order=asc&before=3']) {
        assertProblem(await op.get(`/v1/events?${q}`), 400, 'INVALID_REQUEST');
      }
      // Newest first, paged backwards with before/next_before: the same events in reverse.
      for (const [who, expected] of [[op, all], [bob, bobs.body.items]]) {
        const back = [];
        let before = 0;
        for (;;) {
          const r = await who.get(`/v1/events?order=desc&limit=7${before ? `&before=${before}` : ''}`);
          assert.equal(r.status, 200, r.text);
          back.push(...r.body.items);
          if (!('next_before' in r.body)) break;
          assert.equal(r.body.next_before, r.body.items.at(-1).seq);
          before = r.body.next_before;
        }
        assert.deepEqual(back.map((e) => e.seq), expected.map((e) => e.seq).reverse());
      }
      const csv = await op.get('/v1/events?order=desc&limit=2', { headers: { Accept: 'text/csv' } });
      assert.equal(csv.status, 200, csv.text);
      assert.equal(csv.headers.get('x-next-before'), String(all.at(-2).seq));
    });
  });
}
