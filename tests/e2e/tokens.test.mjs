// The tokens page (create with scopes and expiry, shown once, rotate, revoke) and the admins'
// accounts page (roles, disable), in both languages and at phone width.
import assert from 'node:assert/strict';
import { apiCall, assertLabelled, assertNoSideScroll, scenario, signIn } from './helpers.mjs';

async function openTokens(page, demo) {
  await page.goto(`${demo.url}/#/tokens`);
  await page.locator('main h1').waitFor();
  await page.waitForLoadState('networkidle');
}

scenario('a customer creates a narrow token, sees it once, rotates and revokes it', { allowHttp: ['403 /v1/', '401 /v1/'] },
  async ({ demo, page, shot }) => {
    await signIn(page, demo, demo.tokens.alice);
    await page.getByRole('link', { name: 'API 令牌' }).click();
    await page.getByRole('heading', { name: 'API 令牌', level: 1 }).waitFor();
    await assertLabelled(page, 'tokens');
    await page.getByLabel('名称').fill('CI 只读');
    for (const s of ['products:read', 'numbers:apply', 'numbers:grant', 'filings:read', 'filings:write', 'events:read']) {
      await page.getByLabel(new RegExp(`^${s} `)).uncheck();
    }
    await page.getByLabel('有效期').selectOption({ label: '30 天' });
    await shot('form');
    await page.getByRole('button', { name: '创建令牌' }).click();
    const dlg = page.getByRole('dialog', { name: '令牌已创建' });
    await dlg.waitFor();
    await dlg.getByText('关闭此窗口后将无法再次查看').waitFor();
    const secret = (await dlg.locator('[data-testid=new-token]').textContent()).trim();
    assert.match(secret, /^beian_[0-9A-Za-z]{49}$/);
    await dlg.getByRole('button', { name: '复制令牌' }).click();
    await shot('shown-once');
    await dlg.getByRole('button', { name: '关闭' }).click();
    await dlg.waitFor({ state: 'detached' });
    assert.equal(await page.getByText(secret).count(), 0, 'the secret is not shown again');

    // The token works for its scope only.
    assert.equal((await apiCall(demo, secret, 'GET', '/v1/service-numbers')).status, 200);
    assert.equal((await apiCall(demo, secret, 'GET', '/v1/filings')).status, 403);
    const row = page.locator('table.tokens tr').filter({ hasText: 'CI 只读' });
    await row.getByText('有效').waitFor();
    await row.getByText('numbers:read').waitFor();

    // Rotate with no grace: a new secret, the old one dead.
    await row.getByRole('button', { name: /^轮换/ }).click();
    const rot = page.getByRole('dialog', { name: '轮换令牌' });
    await rot.getByLabel('旧令牌宽限期').selectOption({ label: '立即失效' });
    await rot.getByRole('button', { name: '轮换' }).click();
    const shown = page.getByRole('dialog', { name: '令牌已创建' });
    await shown.waitFor();
    const rotated = (await shown.locator('[data-testid=new-token]').textContent()).trim();
    assert.notEqual(rotated, secret);
    await shown.getByRole('button', { name: '关闭' }).click();
    assert.equal((await apiCall(demo, secret, 'GET', '/v1/service-numbers')).status, 401);
    assert.equal((await apiCall(demo, rotated, 'GET', '/v1/service-numbers')).status, 200);

    // Revoke the new one.
    const live = page.locator('table.tokens tr').filter({ hasText: 'CI 只读' }).filter({ hasText: '有效' });
    await live.getByRole('button', { name: /^吊销/ }).click();
    const rev = page.getByRole('dialog', { name: '吊销令牌' });
    await rev.getByText('立即失效').waitFor();
    await rev.getByRole('button', { name: '吊销' }).click();
    await page.getByText('令牌“CI 只读”已吊销。').waitFor();
    assert.equal((await apiCall(demo, rotated, 'GET', '/v1/service-numbers')).status, 401);
    assert.equal(await page.locator('table.tokens tr').filter({ hasText: 'CI 只读' }).filter({ hasText: '已吊销' }).count(), 2);
    await shot('revoked');

    await page.getByRole('button', { name: /English/ }).click();
    await page.getByRole('heading', { name: 'API tokens', level: 1 }).waitFor();
    await page.getByText('Copy it now', { exact: false }).count();
    await page.getByRole('columnheader', { name: 'Last used' }).waitFor();
    await shot('english');
  });

scenario('the tokens page at 390 px (zh and en)', { width: 390, height: 844 }, async ({ demo, page, shot }) => {
  await signIn(page, demo, demo.tokens.alice);
  await apiCall(demo, demo.tokens.alice, 'POST', '/v1/tokens', { name: 'deploy', scopes: ['numbers:read'], expires_in: 86400 });
  await openTokens(page, demo);
  await page.locator('table.tokens').waitFor();
  await assertNoSideScroll(page, 'tokens');
  await shot('phone-zh');
  await page.getByRole('button', { name: /English/ }).click();
  await page.getByRole('heading', { name: 'API tokens', level: 1 }).waitFor();
  await assertNoSideScroll(page, 'tokens (English)');
  await shot('phone-en');
});

scenario('an admin gives roles and disables an account; the last admin is kept', { allowHttp: ['409 /v1/', '401 /v1/'] },
  async ({ demo, page, shot }) => {
    const ops = demo.tokens.operator;
    assert.equal((await apiCall(demo, ops, 'PUT', '/v1/accounts/rev1', { role: 'operator', roles: ['reviewer'] })).status, 201);
    await signIn(page, demo, ops);
    await page.getByRole('link', { name: '账号管理' }).click();
    await page.getByRole('heading', { name: '账号管理', level: 1 }).waitFor();
    await assertLabelled(page, 'accounts');
    const revRow = page.locator('table.accounts tr[data-id=rev1]');
    await revRow.getByText('审核员').waitFor();
    await shot('accounts');

    await revRow.getByRole('button', { name: /^修改角色/ }).click();
    let dlg = page.getByRole('dialog', { name: '修改 rev1 的角色' });
    await dlg.getByLabel('库存维护').check();
    await dlg.getByRole('button', { name: '确认' }).click();
    await page.getByText('已保存 rev1 的角色。').waitFor();
    const rev1 = await apiCall(demo, ops, 'GET', '/v1/accounts?limit=500');
    assert.deepEqual(rev1.body.items.find((a) => a.id === 'rev1').roles, ['reviewer', 'inventory']);

    // The only admin cannot drop its own admin role: the dialog says why and stays open.
    await page.locator('table.accounts tr[data-id=operator]').getByRole('button', { name: /^修改角色/ }).click();
    dlg = page.getByRole('dialog', { name: '修改 operator 的角色' });
    await dlg.getByLabel('管理员').uncheck();
    await dlg.getByRole('button', { name: '确认' }).click();
    await dlg.locator('[role=alert][data-code=LAST_ADMIN]').waitFor();
    await shot('last-admin');
    await dlg.getByRole('button', { name: '取消' }).click();

    // Disabling bob stops his token at once.
    assert.equal((await apiCall(demo, demo.tokens.bob, 'GET', '/v1/me')).status, 200);
    await page.locator('table.accounts tr[data-id=bob]').getByRole('button', { name: /^停用/ }).click();
    dlg = page.getByRole('dialog', { name: '停用账号 bob' });
    await dlg.getByRole('button', { name: '停用' }).click();
    await page.getByText('账号 bob 已停用。').waitFor();
    assert.equal((await apiCall(demo, demo.tokens.bob, 'GET', '/v1/me')).status, 401);
    await page.locator('table.accounts tr[data-id=bob]').getByText('已停用').waitFor();
    assert.equal(await page.locator('table.accounts tr[data-id=operator]').getByRole('button', { name: /^停用/ }).count(), 0);

    await page.getByRole('button', { name: /English/ }).click();
    await page.getByRole('heading', { name: 'Accounts', level: 1 }).waitFor();
    await page.locator('table.accounts tr[data-id=bob]').getByText('disabled').waitFor();
    await shot('english');

    // The tokens page shows which stored scopes a token may still use: rev1 (reviewer, inventory)
    // holds a token issued with every scope; accounts:admin is struck through.
    assert.equal((await apiCall(demo, ops, 'POST', '/v1/accounts/rev1/tokens')).status, 201);
    const listed = await apiCall(demo, ops, 'GET', '/v1/tokens?account_id=rev1');
    assert.ok(listed.body.items[0].scopes.includes('accounts:admin'));
    assert.ok(!listed.body.items[0].effective_scopes.includes('accounts:admin'));
    await openTokens(page, demo);
    const row = page.locator(`table.tokens tr[data-id=${listed.body.items[0].id}]`);
    await row.locator('code.scope-lost', { hasText: 'accounts:admin' }).waitFor();
    assert.equal(await row.locator('code.scope-lost', { hasText: 'inventory:write' }).count(), 0);
    assert.equal(await row.locator('code:not(.scope-lost)', { hasText: 'filings:review' }).count(), 1);
    await shot('tokens-effective');
  });

scenario('the accounts page at 390 px; reviewers do not see it', { width: 390, height: 844 }, async ({ demo, page, shot }) => {
  await signIn(page, demo, demo.tokens.operator);
  await page.goto(`${demo.url}/#/ops/accounts`);
  await page.locator('table.accounts').waitFor();
  await assertNoSideScroll(page, 'accounts');
  await shot('phone-zh');
  await page.getByRole('button', { name: /English/ }).click();
  await page.getByRole('heading', { name: 'Accounts', level: 1 }).waitFor();
  await assertNoSideScroll(page, 'accounts (English)');
  await shot('phone-en');
  assert.equal((await apiCall(demo, demo.tokens.operator, 'PUT', '/v1/accounts/rev2', { role: 'operator', roles: ['reviewer'] })).status, 201);
  const rev = await fetch(`${demo.url}/v1/accounts/rev2/tokens`, { method: 'POST', headers: { Authorization: `Bearer ${demo.tokens.operator}` } });
  const revToken = (await rev.json()).token;
  await page.getByRole('button', { name: 'Sign out' }).click();
  await signIn(page, demo, revToken);
  assert.equal(await page.getByRole('link', { name: 'Accounts' }).count(), 0);
  await page.getByRole('link', { name: 'API tokens' }).waitFor();
});
