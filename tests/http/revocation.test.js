// Revocation reaches every server sharing the store within 1 s (issue 9 point 2): two `beian
// serve` on one database; a credential is revoked / disabled / demoted through server A and server
// B is polled until it refuses. Prints the measured delays. On SQLite and PostgreSQL.
'use strict';
const { describe, test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { backends, setup, startServer, call, cli } = require('./lib/harness');

const BOUND_MS = 1000;

// Polls `probe` on server B until it returns true; resolves with the ms since `t0`.
async function until(probe, t0) {
  for (;;) {
    if (await probe()) return performance.now() - t0;
    if (performance.now() - t0 > 5000) return Infinity;
  }
}

for (const backend of backends()) {
  describe(`revocation across two servers (${backend})`, () => {
    let ctx;
    let b;
    before(async () => {
      ctx = await setup(backend);
      b = await startServer(ctx.db);
    });
    after(async () => {
      await b.stop();
      await ctx.stop();
    });
    const onB = (method, p, token, body) => call(b.url, method, p, { token, body });

    test('a revoked token, a disabled account and a demotion stop on the other server within 1 s', async () => {
      const delays = [];
      for (let i = 0; i < 5; i++) {
        const t = (await ctx.as('alice').post('/v1/tokens', { name: `r${i}` })).body;
        // Warm B's cache with the token.
        for (let k = 0; k < 3; k++) assert.equal((await onB('GET', '/v1/me', t.token)).status, 200);
        const t0 = performance.now();
        assert.equal((await ctx.as('alice').del(`/v1/tokens/${t.id}`)).status, 204);
        delays.push(await until(async () => (await onB('GET', '/v1/me', t.token)).status === 401, t0));
      }
      cli(ctx.db, ['account', 'add', 'erin', '--role', 'customer']);
      const erin = cli(ctx.db, ['token', 'issue', 'erin']).stdout.trim();
      for (let k = 0; k < 3; k++) assert.equal((await onB('GET', '/v1/me', erin)).status, 200);
      let t0 = performance.now();
      assert.equal((await ctx.as('op').put('/v1/accounts/erin', { status: 'disabled' })).status, 200);
      const disabled = await until(async () => (await onB('GET', '/v1/me', erin)).status === 401, t0);

      assert.equal((await ctx.as('op').put('/v1/accounts/op2', { role: 'operator' })).status, 201);
      const op2 = cli(ctx.db, ['token', 'issue', 'op2']).stdout.trim();
      for (let k = 0; k < 3; k++) assert.equal((await onB('GET', '/v1/accounts', op2)).status, 200);
      t0 = performance.now();
      assert.equal((await ctx.as('op').put('/v1/accounts/op2', { roles: ['reviewer'] })).status, 200);
      const demoted = await until(async () => (await onB('GET', '/v1/accounts', op2)).status === 403, t0);
      // After that, nothing done with the demoted credential is accepted on either server.
      for (const url of [ctx.url, b.url]) {
        assert.equal((await call(url, 'POST', '/v1/accounts/alice/tokens', { token: op2 })).status, 403);
      }
      const fmt = (ms) => `${ms.toFixed(1)} ms`;
      console.log(`# ${backend}: revoke→401 on B: ${delays.map(fmt).join(', ')}; disable: ${fmt(disabled)}; demote: ${fmt(demoted)}`);
      for (const d of [...delays, disabled, demoted]) assert.ok(d < BOUND_MS, `took ${d} ms`);
    });
  });
}
