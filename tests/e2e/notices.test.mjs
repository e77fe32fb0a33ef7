// Notices in the console: a product of alice whose term runs out (made through the API, found by
// the demo's notices job at --notice-interval 1) shows as a banner on her first page and on the
// notices page, with a link to the product and the remedy, in both languages and at phone width.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { apiCall, assertLabelled, assertNoSideScroll, openBrowser, signIn, startDemo } from './helpers.mjs';

const inDays = (d) => new Date(Date.now() + d * 86400000).toISOString().replace(/\.\d+Z$/, 'Z');

async function seedExpiring(demo) {
  const product = {
    id: 'ecs-renew-me', account_id: 'alice', kind: 'ecs', name: 'ecs-renew-me', billing: 'subscription',
    region: 'cn-hangzhou', public_ips: ['47.96.9.9'], expires_at: inDays(400), status: 'running',
  };
  const put = await apiCall(demo, demo.tokens.operator, 'PUT', '/v1/products/ecs-renew-me', product);
  assert.equal(put.status, 201);
  const n = await apiCall(demo, demo.tokens.alice, 'POST', '/v1/products/ecs-renew-me/service-numbers');
  assert.equal(n.status, 201);
  const soon = await apiCall(demo, demo.tokens.operator, 'PUT', '/v1/products/ecs-renew-me',
    { ...product, expires_at: inDays(100) });
  assert.equal(soon.status, 200);
  // The job scans every second: wait for the notice.
  for (let i = 0; ; i += 1) {
    const r = await apiCall(demo, demo.tokens.alice, 'GET', '/v1/notices');
    if (r.body.items.some((x) => x.object.id === 'ecs-renew-me')) return;
    assert.ok(i < 150, 'no notice after 15 s');
    await new Promise((res) => setTimeout(res, 100));
  }
}

for (const width of [1280, 390]) {
  test(`a customer sees a notice, opens it and its product (${width} px)`, async (t) => {
    const demo = await startDemo({ extraArgs: ['--notice-interval', '1'] });
    const b = await openBrowser(t, demo, { width });
    try {
      await seedExpiring(demo);
      const { page, shot } = b;
      await signIn(page, demo, demo.tokens.alice);
      const banner = page.locator('.notice-banner');
      await banner.getByText(/您有 \d+ 条提醒/).waitFor();
      await shot('banner');
      await banner.getByRole('link', { name: '查看提醒' }).click();
      await page.getByRole('heading', { name: '提醒', level: 1 }).waitFor();
      const item = page.locator('.notice-item[data-kind="product.term_expiring"]').filter({ hasText: 'ecs-renew-me' });
      await item.getByText('订阅期将不足').waitFor();
      await item.getByText(/请在到期前续费/).waitFor();
      await assertLabelled(page, 'notices');
      await assertNoSideScroll(page, 'notices (zh)');
      await shot('notices-zh');
      await page.locator('.lang-switch').click();
      await page.getByRole('heading', { name: 'Notices', level: 1 }).waitFor();
      const en = page.locator('.notice-item').filter({ hasText: 'ecs-renew-me' });
      await en.getByText(/Renew it before it expires/).waitFor();
      await en.getByText(/falls below 3 months/).waitFor();
      await assertNoSideScroll(page, 'notices (en)');
      await shot('notices-en');
      await en.getByRole('link', { name: 'Open product ecs-renew-me' }).click();
      await page.waitForURL(/#\/products\?hl=ecs-renew-me/);
      await page.locator('article.product[data-id="ecs-renew-me"].hl').waitFor();
      await page.locator('.lang-switch').click();
      assert.deepEqual(b.errors, [], `console errors (HTTP errors seen: ${b.responses.join(', ')})`);
    } catch (e) {
      await b.shot('failure').catch(() => {});
      throw e;
    } finally {
      await b.close();
      await demo.stop();
    }
  });
}
