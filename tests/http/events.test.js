// GET /v1/events filters (type, account_id, object_id, since, until), visibility, NDJSON export
// with its paging headers, and `beian events export`, on SQLite and PostgreSQL.
'use strict';
const { describe, test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { backends, setup, assertProblem, product, cli } = require('./lib/harness');

const ndjson = { headers: { Accept: 'application/x-ndjson' } };

function lines(text) {
  assert.ok(text === '' || text.endsWith('\n'), 'every line ends with LF');
  return text.split('\n').filter((l) => l !== '').map((l) => JSON.parse(l));
}

for (const backend of backends()) {
  describe(`events (${backend})`, () => {
    let ctx;
    let op;
    let alice;
    let bob;
    let all;  // every event, oldest first, as the operator sees them
    before(async () => {
      ctx = await setup(backend);
      op = ctx.as('op');
      alice = ctx.as('alice');
      bob = ctx.as('bob');
      await ctx.putProducts(product('p-ev-1', 'alice'), product('p-ev-2', 'bob'), product('p-ev-3', 'alice'));
      all = (await op.get('/v1/events?limit=500')).body.items;
    });
    after(async () => { await ctx.stop(); });

    const seqs = (items) => items.map((e) => e.seq);

    test('type: exact, comma-separated and prefix', async () => {
      const created = all.filter((e) => e.type === 'product.created');
      assert.ok(created.length >= 3);
      const r = await op.get('/v1/events?type=product.created');
      assert.equal(r.status, 200, r.text);
      assert.deepEqual(seqs(r.body.items), seqs(created));
      assert.deepEqual(seqs((await op.get('/v1/events?type=product.*')).body.items),
        seqs(all.filter((e) => e.type.startsWith('product.'))));
      const two = all.filter((e) => e.type === 'product.created' || e.type === 'account.created');
      assert.ok(two.some((e) => e.type === 'account.created'));
      assert.deepEqual(seqs((await op.get('/v1/events?type=account.created,product.created')).body.items), seqs(two));
      assert.deepEqual((await op.get('/v1/events?type=nothing.here')).body.items, []);
    });

    test('object_id, account_id and visibility', async () => {
      const r = await op.get('/v1/events?object_id=p-ev-3');
      assert.deepEqual(seqs(r.body.items), seqs(all.filter((e) => e.subject === 'p-ev-3')));
      assert.ok(r.body.items.length >= 1);
      const bobs = all.filter((e) => e.account_id === 'bob');
      assert.deepEqual(seqs((await op.get('/v1/events?account_id=bob')).body.items), seqs(bobs));
      assert.deepEqual(seqs((await bob.get('/v1/events')).body.items), seqs(bobs));
      assert.deepEqual(seqs((await bob.get('/v1/events?account_id=bob')).body.items), seqs(bobs));
      // A customer's filter on another account: an empty list, as on /v1/filings.
      const other = await alice.get('/v1/events?account_id=bob');
      assert.equal(other.status, 200);
      assert.deepEqual(other.body.items, []);
      assert.deepEqual((await bob.get('/v1/events?object_id=p-ev-1')).body.items, []);
      assert.deepEqual(seqs((await alice.get('/v1/events?type=product.created&order=desc')).body.items),
        seqs(all.filter((e) => e.type === 'product.created' && e.account_id === 'alice')).reverse());
    });

    test('since and until (RFC 3339)', async () => {
      assert.deepEqual((await op.get('/v1/events?since=2999-01-01T00:00:00Z')).body.items, []);
      assert.deepEqual((await op.get('/v1/events?until=2000-01-01T00:00:00%2B08:00')).body.items, []);
      const r = await op.get('/v1/events?since=2000-01-01T00:00:00Z&until=2999-01-01T00:00:00Z&limit=500');
      assert.deepEqual(seqs(r.body.items), seqs(all));
    });

    test('bad filters are 400 naming the field, in both languages', async () => {
      const zh = assertProblem(await op.get('/v1/events?since=yesterday'), 400, 'INVALID_REQUEST');
      assert.match(JSON.stringify(zh), /since/);
      assert.match(zh.detail, /RFC 3339 时间/);
      const en = assertProblem(await op.get('/v1/events?until=1', { lang: 'en' }), 400, 'INVALID_REQUEST');
      assert.match(en.detail, /until must be an RFC 3339 time/);
      assert.match(assertProblem(await op.get('/v1/events?type=Product!', { lang: 'en' }), 400, 'INVALID_REQUEST').detail, /type must be/);
      assertProblem(await op.get('/v1/events?type=a,,b'), 400, 'INVALID_REQUEST');
      assertProblem(await op.get('/v1/events?since=2026-02-01T00:00:00Z&until=2026-01-01T00:00:00Z'), 400, 'INVALID_REQUEST');
      assertProblem(await op.get('/v1/events?account_id=no%20such'), 400, 'INVALID_REQUEST');
    });

    test('NDJSON: one event per line, paged by X-Next-After and X-Next-Before', async () => {
      const got = [];
      let after = 0;
      for (let i = 0; i < 100; i++) {
        const r = await op.get(`/v1/events?limit=2&after=${after}`, ndjson);
        assert.equal(r.status, 200, r.text);
        assert.equal(r.headers.get('content-type'), 'application/x-ndjson');
        assert.equal(r.headers.get('vary'), 'Accept');
        const page = lines(r.text);
        if (page.length === 0) break;
        got.push(...page);
        after = Number(r.headers.get('x-next-after'));
        assert.equal(after, page[page.length - 1].seq);
      }
      assert.deepEqual(got, all);
      const desc = [];
      let next = '';
      for (let i = 0; i < 100; i++) {
        const r = await op.get(`/v1/events?order=desc&limit=3&type=product.*${next}`, ndjson);
        desc.push(...lines(r.text));
        const b = r.headers.get('x-next-before');
        if (b === null) break;
        next = `&before=${b}`;
      }
      assert.deepEqual(desc, all.filter((e) => e.type.startsWith('product.')).reverse());
    });

    test('beian events export writes the filtered trail as NDJSON', async () => {
      const r = cli(ctx.db, ['events', 'export', '--type', 'product.*', '--account-id', 'alice']);
      assert.deepEqual(lines(r.stdout), all.filter((e) => e.type.startsWith('product.') && e.account_id === 'alice'));
      const everything = cli(ctx.db, ['events', 'export']);
      assert.deepEqual(lines(everything.stdout).slice(0, all.length), all);
      const bad = cli(ctx.db, ['events', 'export', '--since', 'soon'], { expectFail: true });
      assert.equal(bad.status, 2);
      assert.match(bad.stderr, /--since must be an RFC 3339 time/);
    });
  });
}
