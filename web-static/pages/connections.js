// Connected accounts: where engines may publish. A secret is typed once and never shown again;
// the list shows its last four characters, the state, and what went wrong in words to act on.
import { api } from '../api.js';
import { el, field, pageQuery, pager, showError, table, when } from '../dom.js';
import { notify, render } from '../shell.js';

const platforms = {
  wordpress: 'WordPress (application password)',
  mediawiki: 'MediaWiki (bot password)',
  forum: 'Forum (password)',
  mastodon: 'Mastodon (access token)',
  bluesky: 'Bluesky (app password)',
  commenter: 'Commenter identity (name, email, website)',
};

function connectionForm() {
  const platform = el('select', { id: 'connection-platform', name: 'platform' },
    Object.entries(platforms).map(([value, label]) => el('option', { value }, label)));
  const secret = field('Secret (shown once, never again)', 'secret', { type: 'password', autocomplete: 'off' });
  const email = field('Email the comment is signed with', 'email', { type: 'email' });
  const owned = el('label', {}, el('input', { type: 'checkbox', name: 'owned' }), ' This is our own site (not a third-party one)');
  const form = el('form', { class: 'card', novalidate: true, 'aria-label': 'New connection' },
    el('h2', {}, 'Connect an account'),
    el('div', { class: 'field' }, el('label', { for: 'connection-platform' }, 'Platform'), platform),
    field('Label', 'label'),
    field('Site address (for a commenter: the website)', 'base_url', { type: 'url', required: true }),
    field('User name (for a commenter: the name)', 'username', { required: true, autocomplete: 'off' }),
    secret, email, el('div', { class: 'field' }, owned),
    el('button', { type: 'submit' }, 'Connect'));
  // A commenter has an email and no secret, and is never a site of ours.
  const fit = () => {
    const commenter = platform.value === 'commenter';
    secret.hidden = commenter;
    email.hidden = !commenter;
    owned.parentElement.hidden = commenter;
  };
  platform.addEventListener('change', fit);
  fit();
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const commenter = form.platform.value === 'commenter';
    const body = {
      platform: form.platform.value, base_url: form.base_url.value, username: form.username.value,
      label: form.label.value || undefined,
    };
    if (commenter) body.email = form.email.value;
    else { body.secret = form.secret.value; body.owned = form.owned.checked; }
    try {
      await api.post('/api/v1/connections', body);
      form.secret.value = '';
      await showConnections();
      notify('Connected. The secret is stored sealed and will not be shown again.', 'info');
    } catch (error) { showError(form, error, notify); }
  });
  return form;
}

function stateText(c) {
  if (c.state === 'failing') return `failing: ${c.last_error ?? 'the platform refused it'} (${when(c.last_error_at)})`;
  return c.state;
}

function actions(c) {
  // Signs in as the engines will; the verdict stays on the notice line, the row shows the new state.
  const test = el('button', { type: 'button', class: 'secondary', 'aria-label': `Test ${c.label}`, onclick: async () => {
    try {
      const result = await api.post(`/api/v1/connections/${c.id}/test`);
      await showConnections();
      notify(`${c.label}: ${result.verdict}`, result.ok ? 'info' : 'error');
    } catch (error) { notify(error.message); }
  } }, 'Test');
  const reconnect = el('button', { type: 'button', class: 'secondary', 'aria-label': `New secret for ${c.label}`, onclick: async () => {
    const secret = prompt(`A new secret for ${c.label}. It replaces the old one and is not shown again.`);
    if (!secret) return;
    try { await api.patch(`/api/v1/connections/${c.id}`, { secret }); await showConnections(); notify('Secret replaced.', 'info'); } catch (error) { notify(error.message); }
  } }, 'New secret');
  const toggle = el('button', { type: 'button', class: 'secondary', 'aria-label': `${c.state === 'disabled' ? 'Enable' : 'Disable'} ${c.label}`, onclick: async () => {
    try { await api.patch(`/api/v1/connections/${c.id}`, { state: c.state === 'disabled' ? 'active' : 'disabled' }); await showConnections(); } catch (error) { notify(error.message); }
  } }, c.state === 'disabled' ? 'Enable' : 'Disable');
  // How much of this hour and today the account has used, across every worker.
  const limits = el('button', { type: 'button', class: 'secondary', 'aria-label': `Limits of ${c.label}`, onclick: async () => {
    try {
      const usage = await api.get(`/api/v1/connections/${c.id}/limits`);
      const lines = usage.actions.map((a) => `${a.action}: ${a.used_this_hour} of ${a.per_hour} this hour, ${a.used_today} of ${a.per_day} today`);
      const next = usage.next_action_at ? `; next action after ${new Date(usage.next_action_at).toLocaleTimeString()}` : '';
      notify(`${c.label} — ${lines.join('; ')}; the hour starts again at ${new Date(usage.hour_resets_at).toLocaleTimeString()}${next}.`, 'info');
    } catch (error) { notify(error.message); }
  } }, 'Limits');
  // Each action's limits as "per hour/per day", within the platform's maximum (the API says which).
  const changeLimits = el('button', { type: 'button', class: 'secondary', 'aria-label': `Change limits of ${c.label}`, onclick: async () => {
    const changes = {};
    for (const [action, limit] of Object.entries(c.action_limits)) {
      const answer = prompt(`${c.label}: most ${action.replace('_', ' ')} actions per hour/per day`, `${limit.per_hour}/${limit.per_day}`);
      if (answer === null) return;
      const [perHour, perDay] = answer.split('/').map((n) => Number(n.trim()));
      changes[action] = { per_hour: perHour, per_day: perDay };
    }
    try { await api.patch(`/api/v1/connections/${c.id}`, { action_limits: changes }); await showConnections(); notify('Limits changed.', 'info'); } catch (error) { notify(error.message); }
  } }, 'Change limits');
  const remove = el('button', { type: 'button', class: 'secondary', 'aria-label': `Delete ${c.label}`, onclick: async () => {
    if (!confirm(`Delete the connection ${c.label}? Its secret is deleted with it.`)) return;
    try { await api.delete(`/api/v1/connections/${c.id}`); await showConnections(); } catch (error) { notify(error.message); }
  } }, 'Delete');
  return el('div', { class: 'actions' }, c.state !== 'disabled' ? test : null, c.has_secret ? reconnect : null, limits, changeLimits, toggle, remove);
}

export async function showConnections(cursor) {
  const page = await api.get(`/api/v1/connections?${pageQuery(25, cursor)}`);
  const rows = page.items.map((c) => [c.label, c.platform, c.base_url, c.platform === 'commenter' ? `${c.username} <${c.email}>` : c.username,
    c.has_secret ? (c.secret_hint ? `…${c.secret_hint}` : 'set') : '—', c.owned ? 'ours' : 'third-party', stateText(c), actions(c)]);
  render('Connections', connectionForm(),
    rows.length ? table(['Label', 'Platform', 'Site', 'Account', 'Secret', 'Site is', 'State', ''], rows)
      : el('p', { class: 'muted' }, 'No accounts connected yet: engines publish only with accounts you connect here.'),
    pager(page.next_cursor, showConnections));
}
