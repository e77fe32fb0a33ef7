// 备案: file with a number, approve as operator, cancel (注销) and see the number voided; vhost filing;
// refusals shown with their messages; withdraw and grant.
import assert from 'node:assert/strict';
import { apiCall, openBrowser, productCard, scenario, signIn } from './helpers.mjs';

function row(page, domain) {
  return page.locator(`tr[data-domain="${domain}"]`);
}

scenario('file with a new number, operator approves, alice cancels: the number is voided', {},
  async (ctx) => {
    const { demo, page, shot } = ctx;
    await signIn(page, demo, demo.tokens.alice);
    await productCard(page, 'swas-1').getByRole('button', { name: /申请/ }).click();
    await page.getByRole('dialog').getByRole('button', { name: '确认申请' }).click();
    const done = page.getByRole('dialog', { name: '申请成功' });
    const code = (await done.locator('output.sn').textContent()).trim();
    await done.getByRole('button', { name: '去提交备案' }).click();
    await page.getByRole('heading', { name: '备案', exact: true }).waitFor();
    assert.equal(await page.getByLabel('备案服务号', { exact: true }).inputValue(), code);
    await page.getByLabel('网站域名').fill('new-site.cn');
    await page.getByRole('button', { name: '提交备案' }).click();
    await row(page, 'new-site.cn').waitFor();
    await page.getByRole('status').getByText('进入审核').waitFor();
    assert.equal(await row(page, 'new-site.cn').getAttribute('data-state'), 'in_review');
    await shot('submitted');

    const op = await openBrowser({ name: 'filings-operator' }, demo);
    try {
      await signIn(op.page, demo, demo.tokens.operator);
      await op.page.getByRole('link', { name: '备案审核' }).click();
      await row(op.page, 'new-site.cn').waitFor();
      await op.shot('review');
      await row(op.page, 'new-site.cn').getByRole('button', { name: '通过: new-site.cn' }).click();
      await op.page.getByRole('dialog', { name: '通过备案' }).getByRole('button', { name: '通过' }).click();
      await op.page.getByRole('status').getByText('已通过备案 new-site.cn').waitFor();
      await op.shot('approved');
      assert.deepEqual(op.errors, []);
    } finally {
      await op.close();
    }

    await page.reload();
    await row(page, 'new-site.cn').and(page.locator('[data-state=approved]')).waitFor();
    await row(page, 'new-site.cn').getByRole('button', { name: /注销备案/ }).click();
    const dlg = page.getByRole('dialog', { name: /注销备案/ });
    assert.match(await dlg.textContent(), /永久失效/);
    assert.match(await dlg.textContent(), new RegExp(code));
    await shot('cancel-confirm');
    await dlg.getByRole('button', { name: '确认注销' }).click();
    await row(page, 'new-site.cn').and(page.locator('[data-state=cancelled]')).waitFor();

    await page.getByRole('link', { name: '备案服务号管理' }).click();
    const numberRow = page.locator(`tr[data-code="${code}"]`);
    await numberRow.waitFor();
    assert.equal(await numberRow.getAttribute('data-state'), 'voided');
    assert.match(await numberRow.textContent(), /已失效/);
    assert.match(await numberRow.textContent(), /new-site\.cn/);
    await shot('voided');
  });

scenario('a virtual host files with its username and password; a wrong password is refused',
  { allowHttp: ['403 /v1/filings'] }, async ({ demo, page, shot }) => {
    await signIn(page, demo, demo.tokens.alice);
    await page.getByRole('link', { name: '备案', exact: true }).click();
    await page.getByLabel('网站域名').fill('vhost-site.cn');
    await page.getByLabel('使用云虚拟主机的用户名和密码').check();
    await page.getByLabel('云虚拟主机', { exact: true }).selectOption('vhost-1');
    await page.getByLabel('主机用户名', { exact: true }).fill('h-demo');
    await page.getByLabel('主机密码', { exact: true }).fill('wrong-pass');
    await page.getByRole('button', { name: '提交备案' }).click();
    const alert = page.locator('[role=alert][data-code=VHOST_CREDENTIALS_INVALID]');
    await alert.waitFor();
    assert.ok((await alert.textContent()).trim().length > 2);
    await shot('wrong-password');
    await page.getByLabel('主机密码', { exact: true }).fill('demo-pass-1');
    await page.getByRole('button', { name: '提交备案' }).click();
    await row(page, 'vhost-site.cn').waitFor();
    assert.equal(await row(page, 'vhost-site.cn').getAttribute('data-state'), 'in_review');
    await shot('vhost-filed');
  });

scenario('refusals show their message: invalid domain, voided number', {
  allowHttp: ['400 /v1/filings', '409 /v1/filings'],
}, async ({ demo, page, shot }) => {
  await signIn(page, demo, demo.tokens.alice);
  const numbers = await apiCall(demo, demo.tokens.alice, 'GET', '/v1/service-numbers?state=voided');
  const voided = numbers.body.items[0].code;
  await page.getByRole('link', { name: '备案', exact: true }).click();
  await page.getByLabel('网站域名').fill('-bad-.cn');
  await page.getByLabel('备案服务号', { exact: true }).fill(voided);
  await page.getByRole('button', { name: '提交备案' }).click();
  await page.locator('[role=alert][data-code=INVALID_DOMAIN]').waitFor();
  await page.getByLabel('网站域名').fill('another-site.cn');
  await page.getByRole('button', { name: '提交备案' }).click();
  const alert = page.locator('[role=alert][data-code=SN_VOIDED]');
  await alert.waitFor();
  assert.doesNotMatch(await alert.textContent(), /^\s*409\s*$/);
  await shot('voided-refused');
});

scenario('withdraw a filing gives the number back; an available number is granted to carol', {},
  async ({ demo, page, shot }) => {
    await signIn(page, demo, demo.tokens.alice);
    const avail = await apiCall(demo, demo.tokens.alice, 'GET', '/v1/service-numbers?product_id=ecs-quota-4');
    const [first, second] = avail.body.items.map((n) => n.code);
    await page.goto(`${demo.url}/#/filings?sn=${first}`);
    await page.getByLabel('网站域名').fill('withdraw-me.cn');
    await page.getByRole('button', { name: '提交备案' }).click();
    await row(page, 'withdraw-me.cn').getByRole('button', { name: /撤回/ }).click();
    await page.getByRole('dialog').getByRole('button', { name: '撤回' }).click();
    await row(page, 'withdraw-me.cn').and(page.locator('[data-state=withdrawn]')).waitFor();
    const n = await apiCall(demo, demo.tokens.alice, 'GET', `/v1/service-numbers/${first}`);
    assert.equal(n.body.state, 'available');

    await page.getByRole('link', { name: '备案服务号管理' }).click();
    await page.locator(`tr[data-code="${second}"]`).getByRole('button', { name: `授权 ${second}` }).click();
    const dlg = page.getByRole('dialog', { name: '授权服务号' });
    await dlg.getByLabel('对方账号 ID').fill('carol');
    await dlg.getByRole('button', { name: '授权' }).click();
    await page.getByRole('status').getByText('已授权给 carol').waitFor();
    assert.match(await page.locator(`tr[data-code="${second}"]`).textContent(), /carol/);
    await shot('granted');

    const carol = await openBrowser({ name: 'filings-grantee' }, demo);
    try {
      await signIn(carol.page, demo, demo.tokens.carol);
      await carol.page.getByRole('link', { name: '备案服务号管理' }).click();
      const granted = carol.page.locator(`tr[data-code="${second}"]`);
      await granted.getByText('由 alice 授权给我').waitFor(); // who granted it (review finding 34)
      assert.equal(await granted.getByRole('button', { name: /授权/ }).count(), 0, 'a grantee cannot grant');
      await carol.shot('granted-to-me');
      await granted.getByRole('link', { name: '备案' }).click();
      await carol.page.getByLabel('网站域名').fill('carol-site.cn');
      await carol.page.getByRole('button', { name: '提交备案' }).click();
      await row(carol.page, 'carol-site.cn').waitFor();
      assert.equal(await row(carol.page, 'carol-site.cn').getAttribute('data-state'), 'in_review');
      await carol.shot('grantee-filed');
      assert.deepEqual(carol.errors, []);
    } finally {
      await carol.close();
    }
  });

scenario('the operator rejects with a reason; alice sees it and the number is available again', {},
  async ({ demo, page, shot }) => {
    const avail = await apiCall(demo, demo.tokens.alice, 'GET', '/v1/service-numbers?product_id=ecs-quota-4');
    const code = avail.body.items[0].code;
    const filed = await apiCall(demo, demo.tokens.alice, 'POST', '/v1/filings',
      { domain: 'reject-me.cn', service_number: code });
    assert.equal(filed.status, 201);
    await signIn(page, demo, demo.tokens.operator);
    await page.getByRole('link', { name: '备案审核' }).click();
    await row(page, 'reject-me.cn').getByRole('button', { name: '驳回: reject-me.cn' }).click();
    const dlg = page.getByRole('dialog', { name: '驳回备案' });
    await dlg.getByLabel('驳回原因').fill('网站内容与备案信息不符');
    await shot('reject-dialog');
    await dlg.getByRole('button', { name: '驳回' }).click();
    await page.getByRole('status').getByText('已驳回备案 reject-me.cn').waitFor();
    await page.getByRole('button', { name: '退出' }).click();

    await signIn(page, demo, demo.tokens.alice);
    await page.getByRole('link', { name: '备案', exact: true }).click();
    const r = row(page, 'reject-me.cn');
    await r.waitFor();
    assert.equal(await r.getAttribute('data-state'), 'rejected');
    assert.match(await r.textContent(), /网站内容与备案信息不符/);
    await shot('rejected');
    const n = await apiCall(demo, demo.tokens.alice, 'GET', `/v1/service-numbers/${code}`);
    assert.equal(n.body.state, 'available');
  });
