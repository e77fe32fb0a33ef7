// Reads are as fresh across servers as within one (issue 14 point 4: "a write seen by the next
// request on every node"). Two `beian serve` processes share one database. Server A answers GET
// /v1/products/{id} (on SQLite from its product cache while nothing was committed), server B
// changes the product or applies for a number on it, and the very next GET on A shows the change.
// Both backends; loopback only.
'use strict';
const { describe, test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { backends, setup, startServer, call, product, highWriteLimitsPolicy } = require('./lib/harness');

const ROUNDS = 25;

for (const backend of backends()) {
  describe(`a write through one server is seen by the next read on another (${backend})`, () => {
    let ctx, other, policy;
    const id = 'fresh-1';

    before(async () => {
      policy = highWriteLimitsPolicy();
      ctx = await setup(backend, { extraArgs: ['--policy', policy] });
      other = await startServer(ctx.db, { extraArgs: ['--policy', policy] });
      await ctx.putProducts(product(id, 'alice', { name: 'round-0' }));
    });

    after(async () => {
      if (other) await other.stop();
      if (ctx) await ctx.stop();
      if (policy) fs.rmSync(path.dirname(policy), { recursive: true, force: true });
    });

    // GET of the product on server A as alice; asserts 200.
    async function readOnA() {
      const r = await call(ctx.url, 'GET', `/v1/products/${id}`, { token: ctx.tokens.alice });
      assert.equal(r.status, 200, r.text);
      return r.body;
    }

    test(`${ROUNDS} product changes through B, each seen by A's next GET`, async () => {
      for (let i = 1; i <= ROUNDS; i++) {
        assert.equal((await readOnA()).name, `round-${i - 1}`);  // warm: a second identical read
        assert.equal((await readOnA()).name, `round-${i - 1}`);
        const r = await call(other.url, 'PUT', `/v1/products/${id}`,
          { token: ctx.tokens.op, body: product(id, 'alice', { name: `round-${i}` }) });
        assert.equal(r.status, 200, r.text);
        assert.equal((await readOnA()).name, `round-${i}`, `round ${i}: A answered the old product`);
      }
    });

    test(`applies through B, each seen in A's next quota figure`, async () => {
      const start = (await readOnA()).eligibility.quota.used;
      for (let i = 1; i <= 4; i++) {
        await readOnA();
        const r = await call(other.url, 'POST', `/v1/products/${id}/service-numbers`, { token: ctx.tokens.alice });
        assert.equal(r.status, 201, r.text);
        assert.equal((await readOnA()).eligibility.quota.used, start + i, `apply ${i}: A answered the old quota`);
      }
    });
  });
}
