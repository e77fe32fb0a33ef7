// 运营看板 (operator): GET /v1/stats over 7/30/90 days by day or hour, drawn as inline SVG charts.
// Each chart is an image with a summary as its name, and its figures in a data table that can be
// opened under it. Colours have at least 3:1 contrast against the white card.
import { api, query } from '../api.js';
import { has, t } from '../i18n.js';
import { errorBox, fmtDate, fmtDateTime, h, mount } from '../ui.js';
import { fmtAge } from './review.js';

const NS = 'http://www.w3.org/2000/svg';
const RANGES = [7, 30, 90];
const STATES = ['in_review', 'approved', 'rejected', 'withdrawn', 'cancelled'];
// ≥ 3:1 against #fff: blue 5.3, green 6.4, red 6.6, amber 6.0, grey 5.8.
const COLOURS = { in_review: '#1f5fd1', approved: '#146c34', rejected: '#b42318', withdrawn: '#8a5a00', cancelled: '#5b6573' };
let W = 640; // narrower on phones, so the labels stay legible
const H = 200;
const PAD = { l: 36, r: 8, t: 10, b: 24 };

function s(tag, attrs = {}, ...children) {
  const el = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) if (v !== undefined && v !== null) el.setAttribute(k, String(v));
  for (const c of children.flat()) if (c !== null && c !== undefined) el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  return el;
}

/** The start of the CST day `days - 1` days before today, as YYYY-MM-DD. */
function fromDate(days) {
  const today = fmtDate(new Date().toISOString());
  return fmtDate(new Date(Date.parse(`${today}T00:00:00+08:00`) - (days - 1) * 86400000).toISOString());
}

function bucketLabel(iso, bucket) {
  return bucket === 'hour' ? fmtDateTime(iso) : fmtDate(iso);
}

/**
 * `label` cut to about `width` units of 13-unit text (CJK glyphs a full em, others ~0.6 em), with an
 * ellipsis at the end when cut; the whole label stays in the chart's name and data table.
 */
export function fitLabel(label, width) {
  const em = (ch) => (ch.codePointAt(0) >= 0x2e80 ? 13 : 7.8);
  let used = 0;
  const chars = [...label];
  for (let i = 0; i < chars.length; i++) {
    used += em(chars[i]);
    if (used > width) {
      const kept = chars.slice(0, i);
      while (kept.length && used - em(chars[i]) + 13 > width) used -= em(kept.pop());
      return `${kept.join('')}…`;
    }
  }
  return label;
}

function niceMax(v) {
  if (v <= 5) return 5;
  const p = 10 ** Math.floor(Math.log10(v));
  return Math.ceil(v / p) * p;
}

/** Axes with 0 and the maximum, and labels at the first, middle and last bucket. */
function axes(max, labels) {
  const x0 = PAD.l;
  const y0 = H - PAD.b;
  const g = s('g', { class: 'axis', 'aria-hidden': 'true' },
    s('line', { x1: x0, y1: y0, x2: W - PAD.r, y2: y0 }),
    s('line', { x1: x0, y1: PAD.t, x2: x0, y2: y0 }),
    s('text', { x: x0 - 4, y: y0, 'text-anchor': 'end' }, '0'),
    s('text', { x: x0 - 4, y: PAD.t + 8, 'text-anchor': 'end' }, String(max)));
  if (labels.length) {
    const n = labels.length;
    const picks = n > 2 ? [0, Math.floor((n - 1) / 2), n - 1] : [...labels.keys()];
    const bw = (W - PAD.l - PAD.r) / n;
    for (const i of picks) {
      const anchor = i === 0 ? 'start' : i === n - 1 ? 'end' : 'middle';
      const x = anchor === 'start' ? x0 : anchor === 'end' ? W - PAD.r : x0 + bw * (i + 0.5);
      g.append(s('text', { x, y: H - 6, 'text-anchor': anchor }, labels[i]));
    }
  }
  return g;
}

/** A data table (opened with its summary) for a chart's figures. */
function dataTable(caption, cols, rows) {
  return h('details', { class: 'chart-data' }, h('summary', {}, t('dash.showData')),
    h('div', { class: 'table-scroll', tabindex: 0, role: 'region', 'aria-label': caption }, h('table', { class: 'table' }, h('caption', { class: 'sr-only' }, caption),
      h('thead', {}, h('tr', {}, cols.map((c) => h('th', { scope: 'col' }, c)))),
      h('tbody', {}, rows.map((r) => h('tr', {}, r.map((v, i) => (i ? h('td', {}, String(v)) : h('th', { scope: 'row' }, String(v))))))))));
}

/**
 * A chart card: `series` is [{key, label, colour}], `rows` [{label, values: {key: n}}]; bars are
 * stacked when there are several series. `summary` names the image.
 */
function chart({ id, title, summary, series, rows, horizontal = false }) {
  const totals = rows.map((r) => series.reduce((a, x) => a + (r.values[x.key] || 0), 0));
  const max = niceMax(Math.max(0, ...totals));
  const innerW = W - PAD.l - PAD.r;
  const innerH = H - PAD.t - PAD.b;
  let svg;
  if (horizontal) {
    // Category bars, one row each: the name at the left, the bar and its figure to the right.
    const LW = Math.round(W * 0.38);
    const RH = 28;
    const height = Math.max(1, rows.length) * RH + 8;
    svg = s('svg', { viewBox: `0 0 ${W} ${height}`, role: 'img', 'aria-label': summary, class: 'chart' });
    const barW = W - LW - 56;
    rows.forEach((r, i) => {
      const y = 4 + i * RH;
      const label = fitLabel(r.label, LW - 12);
      svg.append(s('text', { x: LW - 8, y: y + RH / 2 + 4, 'text-anchor': 'end', class: 'cat', 'aria-hidden': 'true' },
        label, label === r.label ? null : s('title', {}, r.label)));
      let x0 = LW;
      for (const x of series) {
        const v = r.values[x.key] || 0;
        const w = (v / max) * barW;
        if (v) svg.append(s('rect', { x: x0, y: y + 4, width: w, height: RH - 10, fill: x.colour }));
        x0 += w;
      }
      svg.append(s('text', { x: x0 + 6, y: y + RH / 2 + 4, class: 'cat', 'aria-hidden': 'true' }, r.figure ?? String(totals[i])));
    });
    if (!rows.length) svg.append(s('text', { x: LW, y: 20, class: 'cat', 'aria-hidden': 'true' }, t('dash.none')));
  } else {
    svg = s('svg', { viewBox: `0 0 ${W} ${H}`, role: 'img', 'aria-label': summary, class: 'chart' });
    const bw = innerW / Math.max(1, rows.length);
    rows.forEach((r, i) => {
      let y = H - PAD.b;
      for (const x of series) {
        const v = r.values[x.key] || 0;
        const hgt = (v / max) * innerH;
        y -= hgt;
        if (v) svg.append(s('rect', { x: PAD.l + bw * i + Math.min(1, bw * 0.1), y, width: Math.max(0.5, bw - Math.min(2, bw * 0.2)), height: hgt, fill: x.colour }));
      }
    });
    svg.append(axes(max, rows.map((r) => r.short || r.label)));
  }
  const legend = series.length > 1 ? h('ul', { class: 'legend', 'aria-hidden': 'true' }, series.map((x) => {
    const sw = h('span', { class: 'swatch' });
    sw.style.background = x.colour;
    return h('li', {}, sw, x.label);
  })) : null;
  return h('section', { class: 'card chart-card', 'aria-labelledby': `${id}-h`, dataset: { chart: id } },
    h('h2', { id: `${id}-h` }, title), legend, svg,
    dataTable(title, [t('dash.when'), ...series.map((x) => x.label)], rows.map((r) => [r.label, ...series.map((x) => r.values[x.key] || 0)])));
}

function figure(label, value, id) {
  return h('div', { class: 'figure', dataset: { figure: id } }, h('dt', {}, label), h('dd', {}, value));
}

function draw(stats) {
  const b = stats.bucket;
  const x = stats.series;
  const issued = x.numbers_issued || [];
  const total = issued.reduce((a, r) => a + r.n, 0);
  const peak = issued.reduce((a, r) => (r.n > a.n ? r : a), { n: 0, t: '' });
  const byState = x.filings_by_state || [];
  const stateTotals = Object.fromEntries(STATES.map((k) => [k, byState.reduce((a, r) => a + (r[k] || 0), 0)]));
  const q = x.review_queue || {};
  const quota = x.quota_use_by_kind || [];
  const reasons = x.cannot_apply_by_reason || [];
  const reasonName = (code) => (has(`reason.${code}`) ? t(`reason.${code}`) : code);
  const kindName = (k) => (has(`kind.${k}`) ? t(`kind.${k}`) : k);
  return [
    h('section', { class: 'card queue-figures', 'aria-labelledby': 'dash-queue-h' },
      h('h2', { id: 'dash-queue-h' }, t('dash.queue')),
      h('dl', { class: 'figures' },
        figure(t('dash.queueSize'), String(q.size ?? 0), 'size'),
        figure(t('dash.ageP50'), q.age_p50_seconds == null ? '—' : fmtAge(q.age_p50_seconds), 'p50'),
        figure(t('dash.ageP90'), q.age_p90_seconds == null ? '—' : fmtAge(q.age_p90_seconds), 'p90')),
      h('p', { class: 'muted small' }, h('a', { href: '#/ops/review' }, t('dash.openQueue')))),
    chart({
      id: 'issued', title: t('dash.issued'),
      summary: t('dash.issuedSummary', { total, peak: peak.n, when: peak.t ? bucketLabel(peak.t, b) : '—' }),
      series: [{ key: 'n', label: t('dash.numbers'), colour: COLOURS.in_review }],
      rows: issued.map((r) => ({ label: bucketLabel(r.t, b), values: { n: r.n } })),
    }),
    chart({
      id: 'filings', title: t('dash.filings'),
      summary: t('dash.filingsSummary', Object.fromEntries(STATES.map((k) => [k, stateTotals[k]]))),
      series: STATES.map((k) => ({ key: k, label: t(`fstate.${k}`), colour: COLOURS[k] })),
      rows: byState.map((r) => ({ label: bucketLabel(r.t, b), values: r })),
    }),
    chart({
      id: 'quota', title: t('dash.quota'), horizontal: true,
      summary: quota.length ? quota.map((r) => t('dash.quotaItem', { kind: kindName(r.kind), used: r.used, limit: r.limit, exhausted: r.exhausted })).join('; ') : t('dash.none'),
      series: [{ key: 'used', label: t('dash.used'), colour: COLOURS.in_review }, { key: 'free', label: t('dash.free'), colour: '#6f7a89' }],
      rows: quota.map((r) => ({ label: kindName(r.kind), figure: `${r.used}/${r.limit}`, values: { used: r.used, free: Math.max(0, r.limit - r.used) } })),
    }),
    chart({
      id: 'reasons', title: t('dash.reasons'), horizontal: true,
      summary: reasons.length ? reasons.map((r) => `${reasonName(r.reason)}: ${r.n}`).join('; ') : t('dash.none'),
      series: [{ key: 'n', label: t('dash.products'), colour: COLOURS.rejected }],
      rows: reasons.map((r) => ({ label: reasonName(r.reason), values: { n: r.n } })),
    }),
    h('p', { class: 'muted small' }, t(stats.product_sample?.complete ? 'dash.sampleAll' : 'dash.sampleSome', { n: stats.product_sample?.products ?? 0 })),
  ];
}

export async function render(main, { params, go }) {
  const days = RANGES.includes(Number(params.get('days'))) ? Number(params.get('days')) : 30;
  let bucket = params.get('bucket') === 'hour' ? 'hour' : 'day';
  if (bucket === 'hour' && days > 30) bucket = 'day'; // at most 1000 buckets
  const range = h('select', { id: 'dash-range' }, RANGES.map((d) => h('option', { value: d, selected: d === days }, t('dash.days', { n: d }))));
  const bsel = h('select', { id: 'dash-bucket' },
    h('option', { value: 'day', selected: bucket === 'day' }, t('dash.byDay')),
    h('option', { value: 'hour', selected: bucket === 'hour', disabled: days > 30 }, t('dash.byHour')));
  const change = () => go('ops/dashboard', { days: range.value, bucket: Number(range.value) > 30 ? 'day' : bsel.value });
  range.addEventListener('change', change);
  bsel.addEventListener('change', change);
  const body = h('div', { class: 'dash', 'aria-busy': 'true' }, h('p', { class: 'muted' }, t('common.loading')));
  mount(main,
    h('h1', { tabindex: '-1' }, t('dash.title')),
    h('p', { class: 'lead' }, t('dash.intro')),
    h('div', { class: 'toolbar' },
      h('div', { class: 'field field-inline' }, h('label', { for: 'dash-range' }, t('dash.range')), range),
      h('div', { class: 'field field-inline' }, h('label', { for: 'dash-bucket' }, t('dash.bucket')), bsel)),
    body);
  try {
    W = window.matchMedia('(max-width: 600px)').matches ? 380 : 640;
    const stats = await api('GET', `/v1/stats${query({ from: fromDate(days), bucket })}`);
    mount(body, draw(stats));
  } catch (err) {
    if (err.status !== 401) mount(body, errorBox(err));
  } finally {
    body.removeAttribute('aria-busy');
  }
}
