// `beian backup DEST` and a restore: a backup taken while clients keep applying for numbers is a
// consistent snapshot (every number acknowledged before it began is in it, nothing that was never
// committed, each number with its audit event, no quota exceeded), and a server on the copy serves it.
'use strict';
const { describe, test } = require('node:test');
const assert = require('node:assert/strict');
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const {
  BIN, cli, setup, startServer, call, product, freshDatabase, highWriteLimitsPolicy,
} = require('./lib/harness');

// Every item of a paged list (`key` is "page_token" or "after").
async function all(url, token, p) {
  const items = [];
  let next = '';
  for (;;) {
    const sep = p.includes('?') ? '&' : '?';
    const r = await call(url, 'GET', `${p}${sep}limit=500${next}`, { token });
    assert.equal(r.status, 200, r.text);
    items.push(...r.body.items);
    if (r.body.next_page_token) next = `&page_token=${encodeURIComponent(r.body.next_page_token)}`;
    else if (r.body.next_after !== undefined && r.body.items.length > 0) next = `&after=${r.body.next_after}`;
    else return items;
  }
}

function run(argv) {
  return new Promise((resolve) => {
    const proc = spawn(argv[0], argv.slice(1), { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    proc.stdout.on('data', (d) => { out += d; });
    proc.stderr.on('data', (d) => { err += d; });
    proc.on('exit', (code) => resolve({ code, out, err }));
  });
}

describe('beian backup (sqlite)', () => {
  test('a backup under concurrent writes is a consistent snapshot, and a server on the copy serves it', async () => {
    // The writers run far above the default write rate limits: this test is about the backup.
    const ctx = await setup('sqlite', { extraArgs: ['--policy', highWriteLimitsPolicy()] });
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'beian-backup-'));
    let copyServer;
    try {
      const ids = [];
      for (let i = 0; i < 60; i++) ids.push(`bk-${String(i).padStart(3, '0')}`);
      await ctx.putProducts(...ids.map((id) => product(id, 'alice')));
      const acked = new Set();
      let stop = false;
      const writer = async (w) => {
        for (let i = w; !stop; i += 6) {
          const r = await ctx.as('alice').post(`/v1/products/${ids[i % ids.length]}/service-numbers`);
          if (r.status === 201) acked.add(r.body.code);
          else assert.equal(r.status, 409, r.text);  // the product's quota is used up
          if (acked.size >= ids.length * 5) return;
        }
      };
      const writers = [0, 1, 2, 3, 4, 5].map(writer);
      while (acked.size < 40) await new Promise((resolve) => setTimeout(resolve, 20));
      const before = new Set(acked);
      const copy = path.join(dir, 'copy.db');
      const b = await run([BIN, '--db', ctx.db, 'backup', copy]);
      assert.equal(b.code, 0, b.err);
      assert.match(b.out, /^backup written to .*copy\.db/);
      const whenDone = acked.size;
      await new Promise((resolve) => setTimeout(resolve, 200));
      stop = true;
      await Promise.all(writers);
      assert.ok(acked.size > whenDone || whenDone === ids.length * 5, 'writers went on after the backup');
      assert.ok(!fs.existsSync(`${copy}-wal`), 'the copy is one self-contained file');

      const original = new Set((await all(ctx.url, ctx.tokens.alice, '/v1/service-numbers')).map((n) => n.code));
      for (const code of acked) assert.ok(original.has(code), `acknowledged ${code} is in the original`);

      copyServer = await startServer(`sqlite:${copy}`);
      const numbers = await all(copyServer.url, ctx.tokens.alice, '/v1/service-numbers');
      const inCopy = new Set(numbers.map((n) => n.code));
      for (const code of before) assert.ok(inCopy.has(code), `${code}, acknowledged before the backup began, is in the copy`);
      for (const code of inCopy) assert.ok(original.has(code), `${code} of the copy was committed in the original`);
      assert.ok(inCopy.size < original.size, `the copy (${inCopy.size}) is of a moment before the last writes (${original.size})`);
      const perProduct = {};
      for (const n of numbers) perProduct[n.product_id] = (perProduct[n.product_id] || 0) + 1;
      for (const [id, n] of Object.entries(perProduct)) assert.ok(n <= 5, `${id}: ${n} numbers, quota 5`);
      const issued = (await all(copyServer.url, ctx.tokens.op, '/v1/events'))
        .filter((e) => e.type === 'number.issued').map((e) => e.subject);
      assert.deepEqual(new Set(issued), inCopy, 'each number of the copy has its audit event, and no other');
      // The copy takes writes: a restored database is a working one.
      const more = await call(copyServer.url, 'POST', `/v1/products/${numbers[0].product_id}/service-numbers`,
        { token: ctx.tokens.alice });
      assert.ok(more.status === 201 || more.status === 409, more.text);

      // Never overwrites.
      const again = await run([BIN, '--db', ctx.db, 'backup', copy]);
      assert.equal(again.code, 1);
      assert.match(again.err, /exists/);
    } finally {
      if (copyServer) await copyServer.stop();
      await ctx.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('beian backup (postgres)', () => {
  test('exits 2 with pg_dump advice and writes nothing', () => {
    const db = freshDatabase('postgres');
    const dest = path.join(os.tmpdir(), `beian-backup-pg-${process.pid}.db`);
    try {
      cli(db.url, ['migrate']);
      const r = cli(db.url, ['backup', dest], { expectFail: true });
      assert.equal(r.status, 2, r.stderr);
      assert.match(r.stderr, /pg_dump/);
      assert.ok(!fs.existsSync(dest));
    } finally {
      db.drop();
    }
  });
});
