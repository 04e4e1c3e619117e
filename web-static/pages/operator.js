// Operations, for operators only: the queue's lanes (pause and resume), dead tasks (retry) and
// tenants' plans.
import { api } from '../api.js';
import { el, table, when } from '../dom.js';
import { notify, render } from '../shell.js';

/** A button that posts or patches, then redraws this page; failures go to the notice line. */
function action(label, attributes, send, after = showOperations) {
  return el('button', { type: 'button', class: 'secondary', ...attributes, onclick: async () => {
    try { await send(); await after(); } catch (error) { notify(error.message); }
  } }, label);
}

export async function showOperations() {
  const [queue, dead, tenants] = await Promise.all([
    api.get('/api/v1/admin/queue'), api.get('/api/v1/admin/dead-tasks?limit=25'), api.get('/api/v1/admin/tenants?limit=25'),
  ]);
  const laneRows = queue.lanes.map((l) => [l.lane, l.available, l.running, l.scheduled, l.dead, `${Math.round(l.oldest_available_age_seconds)} s`,
    action(l.paused ? 'Resume' : 'Pause', { 'aria-label': `${l.paused ? 'Resume' : 'Pause'} ${l.lane}` },
      () => api.post(`/api/v1/admin/lanes/${l.lane}/${l.paused ? 'resume' : 'pause'}`))]);
  const deadRows = dead.items.map((t) => [t.engine, t.lane, t.last_error ?? '', when(t.finished_at),
    action('Retry', {}, () => api.post(`/api/v1/admin/dead-tasks/${t.id}/retry`))]);
  const tenantRows = tenants.items.map((t) => {
    const plan = el('select', { 'aria-label': `Plan of ${t.name}` }, ['free', 'pro', 'agency'].map((p) => el('option', { value: p, selected: p === t.plan }, p)));
    return [t.name, plan, action('Save plan', {}, () => api.patch(`/api/v1/admin/tenants/${t.id}`, { plan: plan.value }),
      async () => notify(`${t.name} is on ${plan.value}.`, 'info'))];
  });
  render('Operations',
    el('h2', {}, 'Queue'), table(['Lane', 'Available', 'Running', 'Scheduled', 'Dead', 'Oldest waiting', ''], laneRows),
    el('h2', {}, 'Dead tasks'), deadRows.length ? table(['Engine', 'Lane', 'Last error', 'Died', ''], deadRows) : el('p', { class: 'muted' }, 'None.'),
    el('h2', {}, 'Tenants'), table(['Tenant', 'Plan', ''], tenantRows));
}
