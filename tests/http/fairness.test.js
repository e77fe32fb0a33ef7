// Fair connections (issue 14 point 1): while one address (127.0.0.1) floods the server with idle
// connections or a slowloris, another client (127.0.0.2, a new connection per request) is still
// served, with p99 under 50 ms. Also: the open-file limit is raised and logged, and a
// --max-connections above what it allows is lowered. Bounded in time; loopback only.
'use strict';
const { describe, test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const http = require('node:http');
const path = require('node:path');
const { spawn } = require('node:child_process');
const readline = require('node:readline');
const { backends, setup, product } = require('./lib/harness');

const PER_CLIENT = 16;
const FLOOD_SLOTS = 400;  // more than --max-connections: without a per-client cap, a lock-out
const GOOD_REQUESTS = 500;
// The p99 bound of the other client's requests. scripts/tsan.sh runs this suite against a
// ThreadSanitizer build, several times slower, and multiplies it by BEIAN_TEST_LATENCY_SCALE
// there; make http-test checks it as it is.
const P99_BOUND_MS = 50 * Number(process.env.BEIAN_TEST_LATENCY_SCALE || 1);

// Starts lib/flood.js; resolves once every slot has connected at least once.
async function startFlood(url, mode) {
  const proc = spawn(process.execPath, [path.join(__dirname, 'lib/flood.js'), url, mode, String(FLOOD_SLOTS)],
    { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, RECONNECT_MS: '1000' } });
  const lines = readline.createInterface({ input: proc.stdout });
  const closed = new Promise((r) => lines.once('close', r));
  const out = [];
  await new Promise((resolve, reject) => {
    const timer = setTimeout(() => { proc.kill('SIGKILL'); reject(new Error('the flood did not connect every slot in 20 s')); }, 20000);
    lines.on('line', (l) => { out.push(l); if (l === 'ready') { clearTimeout(timer); resolve(); } });
    proc.once('exit', (code) => reject(new Error(`flood exited ${code}`)));
  });
  proc.removeAllListeners('exit');
  return {
    // Stops the flood; resolves with its {connects, open}.
    async stop() {
      proc.kill('SIGTERM');
      await closed;  // its last line, the figures, has been read
      return JSON.parse(out[out.length - 1]);
    },
  };
}

// One GET on a new connection from 127.0.0.2; resolves with {status, ms}.
function goodRequest(url, p, token) {
  const { hostname, port } = new URL(url);
  const started = process.hrtime.bigint();
  return new Promise((resolve) => {
    const req = http.request({ host: hostname, port, path: p, localAddress: '127.0.0.2', agent: false,
      headers: { Authorization: `Bearer ${token}`, Connection: 'close' } }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode, ms: Number(process.hrtime.bigint() - started) / 1e6 }));
    });
    req.setTimeout(5000, () => req.destroy(new Error('timed out')));
    req.on('error', (e) => resolve({ status: 0, ms: Infinity, error: e.message }));
    req.end();
  });
}

async function goodClient(ctx) {
  const results = [];
  for (let i = 0; i < GOOD_REQUESTS; i++) results.push(await goodRequest(ctx.url, '/v1/products/fair-1', ctx.tokens.alice));
  const failed = results.filter((r) => r.status !== 200);
  const ms = results.map((r) => r.ms).sort((a, b) => a - b);
  return { failed, p99: ms[Math.ceil(ms.length * 0.99) - 1], p50: ms[Math.floor(ms.length / 2)] };
}

for (const backend of backends()) {
  describe(`fair connections under a one-address flood (${backend})`, () => {
    let ctx;
    before(async () => {
      ctx = await setup(backend, {
        extraArgs: ['--max-connections', '256', '--max-connections-per-client', String(PER_CLIENT),
          '--header-timeout', '2'],
      });
      await ctx.putProducts(product('fair-1', 'alice'));
      await goodClient(ctx);  // warm up (caches, pool)
    });
    after(async () => { await ctx.stop(); });

    for (const mode of ['idle', 'slowloris']) {
      test(`${mode}: another address is served, p99 < ${P99_BOUND_MS} ms`, async () => {
        const flood = await startFlood(ctx.url, mode);
        let good;
        try {
          good = await goodClient(ctx);
        } finally {
          const stats = await flood.stop();
          // The flood really ran: every one of its slots (far more than its address may hold at
          // once, and more than --max-connections) connected at least once before the good
          // client started ("ready"), and it kept reconnecting.
          assert.equal(stats.slots_connected, FLOOD_SLOTS, `flood: ${JSON.stringify(stats)}`);
        }
        assert.deepEqual(good.failed, [], 'every request of the other client succeeds');
        const alone = await goodClient(ctx);
        const figures = `p99 ${good.p99.toFixed(1)} ms, p50 ${good.p50.toFixed(1)} ms; without the flood p99 ${alone.p99.toFixed(1)} ms`;
        console.log(`# ${backend} ${mode}: ${figures}`);
        assert.ok(good.p99 < P99_BOUND_MS, figures);
      });
    }
  });
}

for (const backend of backends()) describe(`open files (${backend})`, () => {
  test('the soft limit is raised and logged; --max-connections above it is lowered', async () => {
    // A shell lowers the soft limit (the hard one stays) before starting the server.
    const { BIN, freshDatabase, cli } = require('./lib/harness');
    const db = freshDatabase(backend);
    cli(db.url, ['migrate']);
    const proc = spawn('sh', ['-c', 'ulimit -S -n 512 && exec "$0" "$@"', BIN, '--db', db.url, 'serve',
      '--listen', '127.0.0.1:0', '--max-connections', '1000000'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    proc.stderr.on('data', (d) => { stderr += d; });
    try {
      await new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no start: ${stderr}`)), 20000);
        readline.createInterface({ input: proc.stdout }).on('line', (l) => {
          if (/listening on/.test(l)) { clearTimeout(timer); resolve(); }
        });
      });
      // The log is flushed at least every second.
      for (let i = 0; i < 50 && !/connections: at most/.test(stderr); i++) await new Promise((r) => setTimeout(r, 100));
      const hard = Number(require('node:child_process').execSync('sh -c "ulimit -H -n"').toString().trim());
      const m = stderr.match(/open files: soft limit (\d+) \(was (\d+), hard limit (\d+)\)/);
      assert.ok(m, stderr);
      assert.equal(Number(m[2]), 512);
      assert.equal(Number(m[1]), hard);
      const c = stderr.match(/connections: at most (\d+), (\d+) per client address/);
      assert.ok(c, stderr);
      assert.equal(Number(c[1]), Math.min(1000000, hard - 128));
      assert.match(stderr, /--max-connections 1000000 is more than/);
    } finally {
      proc.kill('SIGTERM');
      await new Promise((r) => proc.once('exit', r));
      db.drop();
    }
  });
});
