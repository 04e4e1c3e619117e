// The team: who belongs to the tenant and with which role. Owners and admins only.
import { api } from '../api.js';
import { el, field, pageQuery, pager, showError } from '../dom.js';
import { notify, render } from '../shell.js';

const roles = ['member', 'admin', 'owner'];

export async function showTeam(me, cursor) {
  if (me.role !== 'owner' && me.role !== 'admin') {
    return render('Team', el('p', {}, 'Only owners and admins manage the team. Ask one of them to add or change people.'));
  }
  const page = await api.get(`/api/v1/users?${pageQuery(25, cursor)}`);
  const form = el('form', { class: 'card', novalidate: true, 'aria-label': 'Invite someone' },
    el('h2', {}, 'Add someone to the team'),
    field('Email', 'email', { type: 'email', required: true }),
    field('Temporary password (at least 12 characters)', 'password', { type: 'password', autocomplete: 'new-password', required: true }),
    el('div', { class: 'field' }, el('label', { for: 'new-role' }, 'Role'),
      el('select', { id: 'new-role', name: 'role' }, roles.map((r) => el('option', { value: r, selected: r === 'member' }, r)))),
    el('button', { type: 'submit' }, 'Add'));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    try {
      await api.post('/api/v1/users', { email: form.email.value, password: form.password.value, role: form.role.value });
      await showTeam(me);
      notify('Added to the team.', 'info');
    } catch (error) { showError(form, error, notify); }
  });
  const rows = page.items.map((u) => {
    const select = el('select', { 'aria-label': `Role of ${u.email}` }, roles.map((r) => el('option', { value: r, selected: r === u.role }, r)));
    return el('tr', {}, el('td', {}, u.email), el('td', {}, select), el('td', {}, el('div', { class: 'actions' },
      el('button', { type: 'button', class: 'secondary', onclick: async () => {
        try { await api.patch(`/api/v1/users/${u.id}`, { role: select.value }); notify(`${u.email} is now ${select.value}.`, 'info'); } catch (error) { notify(error.message); }
      } }, 'Save role'),
      el('button', { type: 'button', class: 'secondary', 'aria-label': `Remove ${u.email}`, onclick: async () => {
        if (!confirm(`Remove ${u.email} from the team?`)) return;
        try { await api.delete(`/api/v1/users/${u.id}`); await showTeam(me); } catch (error) { notify(error.message); }
      } }, 'Remove'))));
  });
  render('Team', form, el('table', {}, el('thead', {}, el('tr', {}, ['Email', 'Role', 'Actions'].map((h) => el('th', { scope: 'col' }, h)))), el('tbody', {}, rows)),
    pager(page.next_cursor, (next) => showTeam(me, next)));
}
