// Sign-in, sign-out, an ended session, and the language switch.
import assert from 'node:assert/strict';
import { productCard, scenario, signIn } from './helpers.mjs';

scenario('a wrong token is refused with the server message; alice signs in and out', { allowHttp: ['401 /v1/'] },
  async ({ demo, page, shot }) => {
    await page.goto(`${demo.url}/`);
    await page.getByRole('heading', { name: '登录' }).waitFor();
    await page.getByLabel('API 令牌').fill('not-a-token');
    await page.getByRole('button', { name: '登录' }).click();
    const alert = page.getByRole('alert');
    await alert.waitFor();
    assert.equal(await alert.getAttribute('data-code'), 'UNAUTHENTICATED');
    assert.ok((await alert.textContent()).trim().length > 0);
    assert.doesNotMatch(await alert.textContent(), /^\s*401\s*$/);
    await shot('wrong-token');

    await signIn(page, demo, demo.tokens.alice);
    assert.equal(await page.locator('main h1').textContent(), '申请备案服务号');
    assert.equal(await page.evaluate(() => sessionStorage.getItem('beian.token')), demo.tokens.alice);
    await productCard(page, 'ecs-web-1').waitFor();
    await shot('signed-in');

    await page.getByRole('button', { name: '退出' }).click();
    await page.getByRole('heading', { name: '登录' }).waitFor();
    assert.equal(await page.evaluate(() => sessionStorage.getItem('beian.token')), null);
  });

scenario('a 401 during a session returns to sign-in with a message', { allowHttp: ['401 /v1/'] },
  async ({ demo, page, shot }) => {
    await signIn(page, demo, demo.tokens.alice);
    await page.evaluate(() => sessionStorage.setItem('beian.token', 'revoked-token'));
    await page.getByRole('link', { name: '备案服务号管理' }).click();
    await page.getByRole('heading', { name: '登录' }).waitFor();
    await page.getByText('登录已失效，请重新粘贴令牌。').waitFor();
    assert.equal(await page.locator('[role=alert][data-code=UNAUTHENTICATED]').count(), 1);
    await shot('session-ended');
  });

scenario('the language switches to English, is remembered, and server messages follow', {},
  async ({ demo, page, shot }) => {
    await signIn(page, demo, demo.tokens.alice);
    const zhReason = await productCard(page, 'ecs-payg').locator('.reason-msg').first().textContent();
    assert.deepEqual(await page.evaluate(async () => (await import('/i18n.js')).missingKeys()), [],
      'every string exists in both languages');
    await page.getByRole('button', { name: /English/ }).click();
    await page.getByRole('heading', { name: 'Apply for service numbers' }).waitFor();
    assert.equal(await page.evaluate(() => document.documentElement.lang), 'en');
    const enReason = await productCard(page, 'ecs-payg').locator('.reason-msg').first().textContent();
    assert.notEqual(enReason, zhReason);
    assert.match(enReason, /[A-Za-z]/);
    assert.doesNotMatch(enReason, /[\u4e00-\u9fff]{2}/, 'the English reason has no Chinese words');
    await shot('english');

    await page.reload();
    await page.getByRole('heading', { name: 'Apply for service numbers' }).waitFor();
    assert.equal(await page.evaluate(() => localStorage.getItem('beian.lang')), 'en');
    await page.getByRole('button', { name: /中文/ }).click();
    await page.getByRole('heading', { name: '申请备案服务号' }).waitFor();
  });
