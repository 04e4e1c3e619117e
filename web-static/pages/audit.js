// The tenant's audit log, newest first.
import { api } from '../api.js';
import { el, pageQuery, pager, table, when } from '../dom.js';
import { render } from '../shell.js';

export async function showAudit(cursor) {
  const page = await api.get(`/api/v1/audit-log?${pageQuery(50, cursor)}`);
  render('Audit log', page.items.length
    ? table(['When', 'Action', 'Outcome', 'Actor'], page.items.map((e) => [when(e.created_at), e.action, `${e.outcome} (${e.status})`, e.actor_kind]))
    : el('p', { class: 'muted' }, 'Nothing yet.'), pager(page.next_cursor, showAudit));
}
