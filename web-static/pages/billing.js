// Billing: this month's running usage and the closed months' reports to download.
import { api, fetchText } from '../api.js';
import { el, formatMicros, pageQuery, pager, table } from '../dom.js';
import { notify, render } from '../shell.js';

async function download(period, format) {
  try {
    const { text, type } = await fetchText(`/api/v1/billing/reports/${period}?format=${format}`);
    const url = URL.createObjectURL(new Blob([text], { type }));
    if (format === 'html') window.open(url, '_blank', 'noopener');
    else el('a', { href: url, download: `linkwright-${period}.${format}` }).click();
    setTimeout(() => URL.revokeObjectURL(url), 60000);
  } catch (error) { notify(error.message); }
}

export async function showBilling(cursor) {
  const [usage, reports] = await Promise.all([
    api.get('/api/v1/billing/usage'), api.get(`/api/v1/billing/reports?${pageQuery(12, cursor)}`),
  ]);
  render('Billing',
    el('h2', {}, `This month so far (${usage.period})`),
    table(['Item', 'Quantity', 'Unit price', 'Amount'], usage.lines.map((l) => [l.description, `${l.quantity} ${l.unit}`, formatMicros(l.unit_price_micros), l.amount])),
    el('p', {}, el('strong', {}, `Running total: ${usage.total}`), ' · ', usage.rounding),
    el('h2', {}, 'Past months'),
    reports.items.length
      ? table(['Month', 'Plan', 'Total', 'Download'], reports.items.map((r) => [r.period, r.plan, r.total,
        el('div', { class: 'actions' }, ['csv', 'html', 'json'].map((format) => el('button', {
          type: 'button', class: 'secondary', 'aria-label': `${format.toUpperCase()} for ${r.period}`, onclick: () => download(r.period, format),
        }, format.toUpperCase())))]))
      : el('p', { class: 'muted' }, "No closed months yet: a month's bill appears here once it has ended."),
    pager(reports.next_cursor, showBilling));
}
