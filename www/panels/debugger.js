// The Debugger card: registers and flags (editable), disassembly around the PC with labels,
// pause / continue / step / step over / step out / run to cursor, PC breakpoints, read/write
// watchpoints on an address or range, a live memory view (hex and characters, editable), the
// cycle counter, the instruction trace (opened by itself when the CPU jams or a breakpoint
// hits) and the keyboard matrix (the row the ROM scans, the keys held).
//
// attachDebugger(element, root): `root` is the card (a <details>); the panel builds its content.
// The core does the work (src/debugger/, through src/web_debug.rs): a stop halts the machine in
// the core at once, and this panel then pauses the element ('debugger') so the frame loop rests.
// Breakpoints and watchpoints are kept here too and given again to a new machine after a power
// cycle or a ROM change. While the card is open the core records the last instructions.

import { key_names, key_legend, key_position } from '../pkg/superboard.js';

const hex2 = (v) => v.toString(16).toUpperCase().padStart(2, '0');
const hex4 = (v) => v.toString(16).toUpperCase().padStart(4, '0');
const FLAGS = ['N', 'V', '-', 'B', 'D', 'I', 'Z', 'C'];
const REGISTERS = [['PC', 4], ['A', 2], ['X', 2], ['Y', 2], ['S', 2], ['P', 2]];
const DISASM_BEFORE = 6;
const DISASM_AFTER = 14;
const MEM_ROWS = 16;
const MEM_COLS = 8;
const REFRESH_MS = 150;

function make(tag, props = {}, children = []) {
  const el = Object.assign(document.createElement(tag), props);
  for (const child of children) el.append(child);
  return el;
}

// The screen character of a byte for the memory view: printable ASCII as itself.
function charOf(byte) {
  return byte >= 0x20 && byte < 0x7f ? String.fromCharCode(byte) : '·';
}

export function attachDebugger(element, root) {
  const machine = () => element.machine;
  const state = { breakpoints: new Set(), watchpoints: [], cursor: null, memStart: 0x0000, lastRefresh: 0 };

  // ---- DOM ----
  const status = make('p', { className: 'dbg-status', id: 'dbg-status' });
  status.setAttribute('aria-live', 'polite');
  const button = (id, text, title) => make('button', { id, textContent: text, title });
  const pauseButton = button('dbg-pause', 'Pause', 'Pause or continue the machine');
  const stepButton = button('dbg-step', 'Step', 'Run one instruction');
  const overButton = button('dbg-over', 'Step over', 'Run a JSR with everything it calls');
  const outButton = button('dbg-out', 'Step out', 'Run until this subroutine returns');
  const toButton = button('dbg-to', 'Run to cursor', 'Run until the PC reaches the selected line');
  const cycles = make('span', { className: 'dbg-cycles', id: 'dbg-cycles' });
  const toolbar = make('div', { className: 'row dbg-toolbar' }, [pauseButton, stepButton, overButton, outButton, toButton, cycles]);

  const regInputs = {};
  const regRow = make('div', { className: 'row dbg-registers' });
  for (const [name, width] of REGISTERS) {
    const input = make('input', { id: `dbg-reg-${name.toLowerCase()}`, size: width, maxLength: width, spellcheck: false });
    input.dataset.register = name;
    regInputs[name] = input;
    regRow.append(make('label', {}, [`${name} `, input]));
  }
  const flagBoxes = {};
  const flagRow = make('div', { className: 'row dbg-flags' });
  for (const flag of FLAGS) {
    if (flag === '-' || flag === 'B') continue;
    const box = make('input', { type: 'checkbox', id: `dbg-flag-${flag.toLowerCase()}` });
    flagBoxes[flag] = box;
    flagRow.append(make('label', { className: 'check' }, [box, flag]));
  }

  const disasm = make('ol', { className: 'dbg-disasm', id: 'dbg-disasm' });
  disasm.setAttribute('aria-label', 'Disassembly around the PC; click an address for a breakpoint, a line for the cursor');

  const bpInput = make('input', { id: 'dbg-bp-addr', placeholder: 'address or label', size: 12 });
  const bpAdd = button('dbg-bp-add', 'Add breakpoint');
  const bpList = make('ul', { className: 'dbg-list', id: 'dbg-bp-list' });
  const wpInput = make('input', { id: 'dbg-wp-range', placeholder: 'D000 or D000-D3FF', size: 14 });
  const wpRead = make('input', { type: 'checkbox', id: 'dbg-wp-read' });
  const wpWrite = make('input', { type: 'checkbox', id: 'dbg-wp-write', checked: true });
  const wpAdd = button('dbg-wp-add', 'Add watchpoint');
  const wpList = make('ul', { className: 'dbg-list', id: 'dbg-wp-list' });

  const memAddr = make('input', { id: 'dbg-mem-addr', value: '0000', size: 12 });
  const memTable = make('table', { className: 'dbg-mem', id: 'dbg-mem' });

  const trace = make('pre', { className: 'dbg-trace', id: 'dbg-trace' });
  const traceBox = make('details', { id: 'dbg-trace-box' }, [make('summary', { textContent: 'Last instructions' }), trace]);
  const matrix = make('table', { className: 'dbg-matrix', id: 'dbg-matrix' });
  const matrixBox = make('details', {}, [make('summary', { textContent: 'Keyboard matrix' }), matrix]);

  root.append(
    status, toolbar, regRow, flagRow, disasm,
    make('div', { className: 'row' }, [bpInput, bpAdd]), bpList,
    make('div', { className: 'row' }, [wpInput, make('label', { className: 'check' }, [wpRead, 'read']), make('label', { className: 'check' }, [wpWrite, 'write']), wpAdd]), wpList,
    make('div', { className: 'row' }, [make('label', {}, ['Memory ', memAddr])]), memTable,
    traceBox, matrixBox,
  );

  // Memory view: MEM_ROWS × MEM_COLS editable hex cells and their characters.
  const memCells = [];
  const memChars = [];
  const memLabels = [];
  for (let row = 0; row < MEM_ROWS; row++) {
    const tr = make('tr');
    const label = make('th');
    memLabels.push(label);
    tr.append(label);
    for (let col = 0; col < MEM_COLS; col++) {
      const cell = make('input', { className: 'dbg-byte', maxLength: 2, size: 2, spellcheck: false });
      cell.dataset.offset = String(row * MEM_COLS + col);
      memCells.push(cell);
      tr.append(make('td', {}, [cell]));
    }
    const text = make('td', { className: 'dbg-chars' });
    memChars.push(text);
    tr.append(text);
    memTable.append(tr);
  }

  // Keyboard matrix: 8 rows × 8 columns of keycap legends.
  const legends = [];
  for (const name of key_names()) {
    const [row, col] = key_position(name);
    legends[row * 8 + col] = key_legend(name);
  }
  const matrixCells = [];
  for (let row = 0; row < 8; row++) {
    const tr = make('tr');
    tr.append(make('th', { textContent: String(row) }));
    for (let col = 7; col >= 0; col--) {
      const td = make('td', { textContent: legends[row * 8 + col] || '' });
      matrixCells[row * 8 + col] = td;
      tr.append(td);
    }
    matrix.append(tr);
  }

  // ---- actions ----
  const m = () => machine();
  function say(text, kind = 'info') {
    status.textContent = text;
    status.dataset.kind = kind;
  }
  function attempt(action) {
    try {
      action();
      return true;
    } catch (error) {
      say(error.message, 'error');
      return false;
    }
  }
  function halted() {
    return m().debug_halted();
  }
  function pause() {
    m().debug_pause();
    element.pause('debugger');
    say('Paused.');
    refresh(true);
  }
  function go(start) {
    if (!attempt(start)) return;
    say('Running…');
    element.resume('debugger');
    refresh(true);
  }
  pauseButton.addEventListener('click', () => (halted() ? go(() => m().debug_continue()) : pause()));
  stepButton.addEventListener('click', () => go(() => m().debug_step()));
  overButton.addEventListener('click', () => go(() => m().debug_step_over()));
  outButton.addEventListener('click', () => go(() => m().debug_step_out()));
  toButton.addEventListener('click', () => {
    if (state.cursor === null) {
      say('Select a line of the disassembly first.', 'error');
      return;
    }
    go(() => m().debug_run_to(state.cursor));
  });

  for (const input of Object.values(regInputs)) {
    input.addEventListener('change', () => {
      const value = parseInt(input.value, 16);
      if (!/^[0-9a-f]+$/i.test(input.value.trim()) || Number.isNaN(value)) {
        say(`${input.dataset.register}: a hex number, please`, 'error');
      } else {
        attempt(() => m().debug_set_register(input.dataset.register, value));
      }
      refresh(true);
    });
  }
  for (const [flag, box] of Object.entries(flagBoxes)) {
    box.addEventListener('change', () => {
      attempt(() => m().debug_set_flag(flag, box.checked));
      refresh(true);
    });
  }

  function applyBreakpoints(target) {
    for (const addr of state.breakpoints) target.debug_add_breakpoint(addr);
    for (const w of state.watchpoints) target.debug_add_watchpoint(w.start, w.end, w.read, w.write);
  }
  function toggleBreakpoint(addr) {
    if (state.breakpoints.has(addr)) {
      state.breakpoints.delete(addr);
      m().debug_remove_breakpoint(addr);
    } else {
      state.breakpoints.add(addr);
      m().debug_add_breakpoint(addr);
    }
    refresh(true);
  }
  bpAdd.addEventListener('click', () => {
    attempt(() => {
      const addr = m().debug_parse_address(bpInput.value);
      if (!state.breakpoints.has(addr)) toggleBreakpoint(addr);
      bpInput.value = '';
    });
  });
  bpInput.addEventListener('keydown', (e) => { if (e.key === 'Enter') bpAdd.click(); });
  wpAdd.addEventListener('click', () => {
    attempt(() => {
      const [a, b] = wpInput.value.split(/\s*[-:]\s*/);
      const start = m().debug_parse_address(a);
      const end = b ? m().debug_parse_address(b) : start;
      if (end < start) throw new Error('the range ends before it starts');
      if (!wpRead.checked && !wpWrite.checked) throw new Error('watch reads, writes or both');
      const w = { start, end, read: wpRead.checked, write: wpWrite.checked };
      state.watchpoints = state.watchpoints.filter((o) => o.start !== start || o.end !== end);
      state.watchpoints.push(w);
      m().debug_add_watchpoint(start, end, w.read, w.write);
      wpInput.value = '';
      refresh(true);
    });
  });
  wpInput.addEventListener('keydown', (e) => { if (e.key === 'Enter') wpAdd.click(); });

  memAddr.addEventListener('change', () => {
    attempt(() => { state.memStart = m().debug_parse_address(memAddr.value); });
    refresh(true);
  });
  for (const cell of memCells) {
    cell.addEventListener('change', () => {
      const addr = (state.memStart + Number(cell.dataset.offset)) & 0xffff;
      const value = parseInt(cell.value, 16);
      if (!/^[0-9a-f]{1,2}$/i.test(cell.value.trim())) say('a byte is two hex digits', 'error');
      else attempt(() => m().debug_poke(addr, value));
      refresh(true);
    });
  }

  // ---- views ----
  function showRegisters(regs) {
    const [pc, a, x, y, s, p] = regs;
    const values = { PC: pc, A: a, X: x, Y: y, S: s, P: p };
    for (const [name, width] of REGISTERS) {
      const input = regInputs[name];
      if (document.activeElement !== input) input.value = width === 4 ? hex4(values[name]) : hex2(values[name]);
    }
    FLAGS.forEach((flag, i) => { if (flagBoxes[flag]) flagBoxes[flag].checked = (p & (0x80 >> i)) !== 0; });
  }

  function showDisassembly(pc) {
    const lines = JSON.parse(m().debug_disassemble_around(pc, DISASM_BEFORE, DISASM_AFTER));
    disasm.replaceChildren();
    for (const line of lines) {
      const li = make('li');
      li.dataset.addr = String(line.addr);
      if (line.addr === pc) li.classList.add('pc');
      if (line.addr === state.cursor) li.classList.add('cursor');
      const bp = state.breakpoints.has(line.addr);
      const addr = make('button', { className: `addr${bp ? ' bp' : ''}`, textContent: hex4(line.addr), title: bp ? 'Remove breakpoint' : 'Set breakpoint' });
      addr.addEventListener('click', (e) => { e.stopPropagation(); toggleBreakpoint(line.addr); });
      const bytes = line.bytes.map(hex2).join(' ');
      li.append(addr, make('span', { className: 'bytes', textContent: bytes.padEnd(8) }),
        make('span', { className: 'label', textContent: line.label ? `${line.label}:` : '' }),
        make('span', { className: 'text', textContent: line.text }));
      li.addEventListener('click', () => { state.cursor = line.addr; refresh(true); });
      disasm.append(li);
    }
    // Keep the PC's line in view inside the list (not the page).
    const current = disasm.querySelector('li.pc');
    if (current) disasm.scrollTop = Math.max(0, current.offsetTop - disasm.offsetTop - disasm.clientHeight / 3);
  }

  function showLists() {
    bpList.replaceChildren(...[...state.breakpoints].sort((a, b) => a - b).map((addr) => {
      const label = m().debug_label(addr);
      const remove = make('button', { textContent: '×', title: 'Remove', className: 'remove' });
      remove.addEventListener('click', () => toggleBreakpoint(addr));
      return make('li', {}, [`$${hex4(addr)}${label ? ` ${label}` : ''} `, remove]);
    }));
    wpList.replaceChildren(...JSON.parse(m().debug_watchpoints()).map((w) => {
      const remove = make('button', { textContent: '×', title: 'Remove', className: 'remove' });
      remove.addEventListener('click', () => {
        state.watchpoints = state.watchpoints.filter((o) => o.start !== w.start || o.end !== w.end);
        m().debug_remove_watchpoint(w.start, w.end);
        refresh(true);
      });
      return make('li', {}, [`${w.text} `, remove]);
    }));
  }

  function showMemory() {
    const bytes = m().debug_memory(state.memStart, MEM_ROWS * MEM_COLS);
    for (let row = 0; row < MEM_ROWS; row++) {
      memLabels[row].textContent = hex4((state.memStart + row * MEM_COLS) & 0xffff);
      let text = '';
      for (let col = 0; col < MEM_COLS; col++) {
        const i = row * MEM_COLS + col;
        if (document.activeElement !== memCells[i]) memCells[i].value = hex2(bytes[i]);
        text += charOf(bytes[i]);
      }
      memChars[row].textContent = text;
    }
  }

  function showMatrix() {
    const selected = m().keyboard_selected_rows();
    const down = m().key_matrix();
    for (let row = 0; row < 8; row++) {
      for (let col = 0; col < 8; col++) {
        const td = matrixCells[row * 8 + col];
        td.classList.toggle('scanned', (selected & (1 << row)) !== 0);
        td.classList.toggle('held', (down[row] & (1 << col)) !== 0);
      }
    }
  }

  function showTrace() {
    trace.textContent = m().debug_trace(64) || '(nothing recorded yet)';
    trace.scrollTop = trace.scrollHeight;
  }

  // Everything, or (while running) at most every REFRESH_MS.
  function refresh(now = false) {
    if (!root.open) return;
    const t = performance.now();
    if (!now && t - state.lastRefresh < REFRESH_MS) return;
    state.lastRefresh = t;
    const regs = m().debug_registers();
    showRegisters(regs);
    showDisassembly(regs[0]);
    showLists();
    showMemory();
    showMatrix();
    cycles.textContent = `${Math.round(m().cycles()).toLocaleString('en')} cycles`;
    const isHalted = halted();
    pauseButton.textContent = isHalted ? 'Continue' : 'Pause';
    root.classList.toggle('halted', isHalted);
    if (traceBox.open) showTrace();
  }

  // A stop in the core: pause the element, say why, show where (and how it got there).
  function checkStop() {
    const json = m().debug_stop();
    if (!json || !halted()) return;
    const stop = JSON.parse(json);
    element.pause('debugger');
    root.open = true;
    say(stop.text[0].toUpperCase() + stop.text.slice(1) + '.', stop.kind === 'jam' ? 'error' : 'info');
    if (stop.kind !== 'step') {
      traceBox.open = true;
      showTrace();
    }
    element.emit('debugstop', stop);
    refresh(true);
  }

  element.onFrame(() => {
    checkStop();
    refresh();
  });
  root.addEventListener('toggle', () => {
    m().debug_set_tracing(root.open);
    if (root.open) refresh(true);
  });
  traceBox.addEventListener('toggle', () => { if (traceBox.open) showTrace(); });
  element.addEventListener('machinechange', () => {
    applyBreakpoints(m());
    m().debug_set_tracing(root.open);
    element.resume('debugger');
    refresh(true);
  });
  element.addEventListener('pausechange', () => refresh(true));
  m().debug_set_tracing(root.open);

  // The panel's API for scripts and tests.
  return {
    pause,
    continue: () => go(() => m().debug_continue()),
    step: () => go(() => m().debug_step()),
    stepOver: () => go(() => m().debug_step_over()),
    stepOut: () => go(() => m().debug_step_out()),
    runTo: (addr) => go(() => m().debug_run_to(addr)),
    addBreakpoint: (addr) => { if (!state.breakpoints.has(addr)) toggleBreakpoint(addr); },
    refresh: () => refresh(true),
  };
}
