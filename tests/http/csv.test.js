// CSV export of the list endpoints (Accept: text/csv): the same rows as the JSON page, RFC 4180
// quoting, the formula-injection guard, paging through X-Next-Page-Token, on SQLite and
// PostgreSQL.
'use strict';
const { describe, test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { backends, setup, assertProblem, product } = require('./lib/harness');

// Parses RFC 4180 text (CRLF records, "" escapes) into rows of cells; asserts every record ends
// with CRLF.
function parseCsv(text) {
  const rows = [];
  let row = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') { cell += '"'; i++; } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') { row.push(cell); cell = ''; } else if (ch === '\r') {
      assert.equal(text[i + 1], '\n', 'CR without LF outside quotes');
      row.push(cell); rows.push(row); row = []; cell = ''; i++;
    } else {
      assert.notEqual(ch, '\n', 'bare LF outside quotes');
      cell += ch;
    }
  }
  assert.equal(cell, '', 'the last record ends with CRLF');
  assert.equal(row.length, 0);
  return rows;
}

const csv = { headers: { Accept: 'text/csv' } };

for (const backend of backends()) {
  describe(`csv (${backend})`, () => {
    let ctx;
    let op;
    let alice;
    let bob;
    before(async () => {
      ctx = await setup(backend);
      op = ctx.as('op');
      alice = ctx.as('alice');
      bob = ctx.as('bob');
      await ctx.putProducts(
        product('p-csv-1', 'alice', { name: '=HYPERLINK("http://x","y")' }),
        product('p-csv-2', 'alice', { name: 'a, "b"\nc', public_ips: ['47.96.1.2', '47.96.1.3'] }),
        product('p-csv-3', 'alice', { name: '+1', public_ips: [] }),
        product('p-csv-bob', 'bob', { name: '@bob' }));
    });
    after(async () => { await ctx.stop(); });

    test('products: header row, the JSON page\'s rows, quoting and the formula guard', async () => {
      const json = await alice.get('/v1/products');
      const r = await alice.get('/v1/products', csv);
      assert.equal(r.status, 200, r.text);
      assert.equal(r.headers.get('content-type'), 'text/csv; charset=utf-8');
      assert.match(r.headers.get('content-disposition'), /^attachment; filename="products\.csv"$/);
      assert.match(r.headers.get('vary'), /Accept/);
      assert.equal(r.headers.get('x-next-page-token'), null);
      const rows = parseCsv(r.text);
      const header = rows[0];
      assert.deepEqual(header.slice(0, 4), ['id', 'account_id', 'kind', 'name']);
      const col = (name) => header.indexOf(name);
      assert.deepEqual(rows.slice(1).map((x) => x[col('id')]), json.body.items.map((p) => p.id));
      const byId = Object.fromEntries(rows.slice(1).map((x) => [x[col('id')], x]));
      assert.equal(byId['p-csv-1'][col('name')], '\'=HYPERLINK("http://x","y")');
      assert.equal(byId['p-csv-2'][col('name')], 'a, "b"\nc');
      assert.equal(byId['p-csv-2'][col('public_ips')], '47.96.1.2 47.96.1.3');
      assert.equal(byId['p-csv-3'][col('name')], '\'+1');
      assert.equal(byId['p-csv-3'][col('eligibility.can_apply')], 'false');
      assert.equal(byId['p-csv-3'][col('eligibility.reasons[].code')], 'NO_PUBLIC_IP');
      assert.equal(byId['p-csv-1'][col('eligibility.can_apply')], 'true');
      // Raw text: the quoted field with a doubled quote, the guard inside the quotes.
      assert.ok(r.text.includes('"\'=HYPERLINK(""http://x"",""y"")"'), r.text);
      // Another account's product is not in alice's export.
      assert.doesNotMatch(r.text, /p-csv-bob|@bob/);
    });

    test('paging: same filters and limit; the next page token in X-Next-Page-Token', async () => {
      const first = await alice.get('/v1/products?limit=2', csv);
      assert.equal(first.status, 200);
      const token = first.headers.get('x-next-page-token');
      const json = await alice.get('/v1/products?limit=2');
      assert.equal(token, json.body.next_page_token);
      assert.ok(token);
      assert.equal(parseCsv(first.text).length, 3);
      const second = await alice.get(`/v1/products?limit=2&page_token=${encodeURIComponent(token)}`, csv);
      const rows = parseCsv(second.text);
      assert.deepEqual(rows.slice(1).map((x) => x[0]), ['p-csv-3']);
      assert.equal(second.headers.get('x-next-page-token'), null);
      const filtered = parseCsv((await op.get('/v1/products?account_id=bob', csv)).text);
      assert.deepEqual(filtered.slice(1).map((x) => x[0]), ['p-csv-bob']);
      assert.equal(filtered[1][3], '\'@bob');
    });

    test('numbers, filings, events, accounts and tokens export too', async () => {
      const n = await alice.post('/v1/products/p-csv-1/service-numbers');
      assert.equal(n.status, 201, n.text);
      const f = await alice.post('/v1/filings', { domain: 'csv-example.cn', service_number: n.body.code });
      assert.equal(f.status, 201, f.text);
      const cases = [
        [alice, '/v1/service-numbers', 'service-numbers', 'code', n.body.code],
        [alice, '/v1/filings', 'filings', 'id', f.body.id],
        [op, '/v1/accounts', 'accounts', 'id', 'alice'],
        [alice, '/v1/tokens', 'tokens', 'account_id', 'alice'],
      ];
      for (const [who, path, name, column, value] of cases) {
        const r = await who.get(path, csv);
        assert.equal(r.status, 200, `${path}: ${r.text}`);
        assert.equal(r.headers.get('content-type'), 'text/csv; charset=utf-8');
        assert.match(r.headers.get('content-disposition'), new RegExp(`filename="${name}\\.csv"`));
        const rows = parseCsv(r.text);
        const json = await who.get(path);
        assert.equal(rows.length - 1, json.body.items.length, path);
        const i = rows[0].indexOf(column);
        assert.ok(i >= 0, `${path} has column ${column}`);
        assert.ok(rows.slice(1).some((x) => x[i] === value), `${path} lists ${value}`);
      }
      const ev = await alice.get('/v1/events?limit=1', csv);
      assert.equal(ev.status, 200);
      const rows = parseCsv(ev.text);
      assert.deepEqual(rows[0], ['seq', 'at', 'actor', 'type', 'account_id', 'subject', 'data']);
      assert.equal(rows.length, 2);
      assert.equal(ev.headers.get('x-next-after'), rows[1][0]);
      assert.doesNotThrow(() => JSON.parse(rows[1][6]));
    });

    test('Accept negotiation: JSON unless text/csv is asked for; errors stay problem+json', async () => {
      for (const accept of [undefined, '*/*', 'application/json', 'text/html', 'text/csv;q=0']) {
        const r = await alice.get('/v1/products', accept ? { headers: { Accept: accept } } : {});
        assert.equal(r.status, 200, accept);
        assert.match(r.headers.get('content-type'), /^application\/json/, String(accept));
      }
      for (const accept of ['TEXT/CSV', 'application/json;q=0.5, text/csv']) {
        const r = await alice.get('/v1/products', { headers: { Accept: accept } });
        assert.equal(r.headers.get('content-type'), 'text/csv; charset=utf-8', accept);
      }
      assertProblem(await alice.get('/v1/products?limit=0', csv), 400, 'INVALID_REQUEST');
      assertProblem(await alice.get('/v1/accounts', csv), 403, 'FORBIDDEN');
      // A single object is JSON whatever the Accept header says.
      const one = await alice.get('/v1/products/p-csv-1', csv);
      assert.match(one.headers.get('content-type'), /^application\/json/);
    });
  });
}
