// Webhook delivery figures for `make bench` (issue 10), one `beian serve` on SQLite, loopback only:
// (1) the delay from commit to delivery at a light, steady load: one product write at a time, its
//     product.created message timed from the moment the write's 201/200 arrived (the commit is
//     earlier still, so the figure is an upper bound) to its arrival at a local receiver (p50, p99);
// (2) throughput: events committed in one burst (an import), delivered messages per second.
// The receiver verifies every signature with the npm package standardwebhooks.
//   BEIAN_BIN=build/beian node bench/webhooks.js
'use strict';
const fs = require('node:fs');
const http = require('node:http');
const path = require('node:path');
const { freshDatabase, cli, startServer, call, product } = require('../tests/http/lib/harness');
const { Webhook } = require(path.resolve(__dirname, '../tests/e2e/node_modules/standardwebhooks'));

const LATENCY_WRITES = Number(process.env.WEBHOOK_BENCH_WRITES || 300);
const BURST = Number(process.env.WEBHOOK_BENCH_BURST || 3000);

function pct(sorted, p) { return sorted[Math.min(sorted.length - 1, Math.ceil(sorted.length * p) - 1)]; }

async function main() {
  const db = freshDatabase('sqlite');
  cli(db.url, ['migrate']);
  cli(db.url, ['account', 'add', 'op', '--role', 'operator']);
  cli(db.url, ['account', 'add', 'alice', '--role', 'customer']);
  const token = cli(db.url, ['token', 'issue', 'op']).stdout.trim();
  // The write rate limits would stop the latency loop: this bench measures delivery, not them.
  const policy = path.join(path.dirname(db.url.replace(/^sqlite:/, '')), 'policy.toml');
  fs.writeFileSync(policy, '[limits]\naccount_write_burst = 100000\naccount_writes_per_minute = 100000\n'
    + 'token_write_burst = 100000\ntoken_writes_per_minute = 100000\n');
  const server = await startServer(db.url, { extraArgs: ['--webhook-allowed-private', '127.0.0.0/8', '--policy', policy] });
  const arrived = new Map();  // subject -> hrtime ms
  let secret = null;
  let bad = 0;
  const rx = http.createServer((req, res) => {
    let body = '';
    req.on('data', (d) => { body += d; });
    req.on('end', () => {
      const now = Number(process.hrtime.bigint()) / 1e6;
      try {
        const m = new Webhook(secret).verify(body, req.headers);
        if (!arrived.has(m.data.subject)) arrived.set(m.data.subject, now);
      } catch { bad += 1; }
      res.writeHead(204);
      res.end();
    });
  });
  await new Promise((r) => rx.listen(0, '127.0.0.1', r));
  try {
    const w = await call(server.url, 'POST', '/v1/webhooks', { token,
      body: { url: `http://127.0.0.1:${rx.address().port}/h`, event_types: ['product.created'] } });
    if (w.status !== 201) throw new Error(`create webhook: ${w.status} ${w.text}`);
    secret = w.body.secret;
    const waitFor = async (pred, ms) => {
      const t0 = Date.now();
      while (!pred()) {
        if (Date.now() - t0 > ms) throw new Error('timed out waiting for deliveries');
        await new Promise((r) => setImmediate(r));
      }
    };
    // (1) Latency, one write at a time.
    const delays = [];
    for (let i = 0; i < LATENCY_WRITES; i++) {
      const id = `lat-${i}`;
      const r = await call(server.url, 'PUT', `/v1/products/${id}`, { token, body: product(id, 'alice') });
      const acked = Number(process.hrtime.bigint()) / 1e6;
      if (r.status !== 201) throw new Error(`PUT ${id}: ${r.status}`);
      await waitFor(() => arrived.has(id), 10000);
      delays.push(Math.max(0, arrived.get(id) - acked));
    }
    delays.sort((a, b) => a - b);
    // (2) Throughput: one import commits BURST product.created events.
    const dir = path.dirname(db.url.replace(/^sqlite:/, ''));
    const file = path.join(dir, 'burst.ndjson');
    fs.writeFileSync(file, Array.from({ length: BURST }, (_, i) => JSON.stringify(product(`burst-${i}`, 'alice'))).join('\n') + '\n');
    const before = arrived.size;
    const t0 = Number(process.hrtime.bigint()) / 1e6;
    const imp = await call(server.url, 'POST', '/v1/imports', { token, raw: fs.readFileSync(file),
      headers: { 'Content-Type': 'application/x-ndjson' } });
    if (imp.status >= 300) throw new Error(`import: ${imp.status} ${imp.text}`);
    await waitFor(() => arrived.size - before >= BURST, 600000);
    const secs = (Number(process.hrtime.bigint()) / 1e6 - t0) / 1000;
    const rate = BURST / secs;
    console.log(`commit -> delivery, ${LATENCY_WRITES} writes one at a time: p50 ${pct(delays, 0.5).toFixed(1)} ms, p99 ${pct(delays, 0.99).toFixed(1)} ms (goal p99 < 100 ms)`);
    console.log(`burst of ${BURST} events (one import): delivered in ${secs.toFixed(2)} s, ${rate.toFixed(0)} messages/s; bad signatures: ${bad}`);
    console.log(`SUMMARY|webhook commit->delivery p50|${pct(delays, 0.5).toFixed(1)} ms`);
    console.log(`SUMMARY|webhook commit->delivery p99|${pct(delays, 0.99).toFixed(1)} ms (goal < 100 ms)`);
    console.log(`SUMMARY|webhook delivered messages/s (one endpoint)|${rate.toFixed(0)}`);
    if (bad) process.exitCode = 1;
  } finally {
    rx.close();
    await server.stop();
    db.drop();
  }
}

main().catch((e) => { console.error(e); process.exit(1); });
