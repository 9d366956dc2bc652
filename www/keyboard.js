// Keyboard: the PC keyboard → the Superboard's key matrix, in two modes.
//
// Natural mode types what you mean: KeyboardEvent.key (what the key says on *your* layout —
// AZERTY, QWERTZ, AltGr and dead-key characters included) goes to the core's typist, which
// presses the OSI key and the SHIFT it needs, paced by the ROM's own scanning, so nothing is
// dropped and auto-repeat simply queues more characters. Positional mode maps
// KeyboardEvent.code to the matrix key in the same place, held down as long as the PC key is
// (for games that read the matrix directly). Every key is released when the window loses focus.
//
// Scope: a machine takes keys only while its element has the focus, or, on a page built around
// one machine (`page-keys`), every key typed anywhere on the page except into a form control or
// another machine. Tab is never taken in natural mode, so keyboard-only users move on to the
// controls; positional mode keeps Tab as CTRL (where a PC's Tab sits above CapsLock, the
// Superboard has CTRL), so a game can use it.
//
// Several things press matrix keys for the page at once — the PC keyboard, the on-screen
// keyboard, a gamepad. `HostKeys` counts who holds what, so one letting go of a key does not
// release it under another.

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
const NATURAL_NAMED = { Enter: '\r', Backspace: '\x7f', Delete: '\x7f', Escape: '\x1b' };

const BREAK_KEYS = new Set(['F12', 'Pause']);

// Text from outside (paste, URL, scripts) in the typist's terms: tabs become spaces, curly
// quotes and dashes their ASCII cousins. Every replacement is one character for one, so the
// positions the core reports for skipped characters are positions in the text as given. (Line
// endings need nothing: the typist takes \r, \n and \r\n each as one RETURN.)
export function normalizeText(text) {
  return text
    .replace(/\t/g, ' ')
    .replace(/[\u2018\u2019]/g, "'")
    .replace(/[\u201c\u201d]/g, '"')
    .replace(/[\u2013\u2014]/g, '-')
    .replace(/\u00a0/g, ' ');
}

// The core's skipped characters in words: which characters and where (line and column, from 1).
export function describeSkipped(text, skipped) {
  if (!skipped.length) return '';
  const chars = [...text];
  const where = (position) => {
    let line = 1;
    let column = 1;
    for (let i = 0; i < position && i < chars.length; i++) {
      const c = chars[i];
      const crlf = c === '\r' && chars[i + 1] === '\n';
      if ((c === '\r' || c === '\n') && !crlf) {
        line++;
        column = 1;
      } else if (!crlf) {
        column++;
      }
    }
    return { line, column };
  };
  const shown = (c) => {
    const code = c.codePointAt(0);
    return code < 0x20 || code === 0x7f ? `U+${code.toString(16).toUpperCase().padStart(4, '0')}` : `“${c}”`;
  };
  const multiline = /[\r\n]/.test(text);
  const items = skipped.slice(0, 5).map(({ character, position }) => {
    const { line, column } = where(position);
    return multiline ? `${shown(character)} (line ${line}, column ${column})` : `${shown(character)} (character ${column})`;
  });
  if (skipped.length > 5) items.push(`and ${skipped.length - 5} more`);
  const n = skipped.length;
  return `Typed the rest; left out ${n} character${n === 1 ? '' : 's'} the Superboard keyboard has no key for: ${items.join(', ')}.`;
}

// Keys aimed at a control stay with it: typing into a field, and Enter or Space on a focused
// button, link or disclosure (keyboard-only users press them that way).
function typingIntoControl(event) {
  const target = event.target;
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable
    || ['INPUT', 'SELECT', 'TEXTAREA', 'BUTTON', 'A', 'SUMMARY'].includes(target.tagName);
}

// Matrix keys held for the page by several sources (PC keyboard, on-screen keyboard, gamepad):
// the core sees a key down while any source holds it.
export class HostKeys {
  constructor(machine) {
    this.machine = machine; // () => the current core facade
    this.holders = new Map(); // key name → Set of holder ids
    this.listeners = new Set();
  }

  press(holder, name) {
    let set = this.holders.get(name);
    if (!set) this.holders.set(name, (set = new Set()));
    if (set.has(holder)) return;
    set.add(holder);
    if (set.size === 1) this.machine().key_down(name);
  }

  release(holder, name) {
    const set = this.holders.get(name);
    if (!set?.delete(holder)) return;
    if (set.size === 0) {
      this.holders.delete(name);
      this.machine().key_up(name);
    }
  }

  // Release everything `holder` holds (or, without one, everything anyone holds).
  releaseAll(holder) {
    if (holder === undefined) {
      this.holders.clear();
      this.machine().release_all_keys();
      this.listeners.forEach((f) => f());
      return;
    }
    for (const name of [...this.holders.keys()]) this.release(holder, name);
  }

  // `f()` runs when every key was let go at once (blur, machine replaced).
  onReleaseAll(f) {
    this.listeners.add(f);
  }
}

export class Keyboard {
  // `host` is the machine's element (keys are taken while it has the focus, or page-wide when
  // `pageWide()` says so); `machine()` returns the current core facade (it is replaced when ROMs
  // change); `keys` is the element's HostKeys; `onBreak()` presses BREAK; `onError(text)`
  // reports what cannot be typed; `onChange()` is called when SHIFT LOCK or the mode changes.
  constructor({ host, pageWide, machine, keys, onBreak, onError, onChange }) {
    this.host = host;
    this.pageWide = pageWide;
    this.machine = machine;
    this.keys = keys ?? new HostKeys(machine);
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
    this.keys.releaseAll();
  }

  toggleShiftLock() {
    const m = this.machine();
    m.set_shift_lock(!m.shift_lock());
    this.onChange();
  }

  // Queue text for the typist. Characters the keyboard cannot make are left out and reported;
  // the rest is typed. Returns true when every character will be typed.
  type(text) {
    const normal = normalizeText(String(text));
    const skipped = this.machine().type_text_lossy(normal)
      .map((s) => ({ character: s.character, position: s.position }));
    if (skipped.length) this.onError(describeSkipped(normal, skipped));
    return skipped.length === 0;
  }

  // The character a natural-mode key event types, or null.
  static naturalText(event) {
    const altGraph = event.getModifierState?.('AltGraph') || (event.ctrlKey && event.altKey);
    if (event.ctrlKey && !altGraph) {
      // Ctrl+letter is a control character. On a non-Latin layout the key says е or ק, so
      // fall back to the letter printed in the US position (KeyboardEvent.code).
      let letter = /^[a-zA-Z]$/.test(event.key) ? event.key.toUpperCase() : null;
      if (!letter && /^Key[A-Z]$/.test(event.code)) letter = event.code[3];
      return letter ? String.fromCharCode(letter.charCodeAt(0) - 64) : null;
    }
    if ([...event.key].length === 1) return event.key; // one character, astral ones too
    return NATURAL_NAMED[event.key] ?? null; // 'Dead', 'Shift', 'Tab', … are not typed
  }

  keyDown(event) {
    if (BREAK_KEYS.has(event.key) || BREAK_KEYS.has(event.code)) {
      event.preventDefault();
      if (!event.repeat) this.onBreak();
      return;
    }
    const command = event.metaKey || (event.ctrlKey && !event.altKey);
    // Leave the browser's own paste (and copy/reload/... with ⌘) alone.
    if (command && (event.key === 'v' || event.key === 'V' || event.code === 'KeyV')) return;
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
        this.keys.press(`pc:${event.code}`, name);
      }
      return;
    }
    const text = Keyboard.naturalText(event);
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
    this.keys.release(`pc:${event.code}`, name);
  }

  paste(event) {
    const text = event.clipboardData?.getData('text/plain');
    if (!text) return;
    event.preventDefault();
    this.type(text);
  }
}
