// Service numbers over HTTP: apply (quota, reasons, idempotency), get in any spelling, list,
// grant, SN_* refusals and TOO_MANY_ATTEMPTS, on SQLite and PostgreSQL.
'use strict';
const { describe, test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { backends, setup, assertProblem, product, inDays } = require('./lib/harness');
const { randomCode, corrupt } = require('./lib/sn');

const CODE_RE = /^[0-9A-HJKMNP-TV-Z]{5}(-[0-9A-HJKMNP-TV-Z]{5}){4}$/;

for (const backend of backends()) {
  describe(`service numbers (${backend})`, () => {
    let ctx;
    let alice;
    let bob;
    before(async () => {
      ctx = await setup(backend);
      alice = ctx.as('alice');
      bob = ctx.as('bob');
      await ctx.putProducts(
        product('n-ecs', 'alice'),
        product('n-quota', 'alice'),
        product('n-payg', 'alice', { billing: 'pay_as_you_go', expires_at: undefined, public_ips: [] }),
        product('n-short', 'alice', { expires_at: inDays(20) }),
        product('n-shop', 'alice', { kind: 'cxt_shop', public_ips: [] }),
        product('n-wh-1', 'alice', { kind: 'web_hosting', expires_at: inDays(400) }),
        product('n-wh-2', 'alice', { kind: 'web_hosting', expires_at: inDays(400) }),
        product('n-bob', 'bob'),
      );
    });
    after(async () => { await ctx.stop(); });

    test('apply issues a number: 201, Location, available and usable', async () => {
      const r = await alice.post('/v1/products/n-ecs/service-numbers');
      assert.equal(r.status, 201, r.text);
      assert.match(r.body.code, CODE_RE);
      assert.equal(r.headers.get('location'), `/v1/service-numbers/${r.body.code}`);
      assert.equal(r.body.product_id, 'n-ecs');
      assert.equal(r.body.account_id, 'alice');
      assert.equal(r.body.state, 'available');
      assert.equal(r.body.usable, true);
      assert.equal(r.body.domain, null);
      assert.equal(r.body.filing_id, null);
      assert.deepEqual(r.body.granted_to, []);
      assert.equal(typeof r.body.issued_at, 'string');
      const p = await alice.get('/v1/products/n-ecs');
      assert.equal(p.body.eligibility.quota.used, 1);
    });

    test('quota: five numbers, then 409 NOT_ELIGIBLE with QUOTA_EXHAUSTED', async () => {
      for (let i = 0; i < 5; i++) assert.equal((await alice.post('/v1/products/n-quota/service-numbers')).status, 201);
      const r = await alice.post('/v1/products/n-quota/service-numbers', undefined, { lang: 'en' });
      const p = assertProblem(r, 409, 'NOT_ELIGIBLE');
      assert.deepEqual(p.reasons.map((x) => x.code), ['QUOTA_EXHAUSTED']);
      assert.equal(typeof p.reasons[0].remedy, 'string');
    });

    test('NOT_ELIGIBLE names every failing rule, in order, with remedies and renew_until', async () => {
      const payg = assertProblem(await alice.post('/v1/products/n-payg/service-numbers'), 409, 'NOT_ELIGIBLE');
      assert.deepEqual(payg.reasons.map((x) => x.code), ['PAY_AS_YOU_GO', 'NO_PUBLIC_IP']);
      assert.match(payg.reasons[0].remedy, /包年包月/);
      const short = assertProblem(await alice.post('/v1/products/n-short/service-numbers', undefined, { lang: 'en' }),
        409, 'NOT_ELIGIBLE');
      assert.deepEqual(short.reasons.map((x) => x.code), ['REMAINING_TERM_TOO_SHORT']);
      assert.match(short.reasons[0].renew_until, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+08:00$/);
      assert.doesNotMatch(short.reasons[0].message, /[\u4e00-\u9fff]/);
      const shop = assertProblem(await alice.post('/v1/products/n-shop/service-numbers'), 409, 'NOT_ELIGIBLE');
      assert.deepEqual(shop.reasons.map((x) => x.code), ['NO_SERVICE_NUMBER_NEEDED']);
    });

    test('web hosting quota is counted per account', async () => {
      for (let i = 0; i < 3; i++) assert.equal((await alice.post('/v1/products/n-wh-1/service-numbers')).status, 201);
      for (let i = 0; i < 2; i++) assert.equal((await alice.post('/v1/products/n-wh-2/service-numbers')).status, 201);
      const p = assertProblem(await alice.post('/v1/products/n-wh-1/service-numbers'), 409, 'NOT_ELIGIBLE');
      assert.deepEqual(p.reasons.map((x) => x.code), ['QUOTA_EXHAUSTED']);
      const ov = await alice.get('/v1/overview');
      assert.deepEqual(ov.body.account_quotas.find((q) => q.kind === 'web_hosting'),
        { kind: 'web_hosting', scope: 'account', limit: 5, used: 5, remaining: 0 });
    });

    test('Idempotency-Key: a retry returns the same number with no new issue; another request is 422', async () => {
      await ctx.putProducts(product('n-idem', 'alice'), product('n-idem-2', 'alice'));
      const key = { headers: { 'Idempotency-Key': 'apply-abc-1' } };
      const a = await alice.post('/v1/products/n-idem/service-numbers', undefined, key);
      const b = await alice.post('/v1/products/n-idem/service-numbers', undefined, key);
      assert.equal(a.status, 201);
      assert.equal(b.status, 201);
      assert.equal(a.body.code, b.body.code);
      assert.equal((await alice.get('/v1/products/n-idem')).body.eligibility.quota.used, 1);
      assertProblem(await alice.post('/v1/products/n-idem-2/service-numbers', undefined, key), 422, 'IDEMPOTENCY_KEY_REUSED');
      assert.equal((await alice.get('/v1/products/n-idem-2')).body.eligibility.quota.used, 0);
      // Keys belong to the account: bob may use the same key for his own request.
      const other = await bob.post('/v1/products/n-bob/service-numbers', undefined, key);
      assert.equal(other.status, 201);
      assert.notEqual(other.body.code, a.body.code);
      assertProblem(await alice.post('/v1/products/n-idem/service-numbers', undefined,
        { headers: { 'Idempotency-Key': 'x'.repeat(256) } }), 400, 'INVALID_REQUEST');
    });

    test('apply refusals: 404 for others\' and unknown products, 403 for operators, 400 for bad ids and bodies', async () => {
      assertProblem(await bob.post('/v1/products/n-ecs/service-numbers'), 404, 'NOT_FOUND');
      assertProblem(await bob.post('/v1/products/nothing/service-numbers'), 404, 'NOT_FOUND');
      assertProblem(await ctx.as('op').post('/v1/products/n-ecs/service-numbers'), 403, 'FORBIDDEN');
      assertProblem(await alice.post('/v1/products/bad%20id/service-numbers'), 400, 'INVALID_REQUEST');
      assertProblem(await alice.post('/v1/products/n-ecs/service-numbers', { count: 2 }), 400, 'INVALID_REQUEST');
      assert.equal((await alice.post('/v1/products/n-ecs/service-numbers', {})).status, 201);
    });

    test('GET a number in any accepted spelling; SN_MALFORMED and SN_NOT_FOUND', async () => {
      const issued = (await alice.post('/v1/products/n-ecs/service-numbers')).body.code;
      const spellings = [issued, issued.toLowerCase(), issued.replace(/-/g, ''), issued.replace(/-/g, ' '),
        issued.replace(/0/g, 'O').replace(/1/g, 'l')];
      for (const s of spellings) {
        const r = await alice.get(`/v1/service-numbers/${encodeURIComponent(s)}`);
        assert.equal(r.status, 200, `${s}: ${r.text}`);
        assert.equal(r.body.code, issued);
      }
      assert.equal((await ctx.as('op').get(`/v1/service-numbers/${issued}`)).status, 200);
      assertProblem(await alice.get(`/v1/service-numbers/${corrupt(issued)}`), 400, 'SN_MALFORMED');
      assertProblem(await alice.get('/v1/service-numbers/ABC'), 400, 'SN_MALFORMED');
      assertProblem(await alice.get(`/v1/service-numbers/${randomCode()}`), 404, 'SN_NOT_FOUND');
      // Another account's number looks exactly like a missing one.
      const theirs = assertProblem(await bob.get(`/v1/service-numbers/${issued}`), 404, 'SN_NOT_FOUND');
      const missing = assertProblem(await bob.get(`/v1/service-numbers/${randomCode()}`), 404, 'SN_NOT_FOUND');
      assert.equal(theirs.detail, missing.detail);
    });

    test('lists: own and granted numbers, filters, paging, bad values', async () => {
      const all = await alice.get('/v1/service-numbers?limit=500');
      assert.equal(all.status, 200);
      assert.ok(all.body.items.length >= 10);
      assert.ok(all.body.items.every((n) => n.account_id === 'alice'));
      const byProduct = await alice.get('/v1/service-numbers?product_id=n-quota');
      assert.equal(byProduct.body.items.length, 5);
      const avail = await alice.get('/v1/service-numbers?state=available&limit=500');
      assert.ok(avail.body.items.every((n) => n.state === 'available'));
      const codes = [];
      let token = null;
      do {
        const r = await alice.get(`/v1/service-numbers?limit=3${token ? `&page_token=${encodeURIComponent(token)}` : ''}`);
        assert.ok(r.body.items.length <= 3);
        codes.push(...r.body.items.map((n) => n.code));
        token = r.body.next_page_token;
      } while (token);
      assert.deepEqual(codes, all.body.items.map((n) => n.code));
      assert.ok((await bob.get('/v1/service-numbers?limit=500')).body.items.every((n) => n.account_id === 'bob'));
      const opAll = await ctx.as('op').get('/v1/service-numbers?limit=500');
      assert.ok(opAll.body.items.some((n) => n.account_id === 'bob'));
      for (const q of ['state=used', 'product_id=bad%20id', 'limit=0', 'page_token=@@', 'kind=ecs']) {
        assertProblem(await alice.get(`/v1/service-numbers?${q}`), 400, 'INVALID_REQUEST');
      }
    });

    test('grants let another customer use a number', async () => {
      const code = (await alice.post('/v1/products/n-ecs/service-numbers')).body.code;
      assertProblem(await ctx.as('carol').get(`/v1/service-numbers/${code}`), 404, 'SN_NOT_FOUND');
      const g = await alice.post(`/v1/service-numbers/${code}/grants`, { account_id: 'carol' });
      assert.equal(g.status, 200, g.text);
      assert.deepEqual(g.body.granted_to, ['carol']);
      const seen = await ctx.as('carol').get(`/v1/service-numbers/${code}`);
      assert.equal(seen.status, 200);
      assert.ok((await ctx.as('carol').get('/v1/service-numbers')).body.items.some((n) => n.code === code));
      // Only the owner grants; bad bodies are 400.
      assertProblem(await ctx.as('carol').post(`/v1/service-numbers/${code}/grants`, { account_id: 'bob' }), 403, 'FORBIDDEN');
      assertProblem(await bob.post(`/v1/service-numbers/${code}/grants`, { account_id: 'carol' }), 404, 'SN_NOT_FOUND');
      assertProblem(await alice.post(`/v1/service-numbers/${code}/grants`, { account_id: 5 }), 400, 'INVALID_REQUEST');
      assertProblem(await alice.post(`/v1/service-numbers/${code}/grants`, { account_id: 'carol', x: 1 }), 400, 'INVALID_REQUEST');
      assertProblem(await alice.post(`/v1/service-numbers/${code}/grants`, {}), 400, 'INVALID_REQUEST');
      assertProblem(await alice.post(`/v1/service-numbers/${code}/grants`, { account_id: 'nobody' }), 400, 'INVALID_REQUEST');
      assertProblem(await alice.post('/v1/service-numbers/XYZ/grants', { account_id: 'carol' }), 400, 'SN_MALFORMED');
    });

    test('TOO_MANY_ATTEMPTS after ten look-ups of numbers one may not use', async () => {
      // A fresh account, so that no earlier look-up counts.
      assert.equal((await ctx.as('op').put('/v1/accounts/dan', { role: 'customer' })).status, 201);
      const token = (await ctx.as('op').post('/v1/accounts/dan/tokens')).body.token;
      const carol = {
        get: (p) => ctx.call('GET', p, { token }),
        post: (p, body) => ctx.call('POST', p, { token, body }),
      };
      const theirs = (await bob.post('/v1/products/n-bob/service-numbers')).body.code;
      // Malformed codes are not guesses and do not count.
      for (let i = 0; i < 12; i++) assertProblem(await carol.get('/v1/service-numbers/NOPE'), 400, 'SN_MALFORMED');
      let notFound = 0;
      let limited = null;
      for (let i = 0; i < 12 && !limited; i++) {
        const r = await carol.get(`/v1/service-numbers/${i % 2 ? theirs : randomCode()}`);
        if (r.status === 404) notFound++;
        else limited = r;
      }
      assert.equal(notFound, 10);
      assertProblem(limited, 429, 'TOO_MANY_ATTEMPTS');
      // Filings count against the same budget.
      assertProblem(await carol.post('/v1/filings', { domain: 'carol-site.cn', service_number: randomCode() }),
        429, 'TOO_MANY_ATTEMPTS');
      // Other accounts are not affected.
      assertProblem(await ctx.as('alice').get(`/v1/service-numbers/${randomCode()}`), 404, 'SN_NOT_FOUND');
    });
  });
}
