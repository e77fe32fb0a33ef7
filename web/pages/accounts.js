// 账号管理 / Accounts (admins): operator roles and disabling accounts.
import { api } from '../api.js';
import { t } from '../i18n.js';
import { csvButton } from '../csv.js';
import { pagedList, tokenPages } from '../list.js';
import { actionsCell, announce, badge, cell, dialog, h, mount, notice, tightCell } from '../ui.js';

const ROLES = ['admin', 'reviewer', 'inventory'];

export async function render(main, { me }) {
  const status = h('div');
  const list = pagedList({
    fetchPage: tokenPages('/v1/accounts'),
    view: (items) => table(items),
    count: (n, done) => (done ? t('accounts.count', { n }) : t('list.loadedMore', { n })),
  });
  const refresh = () => list.refresh();
  mount(main,
    h('h1', { tabindex: '-1' }, t('accounts.title')),
    h('p', { class: 'lead' }, t('accounts.intro')),
    h('div', { class: 'toolbar' }, csvButton('/v1/accounts', {}, 'accounts')),
    status, list.el);

  const editRoles = async (acc) => {
    const checks = ROLES.map((r) => {
      const id = `role-${r}`;
      return h('div', { class: 'check' },
        h('input', { type: 'checkbox', id, name: r, value: '1', checked: (acc.roles || []).includes(r) }),
        h('label', { for: id }, t(`accounts.role.${r}`)));
    });
    const done = await dialog({
      title: t('accounts.rolesTitle', { id: acc.id }),
      body: t('accounts.rolesBody'),
      fields: [h('fieldset', {}, h('legend', {}, t('accounts.roles')), checks)],
      confirmText: t('common.confirm'),
      onConfirm: (v) => api('PUT', `/v1/accounts/${encodeURIComponent(acc.id)}`,
        { body: { roles: ROLES.filter((r) => v[r]) } }),
    });
    if (!done) return;
    await refresh();
    announce(status, notice(t('accounts.saved', { id: acc.id })));
  };
  const setStatus = async (acc, disabled) => {
    const done = await dialog({
      title: t(disabled ? 'accounts.disableTitle' : 'accounts.enableTitle', { id: acc.id }),
      body: t(disabled ? 'accounts.disableBody' : 'accounts.enableBody', { id: acc.id }),
      confirmText: t(disabled ? 'accounts.disable' : 'accounts.enable'),
      danger: disabled,
      onConfirm: () => api('PUT', `/v1/accounts/${encodeURIComponent(acc.id)}`,
        { body: { status: disabled ? 'disabled' : 'active' } }),
    });
    if (!done) return;
    await refresh();
    announce(status, notice(t(disabled ? 'accounts.disabled' : 'accounts.enabled', { id: acc.id })));
  };

  function table(items) {
    const cols = ['accounts.colId', 'accounts.colName', 'accounts.colRole', 'accounts.roles',
      'accounts.colStatus', 'common.actions'];
    return h('table', { class: 'table stack accounts' },
      h('caption', { class: 'sr-only' }, t('accounts.title')),
      h('thead', {}, h('tr', {}, cols.map((c) => h('th', { scope: 'col' }, t(c))))),
      h('tbody', {}, items.map((acc) => {
        const disabled = acc.status === 'disabled';
        const b = (label, cls, fn) => h('button', {
          type: 'button', class: `btn btn-small ${cls}`, 'aria-label': `${label}: ${acc.id}`, onclick: () => fn(acc),
        }, label);
        const actions = [];
        if (acc.role === 'operator') actions.push(b(t('accounts.editRoles'), '', editRoles));
        if (acc.id !== (me.id || me.account_id) || disabled) {
          actions.push(disabled ? b(t('accounts.enable'), '', (a) => setStatus(a, false))
            : b(t('accounts.disable'), 'btn-danger-outline', (a) => setStatus(a, true)));
        }
        return h('tr', { dataset: { id: acc.id } },
          tightCell(t('accounts.colId'), h('code', {}, acc.id)),
          cell(t('accounts.colName'), acc.name || '—'),
          tightCell(t('accounts.colRole'), t(`role.${acc.role}`)),
          cell(t('accounts.roles'), acc.role === 'operator'
            ? (acc.roles.length ? acc.roles.map((r) => t(`accounts.role.${r}`)).join(' · ') : t('common.none')) : '—'),
          cell(t('accounts.colStatus'), badge(t(`accounts.status.${acc.status}`), disabled ? 'muted' : 'ok')),
          actionsCell(actions));
      })));
  }

  await refresh();
}
