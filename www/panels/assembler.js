// The Assembler card: 6502 source in an editor, assembled in the page by the project's own
// assembler (the superboard-asm crate compiled into the same wasm). Assemble shows the listing,
// or each error at line:column with the source line and a caret, as `superboard asm` prints
// it; Load puts the bytes at their addresses in RAM (optionally pointing BASIC's USR vector or
// the 65V monitor's address at the code, the symbol `start` or else its first byte); Export
// downloads a .65v tape (the monitor's L loads it and runs it) or the raw binary. The example
// is a routine BASIC calls with USR.
//
// attachAssembler(element, root): `root` is the card (a <details>); the panel builds its content.

export const USR_EXAMPLE = `; USR(x) for BASIC: returns x * 2 + 1 (x from -16384 to 16383).
; Load with "Set BASIC's USR vector" ticked, then in BASIC:  PRINT USR(20)  gives 41.
; It sits in page 2 above the monitor's variables, where BASIC never writes.
FAC_TO_INT = $06        ; BASIC's vector: the argument -> integer, high byte $AE, low $AF
INT_TO_FAC = $08        ; BASIC's vector: A (high), Y (low) -> the result

        .org $0240
start:  jsr fac_to_int  ; x as a 16-bit integer
        lda $AF
        sec             ; shift a 1 in: x * 2 + 1
        rol a
        tay             ; low byte
        lda $AE
        rol a           ; high byte
        jmp (INT_TO_FAC) ; returns to BASIC with the result
fac_to_int:
        jmp (FAC_TO_INT)
`;

function make(tag, props = {}, children = []) {
  const el = Object.assign(document.createElement(tag), props);
  for (const child of children) el.append(child);
  return el;
}

function download(bytes, name, type) {
  const url = URL.createObjectURL(new Blob([bytes], { type }));
  const a = make('a', { href: url, download: name });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

const hex4 = (v) => '$' + v.toString(16).toUpperCase().padStart(4, '0');

export function attachAssembler(element, root) {
  const source = make('textarea', { id: 'asm-source', spellcheck: false, rows: 14, placeholder: '        .org $0240\nstart:  lda #\'A\'\n        jmp $FFEE' });
  source.setAttribute('aria-label', '6502 source');
  const button = (id, text, title) => make('button', { id, textContent: text, title });
  const assembleButton = button('asm-assemble', 'Assemble', 'Assemble and show the listing or the errors');
  const loadButton = button('asm-load', 'Load', 'Assemble and put the bytes at their addresses in RAM');
  const exampleButton = button('asm-example', 'Example: USR routine', 'A routine BASIC calls with USR(x)');
  const usr = make('input', { type: 'checkbox', id: 'asm-usr' });
  const mon = make('input', { type: 'checkbox', id: 'asm-monitor' });
  const export65v = button('asm-export-65v', 'Export .65v', 'A tape the 65V monitor loads (M, L) and runs');
  const exportBin = button('asm-export-bin', 'Export binary');
  const output = make('pre', { className: 'asm-output', id: 'asm-output' });
  output.setAttribute('aria-live', 'polite');
  root.append(
    source,
    make('div', { className: 'row' }, [assembleButton, loadButton, exampleButton]),
    make('div', { className: 'row' }, [
      make('label', { className: 'check' }, [usr, "Set BASIC's USR vector"]),
      make('label', { className: 'check' }, [mon, "Set the monitor's address"]),
    ]),
    make('div', { className: 'row' }, [export65v, exportBin]),
    output,
  );
  // Keys typed here are for the editor, not the machine.
  source.addEventListener('keydown', (e) => e.stopPropagation());

  function show(text, kind) {
    output.textContent = text;
    output.dataset.kind = kind;
  }

  function assemble() {
    const result = JSON.parse(element.machine.assemble(source.value));
    if (result.ok) {
      show(result.listing || '(no code)', 'info');
    } else {
      show(result.errors.map((e) => e.text).join('\n'), 'error');
    }
    return result;
  }

  assembleButton.addEventListener('click', assemble);
  loadButton.addEventListener('click', () => {
    const result = assemble();
    if (!result.ok) return;
    try {
      const [first, last, entry] = element.machine.assemble_and_load(source.value, usr.checked, mon.checked);
      const also = [usr.checked && 'USR vector', mon.checked && "monitor's address"].filter(Boolean);
      const note = `Loaded ${hex4(first)}-${hex4(last)}; entry ${hex4(entry)}${also.length ? ` (${also.join(' and ')} set)` : ''}.`;
      show(`${note}\n\n${result.listing}`, 'info');
      element.say(note);
      element.emit('assemblyloaded', { first, last, entry });
    } catch (error) {
      show(error.message, 'error');
    }
  });
  exampleButton.addEventListener('click', () => {
    source.value = USR_EXAMPLE;
    usr.checked = true;
    assemble();
  });
  function exportAs(format) {
    try {
      const bytes = element.machine.assemble_export(source.value, format);
      download(bytes, format === '65v' ? 'program.65v' : 'program.bin', format === '65v' ? 'text/plain' : 'application/octet-stream');
    } catch (error) {
      show(error.message, 'error');
    }
  }
  export65v.addEventListener('click', () => exportAs('65v'));
  exportBin.addEventListener('click', () => exportAs('bin'));
  return { assemble, source };
}
