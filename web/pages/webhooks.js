// Webhooks: signed event messages (Standard Webhooks v1) sent to the customer's HTTPS endpoint.
// The list (create with an event-type filter, secret shown once, rotate, disable/enable, delete)
// and one webhook's page (#/webhooks?id=…): its settings, its deliveries with outcome and HTTP
// status, replay of chosen events or of a time range. Operators with the admin role manage the
// operator subscriptions (all accounts' events) on #/ops/webhooks.
import { api } from '../api.js';
import { has, t } from '../i18n.js';
import { pagedList, tokenPages } from '../list.js';
import {
  actionsCell, announce, badge, cell, copyButton, dialog, errorBox, field, h, mount, notice, tightCell, time,
} from '../ui.js';

const path = (id, rest = '') => `/v1/webhooks/${encodeURIComponent(id)}${rest}`;

/** The event types a webhook may subscribe to (GET /v1/webhook-event-types). */
async function eventTypes() {
  try {
    return (await api('GET', '/v1/webhook-event-types')).items || [];
  } catch (err) {
    if (err.status === 401) throw err;
    return [];
  }
}

/** An event type in the console's words, with the code. */
function typeLabel(type) {
  return has(`whtype.${type}`) ? `${t(`whtype.${type}`)} (${type})` : type;
}

/** Checkboxes for the event-type filter; none checked means every type. */
function typeChecks(types, chosen = []) {
  const boxes = types.map((type) => {
    const id = `wh-type-${type.replace(/[^\w-]/g, '-')}`;
    return h('div', { class: 'check' },
      h('input', { type: 'checkbox', id, name: 'event_type', value: type, checked: chosen.includes(type) }),
      h('label', { for: id }, typeLabel(type)));
  });
  const el = h('fieldset', { class: 'wh-types' },
    h('legend', {}, t('webhooks.types')),
    h('small', { class: 'hint block' }, t('webhooks.typesHint')),
    h('div', { class: 'wh-type-grid' }, boxes));
  const value = () => boxes.map((b) => b.querySelector('input')).filter((i) => i.checked).map((i) => i.value);
  return { el, value };
}

/** The dialog that shows a secret once. */
async function showSecret(secret, titleKey, extra) {
  await dialog({
    title: t(titleKey),
    body: h('div', {},
      h('p', {}, t('webhooks.showOnce')),
      h('div', { class: 'secret-row' },
        h('code', { class: 'secret', 'data-testid': 'new-secret' }, secret),
        copyButton(secret, t('webhooks.copySecret'))),
      h('p', { class: 'muted small' }, t('webhooks.verifyHint')),
      extra || null),
    cancelText: t('common.close'),
    onConfirm: null,
  });
}

function stateBadge(w) {
  if (w.state === 'active') return badge(t('webhooks.state.active'), 'ok');
  const reason = w.disabled_reason && has(`webhooks.reason.${w.disabled_reason}`)
    ? t(`webhooks.reason.${w.disabled_reason}`) : '';
  return badge(reason ? t('webhooks.state.disabledBecause', { reason }) : t('webhooks.state.disabled'),
    w.disabled_reason === 'manual' ? 'muted' : 'warn');
}

function outcomeBadge(outcome) {
  if (!outcome) return '—';
  const tone = outcome === 'delivered' ? 'ok' : 'error';
  return badge(has(`webhooks.outcome.${outcome}`) ? t(`webhooks.outcome.${outcome}`) : outcome, tone);
}

function typesText(w) {
  return w.event_types && w.event_types.length
    ? h('span', { class: 'scopes' }, w.event_types.map((x) => h('code', { title: typeLabel(x) }, x)))
    : t('webhooks.allTypes');
}

/** The actions shared by the list and a webhook's page. Each calls `done(message)` after. */
function actions(w, done) {
  const name = w.description || w.url;
  const b = (label, cls, fn) => h('button', {
    type: 'button', class: `btn btn-small ${cls}`, 'aria-label': `${label}: ${name}`, onclick: fn,
  }, label);
  const rotate = async () => {
    const r = await dialog({
      title: t('webhooks.rotateTitle'),
      body: t('webhooks.rotateBody', { name }),
      confirmText: t('webhooks.rotate'),
      onConfirm: () => api('POST', path(w.id, '/rotate-secret')),
    });
    if (!r || !r.secret) return;
    await done(null);
    await showSecret(r.secret, 'webhooks.rotatedTitle', r.previous_secret_expires_at
      ? h('p', {}, t('webhooks.previousUntil'), ' ', time(r.previous_secret_expires_at, true)) : null);
  };
  const setState = async (state) => {
    const ok = await dialog({
      title: t(state === 'disabled' ? 'webhooks.disableTitle' : 'webhooks.enableTitle'),
      body: t(state === 'disabled' ? 'webhooks.disableBody' : 'webhooks.enableBody', { name }),
      confirmText: t(state === 'disabled' ? 'webhooks.disable' : 'webhooks.enable'),
      danger: state === 'disabled',
      onConfirm: () => api('PATCH', path(w.id), { body: { state } }),
    });
    if (ok) await done(t(state === 'disabled' ? 'webhooks.disabled' : 'webhooks.enabled', { name }));
  };
  const remove = async () => {
    const ok = await dialog({
      title: t('webhooks.deleteTitle'),
      body: t('webhooks.deleteBody', { name }),
      confirmText: t('webhooks.delete'),
      danger: true,
      onConfirm: () => api('DELETE', path(w.id)).then(() => true),
    });
    if (ok) await done(t('webhooks.deleted', { name }), true);
  };
  return [
    b(t('webhooks.rotate'), '', rotate),
    w.state === 'active'
      ? b(t('webhooks.disable'), 'btn-danger-outline', () => setState('disabled'))
      : b(t('webhooks.enable'), '', () => setState('active')),
    b(t('webhooks.delete'), 'btn-danger-outline', remove),
  ];
}

function listTable(items, base, showAccount) {
  const cols = ['webhooks.colUrl', ...(showAccount ? ['webhooks.colAccount'] : []), 'webhooks.colTypes',
    'webhooks.colState', 'webhooks.colLast', 'webhooks.colPending', 'common.actions'];
  return (act) => h('table', { class: 'table stack webhooks' },
    h('caption', { class: 'sr-only' }, t('webhooks.listTitle')),
    h('thead', {}, h('tr', {}, cols.map((c) => h('th', { scope: 'col' }, t(c))))),
    h('tbody', {}, items.map((w) => h('tr', { dataset: { id: w.id, state: w.state } },
      cell(t('webhooks.colUrl'),
        h('a', { href: `#/${base}?id=${encodeURIComponent(w.id)}`, class: 'wh-url' }, w.url),
        w.description ? h('span', { class: 'block' }, w.description) : null,
        h('code', { class: 'small block muted' }, w.id)),
      showAccount ? tightCell(t('webhooks.colAccount'), w.account_id || t('webhooks.operatorSub')) : null,
      cell(t('webhooks.colTypes'), typesText(w)),
      cell(t('webhooks.colState'), stateBadge(w)),
      cell(t('webhooks.colLast'), w.last_delivery_at ? time(w.last_delivery_at, true) : '—', ' ',
        outcomeBadge(w.last_outcome)),
      tightCell(t('webhooks.colPending'), String(w.pending ?? 0)),
      actionsCell(act(w))))));
}

async function listPage(main, { me, route }) {
  const operator = me.role === 'operator';
  const status = h('div');
  const types = await eventTypes();
  const list = pagedList({
    fetchPage: tokenPages('/v1/webhooks'),
    view: (items) => listTable(items, route, operator && items.some((w) => w.account_id))(
      (w) => actions(w, async (msg) => { await list.refresh(); if (msg) announce(status, notice(msg)); })),
    empty: t('webhooks.none'),
    count: (n, done) => t(done ? 'webhooks.count' : 'list.loadedMore', { n }),
  });
  const url = h('input', {
    type: 'url', name: 'url', required: true, autocomplete: 'off', spellcheck: 'false', class: 'input-mono',
    placeholder: 'https://example.com/hooks/beian', maxlength: 2000,
  });
  const description = h('input', { name: 'description', maxlength: 200, autocomplete: 'off' });
  const checks = typeChecks(types);
  const formError = h('div');
  const form = h('form', { class: 'card token-form', 'aria-labelledby': 'wh-new' },
    h('h2', { id: 'wh-new' }, t('webhooks.new')),
    field(t('webhooks.url'), url, t('webhooks.urlHint')),
    field(t('webhooks.description'), description, t('webhooks.descriptionHint')),
    checks.el,
    formError,
    h('div', { class: 'form-actions' }, h('button', { type: 'submit', class: 'btn btn-primary' }, t('webhooks.create'))));
  mount(main,
    h('h1', { tabindex: '-1' }, t(operator ? 'webhooks.opsTitle' : 'webhooks.title')),
    h('p', { class: 'lead' }, t(operator ? 'webhooks.opsIntro' : 'webhooks.intro')),
    form, status, h('h2', {}, t('webhooks.listTitle')), list.el);

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    mount(formError);
    mount(status);
    const body = { url: url.value.trim(), event_types: checks.value() };
    if (description.value.trim()) body.description = description.value.trim();
    const btn = form.querySelector('button[type=submit]');
    btn.disabled = true;
    try {
      const created = await api('POST', '/v1/webhooks', { body });
      form.reset();
      await list.refresh();
      await showSecret(created.secret, 'webhooks.createdTitle');
    } catch (err) {
      if (err.status !== 401) mount(formError, errorBox(err));
    } finally {
      btn.disabled = false;
    }
  });
  await list.refresh();
}

/** One delivery attempt's row. */
function deliveryRow(d, pick) {
  return h('tr', { dataset: { id: d.id, seq: d.event_seq, outcome: d.outcome } },
    h('td', { 'data-label': t('webhooks.pick'), class: 'pick' }, h('div', { class: 'cell' }, pick)),
    cell(t('webhooks.dAt'), time(d.at, true)),
    cell(t('webhooks.dEvent'), h('code', { title: typeLabel(d.event_type) }, d.event_type),
      h('small', { class: 'block muted' }, `#${d.event_seq} · ${d.message_id}`)),
    tightCell(t('webhooks.dAttempt'), String(d.attempt)),
    cell(t('webhooks.dOutcome'), outcomeBadge(d.outcome)),
    tightCell(t('webhooks.dStatus'), d.status ? String(d.status) : '—'),
    tightCell(t('webhooks.dLatency'), d.latency_ms === null || d.latency_ms === undefined ? '—' : `${d.latency_ms} ms`),
    cell(t('webhooks.dResponse'), d.response
      ? h('details', {}, h('summary', {}, t('webhooks.dShow')), h('pre', { class: 'wh-response' }, d.response))
      : '—'),
    cell(t('webhooks.dNext'), d.next_attempt_at ? time(d.next_attempt_at, true) : '—'));
}

/** "2026-12-02T10:00" (datetime-local, China Standard Time) as RFC 3339. */
function cstIso(local) {
  return local ? `${local.length === 16 ? `${local}:00` : local}+08:00` : '';
}

async function detailPage(main, { me, route, params }) {
  const id = params.get('id');
  const back = h('a', { href: `#/${route}` }, t('webhooks.back'));
  const status = h('div');
  const head = h('div');
  const types = await eventTypes();
  let hook = null;
  const picked = new Set();
  const replayBtn = h('button', { type: 'button', class: 'btn', disabled: true }, t('webhooks.replayPicked'));
  const pickCount = h('span', { class: 'muted sel-count', role: 'status' });
  const syncPicks = () => {
    replayBtn.disabled = picked.size === 0;
    pickCount.textContent = picked.size ? t('webhooks.picked', { n: picked.size }) : '';
  };
  const deliveries = pagedList({
    fetchPage: tokenPages(path(id, '/deliveries')),
    view: (items) => h('table', { class: 'table stack deliveries' },
      h('caption', { class: 'sr-only' }, t('webhooks.deliveries')),
      h('thead', {}, h('tr', {}, ['webhooks.pick', 'webhooks.dAt', 'webhooks.dEvent', 'webhooks.dAttempt',
        'webhooks.dOutcome', 'webhooks.dStatus', 'webhooks.dLatency', 'webhooks.dResponse', 'webhooks.dNext']
        .map((c) => h('th', { scope: 'col' }, t(c))))),
      h('tbody', {}, items.map((d) => {
        const box = h('input', {
          type: 'checkbox', class: 'wh-pick', checked: picked.has(d.event_seq),
          'aria-label': t('webhooks.pickEvent', { seq: d.event_seq, type: d.event_type }),
          onchange: (e) => {
            if (e.target.checked) picked.add(d.event_seq); else picked.delete(d.event_seq);
            for (const other of main.querySelectorAll(`tr[data-seq="${d.event_seq}"] input.wh-pick`)) other.checked = e.target.checked;
            syncPicks();
          },
        });
        return deliveryRow(d, box);
      }))),
    empty: t('webhooks.noDeliveries'),
    count: (n, done) => t(done ? 'webhooks.dCount' : 'list.loadedMore', { n }),
  });

  const refresh = async (msg, gone) => {
    if (gone) { location.hash = `#/${route}`; return; }
    hook = await api('GET', path(id));
    drawHead();
    await deliveries.refresh();
    if (msg) announce(status, notice(msg));
  };

  const edit = async () => {
    const url = h('input', { type: 'url', name: 'url', required: true, value: hook.url, class: 'input-mono', maxlength: 2000 });
    const description = h('input', { name: 'description', value: hook.description || '', maxlength: 200 });
    const checks = typeChecks(types, hook.event_types || []);
    const ok = await dialog({
      title: t('webhooks.editTitle'),
      body: '',
      fields: [field(t('webhooks.url'), url), field(t('webhooks.description'), description), checks.el],
      confirmText: t('webhooks.save'),
      onConfirm: () => api('PATCH', path(id), {
        body: { url: url.value.trim(), description: description.value.trim(), event_types: checks.value() },
      }),
    });
    if (ok) await refresh(t('webhooks.saved'));
  };

  const replay = async (body, n) => {
    const r = await api('POST', path(id, '/replay'), { body });
    picked.clear();
    syncPicks();
    await refresh(t('webhooks.replayed', { n: r && r.queued !== undefined ? r.queued : n }));
  };
  replayBtn.addEventListener('click', async () => {
    const seqs = [...picked];
    const ok = await dialog({
      title: t('webhooks.replayTitle'),
      body: t('webhooks.replayBody', { n: seqs.length }),
      confirmText: t('webhooks.replay'),
      onConfirm: async () => { await replay({ event_ids: seqs }, seqs.length); return true; },
    });
    if (!ok) replayBtn.focus();
  });
  const rangeBtn = h('button', {
    type: 'button', class: 'btn',
    onclick: async () => {
      const since = h('input', { type: 'datetime-local', name: 'since', required: true });
      const until = h('input', { type: 'datetime-local', name: 'until', required: true });
      await dialog({
        title: t('webhooks.replayRangeTitle'),
        body: t('webhooks.replayRangeBody'),
        fields: [field(t('webhooks.since'), since), field(t('webhooks.until'), until)],
        confirmText: t('webhooks.replay'),
        onConfirm: async (v) => { await replay({ since: cstIso(v.since), until: cstIso(v.until) }); return true; },
      });
    },
  }, t('webhooks.replayRange'));

  function drawHead() {
    const facts = [
      ['webhooks.url', h('code', { class: 'wh-url' }, hook.url)],
      ['webhooks.description', hook.description || '—'],
      ...(me.role === 'operator' ? [['webhooks.colAccount', hook.account_id || t('webhooks.operatorSub')]] : []),
      ['webhooks.colTypes', typesText(hook)],
      ['webhooks.colState', stateBadge(hook)],
      ['webhooks.colPending', String(hook.pending ?? 0)],
      ['webhooks.colLast', hook.last_delivery_at ? [time(hook.last_delivery_at, true), ' ', outcomeBadge(hook.last_outcome)] : '—'],
      ['webhooks.created', time(hook.created_at, true)],
      ...(hook.previous_secret_expires_at
        ? [['webhooks.previousUntil', time(hook.previous_secret_expires_at, true)]] : []),
    ];
    mount(head,
      h('dl', { class: 'card facts wh-facts' }, facts.map(([k, v]) => h('div', { class: 'fact' },
        h('dt', {}, t(k)), h('dd', {}, v)))),
      h('div', { class: 'toolbar wh-actions' },
        h('button', { type: 'button', class: 'btn btn-small', onclick: edit }, t('webhooks.edit')),
        actions(hook, refresh)));
  }

  try {
    hook = await api('GET', path(id));
  } catch (err) {
    if (err.status === 401) throw err;
    mount(main, h('p', {}, back), h('h1', { tabindex: '-1' }, t('webhooks.title')), errorBox(err));
    return;
  }
  drawHead();
  mount(main,
    h('p', {}, back),
    h('h1', { tabindex: '-1', class: 'wh-title' }, hook.description || t('webhooks.one')),
    status, head,
    h('h2', {}, t('webhooks.deliveries')),
    h('p', { class: 'muted' }, t('webhooks.deliveriesIntro')),
    h('div', { class: 'toolbar' }, replayBtn, pickCount, rangeBtn),
    deliveries.el);
  await deliveries.refresh();
}

export async function render(main, ctx) {
  if (ctx.params.get('id')) return detailPage(main, ctx);
  return listPage(main, ctx);
}
