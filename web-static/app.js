// Linkwright in the browser: a few pages over the API, routed by path (the server answers every
// app path with index.html). No framework, no build step; user data only ever set as text.
// This file is the router; each page lives in pages/, live updates in live.js.
import { api, APIError, logOut, refresh, signedIn } from './api.js';
import { stopPolling, stopWatching } from './live.js';
import { showLogin, showNotFound, showSignup } from './pages/account.js';
import { showAPIKeys } from './pages/api-keys.js';
import { showAudit } from './pages/audit.js';
import { showBilling } from './pages/billing.js';
import { showCampaign, showCampaigns } from './pages/campaigns.js';
import { showConnections } from './pages/connections.js';
import { showDashboard } from './pages/dashboard.js';
import { showDrafts } from './pages/drafts.js';
import { showOperations } from './pages/operator.js';
import { showPlacement, showPlacements } from './pages/placements.js';
import { showProspectJob, showProspecting } from './pages/prospecting.js';
import { showBatch, showBatches } from './pages/review.js';
import { showTeam } from './pages/team.js';
import { clearNotice, focusNextRender, go, notify } from './shell.js';

const nav = document.getElementById('nav');

/** Pages by path; each gets the signed-in person (from /me) and the path's id, if it has one. */
const pages = {
  '/login': () => showLogin(),
  '/signup': () => showSignup(),
  '/': (me) => (me.role === 'operator' ? showOperations() : showDashboard(me)),
  '/campaigns': () => showCampaigns(),
  '/campaigns/:id': (me, id) => showCampaign(id),
  '/campaigns/:id/drafts': (me, id) => showDrafts(id),
  '/placements': () => showPlacements(),
  '/placements/:id': (me, id) => showPlacement(id),
  '/connections': () => showConnections(),
  '/prospecting': () => showProspecting(),
  '/prospecting/:id': (me, id) => showProspectJob(id),
  '/review': () => showBatches(),
  '/batches/:id': (me, id) => showBatch(id),
  '/team': (me) => showTeam(me),
  '/api-keys': () => showAPIKeys(),
  '/audit': () => showAudit(),
  '/billing': () => showBilling(),
  '/operator': () => showOperations(),
};

const publicPaths = new Set(['/login', '/signup']);

function showNavFor(role) {
  for (const link of nav.querySelectorAll('[data-role]')) {
    const wanted = link.dataset.role;
    link.hidden = !((wanted === 'manager' && (role === 'owner' || role === 'admin'))
      || (wanted === 'tenant' && role !== 'operator') || (wanted === 'operator' && role === 'operator'));
  }
}

async function route() {
  clearNotice();
  focusNextRender();
  stopPolling();
  stopWatching();
  const path = location.pathname;
  const isPublic = publicPaths.has(path);
  if (!signedIn() && !isPublic && !(await refresh())) return go('/login');
  nav.hidden = !signedIn();
  const id = path.match(/^\/(campaigns|placements|batches|prospecting)\/([0-9a-f-]{36})(\/drafts)?$/);
  const page = id ? pages[`/${id[1]}/:id${id[3] ?? ''}`] ?? showNotFound : (pages[path] ?? showNotFound);
  try {
    // Who is signed in is asked again on every navigation, so a role change shows at once.
    const me = isPublic ? null : await api.get('/api/v1/me');
    if (me) showNavFor(me.role);
    await page(me, id ? id[2] : undefined);
  } catch (error) {
    if (error instanceof APIError && error.status === 401) return go('/login');
    notify(error.message || 'Something went wrong.');
  }
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

route();
