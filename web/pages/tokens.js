// API 令牌 / API tokens: create (scopes, expiry), shown once with copy, revoke, rotate.
import { api } from '../api.js';
import { t } from '../i18n.js';
import { pagedList } from '../list.js';
import { actionsCell, announce, badge, cell, copyButton, dialog, errorBox, field, h, mount, notice, tightCell, time } from '../ui.js';

const CUSTOMER_SCOPES = ['products:read', 'numbers:read', 'numbers:apply', 'numbers:grant',
  'filings:read', 'filings:write', 'events:read'];
const READ_SCOPES = ['products:read', 'numbers:read', 'filings:read', 'events:read'];
const ROLE_SCOPES = { admin: 'accounts:admin', reviewer: 'filings:review', inventory: 'inventory:write' };
const DAY = 86400;
const EXPIRY = [['30', 30 * DAY], ['90', 90 * DAY], ['365', 365 * DAY], ['never', 0]];

/** The scopes an account may give its tokens (as the server's AllowedScopes). */
export function scopesFor(me) {
  if (me.role !== 'operator') return CUSTOMER_SCOPES;
  return READ_SCOPES.concat((me.roles || []).map((r) => ROLE_SCOPES[r]).filter(Boolean));
}

/**
 * A token's scopes; those its account may no longer use (the server's effective_scopes leaves them
 * out, e.g. after a demotion) are struck through.
 */
function scopesOf(tok) {
  const effective = tok.effective_scopes || tok.scopes || [];
  return h('span', { class: 'scopes' }, (tok.scopes || []).map((s) => (effective.includes(s)
    ? h('code', {}, s)
    : h('code', { class: 'scope-lost', title: t('tokens.scopeLost'), 'aria-label': `${s}: ${t('tokens.scopeLost')}` }, h('s', {}, s)))));
}

function stateOf(tok) {
  const now = Date.now();
  if (tok.revoked_at && Date.parse(tok.revoked_at) <= now) return ['revoked', 'muted'];
  if (tok.expires_at && Date.parse(tok.expires_at) <= now) return ['expired', 'muted'];
  if (tok.revoked_at) return ['grace', 'info'];
  return ['active', 'ok'];
}

/** The dialog that shows a new token's secret once. */
async function showSecret(created) {
  const secret = h('code', { class: 'secret', 'data-testid': 'new-token' }, created.token);
  await dialog({
    title: t('tokens.createdTitle'),
    body: h('div', {},
      h('p', {}, t('tokens.showOnce')),
      h('div', { class: 'secret-row' }, secret, copyButton(created.token, t('tokens.copySecret')))),
    cancelText: t('common.close'),
    onConfirm: null,
  });
}

export async function render(main, { me }) {
  const status = h('div');
  // GET /v1/tokens answers in one page (an account has few tokens).
  const list = pagedList({
    fetchPage: async () => ({ items: (await api('GET', '/v1/tokens')).items || [], next: '' }),
    view: (items) => table(items),
    count: (n) => t('tokens.count', { n }),
  });
  const allowed = scopesFor(me);
  const name = h('input', { name: 'name', maxlength: 100, autocomplete: 'off', required: true });
  const checks = allowed.map((s) => {
    const id = `scope-${s.replace(':', '-')}`;
    return h('div', { class: 'check' },
      h('input', { type: 'checkbox', id, name: 'scope', value: s, checked: true }),
      h('label', { for: id }, h('code', {}, s), ' ', t(`scope.${s}`)));
  });
  const expiry = h('select', { name: 'expiry' }, EXPIRY.map(([k, secs]) =>
    h('option', { value: String(secs), selected: k === '90' }, t(`tokens.expiry.${k}`))));
  const formError = h('div');
  const form = h('form', { class: 'card token-form', 'aria-labelledby': 'token-new' },
    h('h2', { id: 'token-new' }, t('tokens.new')),
    field(t('tokens.name'), name, t('tokens.nameHint')),
    h('fieldset', {}, h('legend', {}, t('tokens.scopes')), checks),
    field(t('tokens.expiry'), expiry),
    formError,
    h('div', { class: 'form-actions' }, h('button', { type: 'submit', class: 'btn btn-primary' }, t('tokens.create'))));
  mount(main,
    h('h1', { tabindex: '-1' }, t('tokens.title')),
    h('p', { class: 'lead' }, t('tokens.intro')),
    form, status, h('h2', {}, t('tokens.listTitle')), list.el);

  const refresh = () => list.refresh();

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    mount(formError);
    mount(status);
    const scopes = checks.map((c) => c.querySelector('input')).filter((i) => i.checked).map((i) => i.value);
    if (!scopes.length) { mount(formError, notice(t('tokens.noScope'), 'error')); return; }
    const body = { name: name.value.trim(), scopes };
    if (Number(expiry.value) > 0) body.expires_in = Number(expiry.value);
    const btn = form.querySelector('button[type=submit]');
    btn.disabled = true;
    try {
      const created = await api('POST', '/v1/tokens', { body });
      name.value = '';
      await refresh();
      await showSecret(created);
    } catch (err) {
      if (err.status !== 401) mount(formError, errorBox(err));
    } finally {
      btn.disabled = false;
    }
  });

  const revoke = async (tok) => {
    const done = await dialog({
      title: t('tokens.revokeTitle'),
      body: t('tokens.revokeBody', { name: tok.name || tok.id }),
      confirmText: t('tokens.revoke'),
      danger: true,
      onConfirm: () => api('DELETE', `/v1/tokens/${encodeURIComponent(tok.id)}`).then(() => true),
    });
    if (!done) return;
    await refresh();
    announce(status, notice(t('tokens.revoked', { name: tok.name || tok.id })));
  };
  const rotate = async (tok) => {
    const grace = h('select', { name: 'grace' },
      [['0', 0], ['3600', 3600], ['86400', 86400]].map(([k, v]) =>
        h('option', { value: String(v) }, t(`tokens.grace.${k}`))));
    const created = await dialog({
      title: t('tokens.rotateTitle'),
      body: t('tokens.rotateBody', { name: tok.name || tok.id }),
      fields: [field(t('tokens.grace'), grace)],
      confirmText: t('tokens.rotate'),
      onConfirm: (v) => api('POST', `/v1/tokens/${encodeURIComponent(tok.id)}/rotate`,
        { body: { grace_seconds: Number(v.grace) } }),
    });
    if (!created || !created.token) return;
    await refresh();
    await showSecret(created);
  };

  function table(items) {
    const showAccount = items.some((x) => x.account_id !== (me.id || me.account_id));
    const cols = ['tokens.colName', ...(showAccount ? ['tokens.colAccount'] : []), 'tokens.colScopes',
      'tokens.colCreated', 'tokens.colExpires', 'tokens.colLastUsed', 'tokens.colState', 'common.actions'];
    return h('table', { class: 'table stack tokens' },
      h('caption', { class: 'sr-only' }, t('tokens.listTitle')),
      h('thead', {}, h('tr', {}, cols.map((c) => h('th', { scope: 'col' }, t(c))))),
      h('tbody', {}, items.map((tok) => {
        const [state, tone] = stateOf(tok);
        const live = state === 'active';
        const b = (label, cls, fn) => h('button', {
          type: 'button', class: `btn btn-small ${cls}`, 'aria-label': `${label}: ${tok.name || tok.id}`, onclick: () => fn(tok),
        }, label);
        return h('tr', { dataset: { id: tok.id } },
          cell(t('tokens.colName'), h('span', {}, tok.name || '—'), h('br'), h('code', { class: 'small' }, tok.id)),
          showAccount ? tightCell(t('tokens.colAccount'), tok.account_id) : null,
          cell(t('tokens.colScopes'), scopesOf(tok)),
          cell(t('tokens.colCreated'), time(tok.created_at, true)),
          cell(t('tokens.colExpires'), tok.expires_at ? time(tok.expires_at, true) : t('tokens.never')),
          cell(t('tokens.colLastUsed'), tok.last_used_at ? time(tok.last_used_at, true) : '—'),
          cell(t('tokens.colState'), badge(t(`tokens.state.${state}`), tone)),
          actionsCell(live ? [b(t('tokens.rotate'), '', rotate), b(t('tokens.revoke'), 'btn-danger-outline', revoke)] : []));
      })));
  }

  await refresh();
}

