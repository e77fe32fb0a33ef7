// GET /v1/search over HTTP: numbers in any spelling, products by id and public IP, filings by id
// and domain (IDN), accounts for admins; visibility as the GET endpoints (another account's
// objects are never found), scopes decide the types, validation 400s; on SQLite and PostgreSQL.
'use strict';
const { describe, test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { backends, setup, assertProblem, product } = require('./lib/harness');

for (const backend of backends()) {
  describe(`search (${backend})`, () => {
    let ctx;
    let op;
    let alice;
    let bob;
    let code;
    let filing;
    const search = (who, q) => who.get(`/v1/search?q=${encodeURIComponent(q)}`);
    const found = async (who, q) => {
      const r = await search(who, q);
      assert.equal(r.status, 200, r.text);
      return r.body.results.map((x) => `${x.type}:${x.id}`);
    };
    before(async () => {
      ctx = await setup(backend);
      op = ctx.as('op');
      alice = ctx.as('alice');
      bob = ctx.as('bob');
      await ctx.putProducts(
        product('s-alice', 'alice', { public_ips: ['47.96.10.1', '2001:db8::a'] }),
        product('s-bob', 'bob', { public_ips: ['47.96.20.1'] }),
        product('s-shared-a', 'alice', { public_ips: ['47.96.30.1'] }),
        product('s-shared-b', 'bob', { public_ips: ['47.96.30.1'] }));
      const n = await alice.post('/v1/products/s-alice/service-numbers');
      assert.equal(n.status, 201, n.text);
      code = n.body.code;
      const f = await alice.post('/v1/filings', { domain: '例子.中国', service_number: code });
      assert.equal(f.status, 201, f.text);
      filing = f.body;
    });
    after(async () => { await ctx.stop(); });

    test('a number in any spelling: lower case, no dashes, spaces, confusable letters', async () => {
      const plain = code.replace(/-/g, '');
      const spellings = [code, code.toLowerCase(), plain, ` ${plain.match(/.{1,5}/g).join(' ')} `,
        code.replace(/0/g, 'O').replace(/1/g, 'I')];
      for (const q of spellings) assert.deepEqual(await found(alice, q), [`number:${code}`], q);
      const r = await search(alice, code);
      const hit = r.body.results[0];
      assert.equal(hit.href, `/v1/service-numbers/${code}`);
      assert.equal(hit.product_id, 's-alice');
      assert.equal(hit.state, 'in_review');
      assert.equal((await alice.get(hit.href)).status, 200);
      assert.deepEqual(await found(op, code.toLowerCase()), [`number:${code}`]);
    });

    test('products by id and by public IP (IPv6 in any spelling), only the caller\'s', async () => {
      assert.deepEqual(await found(alice, 's-alice'), ['product:s-alice']);
      assert.deepEqual(await found(alice, '47.96.10.1'), ['product:s-alice']);
      assert.deepEqual(await found(alice, '2001:DB8:0::A'), ['product:s-alice']);
      assert.deepEqual(await found(alice, '47.96.30.1'), ['product:s-shared-a']);
      assert.deepEqual(await found(bob, '47.96.30.1'), ['product:s-shared-b']);
      assert.deepEqual(await found(op, '47.96.30.1'), ['product:s-shared-a', 'product:s-shared-b']);
      const hit = (await search(alice, 's-alice')).body.results[0];
      assert.equal(hit.href, '/v1/products/s-alice');
      assert.deepEqual(hit.public_ips, ['47.96.10.1', '2001:db8::a']);
      assert.equal(typeof hit.can_apply, 'boolean');
    });

    test('filings by id (any case) and by domain (Unicode or A-labels, any case)', async () => {
      for (const q of [filing.id, filing.id.toUpperCase(), '例子.中国', 'XN--FSQU00A.XN--FIQS8S', 'xn--fsqu00a.xn--fiqs8s.']) {
        assert.deepEqual(await found(alice, q), [`filing:${filing.id}`], q);
      }
      const hit = (await search(alice, '例子.中国')).body.results[0];
      assert.equal(hit.domain, 'xn--fsqu00a.xn--fiqs8s');
      assert.equal(hit.state, 'in_review');
      assert.equal(hit.href, `/v1/filings/${filing.id}`);
      assert.deepEqual(await found(op, '例子.中国'), [`filing:${filing.id}`]);
    });

    test('another account\'s objects are never found: 200 with no results, not 403 or 404', async () => {
      for (const q of [code, 's-alice', '47.96.10.1', filing.id, '例子.中国', 'alice']) {
        assert.deepEqual(await found(bob, q), [], q);
      }
      assert.deepEqual(await found(alice, 's-bob'), []);
      assert.deepEqual(await found(alice, '47.96.20.1'), []);
    });

    test('grantees find the number granted to them; accounts only for admins', async () => {
      await ctx.putProducts(product('s-grant', 'alice'));
      const n = await alice.post('/v1/products/s-grant/service-numbers');
      assert.equal(n.status, 201);
      assert.deepEqual(await found(bob, n.body.code), []);
      assert.equal((await alice.post(`/v1/service-numbers/${n.body.code}/grants`, { account_id: 'bob' })).status, 200);
      assert.deepEqual(await found(bob, n.body.code), [`number:${n.body.code}`]);
      assert.deepEqual(await found(bob, 's-grant'), []);  // the product stays alice's
      const acc = (await search(op, 'alice')).body.results;
      assert.deepEqual(acc.map((x) => `${x.type}:${x.id}`), ['account:alice']);
      assert.equal(acc[0].role, 'customer');
      assert.equal(acc[0].href, null);
      assert.deepEqual(await found(alice, 'alice'), []);
    });

    test('the token\'s read scopes decide which types are searched', async () => {
      const t = await alice.post('/v1/tokens', { name: 'numbers only', scopes: ['numbers:read'] });
      assert.equal(t.status, 201, t.text);
      const narrow = (q) => ctx.call('GET', `/v1/search?q=${encodeURIComponent(q)}`, { token: t.body.token });
      assert.equal((await narrow(code)).body.results.length, 1);
      assert.deepEqual((await narrow('s-alice')).body.results, []);
      assert.deepEqual((await narrow(filing.id)).body.results, []);
      const w = await alice.post('/v1/tokens', { name: 'write only', scopes: ['filings:write'] });
      assertProblem(await ctx.call('GET', '/v1/search?q=x', { token: w.body.token }), 403, 'INSUFFICIENT_SCOPE');
    });

    test('q is required, 1 to 200 characters after trimming; unknown parameters are 400', async () => {
      for (const path of ['/v1/search', '/v1/search?q=', '/v1/search?q=%20%20', `/v1/search?q=${'x'.repeat(201)}`,
        '/v1/search?q=a&limit=5']) {
        const p = assertProblem(await alice.get(path), 400, 'INVALID_REQUEST');
        if (!path.includes('limit')) assert.ok(p.errors.some((e) => e.field === 'q'), p);
      }
      assert.equal((await alice.get(`/v1/search?q=${'x'.repeat(200)}`)).status, 200);
      assert.deepEqual(await found(alice, 'nothing-like-this'), []);
      assertProblem(await ctx.call('GET', '/v1/search?q=x'), 401, 'UNAUTHENTICATED');
    });
  });
}
