// The page frame every view draws into: the title and main region, the notice line, and
// navigation. Views render through here so focus and the notice behave the same everywhere.
import { el } from './dom.js';

const main = document.getElementById('main');
const notice = document.getElementById('notice');

export function notify(message, kind = 'error') {
  notice.textContent = message;
  notice.className = kind === 'info' ? 'info' : '';
  notice.hidden = false;
}

export function clearNotice() {
  notice.hidden = true;
  notice.textContent = '';
}

// Focus moves to the new page after a navigation, never when a page refreshes itself.
let focusOnRender = false;

/** The next render is a new page: it takes focus, for keyboard and screen-reader users. */
export function focusNextRender() {
  focusOnRender = true;
}

export function render(title, ...children) {
  document.title = `${title} · Linkwright`;
  main.replaceChildren(el('h1', {}, title), ...children.filter((child) => child));
  if (focusOnRender) main.focus();
  focusOnRender = false;
}

/** Navigates inside the app: the router listens for popstate, so a pushed path is routed the same way as Back. */
export function go(path) {
  history.pushState({}, '', path);
  window.dispatchEvent(new PopStateEvent('popstate'));
}
