// 备案: submit a filing with a number or a virtual host's credentials; list, withdraw, cancel (注销).
import { api, listAll, newIdempotencyKey } from '../api.js';
import { t } from '../i18n.js';
import { csvButton } from '../csv.js';
import { pagedList, tokenPages } from '../list.js';
import { actionsCell, announce, badge, cell, dialog, errorBox, field, h, mount, notice, time } from '../ui.js';

const TONE = { in_review: 'info', approved: 'ok', rejected: 'error', withdrawn: 'muted', cancelled: 'muted' };

export function filingState(s) {
  return badge(t(`fstate.${s}`), TONE[s] || 'muted');
}

/** Confirms and runs withdraw or cancel on a filing; resolves true when done. */
export async function filingAction(f, action) {
  const key = action === 'cancel' ? 'cancel' : 'withdraw';
  // A virtual host's filing has no number: its dialog does not talk about one.
  const body = f.service_number ? `${key}.body` : `${key}.bodyVhost`;
  const done = await dialog({
    title: t(`${key}.title`),
    body: t(body, { domain: f.domain, code: f.service_number || '' }),
    confirmText: action === 'cancel' ? t('cancel.confirm') : t('filings.withdraw'),
    cancelText: action === 'cancel' ? t('cancel.keep') : undefined,
    danger: action === 'cancel',
    onConfirm: () => api('POST', `/v1/filings/${encodeURIComponent(f.id)}/${action}`),
  });
  return Boolean(done);
}

/** The filings table. `actionsFor(f)` returns the buttons of a row. */
export function filingsTable(items, { actionsFor, showAccount = false, caption }) {
  const cols = ['filings.domain', 'filings.sn', 'filings.state', 'filings.created', 'filings.updated',
    'common.actions'];
  if (showAccount) cols.splice(1, 0, 'filings.account');
  return h('table', { class: 'table stack' },
    h('caption', { class: 'sr-only' }, caption),
    h('thead', {}, h('tr', {}, cols.map((c) => h('th', { scope: 'col' }, t(c))))),
    h('tbody', {}, items.map((f) => {
      const actions = actionsFor(f);
      return h('tr', { dataset: { id: f.id, state: f.state, domain: f.domain } },
        cell(t('filings.domain'), h('strong', {}, f.domain),
          h('code', { class: 'block muted nowrap-id' }, f.id),
          f.access === 'number_owner' ? h('small', { class: 'block used-by' }, t('filings.usedBy', { account: f.account_id })) : null),
        showAccount ? cell(t('filings.account'), f.account_id) : null,
        cell(t('filings.sn'), f.service_number ? h('span', { class: 'sn' }, f.service_number) : '—',
          f.product_id ? h('code', { class: 'block muted' }, f.product_id) : null),
        cell(t('filings.state'), filingState(f.state),
          f.reason ? h('p', { class: 'filing-reason' }, h('strong', {}, t('filings.reason')), f.reason) : null),
        cell(t('filings.created'), time(f.created_at, true)),
        cell(t('filings.updated'), time(f.updated_at, true)),
        actionsCell(actions));
    })));
}

/**
 * The submit form. `opts.vhosts` and `opts.numbers` fill the choices once they arrive (the form is
 * drawn at once, so it does not pop in above the list). After a submit the number field is emptied
 * and the number just used leaves the suggestions.
 */
function submitForm(params, onDone) {
  const status = h('div', { class: 'form-status' });
  const domain = h('input', { id: 'filing-domain', name: 'domain', required: true, autocomplete: 'off', spellcheck: 'false', placeholder: 'example.cn' });
  const sn = h('input', {
    id: 'filing-sn', name: 'service_number', autocomplete: 'off', spellcheck: 'false', class: 'input-mono', list: 'sn-options',
    value: params.get('sn') || undefined,
  });
  const snList = h('datalist', { id: 'sn-options' });
  const product = h('select', { name: 'product_id' });
  const user = h('input', { name: 'username', autocomplete: 'off', spellcheck: 'false' });
  const pass = h('input', { name: 'password', type: 'password', autocomplete: 'off' });
  const bySn = h('input', { type: 'radio', name: 'method', value: 'sn', id: 'm-sn', checked: params.get('method') !== 'vhost' });
  const byVhost = h('input', { type: 'radio', name: 'method', value: 'vhost', id: 'm-vhost', checked: params.get('method') === 'vhost' });
  const snPart = h('div', { class: 'method-part' }, field(t('filings.sn'), sn, t('filings.snHint')), snList);
  const vhPart = h('div', { class: 'method-part' }, h('p', { class: 'muted' }, t('common.loading')));
  const sync = () => {
    snPart.hidden = !bySn.checked;
    vhPart.hidden = bySn.checked;
    sn.required = bySn.checked;
    user.required = pass.required = !bySn.checked;
  };
  bySn.addEventListener('change', sync);
  byVhost.addEventListener('change', sync);
  sync();
  const loadChoices = async () => {
    const [vhosts, numbers] = await Promise.all([
      listAll('/v1/products', { kind: 'vhost' }),
      listAll('/v1/service-numbers', { state: 'available' }),
    ]);
    mount(snList, numbers.filter((n) => n.usable !== false).map((n) => h('option', { value: n.code })));
    mount(product, vhosts.map((p) => h('option', { value: p.id }, p.name && p.name !== p.id ? `${p.name} (${p.id})` : p.id)));
    mount(vhPart, vhosts.length
      ? [field(t('filings.vhostProduct'), product), h('div', { class: 'field-row' },
        field(t('filings.username'), user), field(t('filings.password'), pass))]
      : h('p', { class: 'muted' }, t('filings.noVhost')));
  };
  const submit = h('button', { type: 'submit', class: 'btn btn-primary' }, t('filings.submit'));
  const form = h('form', { class: 'card form', 'aria-labelledby': 'new-filing' },
    h('h2', { id: 'new-filing' }, t('filings.new')),
    field(t('filings.domain'), domain, t('filings.domainHint')),
    h('fieldset', { class: 'method' }, h('legend', {}, t('filings.method')),
      h('div', { class: 'check' }, bySn, h('label', { for: 'm-sn' }, t('filings.bySn'))),
      h('div', { class: 'check' }, byVhost, h('label', { for: 'm-vhost' }, t('filings.byVhost')))),
    snPart, vhPart, status, h('div', { class: 'form-actions' }, submit));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    if (submit.disabled) return;
    const body = { domain: domain.value.trim() };
    if (bySn.checked) body.service_number = sn.value.trim();
    else body.vhost = { product_id: product.value, username: user.value, password: pass.value };
    submit.disabled = true;
    mount(status);
    try {
      const f = await api('POST', '/v1/filings', { body, idempotencyKey: newIdempotencyKey() });
      // The number is now in review: neither the field nor the suggestions offer it again, and a
      // reload does not fill it in from the address either.
      sn.defaultValue = '';
      form.reset();
      sync();
      if (params.get('sn')) history.replaceState(null, '', '#/filings');
      await Promise.all([onDone(), loadChoices().catch(() => {})]);
      announce(status, notice(t('filings.submitted', { id: f.id })));
    } catch (err) {
      if (err.status !== 401) announce(status, errorBox(err));
    } finally {
      submit.disabled = false;
    }
  });
  return { form, status, domain, loadChoices };
}

export async function render(main, { params }) {
  const listStatus = h('div');
  const formSlot = h('div');
  let submitted = null;
  const act = (f, action, label, cls) => h('button', {
    type: 'button', class: `btn btn-small ${cls}`, 'aria-label': `${label}: ${f.domain}`,
    onclick: async () => {
      if (!(await filingAction(f, action))) return;
      if (submitted) mount(submitted.status); // an earlier "submitted" line is stale now
      await list.refresh();
      announce(listStatus, notice(action === 'cancel' ? t('cancel.done') : t('filings.withdrawn', { domain: f.domain })));
    },
  }, label);
  const resubmit = (f) => h('button', {
    type: 'button', class: 'btn btn-small', 'aria-label': `${t('filings.resubmit')}: ${f.domain}`,
    onclick: () => {
      if (!submitted) return;
      submitted.domain.value = f.domain;
      submitted.domain.focus();
    },
  }, t('filings.resubmit'));
  const actionsFor = (f) => {
    if (f.access === 'number_owner') return []; // another account's filing: view only
    if (f.state === 'in_review') return [act(f, 'withdraw', t('filings.withdraw'), '')];
    if (f.state === 'approved') return [act(f, 'cancel', t('filings.cancel'), 'btn-danger-outline')];
    if (f.state === 'rejected' || f.state === 'withdrawn') return [resubmit(f)];
    return [];
  };
  const list = pagedList({
    fetchPage: tokenPages('/v1/filings', {}, 500),
    all: true,
    sort: (a, b) => String(b.created_at).localeCompare(String(a.created_at)),
    view: (items) => filingsTable(items, { actionsFor, caption: t('filings.list') }),
    empty: t('filings.none'),
    count: (n) => t('filings.count', { n }),
  });
  submitted = submitForm(params, () => list.refresh());
  mount(formSlot, h('div', { class: 'split' }, submitted.form,
    h('aside', { class: 'card how', 'aria-labelledby': 'how-title' },
      h('h2', { id: 'how-title' }, t('filings.howTitle')),
      h('ol', {}, t('filings.how').split('\n').map((x) => h('li', {}, x))))));
  mount(main,
    h('h1', { tabindex: '-1' }, t('filings.title')),
    h('p', { class: 'lead' }, t('filings.intro')),
    formSlot,
    h('section', { 'aria-labelledby': 'filings-list' }, h('h2', { id: 'filings-list' }, t('filings.list')),
      h('div', { class: 'toolbar' }, csvButton('/v1/filings', {}, 'filings')), listStatus, list.el));
  const choices = submitted.loadChoices().catch((err) => {
    if (err.status !== 401) mount(submitted.status, errorBox(err));
  });
  await Promise.all([choices, list.refresh()]);
  // Arriving with a number (from "file with this number"), the domain is what is left to fill in.
  return params.get('sn') ? submitted.domain : null;
}
