// On-screen keyboard: the Superboard II's own keyboard, for touch and mouse.
//
// Layout: the real machine's five rows — 1 … 0 : - RUB OUT / ESC Q … P LINE FEED RETURN /
// CTRL A … ; REPEAT BREAK / SHIFT LOCK SHIFT Z … / SHIFT / SPACE — each key labelled as on its
// cap (the shifted character above). A key is a matrix key (the core's names, `key_names()`),
// except BREAK, which is the reset line.
//
// Input: pointer events, one pointer per finger, so several keys can be held at once (games).
// SHIFT and CTRL latch: a tap holds them down for the next key, a second tap lets go. SHIFT LOCK
// toggles, as the real key does. A tap is held down for at least HOLD_CYCLES of emulated time
// and the next press waits RELEASE_CYCLES after a release, so the ROM's debounce sees every tap
// — even one shorter than an animation frame — and a doubled letter stays two.
//
// Picture: every frame the keys light as the matrix sees them (`key_matrix()`: the page's, the
// typist's and a gamepad's keys alike), and so does every key pressed since the previous frame
// (`key_presses()` counts moved) although it is up again: the typist holds a key about 20,000
// cycles and one slow frame runs up to 100,000, so its keys would otherwise never light. In teaching mode the rows glow as the ROM reads them
// (`keyboard_row_reads()` differences per frame) and the row the latch selects right now is
// marked, beside an 8×8 picture of the matrix with the $DF00 values.

import { key_position } from './pkg/superboard.js';

// Emulated cycles a tapped key stays down (SYN600 accepts a key about 5,600 cycles after it
// first sees it and repeats only after ~795,000), and the gap after a release before the next
// press (a few empty scan passes of ~600 cycles each).
const HOLD_CYCLES = 30_000;
const RELEASE_CYCLES = 8_000;
// Teaching mode: how fast a row's glow fades when the ROM stops reading it (per frame).
const GLOW_FADE = 0.75;

const MODIFIERS = new Set(['LeftShift', 'RightShift', 'Ctrl']);

// [matrix key name (or null for a gap, 'Break' for BREAK), cap legend, shifted legend, width]
// Widths are in key units; each row adds up to ROW_UNITS.
const ROW_UNITS = 15;
const K = (name, legend, shifted = '', width = 1) => ({ name, legend, shifted, width });
const gap = (width) => K(null, '', '', width);
export const LAYOUT = [
  [gap(1), K('Digit1', '1', '!'), K('Digit2', '2', '"'), K('Digit3', '3', '#'), K('Digit4', '4', '$'),
    K('Digit5', '5', '%'), K('Digit6', '6', '&'), K('Digit7', '7', "'"), K('Digit8', '8', '('),
    K('Digit9', '9', ')'), K('Digit0', '0'), K('Colon', ':', '*'), K('Minus', '-', '='),
    K('RubOut', 'RUB OUT', '', 2)],
  [K('Esc', 'ESC', '', 1.5), K('Q', 'Q'), K('W', 'W'), K('E', 'E'), K('R', 'R'), K('T', 'T'),
    K('Y', 'Y'), K('U', 'U'), K('I', 'I'), K('O', 'O', '_'), K('P', 'P', '@'),
    K('LineFeed', 'LINE FEED', '', 1.5), K('Return', 'RETURN', '', 2)],
  [K('Ctrl', 'CTRL', '', 1.75), K('A', 'A'), K('S', 'S'), K('D', 'D'), K('F', 'F'), K('G', 'G'),
    K('H', 'H'), K('J', 'J'), K('K', 'K', '['), K('L', 'L', '\\'), K('Semicolon', ';', '+'),
    K('Repeat', 'REPEAT', '', 1.5), K('Break', 'BREAK', '', 1.75)],
  [K('ShiftLock', 'SHIFT LOCK', '', 1.5), K('LeftShift', 'SHIFT', '', 1.5), K('Z', 'Z'), K('X', 'X'),
    K('C', 'C'), K('V', 'V'), K('B', 'B'), K('N', 'N', '^'), K('M', 'M', ']'), K('Comma', ',', '<'),
    K('Period', '.', '>'), K('Slash', '/', '?'), K('RightShift', 'SHIFT', '', 2)],
  [gap(3.5), K('Space', '', '', 8), gap(3.5)],
];

// Spoken names for keys whose cap is a symbol.
const SPOKEN = {
  Space: 'space', Colon: 'colon', Minus: 'minus', Semicolon: 'semicolon', Comma: 'comma',
  Period: 'full stop', Slash: 'slash', LeftShift: 'left shift', RightShift: 'right shift',
};

const hex = (value) => `$${value.toString(16).toUpperCase().padStart(2, '0')}`;

export class OnScreenKeyboard {
  // `machine()` returns the current core facade; `keys` is the page's HostKeys; `keyboard` the
  // page's Keyboard (SHIFT LOCK goes through it so the status line follows); `onBreak()`
  // presses BREAK. The keyboard is built hidden; `show(true)` puts it up.
  constructor({ machine, keys, keyboard, onBreak }) {
    this.machine = machine;
    this.keys = keys;
    this.keyboard = keyboard;
    this.onBreak = onBreak;
    this.shown = false;
    this.teaching = false;
    this.pending = []; // key changes waiting for their minimum hold or gap
    this.lastChangeCycle = -Infinity;
    this.lastWasRelease = false;
    this.pointers = new Map(); // pointerId → key name held by that pointer
    this.latched = new Set(); // modifiers latched for the next key
    this.looping = false;
    this.glow = new Float32Array(8);
    this.lastReads = null;
    this.lastPresses = null; // key_presses() at the last draw
    this.drawnMachine = null; // the core facade drawn last (a power cycle brings a new one)
    this.buttons = new Map(); // key name → button
    this.shownState = new Map(); // button → last drawn state, to touch the DOM only on change
    this.element = this.build();
    keys.onReleaseAll(() => {
      this.pointers.clear();
      this.latched.clear();
      this.pending = [];
    });
  }

  build() {
    const root = document.createElement('section');
    root.className = 'osk';
    root.hidden = true;
    root.setAttribute('aria-label', 'Superboard II keyboard');

    const grid = document.createElement('div');
    grid.className = 'osk-keys';
    grid.style.setProperty('--osk-columns', String(ROW_UNITS * 4));
    for (const [rowIndex, row] of LAYOUT.entries()) {
      for (const key of row) {
        const span = Math.round(key.width * 4);
        if (!key.name) {
          const spacer = document.createElement('span');
          spacer.className = 'osk-gap';
          spacer.style.gridColumn = `span ${span}`;
          spacer.style.gridRow = String(rowIndex + 1);
          grid.append(spacer);
          continue;
        }
        const button = document.createElement('button');
        button.type = 'button';
        button.tabIndex = -1;
        button.className = 'osk-key';
        button.dataset.key = key.name;
        button.style.gridColumn = `span ${span}`;
        button.style.gridRow = String(rowIndex + 1);
        if (key.legend.length > 1) button.classList.add('osk-word');
        if (key.name === 'Break') button.classList.add('osk-break');
        if (key.name === 'Space') button.classList.add('osk-space');
        button.setAttribute('aria-label', SPOKEN[key.name] ?? key.legend.toLowerCase());
        if (key.name !== 'Break') {
          const [row, column] = key_position(key.name);
          button.dataset.row = String(row);
          button.dataset.column = String(column);
          button.title = `${key.legend || 'SPACE'} — matrix row ${row}, column ${column}`;
        } else {
          button.title = 'BREAK: resets the CPU, keeps RAM';
        }
        const shifted = document.createElement('span');
        shifted.className = 'osk-shifted';
        shifted.textContent = key.shifted;
        const legend = document.createElement('span');
        legend.className = 'osk-legend';
        legend.textContent = key.legend;
        button.append(shifted, legend);
        grid.append(button);
        this.buttons.set(key.name, button);
      }
    }
    grid.addEventListener('pointerdown', (event) => this.pointerDown(event));
    grid.addEventListener('pointerup', (event) => this.pointerUp(event));
    grid.addEventListener('pointercancel', (event) => this.pointerUp(event));
    grid.addEventListener('lostpointercapture', (event) => this.pointerUp(event));
    // A click with no pointer behind it (a screen reader's activation): a tap.
    grid.addEventListener('click', (event) => {
      if (event.detail !== 0) return;
      const button = event.target.closest?.('.osk-key');
      if (button) this.tap(button.dataset.key);
    });
    grid.addEventListener('contextmenu', (event) => event.preventDefault());

    const bar = document.createElement('div');
    bar.className = 'osk-bar';
    const teach = document.createElement('label');
    teach.className = 'check';
    this.teachBox = document.createElement('input');
    this.teachBox.type = 'checkbox';
    this.teachBox.addEventListener('change', () => {
      this.setTeaching(this.teachBox.checked);
      this.teachBox.blur();
    });
    teach.append(this.teachBox, 'Show the scan');
    this.caption = document.createElement('span');
    this.caption.className = 'osk-caption';
    this.caption.setAttribute('aria-hidden', 'true');
    bar.append(teach, this.caption);

    this.matrixView = this.buildMatrix();
    root.append(grid, bar, this.matrixView);
    return root;
  }

  // The 8×8 matrix as the ROM sees it: rows with the value written to $DF00, columns with the
  // bit read back.
  buildMatrix() {
    const legends = new Map();
    for (const row of LAYOUT) for (const key of row) if (key.name && key.name !== 'Break') legends.set(key.name, key);
    const table = document.createElement('table');
    table.className = 'osk-matrix';
    table.hidden = true;
    table.setAttribute('aria-label', 'Key matrix: rows selected by writing $DF00, columns read back');
    const head = table.createTHead().insertRow();
    head.insertCell().textContent = 'write → read';
    for (let column = 7; column >= 0; column--) {
      const th = document.createElement('th');
      th.textContent = `bit ${column}`;
      head.append(th);
    }
    const body = table.createTBody();
    this.matrixCells = [];
    this.matrixRows = [];
    const byPosition = new Map();
    for (const [name, key] of legends) {
      const [row, column] = key_position(name);
      byPosition.set(`${row},${column}`, key);
    }
    for (let row = 0; row < 8; row++) {
      const tr = body.insertRow();
      const th = document.createElement('th');
      th.textContent = `${hex(0xff ^ (1 << row))} row ${row}`;
      tr.append(th);
      const cells = [];
      for (let column = 7; column >= 0; column--) {
        const td = tr.insertCell();
        const key = byPosition.get(`${row},${column}`);
        td.textContent = key ? (key.name === 'Space' ? 'SPC' : key.legend.replace('SHIFT LOCK', 'LOCK').replace('LINE FEED', 'LF').replace('RUB OUT', 'RUB')) : '–';
        if (!key) td.className = 'osk-none';
        cells[column] = td;
      }
      this.matrixCells.push(cells);
      this.matrixRows.push(tr);
    }
    return table;
  }

  show(on) {
    this.shown = Boolean(on);
    this.element.hidden = !this.shown;
    this.lastPresses = null; // presses made while hidden are old news
    if (this.shown) this.startLoop();
    this.element.dispatchEvent(new CustomEvent('osk:toggle', { bubbles: true, detail: { shown: this.shown } }));
  }

  setTeaching(on) {
    this.teaching = Boolean(on);
    this.teachBox.checked = this.teaching;
    this.element.classList.toggle('osk-teaching', this.teaching);
    this.matrixView.hidden = !this.teaching;
    this.lastReads = null;
    this.glow.fill(0);
    if (!this.teaching) this.caption.textContent = '';
  }

  // ---- input ----

  pointerDown(event) {
    const button = event.target.closest?.('.osk-key');
    if (!button) return;
    // Keep the focus where it is (typing on a real keyboard still goes to the machine) and stop
    // the browser turning touches into scrolling, zooming or text selection.
    event.preventDefault();
    button.setPointerCapture?.(event.pointerId);
    const name = button.dataset.key;
    if (name === 'Break') {
      this.flash(button);
      this.onBreak();
      return;
    }
    if (name === 'ShiftLock') {
      this.keyboard.toggleShiftLock();
      return;
    }
    if (MODIFIERS.has(name)) {
      if (this.latched.has(name)) {
        this.latched.delete(name);
        this.schedule(false, 'osk:latch', name);
      } else {
        this.latched.add(name);
        this.schedule(true, 'osk:latch', name);
      }
      this.drawLatches();
      return;
    }
    if (this.pointers.has(event.pointerId)) return;
    this.pointers.set(event.pointerId, name);
    this.schedule(true, `osk:${event.pointerId}`, name);
    this.startLoop();
  }

  pointerUp(event) {
    const name = this.pointers.get(event.pointerId);
    if (name === undefined) return;
    this.pointers.delete(event.pointerId);
    this.schedule(false, `osk:${event.pointerId}`, name);
    this.releaseLatches();
  }

  // Press and release `name` (for activations without a pointer, and for scripts).
  tap(name) {
    if (name === 'Break') return this.onBreak();
    if (name === 'ShiftLock') return this.keyboard.toggleShiftLock();
    if (MODIFIERS.has(name)) {
      this.latched.add(name);
      this.schedule(true, 'osk:latch', name);
      this.drawLatches();
      return undefined;
    }
    this.schedule(true, 'osk:tap', name);
    this.schedule(false, 'osk:tap', name);
    this.releaseLatches();
    this.startLoop();
    return undefined;
  }

  // Latched modifiers let go once the key they were for has been released.
  releaseLatches() {
    for (const name of this.latched) this.schedule(false, 'osk:latch', name);
    this.latched.clear();
    this.drawLatches();
  }

  schedule(down, holder, name) {
    this.pending.push({ down, holder, name });
    this.pump();
    if (this.pending.length) this.startLoop();
  }

  // Apply waiting key changes whose minimum hold (or gap after a release) has passed in
  // emulated time.
  pump() {
    const machine = this.machine();
    while (this.pending.length) {
      const next = this.pending[0];
      const now = machine.cycles();
      const since = now - this.lastChangeCycle;
      const need = next.down ? (this.lastWasRelease ? RELEASE_CYCLES : 0) : HOLD_CYCLES;
      // A new machine (power cycle) starts its count again: nothing to wait for.
      if (since < need && since >= 0) return;
      this.pending.shift();
      if (next.down) this.keys.press(next.holder, next.name);
      else this.keys.release(next.holder, next.name);
      this.lastChangeCycle = now;
      this.lastWasRelease = !next.down;
    }
  }

  // ---- picture ----

  startLoop() {
    if (this.looping) return;
    this.looping = true;
    const step = () => {
      this.pump();
      if (this.shown) this.draw();
      if (this.shown || this.pending.length) requestAnimationFrame(step);
      else this.looping = false;
    };
    requestAnimationFrame(step);
  }

  flash(button) {
    button.classList.add('osk-down');
    setTimeout(() => button.classList.remove('osk-down'), 150);
  }

  drawLatches() {
    for (const name of MODIFIERS) this.buttons.get(name).classList.toggle('osk-latched', this.latched.has(name));
  }

  draw() {
    const machine = this.machine();
    if (machine !== this.drawnMachine) {
      // A new core (power cycle, ROM change): its counters start again from 0.
      this.drawnMachine = machine;
      this.lastPresses = null;
      this.lastReads = null;
    }
    const matrix = machine.key_matrix();
    const presses = machine.key_presses();
    if (this.lastPresses) {
      for (let i = 0; i < presses.length; i++) {
        if (presses[i] !== this.lastPresses[i]) matrix[i >> 3] |= 1 << (i & 7);
      }
    }
    this.lastPresses = presses;
    let rowGlow = null;
    let selected = 0;
    if (this.teaching) {
      const reads = machine.keyboard_row_reads();
      selected = machine.keyboard_selected_rows();
      if (this.lastReads) {
        const deltas = reads.map((n, row) => Math.max(0, n - this.lastReads[row]));
        const most = Math.max(...deltas);
        for (let row = 0; row < 8; row++) {
          const level = most > 0 && deltas[row] > 0 ? 0.35 + (0.65 * deltas[row]) / most : 0;
          this.glow[row] = Math.max(this.glow[row] * GLOW_FADE, level);
        }
      }
      this.lastReads = reads;
      rowGlow = this.glow;
    }
    for (const [name, button] of this.buttons) {
      if (name === 'Break') continue;
      const row = Number(button.dataset.row);
      const column = Number(button.dataset.column);
      const down = (matrix[row] >> column) & 1;
      const glow = rowGlow ? Math.round(rowGlow[row] * 10) / 10 : 0;
      const scanning = rowGlow ? (selected >> row) & 1 : 0;
      const state = `${down}${glow}${scanning}`;
      if (this.shownState.get(button) === state) continue;
      this.shownState.set(button, state);
      button.classList.toggle('osk-down', down === 1);
      button.classList.toggle('osk-scanning', scanning === 1);
      button.style.setProperty('--osk-glow', String(glow));
    }
    if (this.teaching) this.drawMatrix(matrix, selected);
  }

  drawMatrix(matrix, selected) {
    for (let row = 0; row < 8; row++) {
      const tr = this.matrixRows[row];
      tr.classList.toggle('osk-scanning', ((selected >> row) & 1) === 1);
      tr.style.setProperty('--osk-glow', String(Math.round(this.glow[row] * 10) / 10));
      for (let column = 0; column < 8; column++) {
        this.matrixCells[row][column].classList.toggle('osk-down', ((matrix[row] >> column) & 1) === 1);
      }
    }
    const rows = [];
    for (let row = 0; row < 8; row++) if ((selected >> row) & 1) rows.push(row);
    let columns = 0;
    for (const row of rows) columns |= matrix[row];
    const what = rows.length === 0 ? 'no row' : `row${rows.length > 1 ? 's' : ''} ${rows.join(', ')}`;
    this.caption.textContent = `$DF00 ← ${hex(0xff & ~selected)} selects ${what}; reads ${hex(0xff & ~columns)}`;
  }
}
