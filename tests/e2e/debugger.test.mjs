// The Debugger, BASIC and Assembler cards: a breakpoint at a ROM routine, a watchpoint on the
// screen, step over a JSR, a BASIC variable in the BASIC view, the assembler's USR example
// called from BASIC, and an assembly error at line:column.

import { test, before, after, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openPage as openSharedPage, typeAndWait, waitForText } from './harness.mjs';

let env;
let context;

before(async () => {
  env = await launch();
  context = await env.browser.newContext();
});
after(async () => env?.close());

// Each test's pages close when it ends: an open page keeps its saved-states database open, and
// the next page's fresh start (which deletes that database) would wait for it.
const pages = [];
async function openPage(...args) {
  const page = await openSharedPage(...args);
  pages.push(page);
  return page;
}
afterEach(async () => {
  await Promise.all(pages.splice(0).map((page) => page.close()));
});

async function open(page, id) {
  await page.evaluate((card) => { document.getElementById(card).open = true; }, id);
}

async function basicPage() {
  const page = await openPage(context, env.url, '?speed=max');
  await typeAndWait(page, 'C');
  await waitForText(page, 'MEMORY SIZE?');
  await typeAndWait(page, '\r\r');
  await waitForText(page, 'BYTES FREE');
  await waitForText(page, 'OK');
  return page;
}

const register = (page, name) => page.inputValue(`#dbg-reg-${name}`);

test('a breakpoint at the monitor\'s keyboard routine stops there with the right registers', async () => {
  const page = await openPage(context, env.url);
  await open(page, 'debug-card');
  await page.fill('#dbg-bp-addr', 'KEYBOARD');
  await page.click('#dbg-bp-add');
  assert.match(await page.textContent('#dbg-bp-list'), /\$FD00 KEYBOARD/);
  // BREAK runs the reset code again, which calls the keyboard routine for the next key.
  await page.evaluate(() => window.superboard.reset());
  await page.waitForFunction(() => window.superboard.paused);
  assert.match(await page.textContent('#dbg-status'), /Breakpoint at \$FD00 KEYBOARD/);
  assert.equal(await register(page, 'pc'), 'FD00');
  // The reset code sets S to $28; one JSR later it is $26.
  assert.equal(await register(page, 's'), '26');
  assert.match(await page.textContent('#dbg-disasm li.pc'), /FD00.*KEYBOARD:/s);
  assert.equal(await page.evaluate(() => document.getElementById('dbg-trace-box').open), true);
  assert.match(await page.textContent('#dbg-trace'), /FF\w\w  20 00 FD  JSR KEYBOARD/);
  // Continue: the machine runs on and the prompt is still there.
  await page.click('#dbg-pause');
  await page.waitForFunction(() => !window.superboard.paused);
  assert.deepEqual(page.errors, []);
});

test('a write watchpoint on the screen stops on the store', async () => {
  const page = await openPage(context, env.url);
  await open(page, 'debug-card');
  await page.fill('#dbg-wp-range', 'D000-D3FF');
  await page.click('#dbg-wp-add');
  assert.match(await page.textContent('#dbg-wp-list'), /\$D000-\$D3FF w/);
  await page.evaluate(() => window.superboard.reset());
  await page.waitForFunction(() => window.superboard.paused);
  // The reset code clears the screen with spaces first.
  assert.match(await page.textContent('#dbg-status'), /Write \$20 to \$D[0-3][0-9A-F]{2}/);
  assert.deepEqual(page.errors, []);
});

test('step over a JSR runs the whole subroutine; memory is editable', async () => {
  const page = await openPage(context, env.url);
  await open(page, 'asm-card');
  await open(page, 'debug-card');
  await page.fill('#asm-source', [
    '        .org $0240',
    'start:  jsr sub',
    '        lda #$42',
    'spin:   jmp spin',
    'sub:    ldx #$05',
    'loop:   dex',
    '        bne loop',
    '        rts',
  ].join('\n'));
  await page.click('#asm-load');
  assert.match(await page.textContent('#asm-output'), /Loaded \$0240-\$024D/);
  await page.click('#dbg-pause');
  await page.waitForFunction(() => window.superboard.paused);
  await page.fill('#dbg-reg-pc', '0240');
  await page.dispatchEvent('#dbg-reg-pc', 'change');
  assert.match(await page.textContent('#dbg-disasm li.pc'), /0240.*start:.*JSR sub/s);
  await page.click('#dbg-over');
  await page.waitForFunction(() => document.getElementById('dbg-reg-pc').value === '0243');
  assert.equal(await register(page, 'x'), '00');
  assert.match(await page.textContent('#dbg-status'), /Stopped at \$0243/);
  // The memory view follows a label and writes what is typed over a byte.
  await page.fill('#dbg-mem-addr', 'start');
  await page.dispatchEvent('#dbg-mem-addr', 'change');
  assert.equal(await page.inputValue('#dbg-mem input.dbg-byte >> nth=0'), '20');
  assert.match(await page.textContent('#dbg-mem th >> nth=0'), /0240/);
  await page.fill('#dbg-mem input.dbg-byte >> nth=15', 'AB');
  await page.dispatchEvent('#dbg-mem input.dbg-byte >> nth=15', 'change');
  assert.equal(await page.evaluate(() => window.superboard.machine.peek(0x024f)), 0xab);
  // A single step then runs LDA.
  await page.click('#dbg-step');
  await page.waitForFunction(() => document.getElementById('dbg-reg-pc').value === '0245');
  assert.equal(await register(page, 'a'), '42');
  assert.deepEqual(page.errors, []);
});

test('the BASIC view shows a variable a program set', async () => {
  const page = await basicPage();
  await typeAndWait(page, '10 A=42:B$="HI"+"!":DIM C(3):C(2)=7\rRUN\r');
  await open(page, 'basic-card');
  // The view follows the machine while the card is open.
  await page.waitForFunction(() => document.getElementById('basic-vars').textContent.includes('42')
    && document.getElementById('basic-status').textContent.startsWith('Direct'));
  const rows = await page.$$eval('#basic-vars tr', (trs) => trs.map((tr) => [...tr.cells].map((c) => c.textContent)));
  assert.deepEqual(rows.slice(1, 3).map((r) => r.slice(0, 2)), [['A', '42'], ['B$', '"HI!"']]);
  assert.match(await page.textContent('#basic-arrays'), /C\(3\)/);
  assert.match(await page.textContent('#basic-status'), /Direct mode/);
  assert.match(await page.textContent('#basic-pointers'), /TXTTAB\$0301/);
  assert.deepEqual(page.errors, []);
});

test('the assembler\'s USR example loads and BASIC calls it', async () => {
  const page = await basicPage();
  await open(page, 'asm-card');
  await page.click('#asm-example');
  assert.equal(await page.isChecked('#asm-usr'), true);
  await page.click('#asm-load');
  assert.match(await page.textContent('#asm-output'), /USR vector set/);
  await typeAndWait(page, 'PRINT USR(20);USR(-7)\r');
  await waitForText(page, ' 41 -13');
  assert.deepEqual(page.errors, []);
});

test('an assembly error shows line:column with a caret', async () => {
  const page = await openPage(context, env.url);
  await open(page, 'asm-card');
  await page.fill('#asm-source', '        .org $0240\n        lda ($10)\n        rts\n');
  await page.click('#asm-assemble');
  const output = await page.textContent('#asm-output');
  assert.match(output, /program\.asm:2:13: error: LDA has no \(indirect\) addressing mode/);
  assert.match(output, /\n 2 \|         lda \(\$10\)\n   \|             \^/);
  assert.equal(await page.getAttribute('#asm-output', 'data-kind'), 'error');
  assert.deepEqual(page.errors, []);
});
