// Gamepads (the Gamepad API): a stick and buttons held as Superboard matrix keys.
//
// Every animation frame the pads are polled (`navigator.getGamepads()`); each control that is
// active holds its keys through the page's HostKeys, as long as it stays active. Controls use
// the "standard" mapping's names: the left stick and the d-pad give up/down/left/right; a b x y
// are the face buttons (0–3), l r the shoulders (4, 5), lt rt the triggers (6, 7), select and
// start (8, 9).
//
// A program's page says which keys its game reads with a mapping such as
// `up:Q,down:A,left:O,right:P,a:SPACE` (the `gamepad` parameter or attribute). Keys are named by
// their caps (A, 7, SPACE, RETURN, RUB OUT, LINE FEED, ESC, CTRL, SHIFT, REPEAT, and , . / ; : -),
// or by the core's names (Digit7, RubOut); `SHIFT+P` holds two keys, `none` frees a control.
// Controls the mapping does not name keep their defaults. Anything that does not parse is left
// out and named in the returned problems, never an exception.

export const CONTROLS = ['up', 'down', 'left', 'right', 'a', 'b', 'x', 'y', 'l', 'r', 'lt', 'rt', 'select', 'start'];

// Standard-mapping button index of each button control.
const BUTTONS = { a: 0, b: 1, x: 2, y: 3, l: 4, r: 5, lt: 6, rt: 7, select: 8, start: 9 };
const DPAD = { up: 12, down: 13, left: 14, right: 15 };
const STICK_THRESHOLD = 0.5;
const TRIGGER_THRESHOLD = 0.5;

// Defaults: the WASD cluster of the Superboard's letters for the stick, SPACE to fire, RETURN to
// confirm, Y and N for the questions BASIC games ask.
export const DEFAULT_MAPPING = {
  up: ['W'], down: ['S'], left: ['A'], right: ['D'],
  a: ['Space'], b: ['Return'], x: ['Y'], y: ['N'],
  l: [], r: [], lt: [], rt: [], select: [], start: ['Return'],
};

// Cap legends and other spellings → the core's key names.
const KEY_ALIASES = {
  SPACE: 'Space', SPC: 'Space', ' ': 'Space',
  RETURN: 'Return', ENTER: 'Return', CR: 'Return',
  RUBOUT: 'RubOut', 'RUB OUT': 'RubOut', DEL: 'RubOut', DELETE: 'RubOut', BACKSPACE: 'RubOut',
  LINEFEED: 'LineFeed', 'LINE FEED': 'LineFeed', LF: 'LineFeed',
  ESC: 'Esc', ESCAPE: 'Esc', CTRL: 'Ctrl', CONTROL: 'Ctrl', REPEAT: 'Repeat',
  SHIFT: 'LeftShift', LSHIFT: 'LeftShift', 'LEFT SHIFT': 'LeftShift', LEFTSHIFT: 'LeftShift',
  RSHIFT: 'RightShift', 'RIGHT SHIFT': 'RightShift', RIGHTSHIFT: 'RightShift',
  ',': 'Comma', COMMA: 'Comma', '.': 'Period', PERIOD: 'Period', '/': 'Slash', SLASH: 'Slash',
  ';': 'Semicolon', SEMICOLON: 'Semicolon', ':': 'Colon', COLON: 'Colon', '-': 'Minus', MINUS: 'Minus',
};

// One key spelling → the core's key name, or null. `names` is the core's `key_names()`.
export function keyNamed(spelling, names) {
  const text = spelling.trim();
  if (/^[A-Za-z]$/.test(text)) return text.toUpperCase();
  if (/^[0-9]$/.test(text)) return `Digit${text}`;
  const alias = KEY_ALIASES[text.toUpperCase()] ?? KEY_ALIASES[text];
  if (alias) return alias;
  const exact = names.find((n) => n.toLowerCase() === text.toLowerCase());
  return exact && exact !== 'ShiftLock' ? exact : null;
}

// Parse a mapping such as "up:Q,down:A,fire:SPACE" onto the defaults. Returns { mapping,
// problems } — every problem a sentence naming the part that was left out.
export function parseMapping(text, names) {
  const mapping = Object.fromEntries(Object.entries(DEFAULT_MAPPING).map(([c, k]) => [c, [...k]]));
  const problems = [];
  const source = String(text ?? '').trim();
  if (!source || source.toLowerCase() === 'default') return { mapping, problems };
  for (const part of source.split(',')) {
    if (!part.trim()) continue;
    // The first colon separates the control from its keys, so "a::" maps a to the colon key.
    const colon = part.indexOf(':');
    if (colon < 0) {
      problems.push(`"${part.trim()}" is not control:key`);
      continue;
    }
    const control = part.slice(0, colon).trim().toLowerCase();
    const keyText = part.slice(colon + 1);
    if (!CONTROLS.includes(control)) {
      problems.push(`"${control}" is not a gamepad control (${CONTROLS.join(' ')})`);
      continue;
    }
    if (keyText.trim().toLowerCase() === 'none') {
      mapping[control] = [];
      continue;
    }
    // "+" joins keys held together.
    const spellings = keyText.split('+');
    const keys = spellings.map((s) => keyNamed(s, names));
    const bad = spellings.filter((_, i) => keys[i] === null);
    if (bad.length) {
      problems.push(`${control}: no Superboard key "${bad.join('+').trim() || keyText.trim()}"`);
      continue;
    }
    mapping[control] = keys;
  }
  return { mapping, problems };
}

// The mapping written back as text (for share links and the docs).
export function formatMapping(mapping) {
  return CONTROLS.filter((c) => mapping[c]?.length).map((c) => `${c}:${mapping[c].join('+')}`).join(',');
}

// With several machines on one page the pads drive one of them: the one used last (focused or
// touched), or else the first.
const everyGamepads = [];
let lastUsed = null;

export class Gamepads {
  // `keys` is the machine's HostKeys; `names` the core's key names (for parsing mappings);
  // `owner` the machine's element (using it makes it the one the pads drive); `onChange(text)`
  // is told when a pad connects or disconnects, in words.
  constructor({ keys, names, owner, onChange = () => {} }) {
    this.keys = keys;
    this.names = names;
    this.onChange = onChange;
    this.mapping = parseMapping('', names).mapping;
    this.active = new Map(); // control → keys it holds
    everyGamepads.push(this);
    const use = () => {
      if (lastUsed !== this) lastUsed?.releaseAll();
      lastUsed = this;
    };
    this.listeners = [
      [owner, 'focus', use],
      [owner, 'pointerdown', use],
      [window, 'gamepadconnected', (e) => this.driving && this.onChange(`Gamepad connected: ${e.gamepad.id}`)],
      [window, 'gamepaddisconnected', () => {
        this.releaseAll();
        if (this.driving) this.onChange('Gamepad disconnected');
      }],
    ].filter(([target]) => target);
    for (const [target, type, listener] of this.listeners) target.addEventListener(type, listener);
    keys.onReleaseAll(() => this.active.clear());
    const step = () => {
      if (this.detached) return;
      this.poll();
      requestAnimationFrame(step);
    };
    requestAnimationFrame(step);
  }

  // Whether the pads drive this machine.
  get driving() {
    return (lastUsed ?? everyGamepads[0]) === this;
  }

  // The machine left the page.
  detach() {
    this.releaseAll();
    this.detached = true;
    for (const [target, type, listener] of this.listeners) target.removeEventListener(type, listener);
    everyGamepads.splice(everyGamepads.indexOf(this), 1);
    if (lastUsed === this) lastUsed = null;
  }

  // Set the mapping from text; returns the problems (empty when all of it was understood).
  setMapping(text) {
    const { mapping, problems } = parseMapping(text, this.names);
    this.releaseAll();
    this.mapping = mapping;
    return problems;
  }

  releaseAll() {
    for (const [control, names] of this.active) for (const name of names) this.keys.release(`pad:${control}`, name);
    this.active.clear();
  }

  // Which controls are active on all connected pads together.
  static activeControls(pads) {
    const on = new Set();
    for (const pad of pads) {
      if (!pad || pad.connected === false) continue;
      const pressed = (index) => {
        const button = pad.buttons?.[index];
        if (!button) return false;
        return typeof button === 'object' ? button.pressed || button.value > TRIGGER_THRESHOLD : button > TRIGGER_THRESHOLD;
      };
      const [x = 0, y = 0] = pad.axes ?? [];
      if (y < -STICK_THRESHOLD || pressed(DPAD.up)) on.add('up');
      if (y > STICK_THRESHOLD || pressed(DPAD.down)) on.add('down');
      if (x < -STICK_THRESHOLD || pressed(DPAD.left)) on.add('left');
      if (x > STICK_THRESHOLD || pressed(DPAD.right)) on.add('right');
      for (const [control, index] of Object.entries(BUTTONS)) if (pressed(index)) on.add(control);
    }
    return on;
  }

  poll() {
    if (!navigator.getGamepads || document.hidden || !this.driving) {
      if (this.active.size) this.releaseAll();
      return;
    }
    let pads;
    try {
      pads = [...navigator.getGamepads()];
    } catch {
      return; // blocked by a permissions policy
    }
    const on = Gamepads.activeControls(pads);
    for (const [control, names] of [...this.active]) {
      if (on.has(control)) continue;
      for (const name of names) this.keys.release(`pad:${control}`, name);
      this.active.delete(control);
    }
    for (const control of on) {
      if (this.active.has(control)) continue;
      const names = this.mapping[control] ?? [];
      for (const name of names) this.keys.press(`pad:${control}`, name);
      this.active.set(control, names);
    }
  }
}
