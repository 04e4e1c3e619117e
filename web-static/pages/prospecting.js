// Prospecting: jobs that crawl a list of domains for a client's keywords. The list with the
// upload form (created without starting, so the estimate is seen first); one job's page with its
// progress, live as domains finish, pause and resume, the credit cap, exports and reports.
import { api, download, uploadForm } from '../api.js';
import { el, field, formatMicros, pageQuery, pager, showError, stat, table, when } from '../dom.js';
import { poll, reloadOn, watch } from '../live.js';
import { go, notify, render } from '../shell.js';

export async function showProspecting(cursor) {
  const page = await api.get(`/api/v1/prospecting/jobs?${pageQuery(25, cursor)}`);
  const form = el('form', { class: 'card', novalidate: true, 'aria-label': 'New prospecting job' },
    el('h2', {}, 'New prospecting job'),
    el('p', { class: 'muted' }, 'Upload the domains to search (CSV or TXT, one domain or URL per line, up to 50,000) and the keywords (TXT, one per line, up to 500). You see the estimate before it starts.'),
    field('Name', 'name', { required: true }),
    el('div', { class: 'field' }, el('label', { for: 'job-domains' }, 'Domains file'),
      el('input', { type: 'file', id: 'job-domains', name: 'domains', accept: '.csv,.txt,text/csv,text/plain', 'aria-describedby': 'job-domains-error' }),
      el('span', { class: 'error', id: 'job-domains-error' })),
    el('div', { class: 'field' }, el('label', { for: 'job-keywords' }, 'Keywords file'),
      el('input', { type: 'file', id: 'job-keywords', name: 'keywords', accept: '.txt,text/plain', 'aria-describedby': 'job-keywords-error' }),
      el('span', { class: 'error', id: 'job-keywords-error' })),
    el('div', { class: 'field' }, el('label', { for: 'job-mode' }, 'Mode'),
      el('select', { id: 'job-mode', name: 'mode' },
        el('option', { value: 'smart-hybrid' }, 'Smart hybrid: direct first, premium only when needed'),
        el('option', { value: 'free-only' }, 'Free only: direct requests, no credits'),
        el('option', { value: 'premium-only' }, 'Premium only: every page rendered by the provider'))),
    field('Credit cap', 'max_credits', { type: 'number', min: '1', value: '1000' }),
    field('Pages per domain at most', 'max_pages_per_domain', { type: 'number', min: '1', max: '1000', value: '50' }),
    field("Client's domain (pages already linking to it are marked)", 'client_domain'),
    el('button', { type: 'submit' }, 'Upload and see the estimate'));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const domains = form.querySelector('#job-domains').files[0];
    const keywords = form.querySelector('#job-keywords').files[0];
    if (!domains) return notify('Choose the domains file first.');
    if (!keywords) return notify('Choose the keywords file first.');
    const data = new FormData();
    for (const name of ['name', 'mode', 'max_credits', 'max_pages_per_domain', 'client_domain']) {
      if (form[name].value) data.append(name, form[name].value);
    }
    data.append('auto_start', 'false');
    data.append('domains', domains);
    data.append('keywords', keywords);
    try {
      const created = await uploadForm('/api/v1/prospecting/jobs', data);
      // After the navigation, which clears the notice line as it starts.
      go(`/prospecting/${created.job.id}`);
      notify(`Created: ${created.summary}, ${created.keywords_count} keywords. Check the estimate, then start it.`, 'info');
    } catch (error) { showError(form, error, notify); }
  });
  render('Prospecting',
    page.items.length
      ? table(['Job', 'State', 'Progress', 'Matches', 'Credits'], page.items.map((j) => [
          el('a', { href: `/prospecting/${j.id}` }, j.name), j.state, `${j.progress.done}/${j.progress.total} (${j.progress.percent}%)`,
          j.matches, `${j.credits_used} of ${j.max_credits}`]))
      : el('p', { class: 'muted' }, 'No prospecting jobs yet.'),
    pager(page.next_cursor, (next) => showProspecting(next)),
    form);
}

export async function showProspectJob(id, resultsCursor) {
  const [job, results, exports] = await Promise.all([
    api.get(`/api/v1/prospecting/jobs/${id}`),
    api.get(`/api/v1/prospecting/jobs/${id}/results?${pageQuery(25, resultsCursor)}`),
    api.get(`/api/v1/prospecting/jobs/${id}/exports`),
  ]);
  const act = (verb) => async () => {
    try { await api.post(`/api/v1/prospecting/jobs/${id}/${verb}`); await showProspectJob(id); } catch (error) { notify(error.message); }
  };
  const buttons = [];
  if (job.state === 'pending') buttons.push(el('button', { type: 'button', id: 'job-start', onclick: act('start') }, 'Start'));
  if (job.state === 'running') buttons.push(el('button', { type: 'button', id: 'job-pause', class: 'secondary', onclick: act('pause') }, 'Pause'));
  if (job.state === 'paused' || job.state === 'pausing') buttons.push(el('button', { type: 'button', id: 'job-resume', onclick: act('resume') }, 'Resume'));
  const cap = el('form', { class: 'inline', 'aria-label': 'Credit cap' },
    field('Credit cap', 'max_credits', { type: 'number', min: '1', value: String(job.max_credits) }),
    el('button', { type: 'submit', class: 'secondary' }, 'Change the cap'));
  cap.addEventListener('submit', async (event) => {
    event.preventDefault();
    try {
      await api.patch(`/api/v1/prospecting/jobs/${id}`, { max_credits: Number(cap.max_credits.value) });
      notify('Credit cap changed.', 'info');
      await showProspectJob(id);
    } catch (error) { showError(cap, error, notify); }
  });
  const estimate = job.estimate
    ? el('p', { id: 'job-estimate' }, `Estimate: ${job.estimate.pages_low.toLocaleString('en-US')}–${job.estimate.pages_high.toLocaleString('en-US')} pages, `
      + `${job.estimate.credits_low.toLocaleString('en-US')}–${job.estimate.credits_high.toLocaleString('en-US')} credits `
      + `(${formatMicros(job.estimate.cost_low_micros, { cents: true })}–${formatMicros(job.estimate.cost_high_micros, { cents: true })}).`)
    : null;
  const exporter = (format) => async () => {
    try { await api.post(`/api/v1/prospecting/jobs/${id}/exports`, { format }); notify(`The ${format.toUpperCase()} export is being written; its link appears below.`, 'info'); await showProspectJob(id); } catch (error) { notify(error.message); }
  };
  render(job.name,
    el('section', { class: 'card', 'aria-label': 'Status' },
      el('p', {}, 'State: ', el('strong', { id: 'job-state' }, job.state), job.status_reason ? ` — ${job.status_reason}` : ''),
      el('progress', { id: 'job-progress', max: '100', value: String(job.progress.percent) }, `${job.progress.percent}%`),
      el('div', { class: 'stats' },
        stat('Domains', `${job.progress.done.toLocaleString('en-US')} of ${job.progress.total.toLocaleString('en-US')} (${job.progress.percent}%)`),
        stat('Failed', job.progress.failed), stat('Matches', job.matches),
        stat('Per hour (last 15 min)', job.throughput ? job.throughput.domains_per_hour : 0),
        stat('ETA', job.eta ? when(job.eta) : '—'),
        stat('Credits', `${job.credits_used} of ${job.max_credits} (${formatMicros(job.credits_cost_micros, { cents: true })})`),
        stat('Last activity', when(job.last_activity_at))),
      estimate,
      job.status_reason === 'budget_exhausted' ? el('p', {}, 'The credit cap was reached: raise it, then resume.') : null,
      el('div', { class: 'actions' }, buttons),
      ['pending', 'running', 'pausing', 'paused'].includes(job.state) && job.mode !== 'free-only' ? cap : null),
    el('section', { class: 'card', 'aria-label': 'Exports and reports' },
      el('h2', {}, 'Exports and reports'),
      job.retain_until ? el('p', { class: 'muted' }, `Results and files are removed on ${new Date(job.retain_until).toLocaleDateString()} (90 days after the job ended).`) : null,
      el('div', { class: 'actions' },
        el('button', { type: 'button', id: 'export-csv', onclick: exporter('csv') }, 'Export CSV'),
        el('button', { type: 'button', id: 'export-json', class: 'secondary', onclick: exporter('json') }, 'Export JSON'),
        el('button', { type: 'button', class: 'secondary', onclick: () => download(`/api/v1/prospecting/jobs/${id}/errors`, 'errors.csv').catch((e) => notify(e.message)) }, 'Error report'),
        el('button', { type: 'button', class: 'secondary', onclick: () => download(`/api/v1/prospecting/jobs/${id}/cost-report`, 'cost-report.csv').catch((e) => notify(e.message)) }, 'Cost report')),
      exports.items.length
        ? table(['Export', 'State', 'Rows', 'Download'], exports.items.map((x) => [x.format.toUpperCase(), x.state, x.rows,
            x.download_url ? el('a', { href: x.download_url, download: '', class: 'download' }, `Download (until ${when(x.expires_at)})`) : (x.error ?? '…')]))
        : null),
    el('h2', {}, 'Matches'),
    results.items.length
      ? table(['Domain', 'Page', 'Keyword', 'Times', 'Context', 'How'], results.items.map((r) => [r.domain, r.url, r.keyword, r.frequency,
          r.context_snippet, `${r.crawl_method}${r.already_links ? ' · already links' : ''}`]))
      : el('p', { class: 'muted' }, 'No matches yet.'),
    pager(results.next_cursor, (next) => showProspectJob(id, next)));
  if (!resultsCursor) {
    watch(`prospect:${id}`, reloadOn((event) => event.job_id === id, () => showProspectJob(id)));
    const busy = ['running', 'pausing'].includes(job.state) || exports.items.some((x) => x.state === 'running');
    if (busy) poll(() => showProspectJob(id), 5000);
  }
}
