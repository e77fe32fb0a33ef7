// Operations endpoints, the console, routing, authentication, headers and languages, on SQLite and
// PostgreSQL.
'use strict';
const { describe, test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { backends, setup, assertProblem, product } = require('./lib/harness');

const allowed = (r) => r.headers.get('allow').split(/,\s*/).sort();

for (const backend of backends()) {
  describe(`basics (${backend})`, () => {
    let ctx;
    before(async () => { ctx = await setup(backend); });
    after(async () => { await ctx.stop(); });

    test('healthz and readyz answer without a token', async () => {
      const h = await ctx.call('GET', '/healthz');
      assert.equal(h.status, 200);
      assert.equal(h.text, 'ok\n');
      const r = await ctx.call('GET', '/readyz');
      assert.equal(r.status, 200);
    });

    test('GET /auth/session under beian serve is not the demo', async () => {
      const r = await ctx.call('GET', '/auth/session');
      assert.equal(r.status, 200);
      assert.equal(r.body.demo, false);
      assert.equal(r.body.sso, false);
    });

    test('HEAD is answered like GET without a body', async () => {
      const r = await ctx.call('HEAD', '/healthz');
      assert.equal(r.status, 200);
      assert.equal(r.headers.get('content-length'), '3');
      assert.equal(r.text, '');
      const index = await ctx.call('HEAD', '/');
      assert.equal(index.status, 200);
      assert.ok(Number(index.headers.get('content-length')) > 100);
      assert.equal((await ctx.call('HEAD', '/v1/products')).status, 401);
    });

    test('every response has a request id, security headers and no-store for the API', async () => {
      const a = await ctx.call('GET', '/healthz');
      const b = await ctx.call('GET', '/healthz');
      assert.match(a.headers.get('x-request-id'), /^[0-9a-f]{6}-[0-9a-f]{8}$/);
      assert.notEqual(a.headers.get('x-request-id'), b.headers.get('x-request-id'));
      assert.match(a.headers.get('content-security-policy'), /default-src 'self'/);
      assert.doesNotMatch(a.headers.get('content-security-policy'), /unsafe|\*/);
      assert.equal(a.headers.get('x-content-type-options'), 'nosniff');
      const p = await ctx.as('alice').get('/v1/products');
      assert.equal(p.headers.get('cache-control'), 'no-store');
      assert.match(p.headers.get('content-type'), /^application\/json/);
    });

    test('the console and its files are served from the binary with validators', async () => {
      const index = await ctx.call('GET', '/');
      assert.equal(index.status, 200);
      assert.match(index.headers.get('content-type'), /^text\/html; charset=utf-8/);
      assert.match(index.text, /<html/i);
      assert.equal(index.headers.get('cache-control'), 'no-cache');
      const etag = index.headers.get('etag');
      assert.match(etag, /^"[0-9a-f]+"$/);
      const again = await ctx.call('GET', '/', { headers: { 'If-None-Match': etag } });
      assert.equal(again.status, 304);
      assert.equal(again.text, '');
      const scripts = [...index.text.matchAll(/src="([^"]+\.js)"/g)].map((m) => m[1]);
      assert.ok(scripts.length > 0, 'index.html loads a script');
      for (const s of scripts) {
        const js = await ctx.call('GET', `/${s.replace(/^\.?\//, '')}`);
        assert.equal(js.status, 200, s);
        assert.match(js.headers.get('content-type'), /^text\/javascript/);
      }
      assert.equal((await ctx.call('GET', '/?lang=en')).status, 200, 'query strings are ignored for files');
      assert.equal((await ctx.call('GET', `/${scripts[0].replace(/^\.?\//, '')}?v=2`)).status, 200);
      const missing = await ctx.call('GET', '/no-such-file.js');
      assertProblem(missing, 404, 'NOT_FOUND');
      const traversal = await ctx.call('GET', '/%2e%2e/CMakeLists.txt');
      assertProblem(traversal, 404, 'NOT_FOUND');
    });

    test('GET /openapi.yaml is the OpenAPI 3.1 document', async () => {
      const r = await ctx.call('GET', '/openapi.yaml');
      assert.equal(r.status, 200);
      assert.match(r.headers.get('content-type'), /^application\/yaml/);
      assert.match(r.text, /^openapi: 3\.1/);
      assert.match(r.text, /\/v1\/filings\/\{id\}\/cancel:/);
    });

    test('metrics count requests by route template and status, and show the store totals', async () => {
      await ctx.putProducts(product('m-1', 'alice'));
      const applied = await ctx.as('alice').post('/v1/products/m-1/service-numbers');
      assert.equal(applied.status, 201);
      await ctx.as('alice').get('/v1/products/m-1');
      await ctx.as('alice').get('/v1/products/nope');
      const r = await ctx.call('GET', '/metrics');
      assert.equal(r.status, 200);
      assert.match(r.headers.get('content-type'), /^text\/plain; version=0\.0\.4/);
      assert.match(r.text, /beian_http_requests_total\{method="GET",route="\/v1\/products\/\{id\}",status="200"\} [1-9]/);
      assert.match(r.text, /beian_http_requests_total\{method="GET",route="\/v1\/products\/\{id\}",status="404"\} [1-9]/);
      assert.match(r.text, /beian_http_request_duration_seconds_bucket\{le="\+Inf"\} [1-9]/);
      assert.match(r.text, /beian_http_request_duration_seconds_count [1-9]/);
      assert.match(r.text, /^beian_service_numbers_issued_total [1-9]/m);
      assert.match(r.text, /^beian_service_numbers\{state="available"\} [1-9]/m);
      assert.match(r.text, /^# TYPE beian_filings gauge$/m);
    });

    test('unknown routes are 404 and wrong methods 405 with Allow', async () => {
      assertProblem(await ctx.as('alice').get('/v1/nothing-here'), 404, 'NOT_FOUND');
      assertProblem(await ctx.call('POST', '/v1/nothing-here'), 404, 'NOT_FOUND');
      const r = await ctx.call('DELETE', '/v1/filings');
      assertProblem(r, 405, 'METHOD_NOT_ALLOWED');
      assert.deepEqual(allowed(r), ['GET', 'POST']);
      const p = await ctx.call('PATCH', '/v1/products/x');
      assertProblem(p, 405, 'METHOD_NOT_ALLOWED');
      assert.deepEqual(allowed(p), ['DELETE', 'GET', 'PUT']);
      const h = await ctx.call('POST', '/healthz');
      assertProblem(h, 405, 'METHOD_NOT_ALLOWED');
      assert.equal(h.headers.get('allow'), 'GET');
    });

    test('every /v1 route needs a valid Bearer token', async () => {
      const routes = [
        ['PUT', '/v1/accounts/x'], ['POST', '/v1/accounts/x/tokens'], ['PUT', '/v1/products/x'],
        ['POST', '/v1/imports'], ['DELETE', '/v1/products/x'], ['GET', '/v1/products'],
        ['GET', '/v1/products/x'], ['POST', '/v1/products/x/service-numbers'],
        ['GET', '/v1/service-numbers'], ['GET', '/v1/service-numbers/x'],
        ['POST', '/v1/service-numbers/x/grants'], ['POST', '/v1/filings'], ['GET', '/v1/filings'],
        ['GET', '/v1/filings/x'], ['POST', '/v1/filings/x/approve'], ['POST', '/v1/filings/x/reject'],
        ['POST', '/v1/filings/x/withdraw'], ['POST', '/v1/filings/x/cancel'], ['GET', '/v1/overview'],
        ['GET', '/v1/events'], ['GET', '/v1/me'],
      ];
      for (const [method, p] of routes) {
        const none = await ctx.call(method, p);
        assertProblem(none, 401, 'UNAUTHENTICATED');
        assert.equal(none.headers.get('www-authenticate'), 'Bearer');
        assertProblem(await ctx.call(method, p, { token: 'bn_not-a-real-token' }), 401, 'UNAUTHENTICATED');
        assertProblem(await ctx.call(method, p, { headers: { Authorization: `Basic ${ctx.tokens.op}` } }),
          401, 'UNAUTHENTICATED');
      }
      const lower = await ctx.call('GET', '/v1/products', { headers: { Authorization: `bearer ${ctx.tokens.alice}` } });
      assert.equal(lower.status, 200);
    });

    test('messages are zh-CN by default and English with Accept-Language: en', async () => {
      const zh = assertProblem(await ctx.call('GET', '/v1/products'), 401, 'UNAUTHENTICATED');
      assert.match(zh.title, /[\u4e00-\u9fff]/);
      const en = assertProblem(await ctx.call('GET', '/v1/products', { lang: 'en-US,en;q=0.9' }), 401, 'UNAUTHENTICATED');
      assert.doesNotMatch(en.title, /[\u4e00-\u9fff]/);
      assert.match(en.title, /[A-Za-z]/);
      const zh2 = assertProblem(await ctx.call('GET', '/v1/products', { lang: 'zh-CN,en;q=0.5' }), 401, 'UNAUTHENTICATED');
      assert.equal(zh2.title, zh.title);
    });

    test('every list refuses a limit outside 1-500 and a malformed cursor with 400 naming the field', async () => {
      for (const list of ['/v1/products', '/v1/service-numbers', '/v1/filings', '/v1/events']) {
        for (const limit of ['0', '501', 'abc', '1.5', '']) {
          const p = assertProblem(await ctx.as('op').get(`${list}?limit=${limit}`), 400, 'INVALID_REQUEST');
          assert.equal(p.errors[0].field, 'limit', `${list}?limit=${limit}`);
        }
        const ok = await ctx.as('op').get(`${list}?limit=500`);
        assert.equal(ok.status, 200, `${list}: ${ok.text}`);
        assert.ok(Array.isArray(ok.body.items));
      }
      for (const after of ['-1', 'x']) {
        const p = assertProblem(await ctx.as('op').get(`/v1/events?after=${after}`), 400, 'INVALID_REQUEST');
        assert.equal(p.errors[0].field, 'after');
      }
    });

    test('GET /v1/me names the signed-in account and its role', async () => {
      const alice = await ctx.as('alice').get('/v1/me');
      assert.equal(alice.status, 200, alice.text);
      assert.deepEqual({ id: alice.body.id, role: alice.body.role, name: alice.body.name },
        { id: 'alice', role: 'customer', name: 'alice name' });
      const op = await ctx.as('op').get('/v1/me');
      assert.equal(op.status, 200);
      assert.equal(op.body.role, 'operator');
      assertProblem(await ctx.as('alice').post('/v1/me', {}), 405, 'METHOD_NOT_ALLOWED');
    });

    test('operators manage accounts and tokens; customers may not', async () => {
      const created = await ctx.as('op').put('/v1/accounts/dave', { role: 'customer', name: '戴夫' });
      assert.equal(created.status, 201, created.text);
      assert.deepEqual({ id: created.body.id, role: created.body.role, name: created.body.name },
        { id: 'dave', role: 'customer', name: '戴夫' });
      const updated = await ctx.as('op').put('/v1/accounts/dave', { role: 'customer', name: 'Dave' });
      assert.equal(updated.status, 200);
      const tok = await ctx.as('op').post('/v1/accounts/dave/tokens');
      assert.equal(tok.status, 201);
      assert.equal(typeof tok.body.token, 'string');
      const me = await ctx.call('GET', '/v1/products', { token: tok.body.token });
      assert.equal(me.status, 200);
      assert.deepEqual(me.body.items, []);

      assertProblem(await ctx.as('alice').put('/v1/accounts/eve', { role: 'operator' }), 403, 'FORBIDDEN');
      assertProblem(await ctx.as('alice').post('/v1/accounts/alice/tokens'), 403, 'FORBIDDEN');
      assertProblem(await ctx.as('op').post('/v1/accounts/nobody/tokens'), 404, 'NOT_FOUND');
      assertProblem(await ctx.as('op').put('/v1/accounts/bad%20id', { role: 'customer' }), 400, 'INVALID_REQUEST');
      const bad = assertProblem(await ctx.as('op').put('/v1/accounts/x1', { role: 'admin' }), 400, 'INVALID_REQUEST');
      assert.equal(bad.errors[0].field, 'role');
      const unknown = assertProblem(await ctx.as('op').put('/v1/accounts/x1', { role: 'customer', extra: 1 }), 400, 'INVALID_REQUEST');
      assert.equal(unknown.errors[0].field, 'extra');
      const typed = assertProblem(await ctx.as('op').put('/v1/accounts/x1', { role: 'customer', name: 5 }), 400, 'INVALID_REQUEST');
      assert.equal(typed.errors[0].field, 'name');
      assertProblem(await ctx.as('op').put('/v1/accounts/x1', undefined, { raw: '{"role":' }), 400, 'INVALID_REQUEST');
      assertProblem(await ctx.as('op').post('/v1/accounts/dave/tokens', { x: 1 }), 400, 'INVALID_REQUEST');
    });
  });
}
