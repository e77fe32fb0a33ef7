// Webhooks (issue 10): subscriptions, signed delivery to a real receiver on 127.0.0.1 verified with
// the npm package standardwebhooks, retries (500 then 200), 410 disabling, secret rotation,
// replay, isolation between accounts, SSRF refusal. On SQLite and PostgreSQL.
'use strict';
const { describe, test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const http = require('node:http');
const path = require('node:path');
const { backends, setup, product, startServer, until } = require('./lib/harness');
const { Webhook } = require(path.resolve(__dirname, '../e2e/node_modules/standardwebhooks'));

// A receiver: records every request; `respond(path, msg)` picks the status (default 200).
async function receiver() {
  const r = { got: [], respond: () => 200, retryAfter: 1 };
  r.server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (d) => { body += d; });
    req.on('end', () => {
      const msg = { path: req.url, headers: req.headers, body, at: Date.now() };
      r.got.push(msg);
      const status = r.respond(req.url, msg);
      if (status === 'hang') return;
      const h = status === 429 || status === 503 ? { 'Retry-After': String(r.retryAfter) } : {};
      res.writeHead(status, h);
      res.end('ok');
    });
  });
  await new Promise((resolve) => r.server.listen(0, '127.0.0.1', resolve));
  r.url = (p) => `http://127.0.0.1:${r.server.address().port}${p}`;
  r.on = (p) => r.got.filter((m) => m.path === p);
  r.close = () => { r.server.closeAllConnections(); r.server.close(); };
  return r;
}

function verify(secret, m) {
  return new Webhook(secret).verify(m.body, {
    'webhook-id': m.headers['webhook-id'],
    'webhook-timestamp': m.headers['webhook-timestamp'],
    'webhook-signature': m.headers['webhook-signature'],
  });
}

const FLAGS = ['--webhook-allowed-private', '127.0.0.0/8', '--webhook-retry-schedule', '0s,1s,1s',
  '--webhook-timeout', '2'];

for (const backend of backends()) {
  describe(`webhooks (${backend})`, () => {
    let ctx;
    let rx;
    before(async () => {
      ctx = await setup(backend, { extraArgs: FLAGS });
      rx = await receiver();
    });
    after(async () => {
      rx.close();
      await ctx.stop();
    });

    test('events of a flow reach the receiver signed, in order, only the subscriber\'s own', async () => {
      const types = await ctx.as('alice').get('/v1/webhook-event-types');
      assert.equal(types.status, 200);
      assert.ok(types.body.items.includes('number.issued'));
      const bad = await ctx.as('alice').post('/v1/webhooks', { url: 'ftp://x' });
      assert.equal(bad.status, 400);
      const bad2 = await ctx.as('alice').post('/v1/webhooks', { url: rx.url('/a'), event_types: ['nope'] });
      assert.equal(bad2.status, 400);
      const a = await ctx.as('alice').post('/v1/webhooks', { url: rx.url('/a'), description: 'mine' });
      assert.equal(a.status, 201, a.text);
      assert.match(a.body.secret, /^whsec_/);
      assert.equal(a.body.account_id, 'alice');
      const b = await ctx.as('bob').post('/v1/webhooks', { url: rx.url('/b'), event_types: ['number.issued'] });
      assert.equal(b.status, 201);
      const op = await ctx.as('op').post('/v1/webhooks', { url: rx.url('/op') });
      assert.equal(op.status, 201);
      assert.equal(op.body.account_id, null);
      // Isolation of the objects.
      assert.equal((await ctx.as('bob').get(`/v1/webhooks/${a.body.id}`)).status, 404);
      assert.equal((await ctx.as('bob').post(`/v1/webhooks/${a.body.id}/replay`, { event_ids: [1] })).status, 404);
      assert.deepEqual((await ctx.as('bob').get('/v1/webhooks')).body.items.map((w) => w.id), [b.body.id]);

      await ctx.putProducts(product('p-wh-1', 'alice'), product('p-wh-2', 'bob'));
      const n = await ctx.as('alice').post('/v1/products/p-wh-1/service-numbers', {});
      assert.equal(n.status, 201, n.text);
      const nb = await ctx.as('bob').post('/v1/products/p-wh-2/service-numbers', {});
      assert.equal(nb.status, 201, nb.text);

      await until('alice messages', () => rx.on('/a').some((m) => JSON.parse(m.body).type === 'number.issued'));
      await until('bob messages', () => rx.on('/b').length >= 1);
      await until('operator messages', () => rx.on('/op').filter((m) => JSON.parse(m.body).type === 'number.issued').length >= 2);
      const seen = new Set();
      for (const [p, secret] of [['/a', a.body.secret], ['/b', b.body.secret], ['/op', op.body.secret]]) {
        let last = 0;
        for (const m of rx.on(p)) {
          const body = verify(secret, m);  // throws on a bad signature
          assert.equal(m.headers['webhook-id'], `msg_${{ '/a': a, '/b': b, '/op': op }[p].body.id}_${body.data.seq}`);
          assert.ok(body.data.seq > last, 'in order');
          last = body.data.seq;
          assert.match(m.headers['content-type'], /application\/json/);
          seen.add(body.type);
          if (p === '/a') assert.ok(body.data.account_id === 'alice' || body.data.account2 === 'alice', m.body);
          if (p === '/b') { assert.equal(body.type, 'number.issued'); assert.equal(body.data.account_id, 'bob'); }
        }
      }
      for (const t of ['product.created', 'number.issued']) assert.ok(seen.has(t), t);
      assert.throws(() => verify(b.body.secret, rx.on('/a')[0]));
      // The deliveries list.
      const d = await ctx.as('alice').get(`/v1/webhooks/${a.body.id}/deliveries`);
      assert.equal(d.status, 200);
      assert.ok(d.body.items.length >= 2);
      assert.equal(d.body.items[0].outcome, 'delivered');
      assert.equal(d.body.items[0].status, 200);
      const w = await ctx.as('alice').get(`/v1/webhooks/${a.body.id}`);
      assert.equal(w.body.last_outcome, 'delivered');
      assert.equal(w.body.pending, 0);
      const metrics = await ctx.call('GET', '/metrics');
      assert.match(metrics.text, /beian_webhook_deliveries_total\{outcome="delivered"\} [1-9]/);
      assert.match(metrics.text, /beian_webhook_queue_depth \d+/);
      // Replay: the same message ids again.
      const ids = rx.on('/a').map((m) => JSON.parse(m.body).data.seq);
      const before = rx.on('/a').length;
      const rp = await ctx.as('alice').post(`/v1/webhooks/${a.body.id}/replay`, { event_ids: ids });
      assert.equal(rp.status, 202, rp.text);
      assert.equal(rp.body.queued, ids.length);
      await until('replayed', () => rx.on('/a').length >= before + ids.length);
      const again = rx.on('/a').slice(before).map((m) => m.headers['webhook-id']);
      assert.deepEqual(again, rx.on('/a').slice(0, ids.length).map((m) => m.headers['webhook-id']));
      for (const id of [a, b, op]) assert.equal((await ctx.as(id === a ? 'alice' : id === b ? 'bob' : 'op').del(`/v1/webhooks/${id.body.id}`)).status, 204);
    });

    test('500 then 200 is retried; the receiver down then up gets it; 410 disables', async () => {
      const c = await ctx.as('carol').post('/v1/webhooks', { url: rx.url('/c'), event_types: ['product.created', 'product.updated'] });
      assert.equal(c.status, 201);
      let fails = 1;
      rx.respond = (p) => (p === '/c' && fails-- > 0 ? 500 : 200);
      await ctx.putProducts(product('p-wh-c1', 'carol'));
      await until('retried', () => rx.on('/c').length >= 2);
      const [m1, m2] = rx.on('/c');
      assert.equal(m1.headers['webhook-id'], m2.headers['webhook-id']);
      const d = (await ctx.as('carol').get(`/v1/webhooks/${c.body.id}/deliveries`)).body.items;
      assert.deepEqual(d.map((x) => [x.outcome, x.status, x.attempt]), [['delivered', 200, 2], ['failed', 500, 1]]);
      assert.ok(d[1].next_attempt_at);
      // Receiver down (connection refused) for a while, then up.
      const down = await ctx.as('carol').post('/v1/webhooks', { url: 'http://127.0.0.1:9/down', event_types: ['product.created'] });
      await ctx.putProducts(product('p-wh-c2', 'carol'));
      await until('connect failure recorded', async () => (await ctx.as('carol').get(`/v1/webhooks/${down.body.id}/deliveries`)).body.items.some((x) => x.outcome === 'connect'));
      const patched = await fetch(`${ctx.url}/v1/webhooks/${down.body.id}`, {
        method: 'PATCH', headers: { Authorization: `Bearer ${ctx.tokens.carol}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ url: rx.url('/up') }),
      });
      assert.equal(patched.status, 200);
      await until('delivered after the receiver came up', () => rx.on('/up').length >= 1);
      assert.equal(JSON.parse(rx.on('/up')[0].body).data.subject, 'p-wh-c2');
      // 410 Gone disables the endpoint with a webhook.disabled event.
      rx.respond = (p) => (p === '/c' ? 410 : 200);
      await ctx.putProducts(product('p-wh-c1', 'carol', { name: 'renamed' }));
      await until('disabled', async () => (await ctx.as('carol').get(`/v1/webhooks/${c.body.id}`)).body.state === 'disabled');
      const w = (await ctx.as('carol').get(`/v1/webhooks/${c.body.id}`)).body;
      assert.equal(w.disabled_reason, 'gone');
      const ev = await ctx.as('carol').get('/v1/events?after=0&limit=500');
      assert.ok(ev.body.items.some((e) => e.type === 'webhook.disabled' && e.subject === c.body.id), ev.text);
      rx.respond = () => 200;
    });

    test('429 and 503 wait for Retry-After when it is longer than the schedule', async () => {
      // The schedule retries after 1 s; the receiver asks for 3 s.
      rx.retryAfter = 3;
      let answers = [429, 503];
      rx.respond = (p) => (p === '/busy' && answers.length ? answers.shift() : 200);
      const w = await ctx.as('alice').post('/v1/webhooks', { url: rx.url('/busy'), event_types: ['product.updated'] });
      assert.equal(w.status, 201, w.text);
      await ctx.putProducts(product('p-wh-1', 'alice', { name: 'busy' }));
      await until('delivered after two refusals', () => rx.on('/busy').length >= 3, 15000);
      const [a, b, c] = rx.on('/busy');
      assert.ok(b.at - a.at >= 2900, `429: retried after ${b.at - a.at} ms`);
      assert.ok(c.at - b.at >= 2900, `503: retried after ${c.at - b.at} ms`);
      assert.equal(new Set([a, b, c].map((m) => m.headers['webhook-id'])).size, 1);
      // The receiver has the third message before beian records its outcome.
      const deliveries = async () => (await ctx.as('alice').get(`/v1/webhooks/${w.body.id}/deliveries`)).body.items;
      await until('three deliveries recorded', async () => (await deliveries()).length >= 3);
      const d = await deliveries();
      assert.deepEqual(d.map((x) => [x.outcome, x.status]), [['delivered', 200], ['failed', 503], ['failed', 429]]);
      rx.retryAfter = 1;
      rx.respond = () => 200;
    });

    test('rotate-secret: both secrets verify for a while', async () => {
      const w = await ctx.as('alice').post('/v1/webhooks', { url: rx.url('/r'), event_types: ['product.updated'] });
      const rot = await ctx.as('alice').post(`/v1/webhooks/${w.body.id}/rotate-secret`);
      assert.equal(rot.status, 200, rot.text);
      assert.ok(rot.body.previous_secret_expires_at);
      await ctx.putProducts(product('p-wh-1', 'alice', { name: 'rot' }));
      await until('rotated delivery', () => rx.on('/r').length >= 1);
      const m = rx.on('/r')[0];
      assert.equal(m.headers['webhook-signature'].split(' ').length, 2);
      verify(w.body.secret, m);
      verify(rot.body.secret, m);
    });

    test('a hanging receiver does not block another endpoint', async () => {
      rx.respond = (p) => (p === '/hang' ? 'hang' : 200);
      await ctx.as('bob').post('/v1/webhooks', { url: rx.url('/hang'), event_types: ['product.updated'] });
      await ctx.as('bob').post('/v1/webhooks', { url: rx.url('/fast'), event_types: ['product.updated'] });
      const t0 = Date.now();
      await ctx.putProducts(product('p-wh-2', 'bob', { name: 'hang' }));
      await until('fast delivered', () => rx.on('/fast').length >= 1, 1500);
      assert.ok(Date.now() - t0 < 1500);
      rx.respond = () => 200;
    });
  });
}

describe('webhooks without --webhook-allowed-private (sqlite)', () => {
  test('a loopback URL is refused by the SSRF guard', async () => {
    const ctx = await setup('sqlite', { extraArgs: ['--webhook-retry-schedule', '0s'] });
    const rx = await receiver();
    try {
      const w = await ctx.as('alice').post('/v1/webhooks', { url: rx.url('/s') });
      await ctx.putProducts(product('p-ssrf', 'alice'));
      await until('refused', async () => (await ctx.as('alice').get(`/v1/webhooks/${w.body.id}/deliveries`)).body.items.some((x) => x.outcome === 'refused'));
      assert.equal(rx.got.length, 0);
    } finally {
      rx.close();
      await ctx.stop();
    }
  });
});
