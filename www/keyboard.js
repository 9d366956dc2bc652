// Keyboard: the PC keyboard → the Superboard's key matrix, in two modes.
//
// Natural mode types what you mean: KeyboardEvent.key goes to the core's typist, which presses
// the OSI key and the SHIFT it needs, paced by the ROM's own scanning, so nothing is dropped
// and auto-repeat simply queues more characters. Positional mode maps KeyboardEvent.code to the
// matrix key in the same place, held down as long as the PC key is (for games that read the
// matrix directly). Every key is released when the window loses focus.
//
// Scope: a machine takes keys only while its element has the focus (Tab moves on, as on any
// web page), or, on a page built around one machine (`page-keys`), every key typed anywhere on
// the page except into a form control or another machine.

// Positional map: PC key code → Superboard matrix key name (the core's `key_names()`).
// The OSI top row is 1 … 0 : - RUB OUT, so the PC's - and = keys give : and -.
const POSITIONAL = {
  Backquote: 'Esc', Escape: 'Esc', Tab: 'Ctrl', ControlLeft: 'Ctrl', ControlRight: 'Ctrl',
  ShiftLeft: 'LeftShift', ShiftRight: 'RightShift', CapsLock: 'ShiftLock',
  Minus: 'Colon', Equal: 'Minus', Backspace: 'RubOut', Delete: 'RubOut',
  Enter: 'Return', NumpadEnter: 'Return', Quote: 'LineFeed', Backslash: 'Repeat',
  BracketRight: 'LineFeed', Space: 'Space', Semicolon: 'Semicolon', Comma: 'Comma',
  Period: 'Period', Slash: 'Slash',
};
for (let digit = 0; digit <= 9; digit++) {
  POSITIONAL[`Digit${digit}`] = `Digit${digit}`;
  POSITIONAL[`Numpad${digit}`] = `Digit${digit}`;
}
for (let code = 65; code <= 90; code++) {
  const letter = String.fromCharCode(code);
  POSITIONAL[`Key${letter}`] = letter;
}

// Natural mode: named keys → the character the typist types.
const NATURAL_NAMED = { Enter: '\r', Backspace: '\x7f', Delete: '\x7f', Escape: '\x1b', Tab: ' ' };

const BREAK_KEYS = new Set(['F12', 'Pause']);

// Text from outside (paste, URL, scripts) in the typist's terms: any line ending becomes one
// RETURN, tabs become spaces, curly quotes and dashes become their ASCII cousins.
export function normalizeText(text) {
  return text
    .replace(/\r\n?|\n/g, '\r')
    .replace(/\t/g, ' ')
    .replace(/[\u2018\u2019]/g, "'")
    .replace(/[\u201c\u201d]/g, '"')
    .replace(/[\u2013\u2014]/g, '-')
    .replace(/\u00a0/g, ' ');
}

function typingIntoControl(event) {
  const target = event.target;
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ['INPUT', 'SELECT', 'TEXTAREA'].includes(target.tagName);
}

export class Keyboard {
  // `host` is the machine's element (keys are taken while it has the focus, or page-wide when
  // `pageWide()` says so); `machine()` returns the current core facade (it is replaced when ROMs
  // change); `onBreak()` presses BREAK; `onError(text)` reports a character that cannot be
  // typed; `onChange()` is called when SHIFT LOCK or the mode changes.
  constructor({ host, pageWide, machine, onBreak, onError, onChange }) {
    this.host = host;
    this.pageWide = pageWide;
    this.machine = machine;
    this.onBreak = onBreak;
    this.onError = onError;
    this.onChange = onChange;
    this.mode = 'natural';
    this.held = new Map(); // PC code → matrix key name held down (positional mode)
    this.listeners = [
      [window, 'keydown', (event) => this.mine(event) && this.keyDown(event)],
      [window, 'keyup', (event) => this.keyUp(event)],
      [window, 'blur', () => this.releaseAll()],
      [host, 'focusout', () => { if (!this.pageWide()) this.releaseAll(); }],
      [document, 'visibilitychange', () => { if (document.hidden) this.releaseAll(); }],
      [document, 'paste', (event) => this.mine(event) && this.paste(event)],
    ];
    for (const [target, type, listener] of this.listeners) target.addEventListener(type, listener);
  }

  // The element left the page.
  detach() {
    for (const [target, type, listener] of this.listeners) target.removeEventListener(type, listener);
  }

  // Whether this machine takes `event`: its element is focused, or it takes page-wide keys and
  // the event is not aimed at a form control or another machine.
  mine(event) {
    if (event.target === this.host) return true;
    if (!this.pageWide()) return false;
    if (typingIntoControl(event)) return false;
    const target = event.target;
    return !(target instanceof HTMLElement && target.closest('superboard-ii') && target.closest('superboard-ii') !== this.host);
  }

  setMode(mode) {
    if (mode !== 'natural' && mode !== 'positional') throw new Error(`unknown keyboard mode "${mode}"`);
    this.releaseAll();
    this.mode = mode;
    this.onChange();
  }

  releaseAll() {
    this.held.clear();
    this.machine().release_all_keys();
  }

  toggleShiftLock() {
    const m = this.machine();
    m.set_shift_lock(!m.shift_lock());
    this.onChange();
  }

  // Queue text for the typist; returns false (after reporting why) if it cannot be typed.
  type(text) {
    try {
      this.machine().type_text(normalizeText(text));
      return true;
    } catch (error) {
      this.onError(error.message);
      return false;
    }
  }

  keyDown(event) {
    // Tab moves the focus on unless the machine takes the whole page's keys.
    if (event.key === 'Tab' && !this.pageWide()) return;
    if (BREAK_KEYS.has(event.key) || BREAK_KEYS.has(event.code)) {
      event.preventDefault();
      if (!event.repeat) this.onBreak();
      return;
    }
    const command = event.metaKey || (event.ctrlKey && !event.altKey);
    // Leave the browser's own paste (and copy/reload/... with ⌘) alone.
    if (command && (event.key === 'v' || event.key === 'V')) return;
    if (event.metaKey) return;
    if (this.mode === 'positional') {
      const name = POSITIONAL[event.code];
      if (!name) return;
      event.preventDefault();
      if (name === 'ShiftLock') {
        if (!event.repeat) this.toggleShiftLock();
        return;
      }
      if (!this.held.has(event.code)) {
        this.held.set(event.code, name);
        this.machine().key_down(name);
      }
      return;
    }
    let text = null;
    if (event.ctrlKey && !event.altKey && /^[a-zA-Z]$/.test(event.key)) {
      text = String.fromCharCode(event.key.toUpperCase().charCodeAt(0) - 64);
    } else if (event.key.length === 1 && !event.ctrlKey) {
      text = event.key;
    } else if (NATURAL_NAMED[event.key] !== undefined) {
      text = NATURAL_NAMED[event.key];
    }
    if (text === null) return;
    event.preventDefault();
    this.type(text);
  }

  keyUp(event) {
    if (this.mode !== 'positional') return;
    const name = this.held.get(event.code);
    if (name === undefined) return;
    event.preventDefault();
    this.held.delete(event.code);
    this.machine().key_up(name);
  }

  paste(event) {
    const text = event.clipboardData?.getData('text/plain');
    if (!text) return;
    event.preventDefault();
    this.type(text);
  }
}
