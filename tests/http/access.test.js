// Identity and access over HTTP (issue 9): token format, scopes, create/list/revoke/rotate, operator
// roles and their guards, who may act on a filing, 403 wording, denied-request audit; on SQLite
// and PostgreSQL.
'use strict';
const { describe, test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { backends, setup, assertProblem, product, cli } = require('./lib/harness');

const BASE62 = /^beian_[0-9A-Za-z]{49}$/;

for (const backend of backends()) {
  describe(`access (${backend})`, () => {
    let ctx;
    let op;
    let alice;
    const asToken = (token) => ({
      get: (p, o = {}) => ctx.call('GET', p, { token, ...o }),
      post: (p, body, o = {}) => ctx.call('POST', p, { token, body, ...o }),
      put: (p, body, o = {}) => ctx.call('PUT', p, { token, body, ...o }),
      del: (p, o = {}) => ctx.call('DELETE', p, { token, ...o }),
    });
    const newToken = async (who, body) => {
      const r = await ctx.as(who).post('/v1/tokens', body);
      assert.equal(r.status, 201, r.text);
      return r.body;
    };

    before(async () => {
      ctx = await setup(backend);
      op = ctx.as('op');
      alice = ctx.as('alice');
      await ctx.putProducts(product('acc-ecs', 'alice'), product('acc-ecs2', 'alice'));
    });
    after(async () => { await ctx.stop(); });

    test('tokens are beian_ + base62 with a CRC-32 check; a mistyped one is 401', async () => {
      assert.match(ctx.tokens.alice, BASE62);
      assert.equal((await alice.get('/v1/me')).status, 200);
      const t = ctx.tokens.alice;
      const typo = t.slice(0, 20) + (t[20] === 'a' ? 'b' : 'a') + t.slice(21);
      const r = assertProblem(await ctx.call('GET', '/v1/me', { token: typo, lang: 'en' }), 401, 'UNAUTHENTICATED');
      assert.equal(r.detail, 'the token is malformed or mistyped');
      assert.equal(r.title, 'Not signed in, or the token is not valid');
      assert.equal((await ctx.call('GET', '/v1/me', { token: typo })).headers.get('www-authenticate'), 'Bearer');
    });

    test('POST /v1/tokens: scopes, show once, 403 INSUFFICIENT_SCOPE naming the scope', async () => {
      const t = await newToken('alice', { name: 'read only', scopes: ['numbers:read', 'products:read'], expires_in: 3600 });
      assert.match(t.token, BASE62);
      assert.match(t.id, /^tok_[0-9A-Za-z]{16}$/);
      assert.deepEqual(t.scopes, ['products:read', 'numbers:read']);
      assert.equal(t.name, 'read only');
      assert.equal(t.creator, 'alice');
      assert.ok(Date.parse(t.expires_at) > Date.now() + 3500e3);
      const ro = asToken(t.token);
      assert.equal((await ro.get('/v1/products')).status, 200);
      const en = assertProblem(await ro.post('/v1/products/acc-ecs/service-numbers', undefined, { lang: 'en' }), 403, 'INSUFFICIENT_SCOPE');
      assert.match(en.detail, /numbers:apply/);
      const zh = assertProblem(await ro.post('/v1/products/acc-ecs/service-numbers'), 403, 'INSUFFICIENT_SCOPE');
      assert.match(zh.detail, /权限范围 numbers:apply/);
      assertProblem(await ro.get('/v1/filings'), 403, 'INSUFFICIENT_SCOPE');
      // A narrow token cannot mint a wider one; a customer cannot hold operator scopes.
      assertProblem(await ro.post('/v1/tokens', { scopes: ['numbers:apply'] }), 403, 'INSUFFICIENT_SCOPE');
      assertProblem(await alice.post('/v1/tokens', { scopes: ['inventory:write'] }), 403, 'INSUFFICIENT_SCOPE');
      assertProblem(await alice.post('/v1/tokens', { scopes: ['root'] }), 400, 'INVALID_REQUEST');
      assertProblem(await alice.post('/v1/tokens', { expires_in: 10 }), 400, 'INVALID_REQUEST');
      // The secret is never listed.
      const list = await alice.get('/v1/tokens');
      assert.equal(list.status, 200);
      const mine = list.body.items.find((x) => x.id === t.id);
      assert.ok(mine);
      assert.equal(mine.token, undefined);
      assert.ok(!list.text.includes(t.token));
      assert.ok(list.body.items.every((x) => x.account_id === 'alice'));
    });

    test('GET /v1/tokens: admins see all or one account; customers only their own', async () => {
      const all = await op.get('/v1/tokens');
      assert.ok(new Set(all.body.items.map((x) => x.account_id)).size >= 4);
      const bobs = await op.get('/v1/tokens?account_id=bob');
      assert.ok(bobs.body.items.length >= 1);
      assert.ok(bobs.body.items.every((x) => x.account_id === 'bob'));
      const p = assertProblem(await alice.get('/v1/tokens?account_id=bob', { lang: 'en' }), 403, 'FORBIDDEN');
      assert.equal(p.detail, 'only operator accounts with the admin role may do this');
    });

    test('DELETE /v1/tokens/{id}: 204, the token stops at once; others\' tokens are 404', async () => {
      const t = await newToken('alice', { name: 'to revoke' });
      const tok = asToken(t.token);
      assert.equal((await tok.get('/v1/me')).status, 200);
      assertProblem(await ctx.as('bob').del(`/v1/tokens/${t.id}`), 404, 'NOT_FOUND');
      assert.equal((await tok.get('/v1/me')).status, 200);
      assert.equal((await alice.del(`/v1/tokens/${t.id}`)).status, 204);
      const r = assertProblem(await tok.get('/v1/me', { lang: 'en' }), 401, 'UNAUTHENTICATED');
      assert.equal(r.detail, 'the token was revoked');
      assert.equal((await alice.del(`/v1/tokens/${t.id}`)).status, 204);
      assertProblem(await alice.del('/v1/tokens/nope'), 400, 'INVALID_REQUEST');
      const listed = (await alice.get('/v1/tokens')).body.items.find((x) => x.id === t.id);
      assert.ok(listed.revoked_at);
    });

    test('rotate: the new token works; the old one for the grace only', async () => {
      const t = await newToken('alice', { name: 'ci', scopes: ['numbers:read'] });
      const r = await alice.post(`/v1/tokens/${t.id}/rotate`, { grace_seconds: 600 });
      assert.equal(r.status, 201, r.text);
      assert.match(r.body.token, BASE62);
      assert.deepEqual(r.body.scopes, ['numbers:read']);
      assert.equal(r.body.name, 'ci');
      assert.equal((await asToken(t.token).get('/v1/service-numbers')).status, 200);
      assert.equal((await asToken(r.body.token).get('/v1/service-numbers')).status, 200);
      const r2 = await alice.post(`/v1/tokens/${r.body.id}/rotate`, {});
      assert.equal(r2.status, 201);
      assertProblem(await asToken(r.body.token).get('/v1/me'), 401, 'UNAUTHENTICATED');
      assertProblem(await alice.post(`/v1/tokens/${r.body.id}/rotate`), 409, 'INVALID_STATE');
      assertProblem(await alice.post(`/v1/tokens/${r2.body.id}/rotate`, { grace_seconds: 86401 }), 400, 'INVALID_REQUEST');
      // The audit trail, visible to alice.
      const events = (await alice.get('/v1/events?limit=500')).body.items.map((e) => e.type);
      for (const type of ['token.created', 'token.rotated', 'token.revoked']) assert.ok(events.includes(type), type);
    });

    test('last_used_at is set when a token is used', async () => {
      const t = await newToken('alice', { name: 'used' });
      assert.equal((await alice.get('/v1/tokens')).body.items.find((x) => x.id === t.id).last_used_at, null);
      assert.equal((await asToken(t.token).get('/v1/me')).status, 200);
      assert.ok((await alice.get('/v1/tokens')).body.items.find((x) => x.id === t.id).last_used_at);
    });

    test('operator roles: reviewer-only, LAST_ADMIN, OPERATOR_OWNS_PRODUCTS (HTTP and CLI)', async () => {
      let r = await op.put('/v1/accounts/rev1', { role: 'operator', roles: ['reviewer'] });
      assert.equal(r.status, 201, r.text);
      assert.deepEqual(r.body.roles, ['reviewer']);
      assert.equal(r.body.status, 'active');
      const rev = asToken(cli(ctx.db, ['token', 'issue', 'rev1']).stdout.trim());
      const p = assertProblem(await rev.put('/v1/products/acc-x', product('acc-x', 'alice'), { lang: 'en' }), 403, 'FORBIDDEN');
      assert.equal(p.detail, 'your operator account lacks the inventory role');
      const pz = assertProblem(await rev.put('/v1/products/acc-x', product('acc-x', 'alice')), 403, 'FORBIDDEN');
      assert.equal(pz.detail, '您的运营账号缺少 inventory 角色');
      assertProblem(await rev.put('/v1/accounts/alice', { name: 'x' }), 403, 'FORBIDDEN');
      // A reviewer token narrowed to read scopes lacks filings:review: INSUFFICIENT_SCOPE.
      const narrow = (await rev.post('/v1/tokens', { scopes: ['filings:read'] })).body.token;
      const np = assertProblem(await asToken(narrow).post('/v1/filings/f-aaaaaaaaaaaaaaaaaaaa/approve', undefined, { lang: 'en' }), 403, 'INSUFFICIENT_SCOPE');
      assert.equal(np.detail, 'this token lacks the scope filings:review');
      // op is the only admin: it can neither demote nor disable itself.
      const last = assertProblem(await op.put('/v1/accounts/op', { role: 'customer' }, { lang: 'en' }), 409, 'LAST_ADMIN');
      assert.match(last.detail, /last active admin/);
      assertProblem(await op.put('/v1/accounts/op', { roles: ['reviewer'] }), 409, 'LAST_ADMIN');
      assertProblem(await op.put('/v1/accounts/op', { status: 'disabled' }), 409, 'LAST_ADMIN');
      const cliLast = cli(ctx.db, ['account', 'add', 'op', '--role', 'customer'], { expectFail: true });
      assert.equal(cliLast.status, 1);
      assert.match(cliLast.stderr, /^beian: LAST_ADMIN: /);
      // alice owns products: not an operator, by HTTP or CLI.
      const owns = assertProblem(await op.put('/v1/accounts/alice', { role: 'operator' }, { lang: 'en' }), 409, 'OPERATOR_OWNS_PRODUCTS');
      assert.match(owns.detail, /alice owns products/);
      const cliOwns = cli(ctx.db, ['account', 'add', 'alice', '--role', 'operator'], { expectFail: true });
      assert.equal(cliOwns.status, 1);
      assert.match(cliOwns.stderr, /OPERATOR_OWNS_PRODUCTS/);
      assert.equal((await alice.get('/v1/me')).body.role, 'customer');
      // "role": "operator" means all three roles; the account list shows them.
      r = await op.put('/v1/accounts/ops2', { role: 'operator' });
      assert.deepEqual(r.body.roles, ['admin', 'reviewer', 'inventory']);
      const list = await op.get('/v1/accounts?limit=500');
      assert.equal(list.status, 200);
      assert.deepEqual(list.body.items.find((a) => a.id === 'rev1').roles, ['reviewer']);
      assertProblem(await alice.get('/v1/accounts'), 403, 'FORBIDDEN');
      // With a second admin, op may demote ops2 (it could also step down itself now).
      const ops2 = cli(ctx.db, ['token', 'issue', 'ops2']).stdout.trim();
      r = await op.put('/v1/accounts/ops2', { roles: ['reviewer'] });
      assert.equal(r.status, 200);
      // Its token keeps its stored scopes; the list shows which it may still use.
      const listed = (await op.get('/v1/tokens?account_id=ops2')).body.items;
      const tok = listed.find((x) => x.creator === 'system') ?? listed[0];
      assert.ok(tok.scopes.includes('accounts:admin'));
      assert.deepEqual(tok.effective_scopes,
        ['products:read', 'numbers:read', 'filings:read', 'events:read', 'filings:review']);
      assertProblem(await asToken(ops2).get('/v1/accounts'), 403, 'FORBIDDEN');
    });

    test('disabling an account stops its tokens at once; re-enabling restores them', async () => {
      await op.put('/v1/accounts/dave', { role: 'customer' });
      const dave = asToken(cli(ctx.db, ['token', 'issue', 'dave']).stdout.trim());
      assert.equal((await dave.get('/v1/me')).status, 200);
      const r = await op.put('/v1/accounts/dave', { status: 'disabled' });
      assert.equal(r.status, 200, r.text);
      assert.equal(r.body.status, 'disabled');
      const p = assertProblem(await dave.get('/v1/me', { lang: 'en' }), 401, 'UNAUTHENTICATED');
      assert.equal(p.detail, 'the account is disabled');
      const daves = (await op.get('/v1/tokens?account_id=dave')).body.items;
      assert.deepEqual(daves[0].effective_scopes, []);  // a disabled account's tokens: none
      assert.equal((await op.put('/v1/accounts/dave', { status: 'active' })).status, 200);
      assert.equal((await dave.get('/v1/me')).status, 200);
      const events = (await op.get('/v1/events?limit=500')).body.items;
      assert.ok(events.some((e) => e.type === 'account.disabled' && e.subject === 'dave'));
    });

    test('who may act on a filing: the filer withdraws; the owner sees a "used by" view; 403 wording', async () => {
      const code = (await alice.post('/v1/products/acc-ecs2/service-numbers')).body.code;
      assert.equal((await alice.post(`/v1/service-numbers/${code}/grants`, { account_id: 'carol' })).status, 200);
      const carol = ctx.as('carol');
      const f = (await carol.post('/v1/filings', { domain: `carol-${backend}.example.cn`, service_number: code })).body;
      const w = assertProblem(await alice.post(`/v1/filings/${f.id}/withdraw`, undefined, { lang: 'en' }), 403, 'FORBIDDEN');
      assert.equal(w.detail, 'only the account that submitted this filing may withdraw it');
      const wz = assertProblem(await alice.post(`/v1/filings/${f.id}/withdraw`), 403, 'FORBIDDEN');
      assert.equal(wz.detail, '只有提交此备案的账号可以撤回');
      assertProblem(await alice.post(`/v1/filings/${f.id}/cancel`), 403, 'FORBIDDEN');
      const view = await alice.get(`/v1/filings/${f.id}`);
      assert.equal(view.status, 200);
      assert.equal(view.body.access, 'number_owner');
      assert.equal(view.body.account_id, 'carol');
      assert.equal(view.body.reason, undefined);
      const listed = (await alice.get('/v1/filings?limit=500')).body.items.find((x) => x.id === f.id);
      assert.equal(listed.access, 'number_owner');
      assert.equal((await carol.get(`/v1/filings/${f.id}`)).body.access, undefined);
      // An operator on a customer-only action is told so (the opposite of before).
      const opw = assertProblem(await op.post(`/v1/filings/${f.id}/withdraw`, undefined, { lang: 'en' }), 403, 'FORBIDDEN');
      assert.equal(opw.detail, 'only customer accounts may do this');
      const opApply = assertProblem(await op.post('/v1/products/acc-ecs/service-numbers'), 403, 'FORBIDDEN');
      assert.equal(opApply.detail, '此操作仅限客户账号');
      const aliceApprove = assertProblem(await alice.post(`/v1/filings/${f.id}/approve`, undefined, { lang: 'en' }), 403, 'FORBIDDEN');
      assert.equal(aliceApprove.detail, 'only operator accounts with the reviewer role may do this');
      // The filing's events: visible to the filer and the number's owner, not to bob.
      assert.equal((await op.post(`/v1/filings/${f.id}/approve`)).status, 200);
      for (const who of ['carol', 'alice']) {
        const types = (await ctx.as(who).get('/v1/events?limit=500')).body.items.filter((e) => e.subject === f.id).map((e) => e.type);
        assert.deepEqual(types, ['filing.submitted', 'filing.approved'], who);
      }
      assert.ok(!(await ctx.as('bob').get('/v1/events?limit=500')).body.items.some((e) => e.subject === f.id));
      // The filer or a reviewer cancels.
      assert.equal((await carol.post(`/v1/filings/${f.id}/cancel`)).status, 200);
    });

    test('denied requests are audited at most once per credential and route per minute', async () => {
      const before = (await op.get('/v1/events?limit=500')).body.items.filter((e) => e.type === 'auth.denied').length;
      const t = await newToken('bob', { name: 'narrow', scopes: ['products:read'] });
      for (let i = 0; i < 3; i++) assertProblem(await asToken(t.token).get('/v1/filings'), 403, 'INSUFFICIENT_SCOPE');
      for (let i = 0; i < 3; i++) assertProblem(await ctx.call('GET', '/v1/events', { token: 'beian_nope' }), 401, 'UNAUTHENTICATED');
      let events = [];
      let after = 0;
      for (;;) {
        const page = (await op.get(`/v1/events?limit=500&after=${after}`)).body;
        events = events.concat(page.items);
        if (page.items.length < 500) break;
        after = page.next_after;
      }
      const denied = events.filter((e) => e.type === 'auth.denied');
      const mine = denied.filter((e) => e.subject === t.id);
      assert.equal(mine.length, 1);
      assert.equal(mine[0].data.route, 'GET /v1/filings');
      assert.equal(mine[0].data.code, 'INSUFFICIENT_SCOPE');
      assert.equal(mine[0].account_id, 'bob');
      assert.ok(denied.length - before <= 3, `${denied.length - before} new auth.denied events`);
      assert.equal(denied.filter((e) => e.data.route === 'GET /v1/events' && e.data.status === 401).length, 1);
    });
  });
}
