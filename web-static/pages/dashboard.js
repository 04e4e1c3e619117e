// The dashboard: plan usage, campaigns, placements by state, 30 days of activity and a live
// feed of what the workers are doing.
import { api } from '../api.js';
import { dailyChart } from '../chart.js';
import { el, formatMicros, stat, table, when } from '../dom.js';
import { watch } from '../live.js';
import { render } from '../shell.js';

const eventWords = {
  'task.succeeded': 'task done', 'task.retrying': 'task failed, will retry', 'task.dead': 'task failed for good',
  'placement.checked': 'placement checked', 'link.lost': 'link lost', 'draft.ready': 'draft ready for review',
  'link.published': 'link published',
};

function describeEvent(event) {
  const what = eventWords[event.type] ?? event.type;
  const where = event.source_url ? ` at ${event.source_url}` : '';
  return `${what}${where} (${event.engine}${event.state ? `: ${event.state.replace('_', ' ')}` : ''}${event.error ? ` — ${event.error}` : ''})`;
}

/** `me` is the signed-in person from /me, fetched by the router for this navigation. */
export async function showDashboard(me) {
  const from = new Date(Date.now() - 30 * 86400000).toISOString();
  const [campaigns, placements, summary, failing] = await Promise.all([
    api.get('/api/v1/campaigns?limit=100'), api.get('/api/v1/placements?limit=100'),
    api.get(`/api/v1/metrics/summary?granularity=day&from=${encodeURIComponent(from)}`),
    me.tenant ? api.get('/api/v1/connections?state=failing&limit=25') : Promise.resolve({ items: [] }),
  ]);
  const byState = {};
  for (const p of placements.items) byState[p.state] = (byState[p.state] ?? 0) + 1;
  const usage = me.plan ? me.plan.usage : null;
  const limits = me.plan ? me.plan.limits : null;
  const activity = el('ul', { id: 'live-activity', 'aria-live': 'polite' }, el('li', { class: 'muted' }, 'Nothing yet: work shows up here as it happens.'));
  render(`${me.tenant ? me.tenant.name : 'Operator'}`,
    me.plan ? el('section', { class: 'stats', 'aria-label': 'Plan usage this month' },
      stat('Plan', me.plan.name),
      stat('Active campaigns', `${usage.active_campaigns} of ${limits.active_campaigns}`),
      stat('Placements this month', `${usage.placements_this_month} of ${limits.placements_per_month}`)) : null,
    // An account a platform refused: its work waits until a person reconnects it.
    failing.items.length ? el('section', { class: 'card warning', role: 'status', 'aria-label': 'Needs attention' },
      el('h2', {}, 'Needs attention'),
      el('ul', {}, failing.items.map((c) => el('li', {}, `${c.label} (${c.platform}): ${c.last_error ?? 'refused'} — `,
        el('a', { href: '/connections' }, 'reconnect it'), '. Its slots wait until then.')))) : null,
    el('h2', {}, 'Campaigns'),
    campaigns.items.length ? table(['Name', 'Status'], campaigns.items.map((c) => [c.name, c.status])) : el('p', { class: 'muted' }, 'No campaigns yet.'),
    el('h2', {}, 'Placements by state'),
    Object.keys(byState).length ? table(['State', 'Placements'], Object.entries(byState)) : el('p', { class: 'muted' }, 'No placements yet.'),
    el('h2', {}, 'Last 30 days'),
    dailyChart(summary.items, 'placements_created', 'Placements created per day'),
    dailyChart(summary.items, 'cost_micros', 'Cost per day', (v) => formatMicros(v, { cents: true })),
    el('h2', {}, 'Live activity'),
    activity);
  watch('dashboard', (event) => {
    activity.querySelector('.muted')?.remove();
    activity.prepend(el('li', {}, `${when(event.at)} · ${describeEvent(event)}`));
    while (activity.children.length > 20) activity.lastChild.remove();
  });
}
