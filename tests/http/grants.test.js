// Granted numbers over HTTP, on SQLite and PostgreSQL: the owner's "used by" view, a grantee's
// narrow view (its own grant and filings only), revoking a grant while the number is available,
// the grantee's own filing events, and grant refusals in both languages.
'use strict';
const { describe, test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { backends, setup, assertProblem, product } = require('./lib/harness');

for (const backend of backends()) {
  describe(`grants (${backend})`, () => {
    let ctx;
    let alice;
    let bob;
    let carol;
    let op;
    let fresh = 0;
    const newNumber = async () => {
      const id = `g-${++fresh}`;
      await ctx.putProducts(product(id, 'alice'));
      const r = await alice.post(`/v1/products/${id}/service-numbers`);
      assert.equal(r.status, 201, r.text);
      return r.body.code;
    };
    const grant = async (code, who) => {
      const r = await alice.post(`/v1/service-numbers/${code}/grants`, { account_id: who });
      assert.equal(r.status, 200, r.text);
    };

    before(async () => {
      ctx = await setup(backend);
      alice = ctx.as('alice');
      bob = ctx.as('bob');
      carol = ctx.as('carol');
      op = ctx.as('op');
    });
    after(async () => { await ctx.stop(); });

    test('the owner sees every grant and what was filed; a grantee only its own', async () => {
      const code = await newNumber();
      await grant(code, 'carol');
      await grant(code, 'bob');
      const d = `carol-${backend}.example.cn`;
      const f = await carol.post('/v1/filings', { domain: d, service_number: code });
      assert.equal(f.status, 201, f.text);
      const owner = await alice.get(`/v1/service-numbers/${code}/grants`);
      assert.equal(owner.status, 200, owner.text);
      assert.deepEqual(owner.body.grants.map((g) => g.account_id), ['bob', 'carol']);
      assert.deepEqual(owner.body.used_by.map((u) => [u.filing_id, u.domain, u.account_id, u.state]),
        [[f.body.id, d, 'carol', 'in_review']]);
      assert.deepEqual((await op.get(`/v1/service-numbers/${code}/grants`)).body, owner.body);
      const c = (await carol.get(`/v1/service-numbers/${code}/grants`)).body;
      assert.deepEqual(c.grants.map((g) => g.account_id), ['carol']);
      assert.equal(c.used_by.length, 1);
      // Bob, the other grantee: neither carol's grant nor her domain, here or on the number.
      const b = await bob.get(`/v1/service-numbers/${code}/grants`);
      assert.deepEqual(b.body.grants.map((g) => g.account_id), ['bob']);
      assert.deepEqual(b.body.used_by, []);
      const bn = (await bob.get(`/v1/service-numbers/${code}`)).body;
      assert.deepEqual(bn.granted_to, ['bob']);
      assert.equal(bn.domain, null);
      assert.equal(bn.filing_id, null);
      const bl = (await bob.get('/v1/service-numbers?limit=500')).body.items.find((n) => n.code === code);
      assert.equal(JSON.stringify(bl).includes(d) || JSON.stringify(bl).includes('carol'), false, JSON.stringify(bl));
      assert.equal((await carol.get(`/v1/service-numbers/${code}`)).body.domain, d);
      // Anyone else: not found.
      const stranger = await newNumber();
      assertProblem(await bob.get(`/v1/service-numbers/${stranger}/grants`), 404, 'SN_NOT_FOUND');
      assertProblem(await bob.get('/v1/service-numbers/XYZ/grants'), 400, 'SN_MALFORMED');
    });

    test('the grantee sees the events of her own filing; the other grantee does not', async () => {
      const code = await newNumber();
      await grant(code, 'carol');
      await grant(code, 'bob');
      const d = `ev-${backend}.example.cn`;
      const f = (await carol.post('/v1/filings', { domain: d, service_number: code })).body;
      assert.equal((await op.post(`/v1/filings/${f.id}/reject`, { reason: '名称不符' })).status, 200);
      const mine = (await carol.get('/v1/events?limit=500')).body.items.filter((e) => e.subject === f.id);
      assert.deepEqual(mine.map((e) => e.type), ['filing.submitted', 'filing.rejected']);
      assert.ok(mine.every((e) => e.account_id === 'carol'));
      const owners = (await alice.get('/v1/events?limit=500')).body.items.filter((e) => e.subject === f.id);
      assert.equal(owners.length, 2);
      const bobs = JSON.stringify((await bob.get('/v1/events?limit=500')).body.items);
      assert.equal(bobs.includes(d) || bobs.includes(f.id), false);
    });

    test('revoke: owner only, while available; audited; others 404', async () => {
      const code = await newNumber();
      await grant(code, 'carol');
      await grant(code, 'bob');
      assertProblem(await carol.del(`/v1/service-numbers/${code}/grants/bob`), 403, 'FORBIDDEN');
      const stranger = await newNumber();
      assertProblem(await bob.del(`/v1/service-numbers/${stranger}/grants/carol`), 404, 'SN_NOT_FOUND');
      assertProblem(await alice.del(`/v1/service-numbers/${code}/grants/nobody`), 404, 'NOT_FOUND');
      assertProblem(await alice.del(`/v1/service-numbers/${code}/grants/bad%20id`), 400, 'INVALID_REQUEST');
      const r = await alice.del(`/v1/service-numbers/${code}/grants/bob`);
      assert.equal(r.status, 200, r.text);
      assert.deepEqual(r.body.grants.map((g) => g.account_id), ['carol']);
      assertProblem(await bob.get(`/v1/service-numbers/${code}`), 404, 'SN_NOT_FOUND');
      const ev = (await alice.get('/v1/events?limit=500')).body.items.filter((e) => e.type === 'number.grant_revoked');
      assert.deepEqual(ev.map((e) => [e.subject, e.data.grantee]), [[code, 'bob']]);
      // In review: the grant holds.
      const f = await carol.post('/v1/filings', { domain: `rev-${backend}.example.cn`, service_number: code });
      assert.equal(f.status, 201, f.text);
      assertProblem(await alice.del(`/v1/service-numbers/${code}/grants/carol`), 409, 'SN_IN_REVIEW');
      assert.deepEqual((await alice.get(`/v1/service-numbers/${code}`)).body.granted_to, ['carol']);
    });

    test('grant refusals carry field details in the request language', async () => {
      const code = await newNumber();
      const zh = assertProblem(await alice.post(`/v1/service-numbers/${code}/grants`, { account_id: 'nobody-here' }), 400, 'INVALID_REQUEST');
      assert.equal(zh.errors[0].field, 'account_id');
      assert.equal(zh.errors[0].detail, '被授权账号不存在或不是客户账号');
      const self = assertProblem(await alice.post(`/v1/service-numbers/${code}/grants`, { account_id: 'alice' }), 400, 'INVALID_REQUEST');
      assert.equal(self.errors[0].detail, '不能授权给自己');
      const en = assertProblem(await alice.post(`/v1/service-numbers/${code}/grants`, { account_id: 'nobody-here' }, { lang: 'en' }),
        400, 'INVALID_REQUEST');
      assert.equal(en.errors[0].detail, 'the grantee is not a customer account');
    });
  });
}
