// Small DOM helpers shared by the pages. Server text is only ever set as textContent.
import { lang, t } from './i18n.js';

/** Creates an element: h('button', {class: 'primary', onclick: fn}, 'text', child…). */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
    else if (k === 'class') el.className = v;
    else if (k === 'dataset') Object.assign(el.dataset, v);
    else if (v === true) el.setAttribute(k, '');
    else el.setAttribute(k, String(v));
  }
  for (const c of children.flat(Infinity)) {
    if (c === undefined || c === null || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

const CST = 'Asia/Shanghai';

function parts(iso) {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return null;
  const f = new Intl.DateTimeFormat('en-CA', {
    timeZone: CST, year: 'numeric', month: '2-digit', day: '2-digit',
    hour: '2-digit', minute: '2-digit', hourCycle: 'h23',
  });
  const o = {};
  for (const p of f.formatToParts(d)) o[p.type] = p.value;
  return o;
}

/** "2027-02-27" in China Standard Time (the calendar the rules use). */
export function fmtDate(iso) {
  const p = iso && parts(iso);
  return p ? `${p.year}-${p.month}-${p.day}` : '—';
}

/** "2027-02-27 10:00" in China Standard Time. */
export function fmtDateTime(iso) {
  const p = iso && parts(iso);
  return p ? `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}` : '—';
}

/** A visible time element with the full value as its machine-readable form. */
export function time(iso, withTime = false) {
  return h('time', { datetime: iso || undefined, title: iso ? `${fmtDateTime(iso)} (UTC+8)` : undefined },
    withTime ? fmtDateTime(iso) : fmtDate(iso));
}

/** A coloured state label. */
export function badge(text, tone) {
  return h('span', { class: `badge badge-${tone}` }, text);
}

/** The reasons of a refusal, each with its message, remedy and renew-until date. */
export function reasonList(reasons) {
  return h('ul', { class: 'reasons' }, (reasons || []).map((r) =>
    h('li', { class: 'reason', dataset: { code: r.code || '' } },
      h('span', { class: 'reason-msg' }, r.message || r.code),
      r.remedy ? h('span', { class: 'reason-remedy' }, t('error.remedy'), r.remedy) : null,
      r.renew_until ? h('span', { class: 'reason-date' },
        t('error.renewUntil', { date: fmtDate(r.renew_until) })) : null)));
}

/** An error box for an ApiError (or any Error): title, detail, reasons, field errors. */
export function errorBox(err, { fields = true } = {}) {
  const p = err.problem || { title: err.message };
  const title = p.title || t('error.status', { status: err.status });
  return h('div', { class: 'alert alert-error', role: 'alert', dataset: { code: p.code || '' } },
    h('strong', { class: 'alert-title' }, title),
    p.detail && p.detail !== title ? h('p', {}, p.detail) : null,
    p.reasons && p.reasons.length ? reasonList(p.reasons) : null,
    fields && p.errors && p.errors.length ? h('ul', { class: 'field-errors' },
      p.errors.map((e) => h('li', {}, h('code', {}, e.field), ' ', e.detail))) : null);
}

/** A success or information message that screen readers announce. */
export function notice(text, tone = 'ok') {
  return h('div', { class: `alert alert-${tone}`, role: 'status' }, text);
}

/**
 * Shows the result of an action in `slot` and moves the focus to it, so keyboard and screen reader
 * users land on what happened.
 */
export function announce(slot, node) {
  mount(slot, node);
  if (!node) return;
  node.setAttribute('tabindex', '-1');
  node.focus();
}

/**
 * Puts the focus back on `opener` after a dialog, or, when the page was redrawn meanwhile, on the
 * control that replaced it (same tag and accessible name, or same id).
 */
export function refocus(opener) {
  if (!opener || opener === document.body) return;
  if (opener.isConnected) { opener.focus(); return; }
  const label = opener.getAttribute('aria-label');
  const twin = (opener.id && document.getElementById(opener.id))
    || (label && [...document.querySelectorAll(`${opener.tagName}[aria-label]`)]
      .find((el) => el.getAttribute('aria-label') === label));
  twin?.focus();
}

/** Replaces the children of `el`. */
export function mount(el, ...children) {
  el.replaceChildren(...children.flat(Infinity).filter((c) => c !== null && c !== undefined && c !== false));
}

/** A button that copies `text` to the clipboard and says so. */
export function copyButton(text, label) {
  const name = (verb) => label || `${verb} ${text}`;
  const btn = h('button', { type: 'button', class: 'btn btn-small', 'aria-label': name(t('common.copy')) },
    t('common.copy'));
  btn.addEventListener('click', async () => {
    try {
      await navigator.clipboard.writeText(text);
    } catch {
      const ta = h('textarea', { class: 'sr-only' }, text);
      document.body.append(ta);
      ta.select();
      document.execCommand('copy');
      ta.remove();
    }
    btn.textContent = t('common.copied');
    btn.setAttribute('aria-label', name(t('common.copied')));
    setTimeout(() => {
      btn.textContent = t('common.copy');
      btn.setAttribute('aria-label', name(t('common.copy')));
    }, 1500);
  });
  return btn;
}

/**
 * Shows a modal dialog. `body` is a node or text; `fields` are form controls. Resolves with the
 * form's values when confirmed, or null. `onConfirm(values)` may run the action: while it runs the
 * buttons are disabled (so a double click never acts twice); if it throws, the error is shown in
 * the dialog and the dialog stays open.
 */
export function dialog({ title, body, fields = [], confirmText, danger = false, onConfirm, cancelText }) {
  return new Promise((resolve) => {
    const errSlot = h('div', { class: 'dialog-error' });
    const ok = h('button', { type: 'submit', class: danger ? 'btn btn-danger' : 'btn btn-primary' },
      confirmText || t('common.confirm'));
    const cancel = h('button', { type: 'button', class: 'btn', value: 'cancel' }, cancelText || t('common.cancel'));
    const titleId = `dlg-${Math.random().toString(36).slice(2)}`;
    const form = h('form', { method: 'dialog', class: 'dialog-form' },
      h('h2', { id: titleId }, title),
      typeof body === 'string' ? h('p', {}, body) : body,
      fields, errSlot,
      h('div', { class: 'dialog-actions' }, cancel, onConfirm === null ? null : ok));
    const dlg = h('dialog', { 'aria-labelledby': titleId }, form);
    const opener = document.activeElement;
    let busy = false;
    let result = null;
    const close = () => { dlg.close(); };
    cancel.addEventListener('click', close);
    dlg.addEventListener('cancel', (e) => { if (busy) e.preventDefault(); });
    dlg.addEventListener('close', () => { dlg.remove(); refocus(opener); resolve(result); });
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      if (busy) return;
      const values = Object.fromEntries(new FormData(form).entries());
      if (!onConfirm) { result = values; close(); return; }
      busy = true;
      ok.disabled = true;
      cancel.disabled = true;
      ok.setAttribute('aria-busy', 'true');
      try {
        result = (await onConfirm(values)) ?? values;
        close();
      } catch (err) {
        mount(errSlot, errorBox(err));
      } finally {
        busy = false;
        ok.disabled = false;
        cancel.disabled = false;
        ok.removeAttribute('aria-busy');
      }
    });
    document.body.append(dlg);
    dlg.showModal();
  });
}

/** A labelled form field: the label wraps nothing, it points at the control by id. */
export function field(label, control, hint) {
  const id = control.id || `f-${Math.random().toString(36).slice(2)}`;
  control.id = id;
  const hintId = hint ? `${id}-hint` : undefined;
  if (hintId) control.setAttribute('aria-describedby', hintId);
  return h('div', { class: 'field' }, h('label', { for: id }, label), control,
    hint ? h('small', { id: hintId, class: 'hint' }, hint) : null);
}

/** Sentence-joins in the current language. */
export function listSep() {
  return lang() === 'en' ? ', ' : '、';
}

/** A table cell with its column name, for the stacked layout on narrow screens. */
export function cell(label, ...children) {
  return h('td', { 'data-label': label }, h('div', { class: 'cell' }, ...children));
}

/** A cell whose short content never wraps (ids, names, event types). */
export function tightCell(label, ...children) {
  const td = cell(label, ...children);
  td.classList.add('nowrap');
  return td;
}

/** The actions cell of a table row. */
export function actionsCell(actions) {
  return h('td', { 'data-label': t('common.actions'), class: actions.length ? 'actions' : 'actions actions-none' },
    h('div', { class: 'cell' }, actions.length ? actions : '—'));
}
