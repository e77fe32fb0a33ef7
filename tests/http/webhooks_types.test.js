// Every webhook event type reaches a real receiver (issue 10): an operator webhook (all events),
// a flow that produces each audit event type and each notice, and a receiver on 127.0.0.1 that
// verifies every message with the npm package standardwebhooks. auth.signed_in/out need a console
// sign-in through an OpenID provider: tests/e2e/sso.test.mjs makes those; they are left out here.
// On SQLite and PostgreSQL.
'use strict';
const { describe, test } = require('node:test');
const assert = require('node:assert/strict');
const http = require('node:http');
const path = require('node:path');
const { backends, setup, product, inDays, cli, until } = require('./lib/harness');
const { Webhook } = require(path.resolve(__dirname, '../e2e/node_modules/standardwebhooks'));

const FLAGS = ['--webhook-allowed-private', '127.0.0.0/8', '--webhook-retry-schedule', '0s,1s',
  '--webhook-timeout', '2', '--notice-interval', '3600'];

async function receiver() {
  const r = { types: new Set(), bad: [], secret: null };
  r.server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (d) => { body += d; });
    req.on('end', () => {
      if (req.url === '/gone') { res.writeHead(410); res.end(); return; }
      try {
        r.types.add(new Webhook(r.secret).verify(body, req.headers).type);
      } catch (e) {
        r.bad.push(String(e));
      }
      res.writeHead(204);
      res.end();
    });
  });
  await new Promise((resolve) => r.server.listen(0, '127.0.0.1', resolve));
  r.url = (p) => `http://127.0.0.1:${r.server.address().port}${p}`;
  r.close = () => { r.server.closeAllConnections(); r.server.close(); };
  return r;
}

for (const backend of backends()) {
  describe(`webhook event types (${backend})`, () => {
    test('every event type but the sign-in ones reaches the receiver, signed', async () => {
      const ctx = await setup(backend, { extraArgs: FLAGS });
      const rx = await receiver();
      const op = ctx.as('op');
      const alice = ctx.as('alice');
      // Each step must succeed (the exact 2xx is the other suites' business).
      const ok = (r) => assert.ok(r.status >= 200 && r.status < 300, `${r.status} ${r.text}`);
      try {
        const w = await op.post('/v1/webhooks', { url: rx.url('/all') });
        ok(w);
        rx.secret = w.body.secret;
        // The accounts and tokens made before the webhook: replayed.
        ok(await op.post(`/v1/webhooks/${w.body.id}/replay`, { since: '2000-01-01T00:00:00Z', until: inDays(1) }));
        // Products and numbers.
        await ctx.putProducts(product('t-1', 'alice'), product('t-gone', 'alice'));
        await ctx.putProducts(product('t-1', 'alice', { name: 'renamed' }));
        const nums = [];
        for (let i = 0; i < 4; i++) {
          const n = await alice.post('/v1/products/t-1/service-numbers', {});
          ok(n);
          nums.push(n.body.code);
        }
        const lapsing = await alice.post('/v1/products/t-gone/service-numbers', {});
        ok(lapsing);
        ok(await alice.post(`/v1/service-numbers/${nums[3]}/grants`, { account_id: 'carol' }));
        ok(await alice.del(`/v1/service-numbers/${nums[3]}/grants/carol`));
        // Filings: approved then cancelled, withdrawn, rejected, and one left in review.
        const file = async (i, domain) => {
          const f = await alice.post('/v1/filings', { domain, service_number: nums[i] });
          ok(f);
          return f.body.id;
        };
        const f0 = await file(0, 'types-0.cn');
        ok(await op.post(`/v1/filings/${f0}/approve`));
        ok(await op.post(`/v1/filings/${f0}/cancel`));
        ok(await alice.post(`/v1/filings/${await file(1, 'types-1.cn')}/withdraw`));
        ok(await op.post(`/v1/filings/${await file(1, 'types-2.cn')}/reject`, { reason: '材料不全' }));
        await file(2, 'types-3.cn');
        // Tokens and accounts.
        const t = await alice.post('/v1/tokens', { name: 'ci' });
        ok(t);
        ok(await alice.post(`/v1/tokens/${t.body.id}/rotate`));
        const tokens = (await alice.get('/v1/tokens')).body.items;
        const ci = tokens.find((x) => x.name === 'ci' && !x.revoked_at && x.id !== t.body.id) || tokens.find((x) => x.name === 'ci');
        ok(await alice.del(`/v1/tokens/${ci.id}`));
        ok(await op.put('/v1/accounts/bob', { name: 'Bob B.' }));
        ok(await op.put('/v1/accounts/bob', { status: 'disabled' }));
        ok(await op.put('/v1/accounts/bob', { status: 'active' }));
        // Notices: a number that lapses, a product running short of term, an overdue review.
        ok(await op.del('/v1/products/t-gone'));
        await ctx.putProducts(product('t-1', 'alice', { name: 'renamed', expires_at: inDays(100) }));
        cli(ctx.db, ['notices', 'scan', '--at', inDays(21)]);
        // Webhooks themselves, and one disabled by a 410.
        const other = await op.post('/v1/webhooks', { url: rx.url('/gone') });
        ok(other);
        ok(await ctx.call('PATCH', `/v1/webhooks/${other.body.id}`,
          { token: ctx.tokens.op, body: { description: 'x' } }));
        ok(await op.post(`/v1/webhooks/${other.body.id}/rotate-secret`));
        const spare = await op.post('/v1/webhooks', { url: rx.url('/spare'), event_types: ['number.issued'] });
        ok(spare);
        ok(await op.del(`/v1/webhooks/${spare.body.id}`));

        const types = (await op.get('/v1/webhook-event-types')).body.items
          .filter((x) => !x.startsWith('auth.'));
        await until('every event type', () => types.every((x) => rx.types.has(x)), 30000)
          .catch((e) => { e.message += `; missing: ${types.filter((x) => !rx.types.has(x)).join(', ')}`; throw e; });
        assert.deepEqual(rx.bad, []);
      } finally {
        rx.close();
        await ctx.stop();
      }
    });
  });
}
