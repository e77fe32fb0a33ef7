// 申请备案服务号: every refusal reason in words, filters, and applying until the quota is used up.
import assert from 'node:assert/strict';
import { apiCall, productCard, reasonCodes, scenario, signIn } from './helpers.mjs';

scenario('every refusal reason is rendered with its remedy, instead of a missing button', {},
  async ({ demo, page, shot }) => {
    await signIn(page, demo, demo.tokens.alice);
    await productCard(page, 'shop-1').waitFor();
    const expected = {
      'ecs-payg': ['PAY_AS_YOU_GO'],
      'ecs-no-ip': ['NO_PUBLIC_IP'],
      'ecs-short': ['REMAINING_TERM_TOO_SHORT'],
      'ecs-expired': ['EXPIRED'],
      'ecs-hk': ['REGION_NOT_MAINLAND'],
      'shop-1': ['NO_SERVICE_NUMBER_NEEDED'],
      'mkt-1': ['QUOTA_EXHAUSTED'],
    };
    for (const [id, codes] of Object.entries(expected)) {
      assert.deepEqual(await reasonCodes(page, id), codes, id);
      const card = productCard(page, id);
      assert.equal(await card.getByRole('button', { name: /申请/ }).count(), 0, `${id} has no Apply button`);
      for (const r of await card.locator('.reason').all()) {
        assert.ok((await r.locator('.reason-msg').textContent()).trim(), `${id}: message`);
        assert.match(await r.locator('.reason-remedy').textContent(), /^处理建议：.+/, `${id}: remedy`);
      }
    }
    const renew = await productCard(page, 'ecs-short').locator('.reason-date').textContent();
    assert.match(renew, /请续费至 \d{4}-\d{2}-\d{2} 或更晚/);
    const hk = productCard(page, 'ecs-hk').locator('.hint-item[data-code=HONG_KONG_NO_FILING_NEEDED]');
    assert.ok((await hk.textContent()).trim());
    assert.match(await productCard(page, 'mkt-1').locator('.quota-text').textContent(), /1 \/ 1/);
    assert.equal(await productCard(page, 'vhost-1').locator('.hint-item[data-code=VHOST_CREDENTIALS_ACCEPTED]').count(), 1);
    for (const id of ['ecs-web-1', 'swas-1', 'vhost-1', 'shared-1', 'wh-1', 'nat-1', 'ens-1']) {
      assert.deepEqual(await reasonCodes(page, id), [], id);
      assert.equal(await productCard(page, id).getByRole('button', { name: /申请/ }).count(), 1, `${id} can apply`);
    }
    await shot('reasons');
  });

scenario('filters by kind and by "can apply"', {}, async ({ demo, page, shot }) => {
  await signIn(page, demo, demo.tokens.alice);
  await productCard(page, 'ecs-web-1').waitFor();
  await page.getByLabel('产品类型').selectOption('ecs');
  await page.waitForURL(/kind=ecs/);
  await productCard(page, 'ecs-hk').waitFor();
  const kinds = await page.locator('article.product').evaluateAll((els) => els.map((e) => e.dataset.kind));
  assert.ok(kinds.length >= 7 && kinds.every((k) => k === 'ecs'), kinds.join());
  await page.getByLabel('只看可申请的产品').check();
  await page.waitForURL(/can_apply=true/);
  await page.locator('article.product[data-id="ecs-payg"]').waitFor({ state: 'detached' });
  // The filtered list is drawn after the old one goes: wait for it, not only for the removal.
  await page.locator('main:not([aria-busy=true]) article.product').first().waitFor();
  await page.waitForFunction(() => !document.querySelector('[aria-busy=true]'));
  const ids = await page.locator('article.product').evaluateAll((els) => els.map((e) => e.dataset.id));
  assert.deepEqual(ids.sort(), ['ecs-quota-4', 'ecs-web-1']);
  await shot('filtered');
});

scenario('apply on ecs-quota-4 (double click) issues one number, then the quota refuses', {},
  async ({ demo, page, ctx, shot }) => {
    await signIn(page, demo, demo.tokens.alice);
    const card = productCard(page, 'ecs-quota-4');
    assert.match(await card.locator('.quota-text').textContent(), /4 \/ 5/);
    await card.getByRole('button', { name: /申请/ }).click();
    const dlg = page.getByRole('dialog');
    await dlg.getByText('额度不再退回', { exact: false }).waitFor();
    await shot('confirm');
    const posts = [];
    page.on('request', (r) => {
      if (r.method() === 'POST' && r.url().endsWith('/v1/products/ecs-quota-4/service-numbers')) {
        posts.push(r.headers()['idempotency-key']);
      }
    });
    await dlg.getByRole('button', { name: '确认申请' }).dblclick();
    const done = page.getByRole('dialog', { name: '申请成功' });
    await done.waitFor();
    const code = (await done.locator('output.sn').textContent()).trim();
    assert.match(code, /^[0-9A-HJKMNP-TV-Z]{5}(-[0-9A-HJKMNP-TV-Z]{5})+$/);
    await ctx.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: demo.url });
    const copy = done.getByRole('button', { name: `复制 ${code}` });
    await copy.click();
    await done.getByRole('button', { name: `已复制 ${code}` }).waitFor();
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), code);
    await shot('issued');
    await done.getByRole('button', { name: '关闭' }).click();
    await card.locator('.reason[data-code=QUOTA_EXHAUSTED]').waitFor();
    assert.match(await card.locator('.quota-text').textContent(), /5 \/ 5/);
    assert.equal(await card.getByRole('button', { name: /申请/ }).count(), 0);
    await shot('quota-used');
    assert.ok(posts.length >= 1 && posts.every((k) => /^[0-9a-f-]{36}$/.test(k) && k === posts[0]),
      `one Idempotency-Key (a UUID) for the apply: ${posts}`);
    const numbers = await apiCall(demo, demo.tokens.alice, 'GET', '/v1/service-numbers?product_id=ecs-quota-4');
    assert.equal(numbers.body.items.length, 5, 'a double click issued exactly one number');
    assert.ok(numbers.body.items.some((n) => n.code === code));
  });

scenario('bob, with nothing fileable, sees the NO_FILEABLE_PRODUCT advice first', {},
  async ({ demo, page, shot }) => {
    await signIn(page, demo, demo.tokens.bob);
    const advice = page.locator('.advice [data-code=NO_FILEABLE_PRODUCT]');
    await advice.waitFor();
    assert.ok((await advice.textContent()).trim().length > 4);
    await productCard(page, 'bob-hk').waitFor();
    const order = await page.evaluate(() => {
      const a = document.querySelector('.advice');
      const p = document.querySelector('article.product');
      return a.compareDocumentPosition(p) & Node.DOCUMENT_POSITION_FOLLOWING;
    });
    assert.ok(order, 'the advice comes before the products');
    assert.deepEqual(await reasonCodes(page, 'bob-shop'), ['NO_SERVICE_NUMBER_NEEDED']);
    assert.deepEqual(await reasonCodes(page, 'bob-hk'), ['REGION_NOT_MAINLAND', 'PAY_AS_YOU_GO']);
    await shot('bob');
  });

scenario('a refusal that happens after the page loaded is shown in the dialog with its reasons',
  { allowHttp: ['409 /v1/products/'] }, async ({ demo, page, shot }) => {
    await signIn(page, demo, demo.tokens.alice);
    const card = productCard(page, 'ecs-quota-4');
    await card.getByRole('button', { name: /申请/ }).click();
    const dlg = page.getByRole('dialog');
    await dlg.waitFor();
    const other = await apiCall(demo, demo.tokens.alice, 'POST', '/v1/products/ecs-quota-4/service-numbers');
    assert.equal(other.status, 201, 'the last number went elsewhere meanwhile');
    await dlg.getByRole('button', { name: '确认申请' }).click();
    const alert = dlg.locator('[role=alert][data-code=NOT_ELIGIBLE]');
    await alert.waitFor();
    assert.ok((await alert.locator('.alert-title').textContent()).trim().length > 1);
    assert.equal(await alert.locator('.reason[data-code=QUOTA_EXHAUSTED] .reason-remedy').count(), 1);
    await shot('refused-in-dialog');
    await dlg.getByRole('button', { name: '取消' }).click();
    await dlg.waitFor({ state: 'detached' });
    await card.locator('.reason[data-code=QUOTA_EXHAUSTED]').waitFor();
    assert.equal(await card.getByRole('button', { name: /申请/ }).count(), 0);
  });
