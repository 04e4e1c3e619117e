// Review: the batches, and one batch item by item. Approve (a), reject (r, with a reason) or
// send back for regeneration (g, with notes for the next version); the previous version is
// shown beside a rewritten one. Nothing is published until a person approves it.
import { api, fetchText } from '../api.js';
import { draftPreview, el, pageQuery, pager, table, when } from '../dom.js';
import { reloadOn, watch } from '../live.js';
import { go, notify, render } from '../shell.js';

export async function showBatches(cursor) {
  const page = await api.get(`/api/v1/batches?${pageQuery(25, cursor)}`);
  render('Review',
    el('p', {}, 'A batch is made from a campaign\'s ready drafts, on the campaign\'s drafts page.'),
    page.items.length
      ? table(['Batch', 'Approved', 'Rejected', 'Pending', 'Made'], page.items.map((b) => [
        el('a', { href: `/batches/${b.id}` }, b.complete ? 'Done' : 'Open'), b.approved, b.rejected, b.pending, when(b.created_at)]))
      : el('p', { class: 'muted' }, 'No batches yet.'),
    pager(page.next_cursor, showBatches));
}

/** Makes a batch of the campaign's ready drafts and opens it. */
export async function reviewCampaign(campaignID) {
  try {
    const batch = await api.post('/api/v1/batches', { campaign_id: campaignID });
    go(`/batches/${batch.id}`);
  } catch (error) { notify(error.message); }
}

function version(snapshot, title) {
  const body = snapshot.kind === 'article' || snapshot.kind === 'forum_reply' ? draftPreview(snapshot.body) : el('p', { class: 'preview' }, snapshot.body);
  return el('section', { class: 'version', 'aria-label': title },
    el('h3', {}, `${title} (version ${snapshot.version})`),
    el('ul', { class: 'checks' }, snapshot.checks.map((c) => el('li', { class: c.passed ? 'ok' : 'warning' },
      `${c.passed ? '✓' : '✗'} ${c.name.replace('_', ' ')}: ${c.detail}`))),
    body);
}

let shortcuts = null;

export async function showBatch(id, wanted) {
  const batch = await api.get(`/api/v1/batches/${id}`);
  const items = batch.items;
  const index = wanted ?? Math.max(0, items.findIndex((i) => i.decision === 'pending'));
  const item = items[index];
  const notes = el('textarea', { id: 'review-notes', rows: 3, 'aria-describedby': 'review-help' });
  const decide = async (decision) => {
    if (decision === 'reject' && !notes.value.trim()) { notes.focus(); return notify('Say why it is rejected, in the notes.'); }
    try {
      await api.post(`/api/v1/batches/${id}/items/${item.id}/review`, { decision, notes: notes.value.trim() || undefined });
      const next = items.findIndex((i, n) => n > index && i.decision === 'pending');
      await showBatch(id, next >= 0 ? next : undefined);
      notify({ approve: 'Approved: it will be published.', reject: 'Rejected.', needs_regeneration: 'Sent back: the new version comes back here.' }[decision], 'info');
    } catch (error) { notify(error.message); }
  };
  const pending = item && item.decision === 'pending';
  const buttons = el('div', { class: 'actions' },
    el('button', { type: 'button', disabled: !pending, onclick: () => decide('approve') }, 'Approve (a)'),
    el('button', { type: 'button', class: 'secondary', disabled: !pending, onclick: () => decide('reject') }, 'Reject (r)'),
    el('button', { type: 'button', class: 'secondary', disabled: !pending, onclick: () => decide('needs_regeneration') }, 'Regenerate (g)'));
  const nav = el('div', { class: 'actions' },
    el('button', { type: 'button', class: 'secondary', disabled: index === 0, onclick: () => showBatch(id, index - 1) }, 'Previous item'),
    el('button', { type: 'button', class: 'secondary', disabled: index >= items.length - 1, onclick: () => showBatch(id, index + 1) }, 'Next item'));
  render('Review batch',
    el('section', { class: 'stats', 'aria-label': 'Batch' },
      el('div', { class: 'stat' }, el('span', { class: 'muted' }, 'Approved'), el('strong', {}, String(batch.approved))),
      el('div', { class: 'stat' }, el('span', { class: 'muted' }, 'Rejected'), el('strong', {}, String(batch.rejected))),
      el('div', { class: 'stat' }, el('span', { class: 'muted' }, 'Pending'), el('strong', {}, String(batch.pending)))),
    batch.complete ? el('p', { role: 'status' }, 'Every item is decided: export the approved drafts with the buttons below.') : null,
    item ? el('article', { class: 'card', 'aria-label': 'Item under review' },
      el('h2', {}, `Item ${index + 1} of ${items.length} · ${item.snapshot.kind.replace('_', ' ')} for ${item.snapshot.engine} · ${item.decision.replace('_', ' ')}`),
      item.snapshot.flagged ? el('p', { class: 'warning' }, 'Flagged: still similar to an earlier draft after three rewrites.') : null,
      el('div', { class: item.previous ? 'compare' : '' },
        item.previous ? version(item.previous, 'Before') : null, version(item.snapshot, item.previous ? 'Rewritten' : 'Draft')),
      el('div', { class: 'field' }, el('label', { for: 'review-notes' }, 'Notes (the reason to reject; what to change when regenerating)'), notes,
        el('span', { id: 'review-help', class: 'muted' }, 'Keys: a approve, r reject, g regenerate (outside the notes).')),
      buttons, nav) : null,
    el('div', { class: 'actions' },
      el('button', { type: 'button', class: 'secondary', onclick: () => download(id, 'csv') }, 'Export approved as CSV'),
      el('button', { type: 'button', class: 'secondary', onclick: () => download(id, 'json') }, 'Export approved as JSON')));
  if (shortcuts) document.removeEventListener('keydown', shortcuts);
  shortcuts = (event) => {
    if (!document.body.contains(notes) || event.target === notes || event.metaKey || event.ctrlKey || event.altKey) return;
    const decision = { a: 'approve', r: 'reject', g: 'needs_regeneration' }[event.key];
    if (decision && pending) { event.preventDefault(); decide(decision); }
  };
  document.addEventListener('keydown', shortcuts);
  watch(`batch:${id}`, reloadOn((event) => event.type === 'draft.ready' && items.some((i) => i.draft_id === event.draft_id), () => showBatch(id, index)));
}

async function download(id, format) {
  try {
    const { text, type } = await fetchText(`/api/v1/batches/${id}/export?format=${format}`, { method: 'POST' });
    const url = URL.createObjectURL(new Blob([text], { type }));
    el('a', { href: url, download: `batch-${id}.${format}` }).click();
    setTimeout(() => URL.revokeObjectURL(url), 60000);
  } catch (error) { notify(error.message); }
}
