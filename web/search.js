// The header's search: a button that opens a search dialog (the same on desktop and phone, so the
// header stays one row). GET /v1/search?q= → typed results (number, product, filing, account),
// each a link to the console page that shows it (the row is highlighted there when loaded).
import { api, query } from './api.js';
import { t } from './i18n.js';
import { errorBox, h, mount, refocus } from './ui.js';

/** Where a hit is shown in the console, by role. */
export function hitHref(r, role) {
  const op = role === 'operator';
  const id = encodeURIComponent(r.id);
  switch (r.type) {
    case 'number': return op ? `#/ops/products?id=${encodeURIComponent(r.product_id || '')}` : `#/numbers?hl=${id}`;
    case 'product': return op ? `#/ops/products?id=${id}` : `#/products?hl=${id}`;
    case 'filing': return op ? `#/ops/review?all=1&account_id=${encodeURIComponent(r.account_id || '')}&hl=${id}` : `#/filings?hl=${id}`;
    default: return `#/ops/accounts?hl=${id}`;
  }
}

function detail(r) {
  switch (r.type) {
    case 'number': return [r.product_id, r.state && t(`state.${r.state}`), r.domain].filter(Boolean).join(' · ');
    case 'product': return [r.name && r.name !== r.id ? r.name : '', r.kind && t(`kind.${r.kind}`), r.account_id].filter(Boolean).join(' · ');
    case 'filing': return [r.domain, r.state && t(`fstate.${r.state}`), r.account_id].filter(Boolean).join(' · ');
    default: return [r.name, r.role && t(`role.${r.role}`)].filter(Boolean).join(' · ');
  }
}

function openSearch(me) {
  const input = h('input', { type: 'text', inputmode: 'search', enterkeyhint: 'search', id: 'site-search-q', name: 'q', autocomplete: 'off', spellcheck: 'false', maxlength: 200, required: true });
  const results = h('div', { class: 'search-results', 'aria-live': 'polite' });
  const close = h('button', { type: 'button', class: 'btn' }, t('common.close'));
  const submit = h('button', { type: 'submit', class: 'btn btn-primary' }, t('common.search'));
  const form = h('form', { class: 'search-form', role: 'search' },
    h('label', { for: 'site-search-q' }, t('search.label')),
    h('div', { class: 'search-row' }, input, submit));
  const dlg = h('dialog', { class: 'search-dialog', 'aria-labelledby': 'site-search-title' },
    h('h2', { id: 'site-search-title' }, t('search.title')),
    h('p', { class: 'muted small', id: 'site-search-hint' }, t('search.hint')),
    form, results, h('div', { class: 'dialog-actions' }, close));
  input.setAttribute('aria-describedby', 'site-search-hint');
  const opener = document.activeElement;
  let seq = 0;
  close.addEventListener('click', () => dlg.close());
  dlg.addEventListener('close', () => { dlg.remove(); if (!dlg.dataset.went) refocus(opener); });
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const q = input.value.trim();
    if (!q) { input.focus(); return; }
    const mine = ++seq;
    submit.disabled = true;
    mount(results, h('p', { class: 'muted' }, t('common.loading')));
    try {
      const res = await api('GET', `/v1/search${query({ q })}`);
      if (mine !== seq) return;
      const hits = res.results || [];
      mount(results, hits.length
        ? [h('p', { class: 'muted small' }, t('search.count', { n: hits.length })),
          h('ul', { class: 'hits' }, hits.map((r) => h('li', { class: 'hit', dataset: { type: r.type, id: r.id } },
            h('a', {
              href: hitHref(r, me.role),
              onclick: () => { dlg.dataset.went = '1'; dlg.close(); },
            }, h('span', { class: 'badge badge-info hit-type' }, t(`search.type.${r.type}`)), ' ',
            h('span', { class: r.type === 'number' ? 'sn' : 'hit-id' }, r.id)),
            h('small', { class: 'block muted' }, detail(r)))))]
        : h('p', { class: 'empty search-empty' }, t('search.none', { q })));
    } catch (err) {
      if (mine === seq && err.status !== 401) mount(results, errorBox(err));
    } finally {
      if (mine === seq) submit.disabled = false;
    }
  });
  document.body.append(dlg);
  dlg.showModal();
  input.focus();
}

/** The header's search button. */
export function searchButton(me) {
  const icon = h('span', { class: 'search-icon', 'aria-hidden': 'true' }, '⌕');
  return h('button', {
    type: 'button', class: 'btn btn-ghost search-open', title: t('search.open'), 'aria-haspopup': 'dialog',
    onclick: () => openSearch(me),
  }, icon, h('span', { class: 'search-text' }, t('search.short')));
}

/** After a page drew: scrolls to and marks the row named by `hl` (a filing, number or product id). */
export function highlight(main, id) {
  if (!id) return;
  const sel = `[data-id="${CSS.escape(id)}"], [data-code="${CSS.escape(id)}"]`;
  const el = main.querySelector(sel);
  if (!el) return;
  el.classList.add('hl');
  el.scrollIntoView({ block: 'center' });
}
