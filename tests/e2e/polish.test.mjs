// Polish: figures current after an action, focus after actions and dialogs, confirmations and
// busy states, messages in the console's words, the expired-session path, the phone header.
import assert from 'node:assert/strict';
import { apiCall, productCard, scenario, signIn } from './helpers.mjs';

const active = (page) => page.evaluate(() => {
  const el = document.activeElement;
  return el ? (el.getAttribute('aria-label') || el.id || el.textContent || el.tagName).trim() : '';
});
const tile = (page, label) => page.locator('.stat', { hasText: label }).locator('.stat-value');

scenario('apply: the count tiles follow at once and the focus returns to Apply; sign-in focuses the heading', {},
  async ({ demo, page, shot }) => {
    await signIn(page, demo, demo.tokens.alice);
    assert.equal(await page.evaluate(() => document.activeElement.tagName), 'H1');
    await tile(page, '未使用').waitFor();
    const before = Number(await tile(page, '未使用').textContent());
    const apply = productCard(page, 'ecs-web-1').getByRole('button', { name: /申请/ });
    await apply.focus();
    await page.keyboard.press('Enter');
    await page.getByRole('dialog').getByRole('button', { name: '确认申请' }).click();
    const done = page.getByRole('dialog', { name: '申请成功' });
    await done.waitFor();
    await done.getByRole('button', { name: '关闭' }).click();
    await page.waitForFunction((n) => Number(document.querySelector('.stat:nth-child(2) .stat-value')?.textContent) === n,
      before + 1);
    assert.equal(await active(page), '申请: ecs-web-1');
    await shot('tiles');
  });

scenario('submit from "file with this number": domain focused; afterwards the number is neither kept nor suggested', {},
  async ({ demo, page, shot }) => {
    const avail = await apiCall(demo, demo.tokens.alice, 'GET', '/v1/service-numbers?state=available&product_id=ecs-quota-4');
    const code = avail.body.items[0].code;
    await signIn(page, demo, demo.tokens.alice);
    await page.goto(`${demo.url}/#/filings?sn=${code}`);
    await page.locator(`#filing-sn[value="${code}"]`).waitFor();
    await page.waitForFunction(() => document.activeElement?.id === 'filing-domain');
    await page.locator(`#sn-options option[value="${code}"]`).waitFor({ state: 'attached' });
    await page.keyboard.type('first-site.cn');
    await page.getByRole('button', { name: '提交备案' }).click();
    const submitted = page.locator('.form-status [role=status]');
    await submitted.getByText(/已提交/).waitFor();
    assert.match(await active(page), /已提交/, 'the focus is on the result');
    assert.equal(await page.locator('#filing-sn').inputValue(), '');
    assert.equal(await page.locator(`#sn-options option[value="${code}"]`).count(), 0, 'the used number is not suggested');
    assert.doesNotMatch(await page.evaluate(() => location.hash), /sn=/);
    await shot('after-submit');

    // Withdraw asks first; the "submitted" line goes, the result is said and focused.
    const row = page.locator('tr[data-domain="first-site.cn"]');
    await row.getByRole('button', { name: '撤回: first-site.cn' }).click();
    const dlg = page.getByRole('dialog', { name: '撤回备案' });
    assert.match(await dlg.textContent(), new RegExp(code));
    await dlg.getByRole('button', { name: '取消' }).click();
    assert.equal(await active(page), '撤回: first-site.cn', 'focus back on the opener');
    assert.equal(await row.getAttribute('data-state'), 'in_review');
    await row.getByRole('button', { name: '撤回: first-site.cn' }).click();
    await dlg.getByRole('button', { name: '撤回' }).click();
    await page.getByRole('status').getByText('已撤回备案 first-site.cn。').waitFor();
    assert.equal(await submitted.count(), 0, 'the stale "submitted" message is gone');
    assert.match(await active(page), /已撤回备案/);
    await row.and(page.locator('[data-state=withdrawn]')).waitFor();
  });

scenario('a virtual-host filing: the withdraw and cancel dialogs do not talk about a number', {},
  async ({ demo, page, shot }) => {
    await signIn(page, demo, demo.tokens.alice);
    const f = await apiCall(demo, demo.tokens.alice, 'POST', '/v1/filings',
      { domain: 'vhost-site.cn', vhost: { product_id: 'vhost-1', username: 'h-demo', password: 'demo-pass-1' } });
    assert.equal(f.status, 201, JSON.stringify(f.body));
    await page.getByRole('link', { name: '备案', exact: true }).click();
    const row = page.locator('tr[data-domain="vhost-site.cn"]');
    await row.getByRole('button', { name: /撤回/ }).click();
    const dlg = page.getByRole('dialog');
    assert.doesNotMatch(await dlg.textContent(), /服务号/);
    await shot('vhost-withdraw');
    await dlg.getByRole('button', { name: '取消' }).click();
    assert.equal((await apiCall(demo, demo.tokens.operator, 'POST', `/v1/filings/${f.body.id}/approve`)).status, 200);
    await page.getByRole('button', { name: '刷新' }).click();
    await row.and(page.locator('[data-state=approved]')).waitFor();
    await row.getByRole('button', { name: /注销备案/ }).click();
    assert.doesNotMatch(await dlg.textContent(), /服务号/);
    await dlg.getByRole('button', { name: '不注销' }).click();

    // English: the cancel dialog's two buttons cannot be confused.
    await page.getByRole('button', { name: /English/ }).click();
    await row.getByRole('button', { name: /Cancel filing/ }).click();
    const names = await page.getByRole('dialog').getByRole('button').allTextContents();
    assert.deepEqual(names, ['Keep the filing', 'Yes, cancel the filing']);
    await shot('cancel-en');
    await page.getByRole('dialog').getByRole('button', { name: 'Keep the filing' }).click();
  });

scenario('approve asks first and a double click sends one request; a blank reject reason is refused', {},
  async ({ demo, page, shot }) => {
    const avail = await apiCall(demo, demo.tokens.alice, 'GET', '/v1/service-numbers?state=available&product_id=ecs-quota-4');
    for (const [i, domain] of ['approve-me.cn', 'reject-me.cn'].entries()) {
      const r = await apiCall(demo, demo.tokens.alice, 'POST', '/v1/filings', { domain, service_number: avail.body.items[i].code });
      assert.equal(r.status, 201);
    }
    await signIn(page, demo, demo.tokens.operator);
    await page.getByRole('link', { name: '备案审核' }).click();
    const posts = [];
    page.on('request', (r) => { if (r.method() === 'POST') posts.push(new URL(r.url()).pathname); });
    let release;
    const held = new Promise((r) => { release = r; });
    await page.route((u) => u.pathname.endsWith('/approve'), async (route) => { await held; await route.continue(); });
    await page.locator('tr[data-domain="approve-me.cn"]').getByRole('button', { name: '通过: approve-me.cn' }).click();
    const dlg = page.getByRole('dialog', { name: '通过备案' });
    assert.match(await dlg.textContent(), /approve-me\.cn/);
    assert.equal(posts.length, 0, 'nothing is sent before the confirmation');
    const ok = dlg.getByRole('button', { name: '通过' });
    await ok.click();
    await page.waitForFunction(() => document.querySelector('dialog button[type=submit]')?.disabled === true);
    assert.equal(await ok.getAttribute('aria-busy'), 'true');
    await ok.click({ force: true }).catch(() => {});
    await ok.dispatchEvent('click').catch(() => {});
    await shot('approve-busy');
    release();
    await page.getByRole('status').getByText('已通过备案 approve-me.cn。').waitFor();
    assert.equal(posts.filter((p) => p.endsWith('/approve')).length, 1, 'one approve request');
    assert.match(await active(page), /已通过备案/);

    await page.locator('tr[data-domain="reject-me.cn"]').getByRole('button', { name: '驳回: reject-me.cn' }).click();
    const rej = page.getByRole('dialog', { name: '驳回备案' });
    await rej.getByLabel('驳回原因').fill('   ');
    await rej.getByRole('button', { name: '驳回' }).click();
    await rej.getByText('请填写驳回原因（不能只有空格）。').waitFor();
    assert.equal(posts.filter((p) => p.endsWith('/reject')).length, 0, 'no reject request for a blank reason');
    await shot('reject-blank');
    await rej.getByLabel('驳回原因').fill('  内容不符  ');
    await rej.getByRole('button', { name: '驳回' }).click();
    await page.getByRole('status').getByText('已驳回备案 reject-me.cn。').waitFor();
    const filings = await apiCall(demo, demo.tokens.operator, 'GET', '/v1/filings?state=rejected');
    assert.equal(filings.body.items.find((f) => f.domain === 'reject-me.cn').reason, '内容不符', 'sent trimmed');
  });

scenario('grant: the dialog says what it allows; refusals are in the console language', { allowHttp: ['400 /v1/service-numbers/'] },
  async ({ demo, page, shot }) => {
    await signIn(page, demo, demo.tokens.alice);
    await page.getByRole('link', { name: '备案服务号管理' }).click();
    const grant = page.locator('tr[data-state=available]').getByRole('button', { name: /^授权 / }).first();
    await grant.click();
    const dlg = page.getByRole('dialog', { name: '授权服务号' });
    assert.match(await dlg.textContent(), /被授权账号可以使用服务号/);
    await dlg.getByLabel('对方账号 ID').fill('nobody-here');
    await dlg.getByRole('button', { name: '授权' }).click();
    await dlg.getByText('账号 nobody-here 不存在或不是客户账号。').waitFor();
    assert.doesNotMatch(await dlg.locator('.dialog-error').textContent(), /[A-Za-z]{4,} [a-z]{3,}/, 'no English sentence');
    await dlg.getByLabel('对方账号 ID').fill('alice');
    await dlg.getByRole('button', { name: '授权' }).click();
    await dlg.getByText('不能授权给自己的账号。').waitFor();
    await shot('grant-errors');
    await dlg.getByRole('button', { name: '取消' }).click();
    assert.match(await active(page), /^授权 /);
  });

scenario('a token that stops working: dialogs close, one message, and signing in returns to the page', { allowHttp: ['401 /v1/'] },
  async ({ demo, page, shot }) => {
    await signIn(page, demo, demo.tokens.alice);
    await page.getByRole('link', { name: '备案服务号管理' }).click();
    await page.locator('tr[data-state=available]').getByRole('button', { name: /^授权 / }).first().click();
    const dlg = page.getByRole('dialog', { name: '授权服务号' });
    await dlg.getByLabel('对方账号 ID').fill('carol');
    await page.evaluate(() => sessionStorage.setItem('beian.token', 'revoked-token'));
    await dlg.getByRole('button', { name: '授权' }).click();
    await page.getByRole('heading', { name: '登录' }).waitFor();
    assert.equal(await page.locator('dialog[open]').count(), 0, 'no dialog stays open');
    assert.equal(await page.locator('main .alert').count(), 1, 'one message');
    await page.getByText('登录已失效，请重新粘贴令牌。').waitFor();
    await shot('ended');
    await page.getByLabel('API 令牌').fill(demo.tokens.alice);
    await page.getByRole('button', { name: '登录' }).click();
    await page.getByRole('heading', { name: '备案服务号管理' }).waitFor();
    assert.match(await page.evaluate(() => location.hash), /^#\/numbers/);
  });

scenario('sign-in: a wrong token in English says so; the demo hint shows only when the server is the demo',
  { allowHttp: ['401 /v1/'] },
  async ({ demo, page }) => {
    await page.goto(`${demo.url}/`);
    await page.locator('.demo-hint').waitFor();
    await page.getByRole('button', { name: /English/ }).click();
    await page.getByLabel('API token').fill('not-a-token');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').getByText(/This token is not valid/).waitFor();
    assert.doesNotMatch(await page.locator('.demo-hint').textContent(), /`/);

    // The same console against a server that is not the demo (as /auth/session says under serve).
    await page.route((u) => u.pathname === '/auth/session', (route) => route.fulfill({
      status: 200, contentType: 'application/json', body: JSON.stringify({ sso: false, signed_in: false, demo: false }),
    }));
    await page.reload();
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    assert.equal(await page.locator('.demo-hint').count(), 0);
  });

for (const [lang, who] of [['zh-CN', 'alice'], ['en', 'alice'], ['zh-CN', 'operator'], ['en', 'operator']]) {
  scenario(`phone header (${lang}, ${who}): one tool row and one navigation row, at most 110 px`, { width: 390, height: 844 },
    async ({ demo, page, shot }) => {
      await page.goto(`${demo.url}/`);
      await page.evaluate((l) => localStorage.setItem('beian.lang', l), lang);
      await signIn(page, demo, demo.tokens[who]);
      const hdr = await page.locator('header.topbar').boundingBox();
      assert.ok(hdr.height <= 110, `header is ${hdr.height} px`);
      const [sw, iw] = await page.evaluate(() => [document.scrollingElement.scrollWidth, window.innerWidth]);
      assert.ok(sw <= iw, `no sideways scroll (${sw} > ${iw})`);
      const labels = await page.locator('.stat-label').evaluateAll((els) => els.map((e) => parseFloat(getComputedStyle(e).fontSize)));
      for (const px of labels) assert.ok(px >= 12, `stat label ${px}px`);
      await shot('header');
    });
}
