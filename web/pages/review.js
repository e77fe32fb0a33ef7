// 备案审核 (operator): the review queue (oldest first, paged by the API) with filters by account,
// kind and age, each filing's age and its conflicts (the same domain in review from other
// accounts); single and bulk approve/reject, each confirmed in a dialog that is busy while the
// request runs. "All filings" lists every filing newest first (order=desc), with cancel.
import { api } from '../api.js';
import { t } from '../i18n.js';
import { pagedList, tokenPages } from '../list.js';
import { actionsCell, announce, badge, cell, dialog, field, h, mount, notice, time } from '../ui.js';
import { csvButton } from '../csv.js';
import { filingAction, filingsTable } from './filings.js';
import { KINDS } from './products.js';

/** Age filter choices: seconds a filing has waited at least. */
const AGES = [['', 'review.ageAny'], ['3600', 'review.age1h'], ['86400', 'review.age1d'],
  ['259200', 'review.age3d'], ['604800', 'review.age7d']];

/** "3 d 4 h", "2 h 5 min", "4 min" (the larger two units). */
export function fmtAge(seconds) {
  const s = Math.max(0, Math.floor(seconds));
  const d = Math.floor(s / 86400);
  const hr = Math.floor((s % 86400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  if (d) return t('age.dh', { d, h: hr });
  if (hr) return t('age.hm', { h: hr, m });
  return t('age.m', { m });
}

function ageOf(f, now) {
  const at = Date.parse(f.submitted_at || f.created_at);
  return Number.isNaN(at) ? 0 : (now - at) / 1000;
}

export async function render(main, { params, go }) {
  const all = params.get('all') === '1';
  const filters = {
    account_id: params.get('account_id') || '',
    kind: params.get('kind') || '',
    older_than: all ? '' : params.get('older_than') || '',
  };
  const status = h('div');
  const selected = new Set();
  const byId = new Map(); // every filing seen (for the names in results)
  let shownIds = new Set(); // the rows shown now

  const navigate = (over) => {
    const next = { ...(all ? { all: '1' } : {}), ...filters, ...over };
    for (const k of Object.keys(next)) if (!next[k]) delete next[k];
    go('ops/review', next);
  };
  const toggle = h('input', { type: 'checkbox', id: 'review-all', checked: all });
  toggle.addEventListener('change', () => go('ops/review', toggle.checked ? { all: '1' } : {}));

  const account = h('input', { id: 'review-account', name: 'account_id', autocomplete: 'off', spellcheck: 'false', value: filters.account_id || undefined });
  const kind = h('select', { id: 'review-kind', name: 'kind' }, h('option', { value: '' }, t('common.all')),
    KINDS.map((k) => h('option', { value: k, selected: filters.kind === k }, t(`kind.${k}`))));
  const age = h('select', { id: 'review-age', name: 'older_than', hidden: all },
    AGES.map(([v, key]) => h('option', { value: v, selected: filters.older_than === v }, t(key))));
  const filterForm = h('form', { class: 'card filters', role: 'search', 'aria-label': t('review.filters') },
    field(t('review.account'), account),
    field(t('review.kind'), kind),
    all ? null : field(t('review.age'), age),
    h('button', { type: 'submit', class: 'btn btn-primary' }, t('review.applyFilters')));
  filterForm.addEventListener('submit', (e) => {
    e.preventDefault();
    navigate({ account_id: account.value.trim(), kind: kind.value, older_than: all ? '' : age.value });
  });

  const done = async (text) => {
    await list.refresh();
    announce(status, notice(text));
  };
  const approve = async (f) => {
    mount(status);
    const ok = await dialog({
      title: t('review.approveTitle'),
      body: t(f.service_number ? 'review.approveBody' : 'review.approveBodyVhost',
        { domain: f.domain, code: f.service_number || '' }),
      confirmText: t('review.approve'),
      onConfirm: () => api('POST', `/v1/filings/${encodeURIComponent(f.id)}/approve`).then(() => true),
    });
    if (ok) await done(t('review.approved', { domain: f.domain }));
  };
  const reasonField = () => {
    const reason = h('textarea', { name: 'reason', rows: 3, required: true, maxlength: 500 });
    const check = (v) => {
      const text = (v.reason || '').trim();
      if (!text) {
        reason.value = '';
        reason.focus();
        throw new Error(t('review.reasonBlank'));
      }
      return text;
    };
    return { el: field(t('review.reason'), reason, t('review.reasonHint')), check };
  };
  const reject = async (f) => {
    mount(status);
    const r = reasonField();
    const ok = await dialog({
      title: t('review.rejectTitle'),
      body: f.domain,
      fields: [r.el],
      confirmText: t('review.reject'),
      danger: true,
      onConfirm: (v) => api('POST', `/v1/filings/${encodeURIComponent(f.id)}/reject`, { body: { reason: r.check(v) } }).then(() => true),
    });
    if (ok) await done(t('review.rejected', { domain: f.domain }));
  };

  // Bulk: the selected filings in chunks of 100 (the API's limit), one result per filing.
  const bulk = async (action) => {
    mount(status);
    const ids = [...selected];
    if (!ids.length) return;
    const r = action === 'reject' ? reasonField() : null;
    const results = await dialog({
      title: t(action === 'reject' ? 'review.bulkRejectTitle' : 'review.bulkApproveTitle', { n: ids.length }),
      body: h('div', {}, h('p', {}, t(action === 'reject' ? 'review.bulkRejectBody' : 'review.bulkApproveBody', { n: ids.length })),
        h('ul', { class: 'bulk-list' }, ids.map((id) => h('li', {}, byId.get(id)?.domain || id, ' ', h('code', { class: 'muted' }, id))))),
      fields: r ? [r.el] : [],
      confirmText: t(action === 'reject' ? 'review.rejectSelected' : 'review.approveSelected', { n: ids.length }),
      danger: action === 'reject',
      onConfirm: async (v) => {
        const body = { action, filing_ids: [] };
        if (r) body.reason = r.check(v);
        const out = [];
        for (let i = 0; i < ids.length; i += 100) {
          const res = await api('POST', '/v1/filings/review', { body: { ...body, filing_ids: ids.slice(i, i + 100) } });
          out.push(...(res.items || []));
        }
        return out;
      },
    });
    if (!Array.isArray(results)) return;
    for (const x of results) if (x.ok) selected.delete(x.filing_id);
    await list.refresh();
    const okN = results.filter((x) => x.ok).length;
    const box = h('div', { class: `alert alert-${okN === results.length ? 'ok' : 'warn'} bulk-results`, role: 'status' },
      h('strong', {}, t(action === 'reject' ? 'review.bulkRejected' : 'review.bulkApproved', { ok: okN, n: results.length })),
      h('ul', {}, results.map((x) => h('li', { dataset: { id: x.filing_id, ok: String(x.ok) } },
        byId.get(x.filing_id)?.domain || x.filing_id, ' — ',
        x.ok ? t('review.resultOk') : (x.error?.title || x.error?.code || t('review.resultFailed')),
        x.ok || !x.error?.detail || x.error.detail === x.error.title ? null : ` (${x.error.detail})`))));
    announce(status, box);
  };

  const selCount = h('span', { class: 'muted sel-count', role: 'status' });
  const bulkApprove = h('button', { type: 'button', class: 'btn btn-primary', disabled: true, onclick: () => bulk('approve') }, t('review.approveSelectedShort'));
  const bulkReject = h('button', { type: 'button', class: 'btn btn-danger-outline', disabled: true, onclick: () => bulk('reject') }, t('review.rejectSelectedShort'));
  const syncSel = () => {
    for (const id of [...selected]) if (!shownIds.has(id)) selected.delete(id);
    selCount.textContent = t('review.selected', { n: selected.size });
    bulkApprove.disabled = bulkReject.disabled = selected.size === 0;
    const boxAll = main.querySelector('#review-select-all');
    if (boxAll) {
      const n = list.items().length;
      boxAll.checked = n > 0 && selected.size === n;
      boxAll.indeterminate = selected.size > 0 && selected.size < n;
    }
  };

  function actionsFor(f) {
    const b = (label, cls, fn) => h('button', {
      type: 'button', class: `btn btn-small ${cls}`, 'aria-label': `${label}: ${f.domain}`, onclick: () => fn(f),
    }, label);
    if (f.state === 'in_review') {
      return [b(t('review.approve'), 'btn-primary', approve), b(t('review.reject'), 'btn-danger-outline', reject)];
    }
    if (f.state === 'approved') {
      return [b(t('filings.cancel'), 'btn-danger-outline', async () => {
        mount(status);
        if (await filingAction(f, 'cancel')) await done(t('cancel.done'));
      })];
    }
    return [];
  }

  const queueTable = (items) => {
    const now = Date.now();
    for (const f of items) byId.set(f.id, f);
    shownIds = new Set(items.map((f) => f.id));
    const selAll = h('input', { type: 'checkbox', id: 'review-select-all', 'aria-label': t('review.selectAll') });
    selAll.addEventListener('change', () => {
      for (const f of items) if (selAll.checked) selected.add(f.id); else selected.delete(f.id);
      for (const c of main.querySelectorAll('input.review-pick')) c.checked = selAll.checked;
      syncSel();
    });
    const cols = ['review.filing', 'filings.account', 'filings.sn', 'review.waiting', 'review.conflicts', 'common.actions'];
    const table = h('table', { class: 'table stack review-queue' },
      h('caption', { class: 'sr-only' }, t('review.title')),
      h('thead', {}, h('tr', {}, h('th', { scope: 'col', class: 'pick' }, selAll), cols.map((c) => h('th', { scope: 'col' }, t(c))))),
      h('tbody', {}, items.map((f) => {
        const pick = h('input', { type: 'checkbox', class: 'review-pick', checked: selected.has(f.id), 'aria-label': t('review.select', { domain: f.domain }) });
        pick.addEventListener('change', () => {
          if (pick.checked) selected.add(f.id); else selected.delete(f.id);
          syncSel();
        });
        const conflicts = f.conflicts || [];
        const secs = ageOf(f, now);
        return h('tr', { dataset: { id: f.id, state: f.state, domain: f.domain, ...(conflicts.length ? { conflict: 'true' } : {}) } },
          h('td', { class: 'pick', 'data-label': t('review.pick') }, h('div', { class: 'cell' }, pick)),
          cell(t('review.filing'), h('strong', {}, f.domain), h('code', { class: 'block muted nowrap-id' }, f.id)),
          cell(t('filings.account'), f.account_id),
          cell(t('filings.sn'), f.service_number ? h('span', { class: 'sn' }, f.service_number) : t('review.vhost'),
            f.product_id ? h('code', { class: 'block muted' }, f.product_id) : null),
          cell(t('review.waiting'), h('span', { class: 'age', dataset: { seconds: String(Math.floor(secs)) } }, fmtAge(secs)),
            h('small', { class: 'block muted' }, time(f.submitted_at || f.created_at, true))),
          cell(t('review.conflicts'), conflicts.length
            ? [badge(t('review.conflict'), 'warn'), h('small', { class: 'block conflict-note' },
              t('review.conflictNote', { n: conflicts.length })), conflicts.map((id) => h('code', { class: 'block muted nowrap-id' }, id))]
            : '—'),
          actionsCell(actionsFor(f)));
      })));
    queueMicrotask(syncSel);
    return table;
  };

  const params0 = all
    ? { order: 'desc', account_id: filters.account_id || undefined, kind: filters.kind || undefined }
    : { state: 'in_review', order: 'asc', ...Object.fromEntries(Object.entries(filters).filter(([, v]) => v)) };
  const list = pagedList({
    fetchPage: tokenPages('/v1/filings', params0, 50),
    view: all ? (items) => filingsTable(items, { actionsFor, showAccount: true, caption: t('review.title') }) : queueTable,
    empty: all ? t('common.empty') : t('review.none'),
    count: (n, complete) => t(complete ? 'review.count' : 'review.countMore', { n }),
  });
  mount(main,
    h('h1', { tabindex: '-1' }, t('review.title')),
    h('p', { class: 'lead' }, t(all ? 'review.introAll' : 'review.intro')),
    h('div', { class: 'toolbar' }, h('div', { class: 'check' }, toggle, h('label', { for: 'review-all' }, t('review.all'))),
      csvButton('/v1/filings', params0, 'filings')),
    filterForm,
    all ? null : h('div', { class: 'bulk-bar', role: 'group', 'aria-label': t('review.bulk') }, selCount, bulkApprove, bulkReject),
    status, list.el);
  await list.refresh();
  if (!all) syncSel();
}

