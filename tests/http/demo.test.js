// `beian demo` (docs/demo.md): seeds once, prints a fresh token per demo account on every start,
// and the seeded data shows every FAQ case. On SQLite and PostgreSQL.
'use strict';
const { describe, test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { backends, freshDatabase, startServer, call } = require('./lib/harness');

function tokensOf(server) {
  const tokens = {};
  for (const line of server.stdoutLines) {
    const m = line.match(/^demo token (\S+) (\S+) (\S+)$/);
    if (m) tokens[m[1]] = { role: m[2], token: m[3] };
  }
  return tokens;
}

for (const backend of backends()) {
  describe(`demo (${backend})`, () => {
    let db;
    let server;
    let tokens;
    const get = (who, p, opts = {}) => call(server.url, 'GET', p, { token: tokens[who].token, ...opts });
    const reasons = async (id) => (await get('alice', `/v1/products/${id}`)).body.eligibility.reasons.map((r) => r.code);

    before(async () => {
      db = freshDatabase(backend);
      server = await startServer(db.url, { command: 'demo' });
      tokens = tokensOf(server);
    });
    after(async () => {
      if (server) await server.stop();
      db.drop();
    });

    test('prints exactly one token line per demo account, then the listening line', () => {
      assert.deepEqual(Object.keys(tokens).sort(), ['alice', 'bob', 'carol', 'operator']);
      assert.equal(tokens.operator.role, 'operator');
      for (const c of ['alice', 'bob', 'carol']) assert.equal(tokens[c].role, 'customer');
      assert.equal(server.stdoutLines.length, 5);
      assert.match(server.stdoutLines[4], /^beian: listening on http:\/\/127\.0\.0\.1:\d+$/);
    });

    test('GET /auth/session says it is the demo (the console shows the demo-token hint)', async () => {
      const r = await call(server.url, 'GET', '/auth/session');
      assert.equal(r.status, 200);
      assert.equal(r.body.demo, true);
      assert.equal(r.body.signed_in, false);
    });

    test('alice\'s products show every eligibility case', async () => {
      const list = await get('alice', '/v1/products?limit=500');
      assert.deepEqual(list.body.items.map((p) => p.id).sort(), ['ecs-expired', 'ecs-hk', 'ecs-no-ip', 'ecs-payg',
        'ecs-quota-4', 'ecs-short', 'ecs-web-1', 'ens-1', 'mkt-1', 'nat-1', 'shared-1', 'shop-1', 'swas-1',
        'vhost-1', 'wh-1', 'wh-2']);
      for (const id of ['ecs-web-1', 'ecs-quota-4', 'swas-1', 'vhost-1', 'shared-1', 'wh-1', 'wh-2', 'nat-1', 'ens-1']) {
        assert.deepEqual(await reasons(id), [], id);
      }
      assert.deepEqual(await reasons('ecs-payg'), ['PAY_AS_YOU_GO']);
      assert.deepEqual(await reasons('ecs-no-ip'), ['NO_PUBLIC_IP']);
      assert.deepEqual(await reasons('ecs-short'), ['REMAINING_TERM_TOO_SHORT']);
      assert.deepEqual(await reasons('ecs-expired'), ['EXPIRED']);
      assert.deepEqual(await reasons('ecs-hk'), ['REGION_NOT_MAINLAND']);
      assert.deepEqual(await reasons('mkt-1'), ['QUOTA_EXHAUSTED']);
      assert.deepEqual(await reasons('shop-1'), ['NO_SERVICE_NUMBER_NEEDED']);
      const hk = (await get('alice', '/v1/products/ecs-hk')).body;
      assert.deepEqual(hk.eligibility.hints.map((h) => h.code), ['HONG_KONG_NO_FILING_NEEDED']);
      const vh = (await get('alice', '/v1/products/vhost-1')).body;
      assert.deepEqual(vh.eligibility.hints.map((h) => h.code), ['VHOST_CREDENTIALS_ACCEPTED']);
      assert.equal(vh.vhost_username, 'h-demo');
      const web = (await get('alice', '/v1/products/ecs-web-1')).body;
      assert.deepEqual(web.eligibility.quota, { scope: 'product', limit: 5, used: 2, remaining: 3 });
      const q4 = (await get('alice', '/v1/products/ecs-quota-4')).body;
      assert.equal(q4.eligibility.quota.used, 4);
      const wh = (await get('alice', '/v1/products/wh-2')).body;
      assert.deepEqual(wh.eligibility.quota, { scope: 'account', limit: 5, used: 1, remaining: 4 });
    });

    test('ecs-web-1 holds one filed and one voided number; their filings are approved and cancelled', async () => {
      const numbers = (await get('alice', '/v1/service-numbers?product_id=ecs-web-1')).body.items;
      const byState = Object.fromEntries(numbers.map((n) => [n.state, n]));
      assert.equal(byState.filed.domain, 'filed-example.cn');
      assert.equal(byState.voided.domain, 'voided-example.cn');
      const filings = (await get('alice', '/v1/filings?limit=500')).body.items;
      assert.deepEqual(filings.map((f) => [f.domain, f.state]).sort(),
        [['filed-example.cn', 'approved'], ['voided-example.cn', 'cancelled']]);
      const mkt = (await get('alice', '/v1/service-numbers?product_id=mkt-1')).body.items;
      assert.equal(mkt.length, 1);
    });

    test('the vhost credentials of vhost-1 are demo-pass-1', async () => {
      const r = await call(server.url, 'POST', '/v1/filings', { token: tokens.alice.token,
        body: { domain: 'vhost-demo.cn', vhost: { product_id: 'vhost-1', username: 'h-demo', password: 'demo-pass-1' } } });
      assert.equal(r.status, 201, r.text);
    });

    test('bob has nothing fileable; carol has no products', async () => {
      const bob = (await get('bob', '/v1/products')).body.items.map((p) => p.id).sort();
      assert.deepEqual(bob, ['bob-hk', 'bob-shop']);
      const ov = await get('bob', '/v1/overview');
      assert.deepEqual(ov.body.advice.map((a) => a.code), ['NO_FILEABLE_PRODUCT']);
      assert.deepEqual((await get('carol', '/v1/products')).body.items, []);
    });

    test('the audit trail of the seed is real', async () => {
      const events = (await get('operator', '/v1/events?limit=500')).body.items;
      const types = events.map((e) => e.type);
      for (const t of ['account.created', 'product.created', 'number.issued', 'filing.submitted', 'filing.approved',
        'filing.cancelled']) {
        assert.ok(types.includes(t), t);
      }
    });

    test('--db may follow the subcommand, as `make demo` writes it', async () => {
      const other = freshDatabase(backend);
      const { spawn } = require('node:child_process');
      const { BIN } = require('./lib/harness');
      const proc = spawn(BIN, ['demo', '--db', other.url, '--listen', '127.0.0.1:0'], { stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      let err = '';
      proc.stderr.on('data', (d) => { err += d; });
      const url = await new Promise((resolve, reject) => {
        proc.stdout.on('data', (d) => {
          out += d;
          const m = out.match(/beian: listening on (http:\/\/\S+)/);
          if (m) resolve(m[1]);
        });
        proc.on('exit', (code) => reject(new Error(`exited ${code}: ${err}`)));
      });
      proc.removeAllListeners('exit');
      const token = out.match(/^demo token alice customer (\S+)$/m)[1];
      const r = await call(url, 'GET', '/v1/products/ecs-web-1', { token });
      assert.equal(r.status, 200);
      const exited = new Promise((resolve) => proc.once('exit', resolve));
      proc.kill('SIGTERM');
      assert.equal(await exited, 0);
      other.drop();
    });

    test('a restart does not seed again but prints fresh tokens', async () => {
      const before = (await get('operator', '/v1/events?limit=500')).body.items.length;
      const r = await server.stop();
      assert.equal(r.code, 0);
      const old = tokens;
      server = await startServer(db.url, { command: 'demo' });
      tokens = tokensOf(server);
      assert.notEqual(tokens.alice.token, old.alice.token);
      const products = (await get('alice', '/v1/products?limit=500')).body.items;
      assert.equal(products.length, 16);
      const events = (await get('operator', '/v1/events?limit=500')).body.items;
      const added = events.slice(before).map((e) => e.type);
      assert.ok(added.every((t) => t === 'token.issued' || t.startsWith('filing.')), added.join(' '));
    });
  });
}
