// A campaign's drafts: what the content tasks wrote for each slot, with every check and a safe
// preview. Nothing is published until a person approves a draft.
import { api } from '../api.js';
import { draftPreview, el, pageQuery, pager, table, when } from '../dom.js';
import { reloadOn, watch } from '../live.js';
import { render } from '../shell.js';
import { reviewCampaign } from './review.js';

const states = ['', 'generating', 'ready', 'approved', 'rejected', 'regenerating', 'published', 'failed'];

function checksList(checks) {
  return el('ul', { class: 'checks' }, checks.map((c) => el('li', { class: c.passed ? 'ok' : 'warning' },
    `${c.passed ? '✓' : '✗'} ${c.name.replace('_', ' ')}: ${c.detail}`)));
}

/** The slot's journey: written → approved → published (the page) → verified (the placement's state). */
export function journey(d) {
  const reached = { ready: 1, approved: 2, published: 3 }[d.state] ?? 0;
  const steps = [
    el('li', { class: 'ok' }, 'written'),
    el('li', { class: reached >= 2 ? 'ok' : 'muted' }, 'approved'),
    el('li', { class: reached >= 3 ? 'ok' : 'muted' }, d.placement
      ? el('span', {}, 'published at ', el('a', { href: d.placement.source_url, rel: 'noopener noreferrer', target: '_blank' }, d.placement.source_url))
      : 'published'),
    el('li', { class: d.placement && d.placement.state.startsWith('live') ? 'ok' : 'muted' },
      d.placement ? el('a', { href: `/placements/${d.placement.id}` }, `verified: ${d.placement.state.replace('_', ' ')}`) : 'verified'),
  ];
  return el('ol', { class: 'journey', 'aria-label': 'Journey' }, steps);
}

function draftCard(d) {
  const preview = d.kind === 'article' || d.kind === 'forum_reply' ? draftPreview(d.body) : el('p', { class: 'preview' }, d.body);
  return el('article', { class: 'card', 'aria-label': `Draft ${d.id}` },
    el('h2', {}, `${d.kind.replace('_', ' ')} for ${d.engine} · ${d.state}${d.flagged ? ' · flagged as too similar' : ''}`),
    el('p', { class: 'muted' }, `Version ${d.version} · written by ${d.provider ?? '—'} · ${when(d.updated_at)} · anchor “${d.anchor}”`),
    journey(d), d.notes ? el('p', { class: 'warning' }, `Notes: ${d.notes}`) : null, checksList(d.checks), preview);
}

export async function showDrafts(campaignID, cursor, state = '') {
  const [campaign, page] = await Promise.all([
    api.get(`/api/v1/campaigns/${campaignID}`),
    api.get(`/api/v1/campaigns/${campaignID}/drafts?${pageQuery(10, cursor)}${state ? `&state=${state}` : ''}`),
  ]);
  const filter = el('select', { id: 'draft-state', onchange: (e) => showDrafts(campaignID, undefined, e.target.value) },
    states.map((s) => el('option', { value: s, selected: s === state }, s || 'every state')));
  const summary = page.items.length
    ? table(['Kind', 'State', 'Checks', 'Written'], page.items.map((d) => [d.kind.replace('_', ' '), d.state,
      d.passed ? 'all passed' : `${d.checks.filter((c) => !c.passed).length} failed`, when(d.created_at)]))
    : el('p', { class: 'muted' }, 'No drafts yet: each slot\'s draft is written when the slot comes due.');
  render(`Drafts · ${campaign.name}`,
    el('p', {}, el('a', { href: `/campaigns/${campaignID}` }, 'Back to the campaign')),
    el('button', { type: 'button', onclick: () => reviewCampaign(campaignID) }, 'Review the ready drafts'),
    el('div', { class: 'field' }, el('label', { for: 'draft-state' }, 'Show'), filter),
    summary, ...page.items.map(draftCard), pager(page.next_cursor, (next) => showDrafts(campaignID, next, state)));
  // A new draft, or one of them published: the list and its journeys are drawn again.
  const changes = ['draft.ready', 'link.published'];
  if (!cursor) watch(`drafts:${campaignID}`, reloadOn((event) => changes.includes(event.type) && event.campaign_id === campaignID, () => showDrafts(campaignID, undefined, state)));
}
