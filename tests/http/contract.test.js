// The contract exactly as written (issue 13 point 2), against a real server on SQLite and
// PostgreSQL: 405 on POST-only routes, duplicate JSON keys, Idempotency-Key and page_token
// refusals, strict HTTP/1.1 framing (RFC 9112), metrics names and labels, and a log without raw
// bytes.
'use strict';
const { describe, test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { backends, setup, assertProblem, product, call } = require('./lib/harness');
const { raw, statusOf, bodyOf } = require('./lib/raw');

// Resolves once `cond()` is true (polling), or fails after `ms`.
async function until(cond, ms = 5000, what = 'condition') {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) assert.fail(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

for (const backend of backends()) {
  describe(`contract (${backend})`, () => {
    let ctx;
    let code;    // a number of alice's
    let filing;  // an in-review filing of alice's
    before(async () => {
      ctx = await setup(backend);
      await ctx.putProducts(product('c-ecs-1', 'alice'), product('c-ecs-2', 'alice'), product('c-ecs-3', 'alice'));
      const n = await ctx.as('alice').post('/v1/products/c-ecs-1/service-numbers');
      assert.equal(n.status, 201, n.text);
      code = n.body.code;
      const f = await ctx.as('alice').post('/v1/filings', { domain: 'contract-1.cn', service_number: code });
      assert.equal(f.status, 201, f.text);
      filing = f.body.id;
    });
    after(async () => { await ctx.stop(); });

    test('GET and HEAD on a POST-only route are 405 with Allow: POST, not 404', async () => {
      const paths = ['/v1/imports', '/v1/products/c-ecs-1/service-numbers', '/v1/accounts/alice/tokens',
        `/v1/filings/${filing}/approve`, `/v1/filings/${filing}/reject`, `/v1/filings/${filing}/withdraw`,
        `/v1/filings/${filing}/cancel`, '/v1/eligibility', '/v1/filings/review', '/v1/filings/f-aaaaaaaaaaaaaaaaaaaa/approve'];
      for (const p of paths) {
        for (const method of ['GET', 'HEAD', 'PUT']) {
          const r = await call(ctx.url, method, p, { token: ctx.tokens.alice });
          assert.equal(r.status, 405, `${method} ${p}: ${r.status} ${r.text}`);
          assert.equal(r.headers.get('allow'), 'POST', `${method} ${p}`);
          if (method !== 'HEAD') assert.equal(r.body.code, 'METHOD_NOT_ALLOWED');
        }
      }
      // The static fallback still serves what exists and 404s the rest.
      assert.equal((await ctx.call('GET', '/pages/products.js')).status, 200);
      assertProblem(await ctx.call('GET', '/no/such/file.js'), 404, 'NOT_FOUND');
    });

    test('a JSON body or import line that repeats a key is 400 INVALID_REQUEST and changes nothing', async () => {
      const alice = ctx.as('alice');
      const op = ctx.as('op');
      const send = (who, method, p, text) => call(ctx.url, method, p,
        { token: ctx.tokens[who], raw: text, headers: { 'Content-Type': 'application/json' }, lang: 'en' });
      // The review's case: the last "domain" used to win.
      let r = await send('alice', 'POST', '/v1/filings',
        `{"domain":"a-dup.cn","service_number":"${code}","domain":"b-dup.cn"}`);
      let p = assertProblem(r, 400, 'INVALID_REQUEST');
      assert.match(p.detail, /duplicate key "domain"/);
      assert.deepEqual(p.errors.map((e) => e.field), ['domain']);
      const mine = await alice.get('/v1/filings?limit=500');
      assert.ok(!mine.body.items.some((f) => /dup/.test(f.domain)), 'no filing was made');
      // Nested: the vhost object.
      r = await send('alice', 'POST', '/v1/filings',
        '{"domain":"c-dup.cn","vhost":{"product_id":"x","username":"u","username":"v","password":"p"}}');
      assertProblem(r, 400, 'INVALID_REQUEST');
      // Products (PUT and its id), accounts, grants, reject.
      const body = JSON.stringify(product('c-dup-p', 'alice'));
      r = await send('op', 'PUT', '/v1/products/c-dup-p', `${body.slice(0, -1)},"region":"cn-beijing"}`);
      p = assertProblem(r, 400, 'INVALID_REQUEST');
      assert.match(p.detail, /duplicate key "region"/);
      r = await send('op', 'PUT', '/v1/products/c-dup-p', `{"id":"c-dup-p",${body.slice(1)}`);
      assertProblem(r, 400, 'INVALID_REQUEST');
      assertProblem(await op.get('/v1/products/c-dup-p'), 404, 'NOT_FOUND');
      r = await send('op', 'PUT', '/v1/accounts/c-dup-a', '{"role":"customer","role":"operator"}');
      assertProblem(r, 400, 'INVALID_REQUEST');
      r = await send('alice', 'POST', `/v1/service-numbers/${code}/grants`, '{"account_id":"bob","account_id":"carol"}');
      assertProblem(r, 400, 'INVALID_REQUEST');
      r = await send('op', 'POST', `/v1/filings/${filing}/reject`, '{"reason":"a","reason":"b"}');
      assertProblem(r, 400, 'INVALID_REQUEST');
      assert.equal((await alice.get(`/v1/filings/${filing}`)).body.state, 'in_review');
      // An import line with a repeated key fails alone; the others are applied.
      const good = JSON.stringify(product('c-imp-ok', 'alice'));
      const dup = JSON.stringify(product('c-imp-dup', 'alice')).slice(0, -1) + ',"kind":"ecs"}';
      r = await call(ctx.url, 'POST', '/v1/imports', { token: ctx.tokens.op, raw: `${good}\n${dup}\n`, lang: 'en' });
      assert.equal(r.status, 200, r.text);
      assert.equal(r.body.created, 1, r.text);
      assert.equal(r.body.failed.length, 1, r.text);
      assert.equal(r.body.failed_count, 1, r.text);
      assert.equal(r.body.failed[0].line, 2);
      assert.match(JSON.stringify(r.body.failed[0]), /duplicate key/);
      assertProblem(await op.get('/v1/products/c-imp-dup'), 404, 'NOT_FOUND');
    });

    test('an empty or repeated Idempotency-Key is 400 naming the header, and issues nothing', async () => {
      const alice = ctx.as('alice');
      const before = (await alice.get('/v1/service-numbers?product_id=c-ecs-2')).body.items.length;
      for (const headers of [{ 'Idempotency-Key': '' }, { 'Idempotency-Key': 'a b' }]) {
        const r = await alice.post('/v1/products/c-ecs-2/service-numbers', undefined, { headers });
        const p = assertProblem(r, 400, 'INVALID_REQUEST');
        assert.deepEqual(p.errors.map((e) => e.field), ['Idempotency-Key']);
        const f = await alice.post('/v1/filings', { domain: 'idem-empty.cn', service_number: code }, { headers });
        assertProblem(f, 400, 'INVALID_REQUEST');
      }
      // Empty, sent exactly as the review did ("Idempotency-Key;" in curl), and twice.
      for (const field of ['Idempotency-Key:\r\n', 'Idempotency-Key: k1\r\nIdempotency-Key: k1\r\n']) {
        const r = await raw(ctx.url, [`POST /v1/products/c-ecs-2/service-numbers HTTP/1.1\r\nHost: x\r\n` +
          `Authorization: Bearer ${ctx.tokens.alice}\r\n${field}Content-Length: 0\r\nConnection: close\r\n\r\n`]);
        assert.equal(statusOf(r.text), 400, r.text);
        assert.deepEqual(bodyOf(r.text).errors.map((e) => e.field), ['Idempotency-Key']);
      }
      const afterwards = (await alice.get('/v1/service-numbers?product_id=c-ecs-2')).body.items.length;
      assert.equal(afterwards, before, 'no number was issued');
      // A good key still works.
      const ok = await alice.post('/v1/products/c-ecs-2/service-numbers', undefined, { headers: { 'Idempotency-Key': 'k-ok-1' } });
      assert.equal(ok.status, 201, ok.text);
    });

    test('a page_token that no list page gave is 400 naming page_token', async () => {
      const alice = ctx.as('alice');
      const lists = ['/v1/products', '/v1/service-numbers', '/v1/filings'];
      for (const list of lists) {
        for (const t of ['zzzz', '500', '', 'AAAA', 'x'.repeat(600)]) {
          const r = await alice.get(`${list}?page_token=${t}`);
          const p = assertProblem(r, 400, 'INVALID_REQUEST');
          assert.deepEqual(p.errors.map((e) => e.field), ['page_token'], `${list} ${t}`);
        }
      }
      // A real token pages on; on another list it is refused.
      const first = await alice.get('/v1/products?limit=1');
      assert.equal(first.status, 200);
      const token = first.body.next_page_token;
      assert.ok(token);
      const second = await alice.get(`/v1/products?limit=1&page_token=${encodeURIComponent(token)}`);
      assert.equal(second.status, 200, second.text);
      assert.notEqual(second.body.items[0].id, first.body.items[0].id);
      for (const other of ['/v1/service-numbers', '/v1/filings']) {
        assertProblem(await alice.get(`${other}?page_token=${encodeURIComponent(token)}`), 400, 'INVALID_REQUEST');
      }
    });

    test('RFC 9112 framing: Host exactly once, no obs-fold, only a final chunked coding', async () => {
      const head = (lines) => `GET /healthz HTTP/1.1\r\n${lines}\r\n`;
      const cases = [
        [head(''), 400, 'INVALID_REQUEST'],                                  // no Host
        [head('Host: a\r\nHost: b\r\n'), 400, 'INVALID_REQUEST'],            // two Hosts
        [head('Host: a\r\nHost: a\r\n'), 400, 'INVALID_REQUEST'],
        [head('Host: a\r\nX-Folded: y\r\n z\r\n'), 400, 'INVALID_REQUEST'],  // obs-fold
        [head('Host: a\r\nTransfer-Encoding:\r\n chunked\r\n'), 400, 'INVALID_REQUEST'],
        [head('Host: a\r\nTransfer-Encoding: gzip\r\n'), 400, 'INVALID_REQUEST'],  // chunked not final
        ['POST /v1/filings HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip\r\n\r\n{"domain":"x.cn"}', 400, 'INVALID_REQUEST'],
        [head('Host: a\r\nTransfer-Encoding: chunked, identity\r\n'), 400, 'INVALID_REQUEST'],
        [head('Host: a\r\nTransfer-Encoding: xchunked\r\n'), 400, 'INVALID_REQUEST'],
        ['GET /healthz HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n', 400, 'INVALID_REQUEST'],
        [head('Host: a\r\nTransfer-Encoding: gzip, chunked\r\n') + '0\r\n\r\n', 501, 'NOT_IMPLEMENTED'],
      ];
      for (const [text, status, errorCode] of cases) {
        const r = await raw(ctx.url, [text]);
        assert.equal(statusOf(r.text), status, `${JSON.stringify(text)} → ${r.text}`);
        assert.equal(bodyOf(r.text).code, errorCode);
        assert.ok(r.closed, `connection closed after ${JSON.stringify(text)}`);
      }
      // Still fine: one Host; HTTP/1.0 without Host; chunked.
      for (const text of [head('Host: a\r\nConnection: close\r\n'), 'GET /healthz HTTP/1.0\r\n\r\n',
        'POST /v1/imports HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n0\r\n\r\n']) {
        const r = await raw(ctx.url, [text]);
        assert.ok([200, 401].includes(statusOf(r.text)), `${JSON.stringify(text)} → ${r.text}`);
      }
    });

    test('metrics: the issued count is a counter; a refused request keeps its route', async () => {
      const big = 'x'.repeat(1024 * 1024 + 10);
      const r = await call(ctx.url, 'POST', '/v1/filings', { token: ctx.tokens.alice, raw: big });
      assertProblem(r, 413, 'PAYLOAD_TOO_LARGE');
      const m = await ctx.call('GET', '/metrics');
      assert.equal(m.status, 200);
      assert.match(m.text, /^# TYPE beian_service_numbers_issued_total counter$/m);
      assert.match(m.text, /^beian_service_numbers_issued_total [1-9]\d*$/m);
      assert.doesNotMatch(m.text, /^beian_service_numbers_issued /m);
      assert.match(m.text, /^beian_http_requests_total\{method="POST",route="\/v1\/filings",status="413"\} 1$/m);
      assert.doesNotMatch(m.text, /route="unmatched",status="413"/);
    });

    test('the access log escapes raw bytes of the request target', async () => {
      const target = Buffer.from([...Buffer.from('GET /v1/products/'), 0xff, 0xfe, ...Buffer.from('?q=\xe4 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n', 'latin1')]);
      const r = await raw(ctx.url, [target]);
      assert.ok(statusOf(r.text) >= 400, r.text);
      const id = (r.text.match(/X-Request-Id: (\S+)/i) || [])[1];
      assert.ok(id, r.text);
      await until(() => ctx.server.stderr().includes(id), 5000, 'the access log line');
      const line = ctx.server.stderr().split('\n').find((l) => l.includes(id));
      assert.match(line, /GET \/v1\/products\/%FF%FE\?q=%E4 /);
      // stderr is decoded as UTF-8: a raw 0xFF would show as U+FFFD.
      assert.doesNotMatch(line, /[^\x20-\x7e]/, 'the line is printable ASCII');
      assert.doesNotMatch(ctx.server.stderr(), /\ufffd/, 'no invalid UTF-8 anywhere in the log');
    });
  });
}
