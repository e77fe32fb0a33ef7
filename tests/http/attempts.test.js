// Brute-force limits are exact under concurrency (issue 14 point 2): bursts of 200 concurrent
// guesses get exactly the policy's number of checked answers, on both back-ends, for host
// passwords and for number look-ups (GET, filings and grants issued, listed or revoked share one
// budget). Every 429 carries Retry-After, and 429 is only told about products the caller could
// see anyway.
'use strict';
const { describe, test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const http = require('node:http');
const os = require('node:os');
const path = require('node:path');
const { backends, setup, assertProblem, product } = require('./lib/harness');
const { randomCode } = require('./lib/sn');

const BURST = 200;
const PW_LIMIT = 5;  // policy defaults (rules.md)
const SN_LIMIT = 10;
const WINDOW_S = 15 * 60;

// Sends all `requests` ({method, path, token, body}) at once over up to 32 kept-alive
// connections; resolves with [{status, headers, body}] in request order.
function burst(url, requests) {
  const { hostname, port } = new URL(url);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 32 });
  const one = ({ method, path, token, body }) => new Promise((resolve, reject) => {
    const payload = body === undefined ? '' : JSON.stringify(body);
    const req = http.request({
      host: hostname, port, method, path, agent,
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json',
        'Content-Length': Buffer.byteLength(payload) },
    }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d) => { text += d; });
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers,
        body: text ? JSON.parse(text) : undefined }));
    });
    req.setTimeout(60000, () => req.destroy(new Error('timed out')));
    req.on('error', reject);
    req.end(payload);
  });
  return Promise.all(requests.map(one)).finally(() => agent.destroy());
}

// Counts answers by "status code" (e.g. "403 VHOST_CREDENTIALS_INVALID").
function tally(results) {
  const t = {};
  for (const r of results) {
    const key = `${r.status} ${r.body && r.body.code}`;
    t[key] = (t[key] || 0) + 1;
  }
  return t;
}

function assertRetryAfter(r) {
  const v = r.headers['retry-after'];
  assert.match(String(v), /^[1-9][0-9]*$/, `Retry-After: ${v}`);
  assert.ok(Number(v) <= WINDOW_S + 1, `Retry-After ${v} beyond the window`);
}

for (const backend of backends()) {
  describe(`brute-force limits are exact (${backend})`, () => {
    let ctx;
    let dir;
    before(async () => {
      // The write rate limits (ratelimits.test.js) out of the way: these bursts are all writes.
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'beian-at-'));
      fs.writeFileSync(path.join(dir, 'policy.toml'),
        '[limits]\naccount_write_burst = 100000\ntoken_write_burst = 100000\n');
      ctx = await setup(backend, { extraArgs: ['--policy', path.join(dir, 'policy.toml')] });
      await ctx.putProducts(
        product('at-vh', 'alice', { kind: 'vhost', public_ips: [], vhost_username: 'h-a', vhost_password: 'pw-right-1' }),
        product('at-vh2', 'alice', { kind: 'vhost', public_ips: [], vhost_username: 'h-a2', vhost_password: 'pw-right-2' }),
        product('at-ecs-carol', 'carol', {}),
        product('at-ecs-alice', 'alice', {}),
      );
    });
    after(async () => {
      await ctx.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    });

    test(`${BURST} concurrent wrong host passwords: exactly ${PW_LIMIT} are checked`, async () => {
      const domain = (i) => `vh-burst-${i}.example.cn`;
      const results = await burst(ctx.url, Array.from({ length: BURST }, (_, i) => ({
        method: 'POST', path: '/v1/filings', token: ctx.tokens.alice,
        body: { domain: domain(i), vhost: { product_id: 'at-vh', username: 'h-a', password: `wrong-${i}` } },
      })));
      assert.deepEqual(tally(results), {
        [`403 VHOST_CREDENTIALS_INVALID`]: PW_LIMIT,
        [`429 TOO_MANY_ATTEMPTS`]: BURST - PW_LIMIT,
      });
      for (const r of results.filter((x) => x.status === 429)) assertRetryAfter(r);
      // Locked: even the right password is refused, with Retry-After.
      const right = await ctx.as('alice').post('/v1/filings',
        { domain: 'vh-right.example.cn', vhost: { product_id: 'at-vh', username: 'h-a', password: 'pw-right-1' } });
      assertProblem(right, 429, 'TOO_MANY_ATTEMPTS');
      assert.match(right.headers.get('retry-after'), /^[1-9][0-9]*$/);
      // Another account learns nothing: alice's locked product answers bob as a missing one does.
      for (const id of ['at-vh', 'no-such-product']) {
        const r = await ctx.as('bob').post('/v1/filings',
          { domain: 'bob-try.example.cn', vhost: { product_id: id, username: 'h-a', password: 'x' } });
        assertProblem(r, 403, 'VHOST_CREDENTIALS_INVALID');
      }
      // Another product of the same account is not locked.
      const other = await ctx.as('alice').post('/v1/filings',
        { domain: 'vh-other.example.cn', vhost: { product_id: 'at-vh2', username: 'h-a2', password: 'pw-right-2' } });
      assert.equal(other.status, 201, JSON.stringify(other.body));
    });

    test('a right password is not a guess, even when its filing is refused: it does not use up the budget', async () => {
      // at-vh2: one right filing above; five more right ones plus the limit of wrong ones.
      for (let i = 0; i < PW_LIMIT + 1; i++) {
        const r = await ctx.as('alice').post('/v1/filings',
          { domain: `vh2-right-${i}.example.cn`, vhost: { product_id: 'at-vh2', username: 'h-a2', password: 'pw-right-2' } });
        assert.equal(r.status, 201, JSON.stringify(r.body));
      }
      // Nor is a right password whose filing is then refused (the attempt's give-back is kept).
      for (let i = 0; i < PW_LIMIT + 1; i++) {
        const r = await ctx.as('alice').post('/v1/filings',
          { domain: 'vh2-right-0.example.cn', vhost: { product_id: 'at-vh2', username: 'h-a2', password: 'pw-right-2' } });
        assertProblem(r, 409, 'DOMAIN_IN_USE');
      }
      for (let i = 0; i < PW_LIMIT; i++) {
        const r = await ctx.as('alice').post('/v1/filings',
          { domain: 'vh2-wrong.example.cn', vhost: { product_id: 'at-vh2', username: 'h-a2', password: `no-${i}` } });
        assertProblem(r, 403, 'VHOST_CREDENTIALS_INVALID');
      }
      assertProblem(await ctx.as('alice').post('/v1/filings',
        { domain: 'vh2-wrong.example.cn', vhost: { product_id: 'at-vh2', username: 'h-a2', password: 'pw-right-2' } }),
      429, 'TOO_MANY_ATTEMPTS');
    });

    test(`${BURST} concurrent look-ups (GET, filings, grants issued, listed, revoked): exactly ${SN_LIMIT} misses are answered`, async () => {
      const own = await ctx.as('carol').post('/v1/products/at-ecs-carol/service-numbers');
      assert.equal(own.status, 201, JSON.stringify(own.body));
      const theirs = await ctx.as('alice').post('/v1/products/at-ecs-alice/service-numbers');
      assert.equal(theirs.status, 201, JSON.stringify(theirs.body));
      const token = ctx.tokens.carol;
      const requests = Array.from({ length: BURST }, (_, i) => {
        // Another account's real number is a miss like a code that was never issued.
        const code = i % 7 === 0 ? theirs.body.code : randomCode();
        switch (i % 5) {
          case 0: return { method: 'GET', path: `/v1/service-numbers/${code}`, token };
          case 1: return { method: 'POST', path: '/v1/filings', token, body: { domain: `sn-burst-${i}.example.cn`, service_number: code } };
          case 2: return { method: 'POST', path: `/v1/service-numbers/${code}/grants`, token, body: { account_id: 'bob' } };
          case 3: return { method: 'GET', path: `/v1/service-numbers/${code}/grants`, token };
          default: return { method: 'DELETE', path: `/v1/service-numbers/${code}/grants/bob`, token };
        }
      });
      const results = await burst(ctx.url, requests);
      assert.deepEqual(tally(results), {
        [`404 SN_NOT_FOUND`]: SN_LIMIT,
        [`429 TOO_MANY_ATTEMPTS`]: BURST - SN_LIMIT,
      });
      for (const r of results.filter((x) => x.status === 429)) assertRetryAfter(r);
      // The numbers carol may see are still answered while she is locked out.
      const code = own.body.code;
      assert.equal((await ctx.as('carol').get(`/v1/service-numbers/${code}`)).status, 200);
      const filed = await ctx.as('carol').post('/v1/filings', { domain: 'carol-own.example.cn', service_number: code });
      assert.equal(filed.status, 201, JSON.stringify(filed.body));
      // Other accounts keep their own budget.
      assertProblem(await ctx.as('bob').get(`/v1/service-numbers/${randomCode()}`), 404, 'SN_NOT_FOUND');
    });
  });
}
