// The HTTP API client: bearer token from sessionStorage or, after single sign-on, the session
// cookie with its CSRF token; Accept-Language from the console's language, problem+json errors
// turned into ApiError values.
import { lang, t } from './i18n.js';

const TOKEN_KEY = 'beian.token';

/** An API refusal: the server's problem+json, or a network failure (status 0). */
export class ApiError extends Error {
  constructor(status, problem) {
    super(problem.detail || problem.title || t('error.status', { status }));
    this.status = status;
    this.problem = problem;
  }
}

let onUnauthenticated = () => {};

/** Registers what to do when any call answers 401 (return to sign-in). */
export function setUnauthenticatedHandler(fn) {
  onUnauthenticated = fn;
}

export function token() {
  return sessionStorage.getItem(TOKEN_KEY) || '';
}

let csrfToken = '';

/** The console session after single sign-on: GET /auth/session ({sso, signed_in, csrf_token, …}). */
export async function ssoSession() {
  try {
    const res = await fetch('/auth/session', { headers: { Accept: 'application/json' } });
    if (!res.ok) return { sso: false, signed_in: false };
    const s = await res.json();
    csrfToken = s.signed_in ? s.csrf_token : '';
    return s;
  } catch {
    return { sso: false, signed_in: false };
  }
}

/** Ends the single sign-on session (POST /auth/logout). */
export async function ssoSignOut() {
  const token = csrfToken;
  csrfToken = '';
  await fetch('/auth/logout', { method: 'POST', headers: { 'X-CSRF-Token': token } }).catch(() => {});
}

export function setToken(value) {
  if (value) sessionStorage.setItem(TOKEN_KEY, value);
  else sessionStorage.removeItem(TOKEN_KEY);
}

/** A random idempotency key (crypto.randomUUID where the context allows it). */
export function newIdempotencyKey() {
  if (crypto.randomUUID) return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
}

async function parseProblem(res) {
  const text = await res.text();
  try {
    const body = JSON.parse(text);
    if (body && typeof body === 'object') return body;
  } catch {
    // not JSON: fall through
  }
  return { title: t('error.status', { status: res.status }), detail: text.slice(0, 300) };
}

/**
 * Calls the API. Resolves with the parsed JSON body (null for an empty body); rejects with
 * ApiError. A 401 also calls the unauthenticated handler, unless `opts.quiet401` is set.
 */
export async function api(method, path, opts = {}) {
  const headers = {
    Accept: 'application/json, application/problem+json',
    'Accept-Language': lang() === 'en' ? 'en' : 'zh-CN',
  };
  const tok = opts.token ?? token();
  if (tok) headers.Authorization = `Bearer ${tok}`;
  else if (csrfToken && method !== 'GET') headers['X-CSRF-Token'] = csrfToken;
  if (opts.idempotencyKey) headers['Idempotency-Key'] = opts.idempotencyKey;
  let body;
  if (opts.body !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(opts.body);
  }
  let res;
  try {
    res = await fetch(path, { method, headers, body });
  } catch {
    throw new ApiError(0, { title: t('error.network') });
  }
  if (!res.ok) {
    const problem = await parseProblem(res);
    const err = new ApiError(res.status, problem);
    if (res.status === 401 && !opts.quiet401) onUnauthenticated(err);
    throw err;
  }
  const text = await res.text();
  return text ? JSON.parse(text) : null;
}

/** Builds a query string from the defined, non-empty values of `params`. */
export function query(params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
  }
  const s = q.toString();
  return s ? `?${s}` : '';
}

/** Follows next_page_token until the list ends (or `max` items were read). */
export async function listAll(path, params = {}, max = 5000) {
  const items = [];
  let pageToken = '';
  do {
    const page = await api('GET', path + query({ ...params, limit: 500, page_token: pageToken }));
    items.push(...(page.items || []));
    pageToken = page.next_page_token || '';
  } while (pageToken && items.length < max);
  return items;
}

/** Who the token belongs to: {account_id, role, roles, name} (GET /v1/me). */
export async function whoAmI(tok) {
  const me = await api('GET', '/v1/me', { token: tok, quiet401: true });
  return { account_id: me.id, role: me.role, roles: me.roles || [], name: me.name || '' };
}
