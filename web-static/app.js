// Linkwright in the browser: a few views over the API, routed by path (the server answers every
// app path with this page). No framework, no build step; user data only ever set as text.
import { api, APIError, logIn, logOut, refresh, signedIn, signUp } from './api.js';
import { el, field, showError, when } from './dom.js';

const main = document.getElementById('main');
const notice = document.getElementById('notice');
const nav = document.getElementById('nav');

function notify(message, kind = 'error') {
  notice.textContent = message;
  notice.className = kind === 'info' ? 'info' : '';
  notice.hidden = false;
}

function clearNotice() { notice.hidden = true; notice.textContent = ''; }

function render(title, ...children) {
  document.title = `${title} · Linkwright`;
  main.replaceChildren(el('h1', {}, title), ...children.filter((child) => child));
  main.focus();
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
};

async function route() {
  clearNotice();
  const path = location.pathname;
  const isPublic = path === '/login' || path === '/signup';
  if (!signedIn() && !isPublic && !(await refresh())) return go('/login');
  nav.hidden = !signedIn();
  const view = views[path] ?? notFoundView;
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
  const [me, campaigns, placements] = await Promise.all([
    api.get('/api/v1/me'), api.get('/api/v1/campaigns?limit=100'), api.get('/api/v1/placements?limit=100'),
  ]);
  const byState = {};
  for (const p of placements.items) byState[p.state] = (byState[p.state] ?? 0) + 1;
  const usage = me.plan ? me.plan.usage : null;
  const limits = me.plan ? me.plan.limits : null;
  render(`${me.tenant ? me.tenant.name : 'Operator'}`,
    me.plan ? el('section', { class: 'stats', 'aria-label': 'Plan usage this month' },
      stat(`Plan`, me.plan.name),
      stat('Active campaigns', `${usage.active_campaigns} of ${limits.active_campaigns}`),
      stat('Placements this month', `${usage.placements_this_month} of ${limits.placements_per_month}`)) : null,
    el('h2', {}, 'Campaigns'),
    campaigns.items.length ? table(['Name', 'Status'], campaigns.items.map((c) => [c.name, c.status])) : el('p', { class: 'muted' }, 'No campaigns yet.'),
    el('h2', {}, 'Placements by state'),
    Object.keys(byState).length ? table(['State', 'Placements'], Object.entries(byState)) : el('p', { class: 'muted' }, 'No placements yet.'));
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
    el('td', {}, c.name), el('td', {}, c.status), el('td', { class: 'optional' }, c.target_url),
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
      ? table(['Source', 'Target', 'State', 'Last checked'], page.items.map((p) => [p.source_url, p.target_url, p.state, when(p.last_checked_at)]))
      : el('p', { class: 'muted' }, 'No placements here.'),
    page.next_cursor ? el('button', { type: 'button', class: 'secondary', onclick: () => placementsView(page.next_cursor, state) }, 'Next page') : null);
}

route();
