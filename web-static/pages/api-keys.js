// API keys for scripts and the CLI: create (the key is shown once), list, revoke.
import { api } from '../api.js';
import { el, field, pageQuery, pager, showError, table, when } from '../dom.js';
import { notify, render } from '../shell.js';

export async function showAPIKeys(cursor, created) {
  const page = await api.get(`/api/v1/api-keys?${pageQuery(25, cursor)}`);
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
      await showAPIKeys(undefined, key.key);
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
      try { await api.delete(`/api/v1/api-keys/${k.id}`); await showAPIKeys(); notify('Key revoked.', 'info'); } catch (error) { notify(error.message); }
    } }, 'Revoke')]);
  render('API keys', shown, form, rows.length ? table(['Name', 'Key', 'Scopes', 'Last used', ''], rows) : el('p', { class: 'muted' }, 'No keys yet.'),
    pager(page.next_cursor, showAPIKeys));
}
