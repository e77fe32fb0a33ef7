// Quality: no sideways scrolling at 390 px, keyboard reach with a visible focus, help links, the
// operator's pages.
import assert from 'node:assert/strict';
import { assertLabelled, assertNoSideScroll, productCard, scenario, signIn } from './helpers.mjs';

const CUSTOMER_PAGES = ['products', 'numbers', 'filings', 'events', 'help'];
const OPERATOR_PAGES = ['ops/products?account_id=alice', 'ops/review?all=1', 'ops/events', 'help'];

// Opens a console page and waits until it has rendered and loaded its data.
async function visit(page, demo, path) {
  await page.goto(`${demo.url}/#/${path}`);
  await page.locator('main h1').waitFor();
  await page.waitForLoadState('networkidle');
}

scenario('at 390 px no page scrolls sideways (customer)', { width: 390, height: 844 }, async ({ demo, page, shot }) => {
  await signIn(page, demo, demo.tokens.alice);
  await productCard(page, 'ecs-web-1').waitFor();
  for (const p of CUSTOMER_PAGES) {
    await visit(page, demo, p);
    await assertNoSideScroll(page, p);
    await assertLabelled(page, p);
    await shot(p.replace(/\W+/g, '-'));
  }
  await page.getByRole('button', { name: /English/ }).click();
  for (const p of CUSTOMER_PAGES) {
    await visit(page, demo, p);
    await assertNoSideScroll(page, `${p} (English)`);
  }
  await shot('english-help');
  await page.getByRole('button', { name: /中文/ }).click();
  await page.goto(`${demo.url}/#/products`);
  await productCard(page, 'ecs-quota-4').getByRole('button', { name: /申请/ }).click();
  await assertNoSideScroll(page, 'apply dialog');
  await shot('dialog');
});

scenario('at 390 px no page scrolls sideways (operator)', { width: 390, height: 844 }, async ({ demo, page, shot }) => {
  await signIn(page, demo, demo.tokens.operator);
  for (const p of OPERATOR_PAGES) {
    await visit(page, demo, p);
    await assertNoSideScroll(page, p);
    await assertLabelled(page, p);
    await shot(p.replace(/\W+/g, '-'));
  }
});

scenario('keyboard: skip link, navigation and Apply are reachable with a visible focus', {},
  async ({ demo, page, shot }) => {
    await signIn(page, demo, demo.tokens.alice);
    // Signing in puts the focus on the page heading once the page has rendered (its data loaded:
    // signIn only waits for the heading to exist); a fresh load leaves it at the top.
    await page.waitForFunction(() => document.activeElement?.tagName === 'H1', null, { timeout: 10000 });
    await page.reload();
    await productCard(page, 'ecs-web-1').waitFor();
    await page.keyboard.press('Tab');
    const first = await page.evaluate(() => document.activeElement.className);
    assert.match(first, /skip/);
    const seen = new Set();
    for (let i = 0; i < 40; i++) {
      await page.keyboard.press('Tab');
      const info = await page.evaluate(() => {
        const el = document.activeElement;
        const s = getComputedStyle(el);
        return { text: el.textContent.trim(), shadow: s.boxShadow, outline: s.outlineStyle };
      });
      assert.ok(info.shadow !== 'none' || info.outline !== 'none', `focus visible on ${info.text}`);
      seen.add(info.text);
      if (info.text === '申请') break;
    }
    assert.ok(seen.has('备案服务号管理'), 'nav link reached');
    assert.ok(seen.has('申请'), 'an Apply button reached');
    await shot('focus');
    await page.keyboard.press('Enter');
    await page.getByRole('dialog').waitFor();
    await page.keyboard.press('Escape');
    await page.getByRole('dialog').waitFor({ state: 'detached' });
  });

scenario('help answers each FAQ question and links to the page where the user acts', {},
  async ({ demo, page, shot }) => {
    await signIn(page, demo, demo.tokens.alice);
    await page.getByRole('link', { name: '帮助' }).click();
    const items = page.locator('details.faq-item');
    assert.equal(await items.count(), 9);
    await items.nth(6).locator('summary').click();
    await shot('help');
    await items.nth(6).getByRole('link').click();
    await page.getByRole('heading', { name: '申请备案服务号' }).waitFor();
    await productCard(page, 'ecs-payg').waitFor();
  });

scenario('operator: products by id and by account, and the audit trail', { allowHttp: ['404 /v1/products/'] },
  async ({ demo, page, shot }) => {
    await signIn(page, demo, demo.tokens.operator);
    assert.equal(await page.locator('main h1').textContent(), '产品查询');
    await page.getByLabel('产品 ID', { exact: true }).fill('no-such-product');
    await page.getByLabel('产品 ID', { exact: true }).press('Enter');
    await page.locator('.empty').getByText('没有 ID 为「no-such-product」的产品。').waitFor();
    // The search field keeps the focus, so the query can be refined at once.
    assert.equal(await page.evaluate(() => document.activeElement.id), 'ops-id');
    await page.getByLabel('产品 ID', { exact: true }).fill('ecs-short');
    await page.getByLabel('产品 ID', { exact: true }).press('Enter');
    await productCard(page, 'ecs-short').waitFor();
    assert.equal(await page.locator('article.product').count(), 1);
    await page.getByLabel('账号 ID', { exact: true }).fill('bob');
    await page.getByLabel('账号 ID', { exact: true }).press('Enter');
    await productCard(page, 'bob-hk').waitFor();
    assert.deepEqual((await page.locator('article.product').evaluateAll((els) => els.map((e) => e.dataset.id))).sort(),
      ['bob-hk', 'bob-shop']);
    await shot('products');
    await page.getByRole('link', { name: '审计日志' }).click();
    await page.locator('tr[data-seq]').first().waitFor();
    assert.ok(await page.locator('tr[data-seq]').count() > 5);
    await shot('events');
  });
