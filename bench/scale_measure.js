// Times the request paths of a loaded scale database (see bench/scale.sh):
//   node bench/scale_measure.js URL N TOKENS_FILE PG_URL
// Prints one line per operation: "OP|N|operation|median ms|p90 ms". Requests run one at a time
// (latency, not throughput); each operation is warmed up first.
'use strict';
const fs = require('node:fs');
const { spawnSync } = require('node:child_process');
const assert = require('node:assert/strict');

const [url, nText, tokensFile, pgUrl] = process.argv.slice(2);
const n = Number(nText);
const tokens = Object.fromEntries(fs.readFileSync(tokensFile, 'utf8').trim().split('\n').map((l) => l.split(' ')));
const customers = Object.keys(tokens).filter((k) => k !== 'op');
// A page token as the server makes them (domain/page_token.h): base64url of the list's tag, ':' and
// the last key of the previous page.
const pageToken = (list, key) => Buffer.from(`${list}:${key}`).toString('base64url');
const pad = (k, w) => String(k).padStart(w, '0');

function psql(sql) {
  const r = spawnSync('psql', [pgUrl, '-qAtXc', sql], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout.trim();
}

async function call(method, path, token, body, expect) {
  const headers = { Authorization: `Bearer ${token}` };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const t0 = process.hrtime.bigint();
  const res = await fetch(url + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  assert.equal(res.status, expect, `${method} ${path}: ${res.status} ${text}`);
  const json = text && (res.headers.get('content-type') || '').includes('json') ? JSON.parse(text) : undefined;
  return { ms, json };
}

function report(name, times) {
  const s = [...times].sort((a, b) => a - b);
  const at = (q) => s[Math.min(s.length - 1, Math.floor(q * s.length))];
  console.log(`OP|${n}|${name}|${at(0.5).toFixed(3)}|${at(0.9).toFixed(2)}`);
}

// The write-ahead log the measured requests of a write wrote, per request: all of it (from the log
// position), and of it the full-page images and what B-tree indexes and tables (heap) wrote
// (pg_waldump --stats over that range of the server's pg_wal, when PG_WAL_DIR names it). Prints
// "WAL|N|operation|bytes|FPI bytes|B-tree bytes|heap bytes" (n/a where pg_waldump did not run).
function walReport(name, count, from, to) {
  const bytes = Number(psql(`SELECT pg_wal_lsn_diff('${to}', '${from}')`));
  const per = (x) => (x / count).toFixed(0);
  let detail = ['n/a', 'n/a', 'n/a'];
  if (process.env.PG_WAL_DIR) {
    const bindir = process.env.BEIAN_TEST_PG_BINDIR;
    const r = spawnSync(bindir ? `${bindir}/pg_waldump` : 'pg_waldump',
      ['-p', process.env.PG_WAL_DIR, '-s', from, '-e', to, '--stats'], { encoding: 'utf8' });
    // Rows: "Type  N (pct)  record size (pct)  FPI size (pct)  combined size (pct)"; "Total N
    // record size [pct] FPI size [pct] combined size [pct]".
    const rows = {};
    for (const line of (r.stdout || '').split('\n')) {
      const m = line.match(/^(\w+)\s+\d+\s+\(\s*[\d.]+\)\s+(\d+)\s+\(\s*[\d.]+\)\s+(\d+)/) ||
        line.match(/^(Total)\s+\d+\s+(\d+)\s+\[[\d.]+%\]\s+(\d+)/);
      if (m) rows[m[1]] = { record: Number(m[2]), fpi: Number(m[3]) };
    }
    if (rows.Total) {
      const combined = (t) => (rows[t] ? rows[t].record + rows[t].fpi : 0);
      detail = [per(rows.Total.fpi), per(combined('Btree')), per(combined('Heap') + combined('Heap2'))];
    }
  }
  console.log(`WAL|${n}|${name}|${per(bytes)}|${detail.join('|')}`);
}

// Reads completed by the machine's disks so far (/proc/diskstats; whole disks, not partitions).
function diskReads() {
  let reads = 0;
  for (const line of fs.readFileSync('/proc/diskstats', 'utf8').split('\n')) {
    const f = line.trim().split(/\s+/);
    if (/^(vd[a-z]+|sd[a-z]+|xvd[a-z]+|nvme\d+n\d+)$/.test(f[2] || '')) reads += Number(f[3]);
  }
  return reads;
}

// Runs fn(i) for i in [0, count) after `warm` unmeasured calls; reports the latencies, the disk
// reads per request ("IO|N|operation|reads") and, with `wal`, the write-ahead log they wrote.
async function time(name, count, fn, warm = 20, wal = false) {
  for (let i = 0; i < warm; i++) await fn(-1 - i);
  const from = wal ? psql('SELECT pg_current_wal_lsn()') : '';
  const reads = diskReads();
  const times = [];
  for (let i = 0; i < count; i++) times.push(await fn(i));
  const readsPer = (diskReads() - reads) / count;
  report(name, times);
  console.log(`IO|${n}|${name}|${readsPer.toFixed(2)}`);
  if (wal) walReport(name, count, from, psql('SELECT pg_current_wal_lsn()'));
}

// Warms the page cache again (bench/scale.sh writes the query; nothing when SCALE_COLD=1).
function rewarm() {
  if (!process.env.WARM_SQL_FILE) return;
  const t0 = Date.now();
  const r = spawnSync('psql', [pgUrl, '-v', 'ON_ERROR_STOP=1', '-qAtX', '-f', process.env.WARM_SQL_FILE], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  console.error(`N=${n}: warmed again before the writes in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
}

(async () => {
  const rand = (i, m) => Number((BigInt(i + 12345) * 2654435761n) % BigInt(m));
  const product = (i) => `p${pad(rand(i, n), 9)}`;
  const deepProduct = `p${pad(Math.floor(n * 0.9), 9)}`;
  const deepCode = psql(`SELECT code FROM service_numbers WHERE product_id = '${deepProduct}' ORDER BY code LIMIT 1`);
  const deepFiling = psql(`SELECT id FROM filings WHERE service_number = '${deepCode}'`) ||
    `f-${pad(Math.floor(n * 0.9) * 3, 20)}`;
  const deepSeq = psql(`SELECT seq FROM events WHERE subject = '${deepCode}' ORDER BY seq LIMIT 1`);
  const op = tokens.op;

  await time('GET product', 300, async (i) => (await call('GET', `/v1/products/${product(i)}`, op, undefined, 200)).ms);
  await time('list products, first page', 200, async () => (await call('GET', '/v1/products?limit=50', op, undefined, 200)).ms);
  await time('list products, deep page', 200, async (i) =>
    (await call('GET', `/v1/products?limit=50&page_token=${pageToken('p', `p${pad(Math.floor(n * 0.9) + i, 9)}`)}`, op, undefined, 200)).ms);
  await time('list numbers, first page', 200, async () => (await call('GET', '/v1/service-numbers?limit=50', op, undefined, 200)).ms);
  await time('list numbers, deep page', 200, async () =>
    (await call('GET', `/v1/service-numbers?limit=50&page_token=${pageToken('n', deepCode)}`, op, undefined, 200)).ms);
  await time('list filings in review, first page', 200, async () =>
    (await call('GET', '/v1/filings?state=in_review&limit=50', op, undefined, 200)).ms);
  await time('list filings, deep page', 200, async () =>
    (await call('GET', `/v1/filings?limit=50&page_token=${pageToken('f', deepFiling)}`, op, undefined, 200)).ms);
  await time('customer: list own numbers', 200, async (i) =>
    (await call('GET', '/v1/service-numbers?limit=50', tokens[customers[(i + 40) % customers.length]], undefined, 200)).ms);
  await time('events, first page', 200, async () => (await call('GET', '/v1/events?limit=100', op, undefined, 200)).ms);
  await time('events, deep page', 200, async () => (await call('GET', `/v1/events?limit=100&after=${deepSeq}`, op, undefined, 200)).ms);
  await time('metrics (counts by state)', 50, async () => (await call('GET', '/metrics', op, undefined, 200)).ms, 3);
  await time('overview (customer)', 200, async (i) =>
    (await call('GET', '/v1/overview', tokens[customers[(i + 40) % customers.length]], undefined, 200)).ms);

  // Writes: each customer's ten products have 3 of their 5 numbers: apply, file, approve.
  rewarm();
  const applied = [];
  let k = 0;
  const nextProduct = () => {
    const c = customers[k % customers.length];
    const idx = Math.floor(k / customers.length) % 10;
    k++;
    return { c, id: `p${pad(Number(c.slice(2)) * 10 + idx, 9)}` };
  };
  await time('apply', 300, async () => {
    const p = nextProduct();
    const r = await call('POST', `/v1/products/${p.id}/service-numbers`, tokens[p.c], undefined, 201);
    applied.push({ c: p.c, code: r.json.code });
    return r.ms;
  }, 20, true);
  const filed = [];
  let f = 0;
  await time('file', 250, async () => {
    const a = applied[f++];
    const r = await call('POST', '/v1/filings', tokens[a.c], { domain: `s${f}-${n}.example.cn`, service_number: a.code }, 201);
    filed.push(r.json.id);
    return r.ms;
  }, 20, true);
  let g = 0;
  await time('approve', 250, async () => (await call('POST', `/v1/filings/${filed[g++]}/approve`, op, undefined, 200)).ms, 20, true);
})().catch((e) => { console.error(e); process.exit(1); });
