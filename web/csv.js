// "Export CSV": reads every page of a list in its CSV form (Accept: text/csv), following the
// X-Next-Page-Token header (events: X-Next-After), keeps the header row of the first page only,
// and saves the text as a file. Credentials as api.js sends them.
import { ApiError, query, token } from './api.js';
import { lang, t } from './i18n.js';
import { errorBox, h, mount } from './ui.js';

async function page(path, params, limit) {
  const headers = { Accept: 'text/csv', 'Accept-Language': lang() === 'en' ? 'en' : 'zh-CN' };
  const tok = token();
  if (tok) headers.Authorization = `Bearer ${tok}`;
  let res;
  try {
    res = await fetch(path + query({ ...params, limit }), { headers, credentials: 'same-origin' });
  } catch {
    throw new ApiError(0, { title: t('error.network') });
  }
  const text = await res.text();
  if (!res.ok) {
    let problem;
    try { problem = JSON.parse(text); } catch { problem = { title: t('error.status', { status: res.status }) }; }
    throw new ApiError(res.status, problem);
  }
  return { text, next: res.headers.get('X-Next-Page-Token') || '', after: res.headers.get('X-Next-After') || '' };
}

/** Reads the whole list as one CSV text (one header row), `limit` rows a request. */
export async function readCsv(path, params = {}, limit = 500) {
  const events = path === '/v1/events';
  let out = '';
  let first = true;
  let cursor = '';
  for (;;) {
    const p = await page(path, events ? { ...params, after: cursor } : { ...params, page_token: cursor }, limit);
    let text = p.text;
    const nl = text.indexOf('\n');
    const rows = nl < 0 ? '' : text.slice(nl + 1);
    if (!first) text = rows;
    if (out && !out.endsWith('\n') && text) out += '\r\n';
    out += text;
    first = false;
    const next = events ? p.after : p.next;
    // The end: no cursor, the same cursor again, or a page without rows.
    if (!next || next === cursor || !rows.trim()) break;
    cursor = next;
  }
  return out;
}

/** A button that downloads the list `path` with `params` as `name`-YYYYMMDD.csv. */
export function csvButton(path, params, name) {
  const slot = h('span', { class: 'csv-status', role: 'status' });
  const btn = h('button', { type: 'button', class: 'btn btn-small csv-export' }, t('csv.export'));
  btn.addEventListener('click', async () => {
    if (btn.disabled) return;
    btn.disabled = true;
    btn.setAttribute('aria-busy', 'true');
    mount(slot, t('csv.reading'));
    try {
      const text = await readCsv(path, params);
      const url = URL.createObjectURL(new Blob(['\ufeff', text], { type: 'text/csv;charset=utf-8' }));
      const day = new Date().toISOString().slice(0, 10).replace(/-/g, '');
      const a = h('a', { href: url, download: `${name}-${day}.csv`, hidden: true });
      document.body.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10000);
      mount(slot, t('csv.done'));
    } catch (err) {
      if (err.status !== 401) mount(slot, errorBox(err));
    } finally {
      btn.disabled = false;
      btn.removeAttribute('aria-busy');
    }
  });
  return h('span', { class: 'csv' }, btn, slot);
}
