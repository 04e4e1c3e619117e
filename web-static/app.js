// Linkwright in the browser: a few views over the API, routed by path (the server answers every
// app path with this page). No framework, no build step; user data only ever set as text.
import { api, APIError, fetchText, follow, logIn, logOut, refresh, signedIn, signUp, uploadCSV } from './api.js';
import { barChart } from './chart.js';
import { dollarsToMicros, el, field, formatMicros, showError, when } from './dom.js';

const main = document.getElementById('main');
const notice = document.getElementById('notice');
const nav = document.getElementById('nav');

function notify(message, kind = 'error') {
  notice.textContent = message;
  notice.className = kind === 'info' ? 'info' : '';
  notice.hidden = false;
}

function clearNotice() { notice.hidden = true; notice.textContent = ''; }

// Focus moves to the new page after a navigation, never when a page refreshes itself.
let focusOnRender = false;

function render(title, ...children) {
  document.title = `${title} · Linkwright`;
  main.replaceChildren(el('h1', {}, title), ...children.filter((child) => child));
  if (focusOnRender) main.focus();
  focusOnRender = false;
}

function go(path) {
  history.pushState({}, '', path);
  route();
}

document.addEventListener('click', (event) => {
  const link = event.target.closest('a[href^="/"]');
  if (!link || event.metaKey || event.ctrlKey) return;
  event.preventDefault();
  go(link.getAttribute('href'));
});
window.addEventListener('popstate', route);
document.getElementById('logout').addEventListener('click', async () => {
  await logOut();
  go('/login');
});

const views = {
  '/login': loginView,
  '/signup': signupView,
  '/': dashboardView,
  '/campaigns': campaignsView,
  '/placements': placementsView,
  '/team': teamView,
  '/api-keys': apiKeysView,
  '/audit': auditView,
  '/billing': billingView,
  '/operator': operatorView,
};

/** Who is signed in (from /me), refreshed on every route change after sign-in. */
let me = null;

function isManager() { return me && (me.role === 'owner' || me.role === 'admin'); }

function showNavFor(role) {
  for (const link of nav.querySelectorAll('[data-role]')) {
    const wanted = link.dataset.role;
    link.hidden = !((wanted === 'manager' && (role === 'owner' || role === 'admin'))
      || (wanted === 'tenant' && role !== 'operator') || (wanted === 'operator' && role === 'operator'));
  }
}

async function route() {
  clearNotice();
  focusOnRender = true;
  const path = location.pathname;
  const isPublic = path === '/login' || path === '/signup';
  if (!signedIn() && !isPublic && !(await refresh())) return go('/login');
  nav.hidden = !signedIn();
  if (signedIn() && !isPublic) {
    try { me = await api.get('/api/v1/me'); showNavFor(me.role); } catch (error) { if (error.status === 401) return go('/login'); }
  }
  const detail = path.match(/^\/(campaigns|placements)\/([0-9a-f-]{36})$/);
  const view = detail ? () => (detail[1] === 'campaigns' ? campaignView(detail[2]) : placementView(detail[2])) : (views[path] ?? notFoundView);
  stopPolling();
  stopWatching();
  try {
    await view();
  } catch (error) {
    if (error instanceof APIError && error.status === 401) return go('/login');
    notify(error.message || 'Something went wrong.');
  }
}

function notFoundView() {
  render('Page not found', el('p', {}, 'There is nothing here. ', el('a', { href: '/' }, 'Go to the dashboard.')));
}

function loginView() {
  const form = el('form', { class: 'card', novalidate: true },
    field('Email', 'email', { type: 'email', autocomplete: 'username', required: true }),
    field('Password', 'password', { type: 'password', autocomplete: 'current-password', required: true }),
    el('button', { type: 'submit' }, 'Log in'));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    try {
      await logIn(form.email.value, form.password.value);
      go('/');
    } catch (error) { showError(form, error, notify); }
  });
  render('Log in', form, el('p', {}, 'New here? ', el('a', { href: '/signup' }, 'Create an account.')));
}

function signupView() {
  const form = el('form', { class: 'card', novalidate: true },
    field('Agency name', 'tenant_name', { required: true, autocomplete: 'organization' }),
    field('Email', 'email', { type: 'email', autocomplete: 'username', required: true }),
    field('Password (at least 12 characters)', 'password', { type: 'password', autocomplete: 'new-password', required: true }),
    el('button', { type: 'submit' }, 'Create account'));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    try {
      await signUp(form.email.value, form.password.value, form.tenant_name.value);
      go('/');
    } catch (error) { showError(form, error, notify); }
  });
  render('Create your account', form, el('p', {}, 'Have an account? ', el('a', { href: '/login' }, 'Log in.')));
}

async function dashboardView() {
  if (me && me.role === 'operator') return operatorView();
  // `me` was fetched by the router for this navigation.
  const profile = me ?? await api.get('/api/v1/me');
  const from = new Date(Date.now() - 30 * 86400000).toISOString();
  const [campaigns, placements, summary] = await Promise.all([
    api.get('/api/v1/campaigns?limit=100'), api.get('/api/v1/placements?limit=100'),
    api.get(`/api/v1/metrics/summary?granularity=day&from=${encodeURIComponent(from)}`),
  ]);
  const byState = {};
  for (const p of placements.items) byState[p.state] = (byState[p.state] ?? 0) + 1;
  const usage = profile.plan ? profile.plan.usage : null;
  const activity = el('ul', { id: 'live-activity', 'aria-live': 'polite' }, el('li', { class: 'muted' }, 'Nothing yet: work shows up here as it happens.'));
  const limits = profile.plan ? profile.plan.limits : null;
  render(`${profile.tenant ? profile.tenant.name : 'Operator'}`,
    profile.plan ? el('section', { class: 'stats', 'aria-label': 'Plan usage this month' },
      stat(`Plan`, profile.plan.name),
      stat('Active campaigns', `${usage.active_campaigns} of ${limits.active_campaigns}`),
      stat('Placements this month', `${usage.placements_this_month} of ${limits.placements_per_month}`)) : null,
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

const eventWords = {
  'task.succeeded': 'task done', 'task.retrying': 'task failed, will retry', 'task.dead': 'task failed for good',
  'placement.checked': 'placement checked', 'link.lost': 'link lost',
};
function describeEvent(event) {
  const what = eventWords[event.type] ?? event.type;
  return `${what} (${event.engine}${event.state ? `: ${event.state.replace('_', ' ')}` : ''}${event.error ? ` — ${event.error}` : ''})`;
}

/** A daily series from the rollups as a bar chart, with its total for screen readers. */
function dailyChart(items, key, label, format = String) {
  const total = items.reduce((sum, item) => sum + item[key], 0);
  return el('figure', {},
    el('figcaption', {}, `${label} (total ${format(total)})`),
    barChart(items.map((item) => ({ label: item.start.slice(5, 10), value: item[key], title: `${item.start.slice(0, 10)}: ${format(item[key])}` })),
      { label, summary: `total ${format(total)} over ${items.length} days` }));
}

function stat(label, value) {
  return el('div', { class: 'stat' }, el('span', { class: 'muted' }, label), el('strong', {}, value));
}

function table(headings, rows) {
  return el('table', {},
    el('thead', {}, el('tr', {}, headings.map((h) => el('th', { scope: 'col' }, h)))),
    el('tbody', {}, rows.map((cells) => el('tr', {}, cells.map((c) => el('td', {}, c))))));
}

const actions = { draft: ['start', 'archive'], active: ['pause', 'archive'], paused: ['resume', 'archive'], completed: ['archive'], archived: [] };

async function campaignsView(cursor) {
  const page = await api.get(`/api/v1/campaigns?limit=25${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
  const form = el('form', { class: 'card', novalidate: true, 'aria-label': 'New campaign' },
    el('h2', {}, 'New campaign'),
    field('Name', 'name', { required: true }),
    field('Target URL', 'target_url', { type: 'url', required: true }),
    field('Anchor texts (one per line)', 'anchor_texts', { multiline: true, rows: 3 }),
    field('Engines (comma separated: comments, web2, forums, social)', 'engines', { value: 'web2' }),
    field('Links a day', 'daily_limit', { type: 'number', value: '5', min: '1', max: '1000' }),
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
      });
      notify('Campaign created.', 'info');
      await campaignsView();
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
          await campaignsView(cursor);
        } catch (error) { notify(error.message); }
      },
    }, action))))));
  render('Campaigns', form,
    page.items.length
      ? el('table', {}, el('thead', {}, el('tr', {}, ['Name', 'Status', 'Target', 'Actions'].map((h, i) => el('th', { scope: 'col', class: i === 2 ? 'optional' : undefined }, h)))), el('tbody', {}, rows))
      : el('p', { class: 'muted' }, 'No campaigns yet.'),
    page.next_cursor ? el('button', { type: 'button', class: 'secondary', onclick: () => campaignsView(page.next_cursor) }, 'Next page') : null);
}

async function placementsView(cursor, state = '') {
  const query = `limit=25${state ? `&state=${state}` : ''}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
  const page = await api.get(`/api/v1/placements?${query}`);
  const form = el('form', { class: 'card', novalidate: true, 'aria-label': 'New placement' },
    el('h2', {}, 'Add a placement'),
    field('Page with the link', 'source_url', { type: 'url', required: true }),
    field('Where it should point', 'target_url', { type: 'url', required: true }),
    field('Expected anchor text (optional)', 'expected_anchor'),
    el('button', { type: 'submit' }, 'Add and verify'));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    try {
      await api.post('/api/v1/placements', {
        source_url: form.source_url.value, target_url: form.target_url.value,
        expected_anchor: form.expected_anchor.value || undefined,
      });
      await placementsView(undefined, state);
      notify('Placement added; its first check is queued.', 'info');
    } catch (error) { showError(form, error, notify); }
  });
  const states = ['', 'pending', 'live', 'live_nofollow', 'not_indexable', 'anchor_changed', 'missing', 'source_gone', 'blocked', 'unverifiable'];
  const filter = el('select', { id: 'state-filter', onchange: (e) => placementsView(undefined, e.target.value) },
    states.map((s) => el('option', { value: s, selected: s === state }, s || 'every state')));
  render('Placements', form,
    el('div', { class: 'field' }, el('label', { for: 'state-filter' }, 'Show'), filter),
    page.items.length
      ? table(['Source', 'Target', 'State', 'Last checked'], page.items.map((p) => [el('a', { href: `/placements/${p.id}` }, p.source_url), p.target_url, p.state, when(p.last_checked_at)]))
      : el('p', { class: 'muted' }, 'No placements here.'),
    page.next_cursor ? el('button', { type: 'button', class: 'secondary', onclick: () => placementsView(page.next_cursor, state) }, 'Next page') : null,
    importForm(() => placementsView(undefined, state)),
    await lostLinks());
}

/** CSV import with an upload progress bar and every rejected row listed by line. */
function importForm(reload) {
  const input = el('input', { type: 'file', id: 'import-file', name: 'file', accept: '.csv,text/csv' });
  const progress = el('progress', { id: 'import-progress', max: '100', value: '0', hidden: true }, '0%');
  const report = el('div', { id: 'import-report', 'aria-live': 'polite' });
  const form = el('form', { class: 'card', 'aria-label': 'Import placements' },
    el('h2', {}, 'Import placements from CSV'),
    el('p', { class: 'muted' }, 'Columns: source_url, target_url, expected_anchor (a header row is optional; up to 50,000 rows).'),
    el('div', { class: 'field' }, el('label', { for: 'import-file' }, 'CSV file'), input),
    progress, el('button', { type: 'submit' }, 'Import'), report);
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const file = input.files[0];
    if (!file) return notify('Choose a CSV file first.');
    progress.hidden = false;
    uploadCSV(file, (fraction) => { progress.value = Math.round(fraction * 100); progress.textContent = `${progress.value}%`; })
      .then(async (result) => {
        await reload();
        const bar = document.getElementById('import-progress');
        bar.hidden = false; bar.value = 100; bar.textContent = '100%';
        const target = document.getElementById('import-report');
        target.replaceChildren(el('p', {}, `${result.created} created, ${result.duplicates} already placed, ${result.errors.length} rows rejected.`),
          result.errors.length ? table(['Row', 'Problem'], result.errors.map((e) => [e.row, e.message])) : '');
      })
      .catch((error) => notify(error.message));
  });
  return form;
}

async function lostLinks() {
  const events = await api.get('/api/v1/events?type=link_lost&limit=10');
  return el('section', { 'aria-label': 'Lost links' }, el('h2', {}, 'Lost links'),
    events.items.length
      ? table(['When', 'Page', 'State'], events.items.map((e) => [when(e.created_at),
          e.placement_id ? el('a', { href: `/placements/${e.placement_id}` }, e.payload.source_url ?? e.placement_id) : e.payload.source_url, e.payload.state ?? '']))
      : el('p', { class: 'muted' }, 'No link has been lost.'));
}

async function placementView(id, cursor) {
  const [placement, checks] = await Promise.all([
    api.get(`/api/v1/placements/${id}`), api.get(`/api/v1/placements/${id}/checks?limit=20${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`),
  ]);
  render('Placement',
    el('section', { class: 'card' },
      el('p', {}, 'Page: ', placement.source_url), el('p', {}, 'Links to: ', placement.target_url),
      el('p', {}, 'State: ', el('strong', { id: 'placement-state' }, placement.state), ` · checked ${placement.checks} times · next check ${when(placement.next_check_at)}`),
      el('button', { type: 'button', onclick: async () => {
        try { await api.post(`/api/v1/placements/${id}/verify`); notify('A check is queued; this page updates when it lands.', 'info'); } catch (error) { notify(error.message); }
      } }, 'Check again now')),
    el('h2', {}, 'Check history'),
    checks.items.length
      ? table(['When', 'State', 'HTTP', 'Anchor', 'Rel', 'Why'], checks.items.map((c) => [when(c.checked_at), c.state, c.http_status ?? '—', c.anchor_text ?? '—', (c.rel || []).join(', '), c.detail]))
      : el('p', { class: 'muted' }, 'Not checked yet.'),
    checks.next_cursor ? el('button', { type: 'button', class: 'secondary', onclick: () => placementView(id, checks.next_cursor) }, 'Older checks') : null);
  if (!cursor) {
    watch(`placement:${id}`, reloadOn((event) => event.placement_id === id, () => placementView(id)));
    poll(() => placementView(id), 30000);
  }
}

async function campaignView(id) {
  const campaign = await api.get(`/api/v1/campaigns/${id}`);
  const live = el('div', { id: 'campaign-live' });
  const form = el('form', { class: 'card', novalidate: true, 'aria-label': 'Edit campaign' },
    el('h2', {}, 'Settings'),
    field('Name', 'name', { value: campaign.name, required: true }),
    field('Target URL', 'target_url', { type: 'url', value: campaign.target_url, required: true }),
    field('Links a day', 'daily_limit', { type: 'number', value: String(campaign.daily_limit), min: '1', max: '1000' }),
    field('Check placements every (hours)', 'verify_every_hours', { type: 'number', value: String(campaign.verify_every_hours), min: '1', max: '720' }),
    field('Budget in dollars (0 = no cap)', 'budget_micros', { inputmode: 'decimal', value: formatMicros(campaign.budget_micros, { symbol: false }).replaceAll(',', '') }),
    el('button', { type: 'submit' }, 'Save changes'));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const budget = dollarsToMicros(form.budget_micros.value);
    if (budget === null) return showError(form, { field: 'budget_micros', message: 'Enter an amount in dollars, like 250 or 99.50.' }, notify);
    try {
      const saved = await api.patch(`/api/v1/campaigns/${id}`, {
        name: form.name.value, target_url: form.target_url.value,
        daily_limit: Number(form.daily_limit.value), verify_every_hours: Number(form.verify_every_hours.value),
        budget_micros: budget,
      });
      document.querySelector('main h1').textContent = saved.name;
      showError(form, { message: '' }, () => {});
      notify('Saved.', 'info');
    } catch (error) { showError(form, error, notify); }
  });
  const from = new Date(Date.now() - 14 * 86400000).toISOString();
  const [estimate, metrics] = await Promise.all([
    campaign.status === 'draft' ? api.get(`/api/v1/campaigns/${id}/estimate`) : Promise.resolve(null),
    api.get(`/api/v1/campaigns/${id}/metrics?granularity=day&from=${encodeURIComponent(from)}`),
  ]);
  render(campaign.name, live,
    estimate ? el('p', { id: 'campaign-estimate' },
      `Expected cost: ${formatMicros(estimate.low_micros, { cents: true })} to ${formatMicros(estimate.high_micros, { cents: true })} for ${estimate.tasks} placements `,
      `(${estimate.basis === 'history' ? `from your last ${estimate.history_tasks} placements` : 'at list prices'})`,
      estimate.fits_budget ? '.' : ' — more than the budget allows.') : null,
    el('h2', {}, 'Last 14 days'),
    dailyChart(metrics.items, 'tasks_finished', 'Tasks finished per day'),
    dailyChart(metrics.items, 'cost_micros', 'Cost per day', (v) => formatMicros(v, { cents: true })),
    form);
  await refreshCampaign(id, live, campaign);
  watch(`campaign:${id}`, reloadOn((event) => event.campaign_id === id, () => refreshCampaign(id, live)));
}

/** The parts of a campaign's page that change while work runs; the settings form is left alone. */
async function refreshCampaign(id, live, known) {
  if (!live.isConnected) return;
  const [campaign, placements] = await Promise.all([
    known ? Promise.resolve(known) : api.get(`/api/v1/campaigns/${id}`), api.get(`/api/v1/placements?campaign_id=${id}&limit=25`),
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
    el('h2', {}, 'Placements'),
    placements.items.length
      ? table(['Source', 'State', 'Last checked'], placements.items.map((p) => [el('a', { href: `/placements/${p.id}` }, p.source_url), p.state, when(p.last_checked_at)]))
      : el('p', { class: 'muted' }, 'No placements for this campaign yet.'));
  poll(() => refreshCampaign(id, live), 30000);
}

// Live progress: one page follows the tenant's event stream at a time, and a route change stops
// it. Pages reload their changing parts when an event concerns them; the slow poll below only
// covers a stream that is down.
let watching = null;
let stopFollowing = null;
function watch(key, onEvent) {
  if (watching === key) return;
  stopWatching();
  watching = key;
  stopFollowing = follow(onEvent);
}
function stopWatching() { if (stopFollowing) stopFollowing(); stopFollowing = null; watching = null; }

/** An event handler that reloads when `matches`, at most once per half second and never while the person types. */
function reloadOn(matches, load) {
  let timer = null;
  const later = () => {
    timer = setTimeout(async () => {
      if (isTyping()) return later();
      timer = null;
      try { await load(); } catch (error) { notify(error.message); }
    }, 500);
  };
  return (event) => { if (matches(event) && !timer) later(); };
}

function isTyping() {
  return document.activeElement && ['INPUT', 'SELECT', 'TEXTAREA'].includes(document.activeElement.tagName);
}

// One page polls at a time; a route change stops it. Polling only swaps the page in when the
// person is not typing, so updates never take focus away.
let pollTimer = null;
function poll(load, every) {
  stopPolling();
  pollTimer = setTimeout(async () => {
    if (isTyping()) return poll(load, every);
    try { await load(); } catch (error) { notify(error.message); }
  }, every);
}
function stopPolling() { if (pollTimer) clearTimeout(pollTimer); pollTimer = null; }

function pager(cursor, load) {
  return cursor ? el('button', { type: 'button', class: 'secondary', onclick: () => load(cursor) }, 'Next page') : null;
}

async function billingView(cursor) {
  const [usage, reports] = await Promise.all([
    api.get('/api/v1/billing/usage'), api.get(`/api/v1/billing/reports?limit=12${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`),
  ]);
  const download = async (period, format) => {
    try {
      const { text, type } = await fetchText(`/api/v1/billing/reports/${period}?format=${format}`);
      const url = URL.createObjectURL(new Blob([text], { type }));
      if (format === 'html') window.open(url, '_blank', 'noopener');
      else el('a', { href: url, download: `linkwright-${period}.${format}` }).click();
      setTimeout(() => URL.revokeObjectURL(url), 60000);
    } catch (error) { notify(error.message); }
  };
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
    pager(reports.next_cursor, billingView));
}

async function teamView(cursor) {
  if (!isManager()) {
    return render('Team', el('p', {}, 'Only owners and admins manage the team. Ask one of them to add or change people.'));
  }
  const page = await api.get(`/api/v1/users?limit=25${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
  const roleSelect = (name, value, label) => el('div', { class: 'field' }, el('label', { for: `${name}-role` }, label),
    el('select', { id: `${name}-role`, name: 'role' }, ['member', 'admin', 'owner'].map((r) => el('option', { value: r, selected: r === value }, r))));
  const form = el('form', { class: 'card', novalidate: true, 'aria-label': 'Invite someone' },
    el('h2', {}, 'Add someone to the team'),
    field('Email', 'email', { type: 'email', required: true }),
    field('Temporary password (at least 12 characters)', 'password', { type: 'password', autocomplete: 'new-password', required: true }),
    roleSelect('new', 'member', 'Role'),
    el('button', { type: 'submit' }, 'Add'));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    try {
      await api.post('/api/v1/users', { email: form.email.value, password: form.password.value, role: form.role.value });
      await teamView();
      notify('Added to the team.', 'info');
    } catch (error) { showError(form, error, notify); }
  });
  const rows = page.items.map((u) => {
    const select = el('select', { 'aria-label': `Role of ${u.email}` }, ['member', 'admin', 'owner'].map((r) => el('option', { value: r, selected: r === u.role }, r)));
    return el('tr', {}, el('td', {}, u.email), el('td', {}, select), el('td', {}, el('div', { class: 'actions' },
      el('button', { type: 'button', class: 'secondary', onclick: async () => {
        try { await api.patch(`/api/v1/users/${u.id}`, { role: select.value }); notify(`${u.email} is now ${select.value}.`, 'info'); } catch (error) { notify(error.message); }
      } }, 'Save role'),
      el('button', { type: 'button', class: 'secondary', 'aria-label': `Remove ${u.email}`, onclick: async () => {
        if (!confirm(`Remove ${u.email} from the team?`)) return;
        try { await api.delete(`/api/v1/users/${u.id}`); await teamView(); } catch (error) { notify(error.message); }
      } }, 'Remove'))));
  });
  render('Team', form, el('table', {}, el('thead', {}, el('tr', {}, ['Email', 'Role', 'Actions'].map((h) => el('th', { scope: 'col' }, h)))), el('tbody', {}, rows)),
    pager(page.next_cursor, teamView));
}

async function apiKeysView(cursor, created) {
  const page = await api.get(`/api/v1/api-keys?limit=25${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
  const scopes = el('fieldset', { class: 'field' }, el('legend', {}, 'Scopes'),
    ['read', 'write', 'admin'].map((s) => el('label', {}, el('input', { type: 'checkbox', name: 'scopes', value: s, checked: s === 'read' }), ` ${s} `)));
  const form = el('form', { class: 'card', novalidate: true, 'aria-label': 'New API key' },
    el('h2', {}, 'Create an API key'), field('Name', 'name', { required: true }), scopes, el('button', { type: 'submit' }, 'Create key'));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    try {
      const key = await api.post('/api/v1/api-keys', {
        name: form.name.value, scopes: [...form.querySelectorAll('input[name=scopes]:checked')].map((i) => i.value),
      });
      await apiKeysView(undefined, key.key);
    } catch (error) { showError(form, error, notify); }
  });
  const shown = created ? el('section', { class: 'card', 'aria-label': 'New key' },
    el('p', {}, 'Copy this key now: it is shown only once.'),
    el('code', { id: 'new-key' }, created), ' ',
    el('button', { type: 'button', class: 'secondary', onclick: async () => {
      try { await navigator.clipboard.writeText(created); notify('Copied.', 'info'); } catch { notify('Copying failed; select the key and copy it by hand.'); }
    } }, 'Copy')) : null;
  const rows = page.items.map((k) => [k.name, `${k.prefix}…`, k.scopes.join(', '), when(k.last_used_at),
    el('button', { type: 'button', class: 'secondary', 'aria-label': `Revoke ${k.name}`, onclick: async () => {
      try { await api.delete(`/api/v1/api-keys/${k.id}`); await apiKeysView(); notify('Key revoked.', 'info'); } catch (error) { notify(error.message); }
    } }, 'Revoke')]);
  render('API keys', shown, form, rows.length ? table(['Name', 'Key', 'Scopes', 'Last used', ''], rows) : el('p', { class: 'muted' }, 'No keys yet.'),
    pager(page.next_cursor, apiKeysView));
}

async function auditView(cursor) {
  const page = await api.get(`/api/v1/audit-log?limit=50${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
  render('Audit log', page.items.length
    ? table(['When', 'Action', 'Outcome', 'Actor'], page.items.map((e) => [when(e.created_at), e.action, `${e.outcome} (${e.status})`, e.actor_kind]))
    : el('p', { class: 'muted' }, 'Nothing yet.'), pager(page.next_cursor, auditView));
}

async function operatorView() {
  const [queue, dead, tenants] = await Promise.all([
    api.get('/api/v1/admin/queue'), api.get('/api/v1/admin/dead-tasks?limit=25'), api.get('/api/v1/admin/tenants?limit=25'),
  ]);
  const laneRows = queue.lanes.map((l) => [l.lane, l.available, l.running, l.scheduled, l.dead, `${Math.round(l.oldest_available_age_seconds)} s`,
    el('button', { type: 'button', class: 'secondary', 'aria-label': `${l.paused ? 'Resume' : 'Pause'} ${l.lane}`, onclick: async () => {
      try { await api.post(`/api/v1/admin/lanes/${l.lane}/${l.paused ? 'resume' : 'pause'}`); await operatorView(); } catch (error) { notify(error.message); }
    } }, l.paused ? 'Resume' : 'Pause')]);
  const deadRows = dead.items.map((t) => [t.engine, t.lane, t.last_error ?? '', when(t.finished_at),
    el('button', { type: 'button', class: 'secondary', onclick: async () => {
      try { await api.post(`/api/v1/admin/dead-tasks/${t.id}/retry`); await operatorView(); } catch (error) { notify(error.message); }
    } }, 'Retry')]);
  const tenantRows = tenants.items.map((t) => {
    const plan = el('select', { 'aria-label': `Plan of ${t.name}` }, ['free', 'pro', 'agency'].map((p) => el('option', { value: p, selected: p === t.plan }, p)));
    return [t.name, plan, el('button', { type: 'button', class: 'secondary', onclick: async () => {
      try { await api.patch(`/api/v1/admin/tenants/${t.id}`, { plan: plan.value }); notify(`${t.name} is on ${plan.value}.`, 'info'); } catch (error) { notify(error.message); }
    } }, 'Save plan')];
  });
  render('Operations',
    el('h2', {}, 'Queue'), table(['Lane', 'Available', 'Running', 'Scheduled', 'Dead', 'Oldest waiting', ''], laneRows),
    el('h2', {}, 'Dead tasks'), deadRows.length ? table(['Engine', 'Lane', 'Last error', 'Died', ''], deadRows) : el('p', { class: 'muted' }, 'None.'),
    el('h2', {}, 'Tenants'), table(['Tenant', 'Plan', ''], tenantRows));
}

route();
