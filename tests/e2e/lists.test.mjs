// Lists that scale: paging past 100 with honest counts, loading, empty, error with Retry, Refresh;
// the audit trail newest first in words, not codes.
import assert from 'node:assert/strict';
import { apiCall, scenario, signIn } from './helpers.mjs';

function product(id, account) {
  const expires = new Date(Date.now() + 400 * 86400e3).toISOString();
  return { id, account_id: account, kind: 'ecs', name: id, billing: 'subscription', region: 'cn-hangzhou',
    public_ips: ['47.96.1.2'], expires_at: expires, status: 'running' };
}

async function importProducts(demo, account, n) {
  const lines = Array.from({ length: n }, (_, i) => JSON.stringify(product(`bulk-${String(i).padStart(3, '0')}`, account)));
  const res = await fetch(`${demo.url}/v1/imports`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${demo.tokens.operator}`, 'Content-Type': 'application/x-ndjson' },
    body: lines.join('\n'),
  });
  assert.equal(res.status, 200, await res.text());
}

scenario('the operator pages through 150 products of one account and all products; the count never lies',
  { allowHttp: ['404 /v1/products/no-such-product'] },
  async ({ demo, page, shot }) => {
    await importProducts(demo, 'bulk', 150);
    await signIn(page, demo, demo.tokens.operator);
    await page.goto(`${demo.url}/#/ops/products?account_id=bulk`);
    const cards = page.locator('article.product');
    const countLine = page.locator('.list-bar .count-line');
    await countLine.getByText('已显示 100 个产品，还有更多').waitFor();
    assert.equal(await cards.count(), 100);
    await shot('first-page');
    await page.getByRole('button', { name: '加载更多' }).click();
    await countLine.getByText('共 150 个产品').waitFor();
    assert.equal(await cards.count(), 150);
    assert.equal(await page.getByRole('button', { name: '加载更多' }).isVisible(), false);

    // Without a query: every product (the demo's and the 150), not the first 100 only.
    await page.goto(`${demo.url}/#/ops/products`);
    await countLine.getByText(/已显示 100 个产品/).waitFor();
    const all = await apiCall(demo, demo.tokens.operator, 'GET', '/v1/products?limit=500');
    await page.getByRole('button', { name: '加载更多' }).click();
    await countLine.getByText(`共 ${all.body.items.length} 个产品`).waitFor();
    assert.equal(await cards.count(), all.body.items.length);

    // An unknown product id says so in words.
    await page.goto(`${demo.url}/#/ops/products?id=no-such-product`);
    await page.locator('.empty').getByText('没有 ID 为「no-such-product」的产品。').waitFor();
  });

scenario('a list shows loading, then an error with Retry that recovers; Refresh reads it again',
  { allowHttp: ['503 /v1/filings'] },
  async ({ demo, page, shot }) => {
    await signIn(page, demo, demo.tokens.alice);
    let fail = true;
    let release;
    const held = new Promise((r) => { release = r; });
    await page.route((u) => u.pathname === '/v1/filings', async (route) => {
      await held;
      if (fail) {
        await route.fulfill({ status: 503, contentType: 'application/problem+json',
          body: JSON.stringify({ code: 'UNAVAILABLE', title: '服务暂时不可用', status: 503 }) });
      }
      else await route.continue();
    });
    await page.getByRole('link', { name: '备案', exact: true }).click();
    // The form is there at once, and the list says it is loading.
    await page.getByLabel('网站域名').waitFor();
    await page.locator('.list-bar .count-line').getByText('加载中…').waitFor();
    await shot('loading');
    release();
    const retry = page.getByRole('button', { name: '重试' });
    await retry.waitFor();
    assert.match(await page.locator('.list-body [role=alert]').textContent(), /服务暂时不可用/);
    assert.equal(await page.evaluate(() => document.activeElement.textContent), '重试');
    await shot('error');
    fail = false;
    await retry.click();
    await page.locator('.list-bar .count-line').getByText(/共 \d+ 个备案/).waitFor();
    const before = await page.locator('tr[data-domain]').count();

    // Something changes elsewhere; Refresh shows it without leaving the page.
    const n = await apiCall(demo, demo.tokens.alice, 'GET', '/v1/service-numbers?state=available&product_id=ecs-quota-4');
    const filed = await apiCall(demo, demo.tokens.alice, 'POST', '/v1/filings',
      { domain: 'from-elsewhere.cn', service_number: n.body.items[0].code });
    assert.equal(filed.status, 201);
    await page.getByRole('button', { name: '刷新' }).click();
    await page.locator('tr[data-domain="from-elsewhere.cn"]').waitFor();
    assert.equal(await page.locator('tr[data-domain]').count(), before + 1);
    // Newest first.
    assert.equal(await page.locator('tr[data-domain]').first().getAttribute('data-domain'), 'from-elsewhere.cn');
  });

scenario('carol, with no products, reads that she has none (not that none matches)', {},
  async ({ demo, page }) => {
    await signIn(page, demo, demo.tokens.carol);
    await page.locator('.empty').getByText('您的账号下还没有产品。').waitFor();
    await page.getByRole('link', { name: '备案', exact: true }).click();
    await page.locator('.empty').getByText('您还没有提交过备案。').waitFor();
  });

scenario('the audit trail is newest first and in words, in both languages', {},
  async ({ demo, page, shot }) => {
    const n = await apiCall(demo, demo.tokens.alice, 'GET', '/v1/service-numbers?state=available&product_id=ecs-quota-4');
    const filed = await apiCall(demo, demo.tokens.alice, 'POST', '/v1/filings',
      { domain: 'audit-me.cn', service_number: n.body.items[0].code });
    const ok = await apiCall(demo, demo.tokens.operator, 'POST', `/v1/filings/${filed.body.id}/approve`);
    assert.equal(ok.status, 200);
    const all = await apiCall(demo, demo.tokens.operator, 'GET', '/v1/events?limit=500');
    const last = all.body.items[all.body.items.length - 1];

    await signIn(page, demo, demo.tokens.operator);
    await page.getByRole('link', { name: '审计日志' }).click();
    const rows = page.locator('tr[data-seq]');
    await rows.first().waitFor();
    assert.equal(Number(await rows.first().getAttribute('data-seq')), last.seq, 'the newest event comes first');
    const seqs = await rows.evaluateAll((els) => els.map((e) => Number(e.dataset.seq)));
    assert.deepEqual(seqs, [...seqs].sort((a, b) => b - a));
    await page.locator('.count-line').getByText(`共 ${all.body.items.length} 条记录`).waitFor();
    const approved = page.locator(`tr[data-type="filing.approved"]`).first();
    assert.equal((await approved.locator('.event-summary').textContent()), `备案 ${filed.body.id} 已通过`);
    const changed = page.locator('tr[data-type="number.state_changed"]').first();
    assert.match(await changed.locator('.event-summary').textContent(), /备案中 → 已使用/);
    // No raw codes in the visible text of the type and details columns.
    const text = await page.locator('tbody').innerText();
    assert.doesNotMatch(text, /filing\.approved|number\.state_changed|from=|filing_id=/);
    await shot('audit-zh');

    await page.getByRole('button', { name: /English/ }).click();
    await page.getByRole('heading', { name: 'Audit trail' }).waitFor();
    await page.locator(`tr[data-type="filing.approved"]`).first().waitFor();
    assert.equal(await page.locator('tr[data-type="filing.approved"] .event-summary').first().textContent(),
      `Filing ${filed.body.id} approved`);
    assert.match(await page.locator('tr[data-type="number.state_changed"] .event-summary').first().textContent(),
      /in review → filed/i);
    await shot('audit-en');
  });
