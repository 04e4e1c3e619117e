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
