// HTTP over raw sockets: limits (413, header size), malformed requests (400, never a crash or a
// wedge), keep-alive and pipelining, and the SIGTERM drain, on SQLite and PostgreSQL.
'use strict';
const { describe, test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const net = require('node:net');
const { backends, setup, assertProblem, product, call } = require('./lib/harness');
const { raw, statusOf } = require('./lib/raw');

const MiB = 1024 * 1024;

for (const backend of backends()) {
  describe(`protocol (${backend})`, () => {
    let ctx;
    before(async () => { ctx = await setup(backend); });
    after(async () => { await ctx.stop(); });

    const stillServing = async () => {
      const r = await ctx.call('GET', '/healthz');
      assert.equal(r.status, 200);
    };

    test('malformed requests get 400 and the connection is closed; the server keeps serving', async () => {
      const cases = [
        'GARBAGE\r\n\r\n',
        'GET / HTTP/9.9\r\n\r\n',
        'GET / HTTP/1.1\r\nHost x\r\n\r\n',
        'GET / HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n',
        'GET / HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab',
        'POST /v1/filings HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n',
        '\x00\x01\x02\x03\r\n\r\n',
        `GET /${'\x7f'.repeat(10)} HTTP/1.1\r\n\r\n`,
      ];
      for (const c of cases) {
        const r = await raw(ctx.url, [c]);
        assert.equal(statusOf(r.text), 400, `${JSON.stringify(c)} → ${r.text}`);
        assert.match(r.text, /"code":"INVALID_REQUEST"/);
        assert.ok(r.closed, 'connection closed after a malformed request');
        await stillServing();
      }
    });

    test('a request head over the size limit is refused with 400', async () => {
      const r = await raw(ctx.url, [`GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(64 * 1024)}\r\n\r\n`]);
      assert.equal(statusOf(r.text), 400, r.text);
      await stillServing();
    });

    test('bodies over 1 MiB are 413 PAYLOAD_TOO_LARGE, also when only Content-Length says so', async () => {
      const announced = await raw(ctx.url, [`PUT /v1/products/x HTTP/1.1\r\nHost: x\r\nContent-Length: ${MiB + 1}\r\n\r\n{`]);
      assert.equal(statusOf(announced.text), 413, announced.text);
      assert.match(announced.text, /"code":"PAYLOAD_TOO_LARGE"/);
      const chunk = 'a'.repeat(64 * 1024);
      const chunks = ['POST /v1/imports HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n'];
      for (let i = 0; i < 17; i++) chunks.push(`${chunk.length.toString(16)}\r\n${chunk}\r\n`);
      chunks.push('0\r\n\r\n');
      const chunked = await raw(ctx.url, chunks);
      assert.equal(statusOf(chunked.text), 413, chunked.text.slice(0, 300));
      // Through a normal client, with the English message.
      const big = await call(ctx.url, 'POST', '/v1/imports', { token: ctx.tokens.op, raw: 'x'.repeat(MiB + 10), lang: 'en' });
      const p = assertProblem(big, 413, 'PAYLOAD_TOO_LARGE');
      assert.doesNotMatch(p.title, /[\u4e00-\u9fff]/);
      // Exactly 1 MiB is read and judged on its content.
      const edge = await call(ctx.url, 'PUT', '/v1/products/edge', { token: ctx.tokens.op, raw: ' '.repeat(MiB) });
      assertProblem(edge, 400, 'INVALID_REQUEST');
      await stillServing();
    });

    test('keep-alive: several requests on one connection, pipelined, answered in order', async () => {
      const req = (p, extra = '') => `GET ${p} HTTP/1.1\r\nHost: x\r\n${extra}\r\n`;
      const r = await raw(ctx.url, [req('/healthz') + req('/readyz') + req('/nothing/here') + req('/healthz', 'Connection: close\r\n')]);
      const statuses = [...r.text.matchAll(/HTTP\/1\.1 (\d{3})/g)].map((m) => Number(m[1]));
      assert.deepEqual(statuses, [200, 200, 404, 200]);
      assert.ok(r.closed);
      const ids = [...r.text.matchAll(/X-Request-Id: (\S+)/gi)].map((m) => m[1]);
      assert.equal(new Set(ids).size, 4);
    });

    test('Expect: 100-continue gets an interim answer before the body is sent', async () => {
      const { hostname, port } = new URL(ctx.url);
      const body = JSON.stringify(product('p-continue', 'alice'));
      const text = await new Promise((resolve, reject) => {
        const sock = net.connect(Number(port), hostname);
        let got = '';
        let sent = false;
        sock.on('error', reject);
        sock.on('data', (d) => {
          got += d.toString('utf8');
          if (!sent && got.startsWith('HTTP/1.1 100 Continue\r\n\r\n')) {
            sent = true;
            sock.write(body);
          }
          if (/\r\n\r\n\{.*\}$/s.test(got.slice(25))) sock.end();
        });
        sock.on('close', () => resolve(got));
        sock.write(`PUT /v1/products/p-continue HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${ctx.tokens.op}\r\n` +
          `Content-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nExpect: 100-continue\r\n\r\n`);
      });
      assert.match(text, /^HTTP\/1\.1 100 Continue\r\n\r\nHTTP\/1\.1 201 /);
      // Too large: refused at once, before the body.
      const r = await raw(ctx.url, [`PUT /v1/products/x HTTP/1.1\r\nHost: x\r\nContent-Length: ${2 * MiB}\r\nExpect: 100-continue\r\n\r\n`]);
      assert.equal(statusOf(r.text), 413, r.text);
    });

    test('a client that goes away mid-request does not disturb the server', async () => {
      await raw(ctx.url, ['PUT /v1/products/x HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{"id":'], { endAfterWrite: true, waitMs: 1000 });
      await raw(ctx.url, ['GET /heal'], { endAfterWrite: true, waitMs: 1000 });
      const sockets = [];
      for (let i = 0; i < 20; i++) sockets.push(raw(ctx.url, ['GET /healthz HTTP/1.1\r\n'], { waitMs: 200 }));
      await Promise.all(sockets);
      await stillServing();
    });
  });

  describe(`SIGTERM drain (${backend})`, () => {
    test('in-flight requests finish, idle connections close, the process exits 0', async () => {
      const ctx = await setup(backend);
      let stopped = false;
      try {
        // An import of host products: hashing their passwords keeps the request busy for a while.
        const lines = [];
        for (let i = 0; i < 60; i++) {
          lines.push(JSON.stringify(product(`drain-${i}`, 'alice',
            { kind: 'vhost', public_ips: [], vhost_username: `h${i}`, vhost_password: `pw-${i}` })));
        }
        const idle = raw(ctx.url, ['GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n'], { waitMs: 15000 });
        const inflight = call(ctx.url, 'POST', '/v1/imports', { token: ctx.tokens.op, raw: lines.join('\n') });
        await new Promise((r) => setTimeout(r, 150));
        ctx.server.proc.kill('SIGTERM');
        const answered = await inflight;
        assert.equal(answered.status, 200, answered.text);
        assert.equal(answered.body.created, 60);
        assert.equal(answered.headers.get('connection'), 'close');
        const idleResult = await idle;
        assert.equal(statusOf(idleResult.text), 200);
        assert.ok(idleResult.closed, 'the idle keep-alive connection was closed by the drain');
        const { code, signal } = await ctx.server.exited;
        assert.equal(signal, null);
        assert.equal(code, 0, ctx.server.stderr());
        assert.match(ctx.server.stderr(), /draining/);
        await assert.rejects(call(ctx.url, 'GET', '/healthz'));
        stopped = true;
      } finally {
        await ctx.stop();
        assert.ok(stopped);
      }
    });
  });
}
