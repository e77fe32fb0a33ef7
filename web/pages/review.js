// 备案审核 (operator): filings in review with approve and reject; all filings with cancel.
import { api, listAll } from '../api.js';
import { t } from '../i18n.js';
import { dialog, errorBox, field, h, mount, notice } from '../ui.js';
import { filingAction, filingsTable } from './filings.js';

export async function render(main, { params, go }) {
  const all = params.get('all') === '1';
  const status = h('div', { 'aria-live': 'polite' });
  const list = h('div', {}, h('p', { class: 'muted' }, t('common.loading')));
  const toggle = h('input', { type: 'checkbox', id: 'review-all', checked: all });
  toggle.addEventListener('change', () => go('ops/review', toggle.checked ? { all: '1' } : {}));
  mount(main,
    h('h1', { tabindex: '-1' }, t('review.title')),
    h('p', { class: 'lead' }, t('review.intro')),
    h('div', { class: 'toolbar' }, h('div', { class: 'check' }, toggle, h('label', { for: 'review-all' }, t('review.all')))),
    status, list);
  const refresh = async () => {
    try {
      const items = await listAll('/v1/filings', all ? {} : { state: 'in_review' });
      items.sort((a, b) => String(a.created_at).localeCompare(String(b.created_at)));
      mount(list, items.length ? filingsTable(items, { actionsFor, showAccount: true, caption: t('review.title') })
        : h('p', { class: 'empty' }, all ? t('common.empty') : t('review.none')));
    } catch (err) {
      if (err.status !== 401) mount(list, errorBox(err));
    }
  };
  const approve = async (f) => {
    mount(status);
    try {
      await api('POST', `/v1/filings/${encodeURIComponent(f.id)}/approve`);
      await refresh();
      mount(status, notice(t('review.approved', { domain: f.domain })));
    } catch (err) {
      if (err.status !== 401) mount(status, errorBox(err));
    }
  };
  const reject = async (f) => {
    const reason = h('textarea', { name: 'reason', rows: 3, required: true });
    const done = await dialog({
      title: t('review.rejectTitle'),
      body: f.domain,
      fields: [field(t('review.reason'), reason)],
      confirmText: t('review.reject'),
      danger: true,
      onConfirm: (v) => api('POST', `/v1/filings/${encodeURIComponent(f.id)}/reject`, { body: { reason: v.reason } }),
    });
    if (!done) return;
    await refresh();
    mount(status, notice(t('review.rejected', { domain: f.domain })));
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
        if (await filingAction(f, 'cancel')) { await refresh(); mount(status, notice(t('cancel.done'))); }
      })];
    }
    return [];
  }
  await refresh();
}
