// Building the page from data without ever parsing it as HTML: every value goes in as text.

export function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith('on')) node.addEventListener(name.slice(2), value);
    else if (value === true) node.setAttribute(name, '');
    else node.setAttribute(name, String(value));
  }
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

let fieldCounter = 0;

/** A labelled input with a place for its error message. */
export function field(label, name, attributes = {}) {
  const id = `f-${name}-${++fieldCounter}`;
  const errorID = `${id}-error`;
  const input = el(attributes.multiline ? 'textarea' : 'input', { id, name, 'aria-describedby': errorID, ...attributes, multiline: undefined });
  // A text box's value is its content, not an attribute.
  if (attributes.multiline && attributes.value !== undefined) { input.removeAttribute('value'); input.value = attributes.value; }
  return el('div', { class: 'field' }, el('label', { for: id }, label), input, el('span', { class: 'error', id: errorID }));
}

/** Shows an API error next to the field it names, or at the top of the page. */
export function showError(form, error, notify) {
  for (const node of form.querySelectorAll('.field .error')) node.textContent = '';
  for (const node of form.querySelectorAll('[aria-invalid]')) node.removeAttribute('aria-invalid');
  const input = error.field ? form.querySelector(`[name="${CSS.escape(error.field)}"]`) : null;
  if (input) {
    input.setAttribute('aria-invalid', 'true');
    document.getElementById(input.getAttribute('aria-describedby')).textContent = error.message;
    input.focus();
  } else {
    notify(error.message);
  }
}

export function when(date) {
  return date ? new Date(date).toLocaleString() : '—';
}

/**
 * Dollars as typed ("12.5", "$1,200") to integer micro-dollars, exactly: the digits are moved,
 * never divided, so no floating point touches money. Null when the text is not an amount.
 */
export function dollarsToMicros(text) {
  const match = /^\s*\$?\s*(\d{1,3}(?:,\d{3})+|\d{1,7})(?:\.(\d{1,6}))?\s*$/.exec(text);
  if (!match) return null;
  return Number(match[1].replaceAll(',', '')) * 1000000 + Number((match[2] ?? '').padEnd(6, '0'));
}

/**
 * Integer micro-dollars as dollars, exactly: at least cents, more digits only when there are
 * any; `cents` rounds half up to the cent first (for estimates, where sub-cent digits are noise).
 */
export function formatMicros(micros, { symbol = true, cents = false } = {}) {
  const value = cents ? Math.floor((Math.abs(micros) + 5000) / 10000) * 10000 * Math.sign(micros) : micros;
  const digits = String(Math.abs(value)).padStart(7, '0');
  const fraction = digits.slice(-6).replace(/0+$/, '').padEnd(2, '0');
  return `${value < 0 ? '-' : ''}${symbol ? '$' : ''}${Number(digits.slice(0, -6)).toLocaleString('en-US')}.${fraction}`;
}

export function table(headings, rows) {
  return el('table', {},
    el('thead', {}, el('tr', {}, headings.map((h) => el('th', { scope: 'col' }, h)))),
    el('tbody', {}, rows.map((cells) => el('tr', {}, cells.map((c) => el('td', {}, c))))));
}

export function stat(label, value) {
  return el('div', { class: 'stat' }, el('span', { class: 'muted' }, label), el('strong', {}, value));
}

/** A "Next page" button when the list has one. */
export function pager(cursor, load, label = 'Next page') {
  return cursor ? el('button', { type: 'button', class: 'secondary', onclick: () => load(cursor) }, label) : null;
}

/** `limit=…` plus the cursor when there is one, for a list URL. */
export function pageQuery(limit, cursor) {
  return `limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
}

const allowedTags = new Set(['P', 'H2', 'H3', 'UL', 'OL', 'LI', 'BLOCKQUOTE', 'STRONG', 'EM', 'A']);

/**
 * A draft's body, already sanitised by the server, drawn a second time here from its parsed tree
 * with only the allow-list: elements are created by the app, every piece of text set as text,
 * links only to http(s) and never opened in this window. Nothing in it can run.
 */
export function draftPreview(html) {
  const parsed = new DOMParser().parseFromString(`<body>${html}</body>`, 'text/html');
  const copy = (node) => {
    if (node.nodeType === Node.TEXT_NODE) return document.createTextNode(node.textContent);
    if (node.nodeType !== Node.ELEMENT_NODE) return null;
    const children = [...node.childNodes].map(copy).filter(Boolean);
    if (!allowedTags.has(node.tagName)) return children.length ? el('span', {}, children) : null;
    if (node.tagName === 'A') {
      const href = node.getAttribute('href') || '';
      return /^https?:\/\//i.test(href) ? el('a', { href, rel: 'nofollow noopener noreferrer', target: '_blank' }, children) : el('span', {}, children);
    }
    return el(node.tagName.toLowerCase(), {}, children);
  };
  return el('div', { class: 'preview' }, [...parsed.body.childNodes].map(copy).filter(Boolean));
}
