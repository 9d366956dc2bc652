// The BASIC card: what the interpreter holds in RAM, decoded by the core (src/basic/) — the
// stored program as LIST prints it, the current line, the interpreter's pointers, the simple
// variables, DEF FN definitions, arrays and the string space. Works the same with the original
// BASIC and the open one (same formats).
//
// attachBasicView(element, root): `root` is the card (a <details>); it refreshes twice a
// second while open and the machine runs, and at once when opened or paused.

const hex4 = (v) => '$' + v.toString(16).toUpperCase().padStart(4, '0');
const REFRESH_MS = 500;
const MAX_ELEMENTS_SHOWN = 64;

function make(tag, props = {}, children = []) {
  const el = Object.assign(document.createElement(tag), props);
  for (const child of children) el.append(child);
  return el;
}

function subscripts(index, dims) {
  const out = [];
  for (const d of dims) {
    out.push(index % d);
    index = Math.floor(index / d);
  }
  return out.join(',');
}

export function attachBasicView(element, root) {
  const status = make('p', { className: 'basic-status', id: 'basic-status' });
  const program = make('pre', { className: 'basic-program', id: 'basic-program' });
  const pointers = make('table', { className: 'basic-pointers', id: 'basic-pointers' });
  const variables = make('table', { className: 'basic-vars', id: 'basic-vars' });
  const arrays = make('div', { className: 'basic-arrays', id: 'basic-arrays' });
  const strings = make('pre', { className: 'basic-strings', id: 'basic-strings' });
  root.append(
    status,
    make('h3', { textContent: 'Program' }), program,
    make('h3', { textContent: 'Variables' }), variables,
    arrays,
    make('h3', { textContent: 'Pointers' }), pointers,
    make('h3', { textContent: 'String space' }), strings,
  );
  let last = 0;

  function row(cells, header = false) {
    return make('tr', {}, cells.map((c) => make(header ? 'th' : 'td', { textContent: c })));
  }

  function show() {
    const m = element.machine;
    let state;
    try {
      state = JSON.parse(m.basic_state());
    } catch (error) {
      status.textContent = error.message;
      status.dataset.kind = 'error';
      for (const el of [program, strings]) el.textContent = '';
      for (const el of [pointers, variables, arrays]) el.replaceChildren();
      return;
    }
    status.dataset.kind = 'info';
    status.textContent = state.line === null ? 'Direct mode (waiting for a command)' : `Running line ${state.line}`;
    try {
      // The listing reader (src/basic/listing.rs) through the element.
      program.textContent = typeof element.program === 'function'
        ? element.program() || '(no program)'
        : '';
    } catch (error) {
      program.textContent = error.message;
    }
    const p = state.pointers;
    pointers.replaceChildren(
      row(['TXTTAB', hex4(p.txttab), 'program']),
      row(['VARTAB', hex4(p.vartab), 'variables']),
      row(['ARYTAB', hex4(p.arytab), 'arrays']),
      row(['STREND', hex4(p.strend), `free: ${p.free} bytes`]),
      row(['FRETOP', hex4(p.fretop), 'strings']),
      row(['MEMSIZ', hex4(p.memsiz), 'top of memory']),
      row(['TXTPTR', hex4(p.txtptr), 'reading here']),
      row(['DATPTR', hex4(p.datptr), 'next DATA']),
    );
    variables.replaceChildren(
      row(['name', 'value', 'at'], true),
      ...state.variables.map((v) => row([v.name, v.value.text ?? v.value.string, hex4(v.addr)])),
      ...state.functions.map((f) => row([f.name, `defined at ${hex4(f.text)}`, hex4(f.addr)])),
    );
    arrays.replaceChildren(...state.arrays.map((a) => {
      const dims = a.dims.map((d) => d - 1).join(',');
      const table = make('table', { className: 'basic-array' });
      table.dataset.name = a.name;
      a.elements.slice(0, MAX_ELEMENTS_SHOWN).forEach((e, i) => {
        table.append(row([`${a.name}(${subscripts(i, a.dims)})`, e.text ?? e.string]));
      });
      const more = a.count > MAX_ELEMENTS_SHOWN ? ` (first ${MAX_ELEMENTS_SHOWN} of ${a.count})` : '';
      return make('details', {}, [make('summary', { textContent: `${a.name}(${dims}) at ${hex4(a.addr)}${more}` }), table]);
    }));
    const text = state.strings.map((b) => (b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '·')).join('');
    strings.textContent = text ? `${hex4(p.fretop)}: ${text}` : '(empty)';
  }

  element.onFrame(() => {
    if (!root.open) return;
    const now = performance.now();
    if (now - last < REFRESH_MS) return;
    last = now;
    show();
  });
  root.addEventListener('toggle', () => { if (root.open) show(); });
  element.addEventListener('pausechange', () => { if (root.open) show(); });
  return { refresh: show };
}
