// Live progress. One page follows the tenant's event stream at a time and one page polls at a
// time; a route change stops both. Pages reload their changing parts when an event concerns
// them; the slow poll only covers a stream that is down. Neither swaps a page in while the
// person types, so updates never take focus away.
import { follow } from './api.js';
import { notify } from './shell.js';

let watching = null;
let stopFollowing = null;

/** Follows the event stream for the page named `key`; a second call for the same page is a no-op. */
export function watch(key, onEvent) {
  if (watching === key) return;
  stopWatching();
  watching = key;
  stopFollowing = follow(onEvent);
}

export function stopWatching() {
  if (stopFollowing) stopFollowing();
  stopFollowing = null;
  watching = null;
}

/** An event handler that reloads when `matches`, at most once per half second and never while the person types. */
export function reloadOn(matches, load) {
  let timer = null;
  const later = () => {
    timer = setTimeout(async () => {
      if (isTyping()) return later();
      timer = null;
      try {
        await load();
      } catch (error) {
        notify(error.message);
      }
    }, 500);
  };
  return (event) => {
    if (matches(event) && !timer) later();
  };
}

let pollTimer = null;

/** Reloads the page after `every` milliseconds, waiting while the person types. */
export function poll(load, every) {
  stopPolling();
  pollTimer = setTimeout(async () => {
    if (isTyping()) return poll(load, every);
    try {
      await load();
    } catch (error) {
      notify(error.message);
    }
  }, every);
}

export function stopPolling() {
  if (pollTimer) clearTimeout(pollTimer);
  pollTimer = null;
}

function isTyping() {
  return document.activeElement && ['INPUT', 'SELECT', 'TEXTAREA'].includes(document.activeElement.tagName);
}
