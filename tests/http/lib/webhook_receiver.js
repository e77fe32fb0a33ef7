'use strict';
// What the webhook suites share: a receiver on 127.0.0.1 and `until`, which awaits a condition.
const assert = require('node:assert/strict');
const http = require('node:http');

// A webhook receiver. Every request is kept in `got` as {path, headers, body, at} and answered
// by `answer(msg)`: a status, {status, headers, body, delayMs}, or 'hang' (never answered).
// r.url(path) is its address, r.on(path) what reached that path, r.close() stops it.
async function receiver(answer = () => 200) {
  const r = { got: [] };
  r.server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (d) => { body += d; });
    req.on('end', () => {
      const msg = { path: req.url, headers: req.headers, body, at: Date.now() };
      r.got.push(msg);
      const a = answer(msg);
      if (a === 'hang') return;
      const { status, headers = {}, body: out = '', delayMs = 0 } = typeof a === 'number' ? { status: a } : a;
      const send = () => { res.writeHead(status, headers); res.end(out); };
      if (delayMs > 0) setTimeout(send, delayMs); else send();
    });
  });
  await new Promise((resolve) => r.server.listen(0, '127.0.0.1', resolve));
  r.url = (p = '/hook') => `http://127.0.0.1:${r.server.address().port}${p}`;
  r.on = (p) => r.got.filter((m) => m.path === p);
  r.close = () => { r.server.closeAllConnections(); r.server.close(); };
  return r;
}

// Awaits a truthy probe() (polled every 25 ms) and returns it; fails naming `what` after `ms`.
async function until(what, probe, ms = 10000) {
  const t0 = Date.now();
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() - t0 > ms) assert.fail(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

module.exports = { receiver, until };
