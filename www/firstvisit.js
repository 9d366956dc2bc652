// The first visit: a one-line hint over the screen saying how to start, and the help open. The
// visit is remembered in localStorage, so the next visit opens quietly on the prompt. A browser
// that refuses storage (private mode, blocked cookies) counts every visit as the first.

export const VISITED_KEY = 'superboard.visited';
export const HINT_TEXT = 'Press C, then RETURN twice — or pick a program';
const HINT_MAX_MS = 60_000;

// True the first time it is called in this browser; remembers the visit.
export function isFirstVisit(storage = globalThis.localStorage) {
  try {
    if (storage.getItem(VISITED_KEY)) return false;
    storage.setItem(VISITED_KEY, new Date().toISOString());
  } catch {
    // storage refused: show the welcome, nothing to remember it with
  }
  return true;
}

// Shows `hint` (an element placed over the machine's screen) until the user presses a key,
// clicks the hint, loads a tape or picks a program, or a minute passes; opens `help` (a
// <details>) too. Returns the function that hides it.
export function welcome({ element, hint, help }) {
  hint.textContent = HINT_TEXT;
  hint.hidden = false;
  if (help) help.open = true;
  const dismiss = () => {
    hint.hidden = true;
    clearTimeout(timer);
    window.removeEventListener('keydown', dismiss, true);
    element.removeEventListener('tapeloaded', dismiss);
  };
  const timer = setTimeout(dismiss, HINT_MAX_MS);
  window.addEventListener('keydown', dismiss, true);
  element.addEventListener('tapeloaded', dismiss);
  hint.addEventListener('click', () => {
    dismiss();
    element.focus();
  });
  return dismiss;
}
