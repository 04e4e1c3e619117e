// The API client: the access token lives in memory only; the refresh token is an HttpOnly
// cookie the server sets and this code never sees. A 401 is answered once by a silent refresh.

let accessToken = null;

export class APIError extends Error {
  constructor(status, body) {
    super(body && body.detail ? body.detail : `The server answered ${status}.`);
    this.status = status;
    this.field = body ? body.field : undefined;
    this.code = body ? body.error_code : undefined;
  }
}

export function signedIn() { return accessToken !== null; }

async function send(method, path, body, retry = true) {
  const headers = { Accept: 'application/json' };
  if (accessToken) headers.Authorization = `Bearer ${accessToken}`;
  let payload;
  if (typeof body === 'string') { headers['Content-Type'] = 'text/csv'; payload = body; }
  else if (body !== undefined) { headers['Content-Type'] = 'application/json'; payload = JSON.stringify(body); }
  let response;
  try {
    response = await fetch(path, { method, headers, body: payload, credentials: 'same-origin' });
  } catch {
    throw new APIError(0, { detail: 'The server could not be reached. Check your connection and try again.' });
  }
  if (response.status === 401 && retry && accessToken && !path.startsWith('/api/v1/auth/')) {
    if (await refresh()) return send(method, path, body, false);
  }
  if (response.status === 204) return null;
  let json = null;
  try { json = await response.json(); } catch { json = null; }
  if (!response.ok) throw new APIError(response.status, json);
  return json;
}

export const api = {
  get: (path) => send('GET', path),
  post: (path, body) => send('POST', path, body ?? {}),
  patch: (path, body) => send('PATCH', path, body),
  delete: (path) => send('DELETE', path),
};

/** Exchanges the refresh cookie for an access token; false when there is no session. */
export async function refresh() {
  try {
    const tokens = await send('POST', '/api/v1/auth/refresh', { use_cookie: true }, false);
    accessToken = tokens.access_token;
    return true;
  } catch {
    accessToken = null;
    return false;
  }
}

export async function logIn(email, password) {
  const tokens = await send('POST', '/api/v1/auth/login', { email, password, use_cookie: true }, false);
  accessToken = tokens.access_token;
}

export async function signUp(email, password, tenantName) {
  const tokens = await send('POST', '/api/v1/auth/signup', { email, password, tenant_name: tenantName, use_cookie: true }, false);
  accessToken = tokens.access_token;
}

export async function logOut() {
  try { await send('POST', '/api/v1/auth/logout', {}, false); } finally { accessToken = null; }
}

/** Sends a form with files (multipart/form-data, the browser writes the boundary). */
export async function uploadForm(path, formData) {
  const headers = { Accept: 'application/json' };
  if (accessToken) headers.Authorization = `Bearer ${accessToken}`;
  let response;
  try {
    response = await fetch(path, { method: 'POST', headers, body: formData, credentials: 'same-origin' });
  } catch {
    throw new APIError(0, { detail: 'The upload failed. Check your connection and try again.' });
  }
  let json = null;
  try { json = await response.json(); } catch { json = null; }
  if (!response.ok) throw new APIError(response.status, json);
  return json;
}

/** Saves what `path` answers as a file named `filename` (reports that need the sign-in header). */
export async function download(path, filename) {
  const headers = {};
  if (accessToken) headers.Authorization = `Bearer ${accessToken}`;
  const response = await fetch(path, { headers, credentials: 'same-origin' });
  if (!response.ok) {
    let json = null;
    try { json = await response.json(); } catch { json = null; }
    throw new APIError(response.status, json);
  }
  const url = URL.createObjectURL(await response.blob());
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}

/** Uploads a CSV import, reporting progress (0 to 1) as it goes; resolves to the import report. */
export function uploadCSV(file, onProgress) {
  return new Promise((resolve, reject) => {
    const request = new XMLHttpRequest();
    request.open('POST', '/api/v1/placements/import');
    request.setRequestHeader('Content-Type', 'text/csv');
    request.setRequestHeader('Accept', 'application/json');
    if (accessToken) request.setRequestHeader('Authorization', `Bearer ${accessToken}`);
    request.upload.onprogress = (event) => { if (event.lengthComputable) onProgress(event.loaded / event.total); };
    request.onload = () => {
      let body = null;
      try { body = JSON.parse(request.responseText); } catch { body = null; }
      if (request.status >= 200 && request.status < 300) { onProgress(1); resolve(body); } else reject(new APIError(request.status, body));
    };
    request.onerror = () => reject(new APIError(0, { detail: 'The upload failed. Check your connection and try again.' }));
    request.send(file);
  });
}

/**
 * Follows the tenant's live progress (server-sent events at /api/v1/events/live), calling
 * onEvent with each event's JSON. Read with fetch rather than EventSource, which cannot send the
 * Authorization header. A dropped stream reconnects after 3 s (refreshing the token on a 401).
 * Returns a function that stops following.
 */
export function follow(onEvent) {
  let stopped = false;
  let controller = null;
  async function connect() {
    while (!stopped) {
      controller = new AbortController();
      try {
        const response = await fetch('/api/v1/events/live', {
          headers: { Accept: 'text/event-stream', Authorization: `Bearer ${accessToken}` }, signal: controller.signal,
        });
        if (response.status === 401) await refresh();
        else if (response.ok) await readEvents(response.body.getReader(), onEvent);
      } catch { /* dropped or stopped: wait and reconnect unless stopped */ }
      if (!stopped) await new Promise((resolve) => setTimeout(resolve, 3000));
    }
  }
  connect();
  return () => { stopped = true; if (controller) controller.abort(); };
}

async function readEvents(reader, onEvent) {
  const decoder = new TextDecoder();
  let buffered = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffered += decoder.decode(value, { stream: true });
    let end;
    while ((end = buffered.indexOf('\n\n')) >= 0) {
      const frame = buffered.slice(0, end);
      buffered = buffered.slice(end + 2);
      const data = frame.split('\n').filter((line) => line.startsWith('data: ')).map((line) => line.slice(6)).join('\n');
      if (!data) continue;
      try { onEvent(JSON.parse(data)); } catch { /* not JSON: ignore */ }
    }
  }
}

/** A text body (a CSV or printable report) with the access token, refreshing once on a 401. */
export async function fetchText(path, { method = 'GET', retry = true } = {}) {
  const response = await fetch(path, { method, headers: { Authorization: `Bearer ${accessToken}` }, credentials: 'same-origin' });
  if (response.status === 401 && retry && (await refresh())) return fetchText(path, { method, retry: false });
  if (!response.ok) {
    let body = null;
    try { body = await response.json(); } catch { body = null; }
    throw new APIError(response.status, body);
  }
  return { text: await response.text(), type: response.headers.get('Content-Type') || 'text/plain' };
}
