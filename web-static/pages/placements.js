// Placements: the list with its state filter, the add form, the CSV import and the lost links;
// one placement's page with its check history, updated live as checks land.
import { api, uploadCSV } from '../api.js';
import { el, field, pageQuery, pager, showError, table, when } from '../dom.js';
import { poll, reloadOn, watch } from '../live.js';
import { notify, render } from '../shell.js';

const states = ['', 'pending', 'live', 'live_nofollow', 'not_indexable', 'anchor_changed', 'missing', 'source_gone', 'blocked', 'unverifiable', 'pending_moderation', 'rejected_by_site'];

export async function showPlacements(cursor, state = '') {
  const page = await api.get(`/api/v1/placements?${pageQuery(25, cursor)}${state ? `&state=${state}` : ''}`);
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
      await showPlacements(undefined, state);
      notify('Placement added; its first check is queued.', 'info');
    } catch (error) { showError(form, error, notify); }
  });
  const filter = el('select', { id: 'state-filter', onchange: (e) => showPlacements(undefined, e.target.value) },
    states.map((s) => el('option', { value: s, selected: s === state }, s || 'every state')));
  render('Placements', form,
    el('div', { class: 'field' }, el('label', { for: 'state-filter' }, 'Show'), filter),
    page.items.length
      ? table(['Source', 'Target', 'State', 'Last checked'], page.items.map((p) => [el('a', { href: `/placements/${p.id}` }, p.source_url), p.target_url, p.state, when(p.last_checked_at)]))
      : el('p', { class: 'muted' }, 'No placements here.'),
    pager(page.next_cursor, (next) => showPlacements(next, state)),
    importForm(() => showPlacements(undefined, state)),
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
        // The reload drew a new form: the finished bar and the report go into that one.
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

export async function showPlacement(id, cursor) {
  const [placement, checks] = await Promise.all([
    api.get(`/api/v1/placements/${id}`), api.get(`/api/v1/placements/${id}/checks?${pageQuery(20, cursor)}`),
  ]);
  render('Placement',
    el('section', { class: 'card' },
      el('p', {}, 'Page: ', placement.source_url), el('p', {}, 'Links to: ', placement.target_url),
      el('p', {}, 'State: ', el('strong', { id: 'placement-state' }, placement.state), ` · checked ${placement.checks} times · next check ${when(placement.next_check_at)}`),
      placement.moderation_until ? el('p', {}, `Held by the site for its moderator: rejected by the site if it does not appear by ${when(placement.moderation_until)}.`) : null,
      placement.expected_rel ? el('p', { class: 'muted' }, `The platform marks such links ${placement.expected_rel}: that is expected.`) : null,
      el('button', { type: 'button', onclick: async () => {
        try { await api.post(`/api/v1/placements/${id}/verify`); notify('A check is queued; this page updates when it lands.', 'info'); } catch (error) { notify(error.message); }
      } }, 'Check again now')),
    el('h2', {}, 'Check history'),
    checks.items.length
      ? table(['When', 'State', 'HTTP', 'Anchor', 'Rel', 'Why'], checks.items.map((c) => [when(c.checked_at), c.state, c.http_status ?? '—', c.anchor_text ?? '—', (c.rel || []).join(', '), c.detail]))
      : el('p', { class: 'muted' }, 'Not checked yet.'),
    pager(checks.next_cursor, (next) => showPlacement(id, next), 'Older checks'));
  if (!cursor) {
    watch(`placement:${id}`, reloadOn((event) => event.placement_id === id, () => showPlacement(id)));
    poll(() => showPlacement(id), 30000);
  }
}
