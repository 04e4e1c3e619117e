// Campaigns: the list with its lifecycle buttons and the new-campaign form, and one campaign's
// page with its live task counts, budget, placements, charts and settings.
import { api } from '../api.js';
import { dailyChart } from '../chart.js';
import { dollarsToMicros, el, field, formatMicros, pageQuery, pager, showError, stat, table, when } from '../dom.js';
import { poll, reloadOn, watch } from '../live.js';
import { notify, render } from '../shell.js';
import { journey } from './drafts.js';

const actions = { draft: ['start', 'archive'], active: ['pause', 'archive'], paused: ['resume', 'archive'], completed: ['archive'], archived: [] };

export async function showCampaigns(cursor) {
  const page = await api.get(`/api/v1/campaigns?${pageQuery(25, cursor)}`);
  const form = el('form', { class: 'card', novalidate: true, 'aria-label': 'New campaign' },
    el('h2', {}, 'New campaign'),
    field('Name', 'name', { required: true }),
    field('Target URL', 'target_url', { type: 'url', required: true }),
    field('Anchor texts (one per line)', 'anchor_texts', { multiline: true, rows: 3 }),
    field('Engines (comma separated: comments, web2, forums, social)', 'engines', { value: 'web2' }),
    field('Links a day', 'daily_limit', { type: 'number', value: '5', min: '1', max: '1000' }),
    field('Posts to comment on (for comments; one address per line)', 'comment_pages', { multiline: true, rows: 3 }),
    el('button', { type: 'submit' }, 'Create campaign'));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    try {
      await api.post('/api/v1/campaigns', {
        name: form.name.value,
        target_url: form.target_url.value,
        anchor_texts: form.anchor_texts.value.split('\n').map((s) => s.trim()).filter(Boolean),
        engines: form.engines.value.split(',').map((s) => s.trim()).filter(Boolean),
        daily_limit: Number(form.daily_limit.value),
        comment_pages: lines(form.comment_pages.value),
      });
      await showCampaigns();
      notify('Campaign created.', 'info');
    } catch (error) { showError(form, error, notify); }
  });
  const rows = page.items.map((c) => el('tr', {},
    el('td', {}, el('a', { href: `/campaigns/${c.id}` }, c.name)), el('td', {}, c.status), el('td', { class: 'optional' }, c.target_url),
    el('td', {}, el('div', { class: 'actions' }, actions[c.status].map((action) => el('button', {
      type: 'button', class: 'secondary', 'aria-label': `${action} ${c.name}`,
      onclick: async () => {
        try {
          await api.post(`/api/v1/campaigns/${c.id}/${action}`);
          await showCampaigns(cursor);
        } catch (error) { notify(error.message); }
      },
    }, action))))));
  render('Campaigns', form,
    page.items.length
      ? el('table', {}, el('thead', {}, el('tr', {}, ['Name', 'Status', 'Target', 'Actions'].map((h, i) => el('th', { scope: 'col', class: i === 2 ? 'optional' : undefined }, h)))), el('tbody', {}, rows))
      : el('p', { class: 'muted' }, 'No campaigns yet.'),
    pager(page.next_cursor, showCampaigns));
}

export async function showCampaign(id) {
  const campaign = await api.get(`/api/v1/campaigns/${id}`);
  const live = el('div', { id: 'campaign-live' });
  const form = el('form', { class: 'card', novalidate: true, 'aria-label': 'Edit campaign' },
    el('h2', {}, 'Settings'),
    field('Name', 'name', { value: campaign.name, required: true }),
    field('Target URL', 'target_url', { type: 'url', value: campaign.target_url, required: true }),
    field('Links a day', 'daily_limit', { type: 'number', value: String(campaign.daily_limit), min: '1', max: '1000' }),
    field('Check placements every (hours)', 'verify_every_hours', { type: 'number', value: String(campaign.verify_every_hours), min: '1', max: '720' }),
    field('Budget in dollars (0 = no cap)', 'budget_micros', { inputmode: 'decimal', value: formatMicros(campaign.budget_micros, { symbol: false }).replaceAll(',', '') }),
    field('Posts to comment on (one address per line; each gets one comment)', 'comment_pages', { multiline: true, rows: 4, value: campaign.comment_pages.join('\n') }),
    el('button', { type: 'submit' }, 'Save changes'));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const budget = dollarsToMicros(form.budget_micros.value);
    if (budget === null) return showError(form, { field: 'budget_micros', message: 'Enter an amount in dollars, like 250 or 99.50.' }, notify);
    try {
      const saved = await api.patch(`/api/v1/campaigns/${id}`, {
        name: form.name.value, target_url: form.target_url.value,
        daily_limit: Number(form.daily_limit.value), verify_every_hours: Number(form.verify_every_hours.value),
        budget_micros: budget, comment_pages: lines(form.comment_pages.value),
      });
      document.querySelector('main h1').textContent = saved.name;
      showError(form, { message: '' }, () => {});
      notify('Saved.', 'info');
    } catch (error) { showError(form, error, notify); }
  });
  const from = new Date(Date.now() - 14 * 86400000).toISOString();
  const [estimate, analytics] = await Promise.all([
    campaign.status === 'draft' ? api.get(`/api/v1/campaigns/${id}/estimate`) : Promise.resolve(null),
    api.get(`/api/v1/campaigns/${id}/metrics?granularity=day&from=${encodeURIComponent(from)}`),
  ]);
  render(campaign.name, el('p', {}, el('a', { href: `/campaigns/${id}/drafts` }, 'Drafts written for this campaign')), live,
    estimate ? el('p', { id: 'campaign-estimate' },
      `Expected cost: ${formatMicros(estimate.low_micros, { cents: true })} to ${formatMicros(estimate.high_micros, { cents: true })} for ${estimate.tasks} placements `,
      `(${estimate.basis === 'history' ? `from your last ${estimate.history_tasks} placements` : 'at list prices'})`,
      estimate.fits_budget ? '.' : ' — more than the budget allows.') : null,
    el('h2', {}, 'Last 14 days'),
    dailyChart(analytics.items, 'tasks_finished', 'Tasks finished per day'),
    dailyChart(analytics.items, 'cost_micros', 'Cost per day', (v) => formatMicros(v, { cents: true })),
    form);
  await refreshCampaign(id, live, campaign);
  watch(`campaign:${id}`, reloadOn((event) => event.campaign_id === id, () => refreshCampaign(id, live)));
}

/** The parts of a campaign's page that change while work runs; the settings form is left alone. */
async function refreshCampaign(id, live, known) {
  if (!live.isConnected) return;
  const [campaign, placements, drafts] = await Promise.all([
    known ? Promise.resolve(known) : api.get(`/api/v1/campaigns/${id}`), api.get(`/api/v1/placements?campaign_id=${id}&limit=25`),
    api.get(`/api/v1/campaigns/${id}/drafts?limit=25`),
  ]);
  const states = ['scheduled', 'available', 'running', 'failed_retryable', 'succeeded', 'dead', 'cancelled'];
  live.replaceChildren(
    el('section', { class: 'stats', 'aria-label': 'Tasks by state' },
      states.map((s) => stat(s.replace('_', ' '), String((campaign.tasks_by_state || {})[s] ?? 0)))),
    el('p', {}, `Status: ${campaign.status}`),
    campaign.status_reason === 'budget_exhausted'
      ? el('p', { class: 'warning', role: 'status' }, 'Paused: the budget is spent. Raise the budget below and the campaign resumes.') : '',
    el('section', { class: 'stats', 'aria-label': 'Budget' },
      stat('Budget', campaign.budget_micros ? formatMicros(campaign.budget_micros) : 'no cap'),
      stat('Spent', formatMicros(campaign.spent_micros ?? 0)),
      stat('Reserved by running work', formatMicros(campaign.reserved_micros ?? 0))),
    el('h2', {}, 'Slots'),
    drafts.items.length
      ? table(['Slot', 'Journey'], drafts.items.map((d) => [`${d.engine} · ${d.kind.replace('_', ' ')}`, journey(d)]))
      : el('p', { class: 'muted' }, 'No slot has a draft yet.'),
    drafts.next_cursor ? el('p', {}, el('a', { href: `/campaigns/${id}/drafts` }, 'Every slot\'s draft and journey')) : null,
    el('h2', {}, 'Placements'),
    placements.items.length
      ? table(['Source', 'State', 'Last checked'], placements.items.map((p) => [el('a', { href: `/placements/${p.id}` }, p.source_url), p.state, when(p.last_checked_at)]))
      : el('p', { class: 'muted' }, 'No placements for this campaign yet.'));
  poll(() => refreshCampaign(id, live), 30000);
}

/** The non-empty lines of a text box. */
function lines(text) {
  return text.split('\n').map((s) => s.trim()).filter(Boolean);
}
