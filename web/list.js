// A list region over a paged API list: loading line, items, empty text, error with Retry, a Refresh
// button, and "Load more" while there is more. Only the count line is announced to screen readers,
// never the whole list.
import { api, query } from './api.js';
import { t } from './i18n.js';
import { errorBox, h, mount } from './ui.js';

const PAGE = 100;

/** fetchPage for a list answered with {items, next_page_token} (page_token paging). */
export function tokenPages(path, params = {}, limit = PAGE) {
  return async (next) => {
    const page = await api('GET', path + query({ ...params, limit, page_token: next || '' }));
    return { items: page.items || [], next: page.next_page_token || '' };
  };
}

/**
 * A list region. `fetchPage(next)` resolves with {items, next} ('' when the list ends); `view(items)`
 * draws the items shown. With `all`, every page is read first (for lists the console orders by a
 * field the API does not sort by, e.g. newest first), then `sort` orders them and they are shown 100 at a
 * time; without it, each "Load more" reads the next page from the API. `count(n, complete)` gives the
 * count line; `empty` the text of an empty list. Returns {el, refresh, items()}.
 */
export function pagedList({ fetchPage, view, empty, count, all = false, sort, label }) {
  let items = [];
  let next = '';
  let shown = 0;
  let seq = 0;
  const status = h('p', { class: 'muted count-line', role: 'status' });
  const body = h('div', { class: 'list-body' });
  const more = h('button', { type: 'button', class: 'btn', hidden: true }, t('common.more'));
  const again = h('button', { type: 'button', class: 'btn btn-small list-refresh' }, t('common.refresh'));
  const el = h('div', { class: 'list-region', 'aria-label': label || undefined, role: label ? 'region' : undefined },
    h('div', { class: 'list-bar' }, status, again), body, h('div', { class: 'form-actions list-more' }, more));

  const draw = () => {
    const visible = all ? items.slice(0, shown) : items;
    mount(body, visible.length ? view(visible) : h('p', { class: 'empty' }, empty || t('common.empty')));
    more.hidden = all ? shown >= items.length : !next;
    const done = all || !next;
    mount(status, count ? count(items.length, done) : t(done ? 'list.total' : 'list.loadedMore', { n: items.length }));
    if (all && shown < items.length) status.append(' ', t('list.showing', { n: shown }));
  };
  const fail = (err, retry) => {
    if (err.status === 401) return;
    mount(status, t('list.failed'));
    const btn = h('button', { type: 'button', class: 'btn btn-small list-retry' }, t('common.retry'));
    btn.addEventListener('click', async () => { await retry(); });
    mount(body, errorBox(err), h('p', {}, btn));
    btn.focus();
  };
  const readAll = async (mine) => {
    const got = [];
    let tok = '';
    do {
      const page = await fetchPage(tok);
      if (mine !== seq) return null;
      got.push(...page.items);
      tok = page.next;
      if (tok) mount(status, t('list.reading', { n: got.length }));
    } while (tok);
    return got;
  };
  /** Reads the list again from its first page. */
  const refresh = async () => {
    const mine = ++seq;
    again.disabled = true;
    again.setAttribute('aria-busy', 'true');
    el.setAttribute('aria-busy', 'true');
    mount(status, t('common.loading'));
    if (!items.length) mount(body);
    try {
      if (all) {
        const got = await readAll(mine);
        if (got === null) return;
        items = sort ? got.sort(sort) : got;
        shown = Math.min(items.length, Math.max(PAGE, Math.min(shown, items.length)));
      } else {
        // As many pages as were shown before, so a refresh after an action keeps the reader's place.
        const want = items.length;
        const got = [];
        let tok = '';
        do {
          const page = await fetchPage(tok);
          if (mine !== seq) return;
          got.push(...page.items);
          tok = page.next;
        } while (tok && got.length < want);
        items = got;
        next = tok;
      }
      draw();
    } catch (err) {
      if (mine === seq) fail(err, refresh);
    } finally {
      if (mine === seq) {
        again.disabled = false;
        again.removeAttribute('aria-busy');
        el.removeAttribute('aria-busy');
      }
    }
  };
  const loadMore = async () => {
    if (all) {
      shown = Math.min(items.length, shown + PAGE);
      draw();
      (more.hidden ? again : more).focus();
      return;
    }
    const mine = ++seq;
    more.disabled = true;
    try {
      const page = await fetchPage(next);
      if (mine !== seq) return;
      items = items.concat(page.items);
      next = page.next;
      draw();
      if (!more.hidden) more.focus();
      else again.focus();
    } catch (err) {
      if (mine === seq) fail(err, loadMore);
    } finally {
      more.disabled = false;
    }
  };
  more.addEventListener('click', loadMore);
  again.addEventListener('click', async () => { await refresh(); again.focus(); });
  return { el, refresh, items: () => items };
}
