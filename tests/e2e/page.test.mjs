// The page's controls: keyboard (both modes), BREAK, canvas pixels, views, speed, ROM files
// (kept across reloads), bad files, URL parameters.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openPage, waitForText } from './harness.mjs';

const PROMPT = 'C/W/M ?';
let env;
let context;

before(async () => {
  env = await launch();
  context = await env.browser.newContext();
});
after(async () => env?.close());

// The 8×8 block of canvas pixels at cell (row, column) of the view, as 8 bytes (bit 0 =
// leftmost pixel lit), read back with getImageData.
function cellBitsOnCanvas(page, row, column) {
  return page.evaluate(([r, c]) => {
    const canvas = window.superboard.shadowRoot.getElementById('screen');
    const data = canvas.getContext('2d').getImageData(c * 8, r * 8, 8, 8).data;
    const bits = [];
    for (let y = 0; y < 8; y++) {
      let byte = 0;
      for (let x = 0; x < 8; x++) if (data[(y * 8 + x) * 4] > 127) byte |= 1 << x;
      bits.push(byte);
    }
    return bits;
  }, [row, column]);
}

async function glyph(page, code) {
  return page.evaluate((c) => Array.from(window.superboard.machine.chargen().slice(c * 8, c * 8 + 8)), code);
}

// Position of `text` in the current view's text: { row, column } of its first character.
async function find(page, text) {
  const lines = (await page.evaluate(() => window.superboard.screenText())).split('\n');
  const row = lines.findIndex((l) => l.includes(text));
  assert.ok(row >= 0, `${text} on screen`);
  return { row, column: [...lines[row]].join('').indexOf(text) };
}

test('the canvas shows the prompt in the character set, in every view', async () => {
  const page = await openPage(context, env.url);
  for (const view of ['tv', 'full', 'tv25', 'tv26']) {
    await page.evaluate((v) => window.superboard.setView(v), view);
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    const { row, column } = await find(page, PROMPT);
    for (const [offset, ch] of [[0, 'C'], [1, '/'], [2, 'W'], [4, 'M'], [6, '?']]) {
      assert.deepEqual(await cellBitsOnCanvas(page, row, column + offset), await glyph(page, ch.charCodeAt(0)),
        `${view}: pixels of ${ch}`);
    }
  }
  const size = await page.evaluate(() => [window.superboard.shadowRoot.getElementById('screen').width, window.superboard.shadowRoot.getElementById('screen').height]);
  assert.deepEqual(size, [192, 208], 'the 24×26 view is 192×208 pixels');
  await page.close();
});

test('natural typing: a key press reaches the ROM; BREAK brings the prompt back', async () => {
  const page = await openPage(context, env.url);
  const before = await page.evaluate(() => window.superboard.screenText('full'));
  await page.keyboard.press('c');
  await page.waitForFunction((b) => window.superboard.screenText('full') !== b && !window.superboard.typing, before);
  await page.evaluate(() => window.superboard.machine.poke(0xd000 + 27 * 32 + 5, 0x20));
  await page.click('#break');
  await waitForText(page, PROMPT);
  // F12 is BREAK too.
  await page.keyboard.press('c');
  await page.waitForFunction(() => !window.superboard.screenText().split('\n').at(-1).includes('C/W/M'));
  await page.keyboard.press('F12');
  await waitForText(page, PROMPT);
  assert.deepEqual(page.errors, []);
  await page.close();
});

test('positional keys hold matrix keys; SHIFT LOCK toggles and is shown', async () => {
  const page = await openPage(context, env.url);
  await page.selectOption('#keymode', 'positional');
  assert.match(await page.textContent('#status-keys'), /Positional/);
  const before = await page.evaluate(() => window.superboard.screenText('full'));
  await page.keyboard.down('KeyC');
  await page.waitForTimeout(150);
  await page.keyboard.up('KeyC');
  await page.waitForFunction((b) => window.superboard.screenText('full') !== b, before);
  assert.equal(await page.getAttribute('#shift-lock', 'aria-pressed'), 'true');
  await page.keyboard.press('CapsLock');
  assert.equal(await page.getAttribute('#shift-lock', 'aria-pressed'), 'false');
  assert.equal(await page.evaluate(() => window.superboard.machine.shift_lock()), false);
  await page.click('#shift-lock');
  assert.equal(await page.getAttribute('#shift-lock', 'aria-pressed'), 'true');
  assert.match(await page.textContent('#status-keys'), /SHIFT LOCK down/);
  await page.close();
});

test('speed: max runs far faster than 1×, and the status line says so', async () => {
  const page = await openPage(context, env.url);
  await page.click('label:has(input[value=max])');
  const rate = await page.evaluate(async () => {
    const m = window.superboard.machine;
    const c0 = m.cycles();
    const t0 = performance.now();
    await new Promise((r) => setTimeout(r, 600));
    return (m.cycles() - c0) / ((performance.now() - t0) * 1000);
  });
  assert.ok(rate > 3, `at max the machine ran at ${rate.toFixed(2)} MHz`);
  await page.waitForFunction(() => /MHz \(max\)/.test(window.superboard.shadowRoot.getElementById('status-mhz').textContent));
  await page.click('label:has(input[value="2"])');
  await page.waitForFunction(() => /MHz \(2×\)/.test(window.superboard.shadowRoot.getElementById('status-mhz').textContent));
  assert.equal(await page.isChecked('input[name=speed][value="2"]'), true);
  await page.close();
});

async function dropFiles(page, files) {
  const transfer = await page.evaluateHandle((list) => {
    const dt = new DataTransfer();
    for (const { name, bytes } of list) dt.items.add(new File([new Uint8Array(bytes)], name));
    return dt;
  }, files);
  await page.dispatchEvent('body', 'drop', { dataTransfer: transfer });
}

test('a user ROM is accepted as unrecognised, used, kept across reloads and removable', async () => {
  const ctx = await env.browser.newContext();
  const page = await openPage(ctx, env.url);
  // A synthetic character set (never an original ROM image): every glyph a checkerboard.
  const chargen = Array.from({ length: 2048 }, (_, i) => (i % 2 ? 0xaa : 0x55));
  await dropFiles(page, [{ name: 'mychargen.bin', bytes: chargen }]);
  await page.waitForFunction(() => document.getElementById('rom-list').textContent.includes('mychargen.bin'));
  assert.match(await page.textContent('#rom-list'), /Character set.*unrecognised/);
  await page.waitForFunction(() => window.superboard.machine.chargen()[0] === 0x55);
  await waitForText(page, PROMPT);
  const { row, column } = await find(page, PROMPT);
  assert.deepEqual(await cellBitsOnCanvas(page, row, column), [0x55, 0xaa, 0x55, 0xaa, 0x55, 0xaa, 0x55, 0xaa]);

  await page.reload();
  await page.waitForFunction(() => window.superboard !== undefined);
  await waitForText(page, PROMPT);
  assert.match(await page.textContent('#rom-list'), /mychargen\.bin/);
  assert.equal(await page.evaluate(() => window.superboard.machine.chargen()[1]), 0xaa);

  await page.click('#rom-list button');
  await page.waitForFunction(() => document.getElementById('rom-list').children.length === 0);
  await page.reload();
  await page.waitForFunction(() => window.superboard !== undefined);
  assert.equal(await page.evaluate(() => document.getElementById('rom-list').children.length), 0);
  assert.notEqual(await page.evaluate(() => window.superboard.machine.chargen()[1]), 0xaa);
  await ctx.close();
});

test('an unrecognised 2K ROM with an uninformative name asks for its socket', async () => {
  const ctx = await env.browser.newContext();
  const page = await openPage(ctx, env.url);
  await dropFiles(page, [{ name: 'mystery.bin', bytes: new Array(2048).fill(0xea) }]);
  await page.waitForSelector('#rom-ask:not([hidden])');
  assert.match(await page.textContent('#rom-ask'), /mystery\.bin.*does not recognise/);
  await page.click('#rom-ask button:has-text("Cancel")');
  assert.equal(await page.evaluate(() => document.getElementById('rom-list').children.length), 0);
  await ctx.close();
});

test('a bad file gives an error in words and the machine keeps running', async () => {
  const page = await openPage(context, env.url);
  await dropFiles(page, [{ name: 'junk.rom', bytes: new Array(1000).fill(1) }]);
  await page.waitForFunction(() => window.superboard.shadowRoot.getElementById('status-message').dataset.kind === 'error');
  assert.match(await page.textContent('#status-message'), /junk\.rom: 1000 bytes is not a Superboard ROM/);
  const c0 = await page.evaluate(() => window.superboard.machine.cycles());
  await page.waitForFunction((c) => window.superboard.machine.cycles() > c + 100000, c0);
  await page.keyboard.press('c');
  await page.waitForFunction(() => !window.superboard.screenText().split('\n').at(-1).includes('C/W/M'));
  assert.deepEqual(page.errors, []);
  await page.close();
});

test('URL parameters: view, speed, embed, type', async () => {
  const page = await openPage(context, env.url, '?view=full&speed=max&embed&type=C');
  assert.equal(await page.evaluate(() => window.superboard.shadowRoot.getElementById('screen').width), 256);
  await page.evaluate(() => window.superboard.setView('window'));
  assert.equal(await page.evaluate(() => window.superboard.shadowRoot.getElementById('screen').width), 192);
  assert.equal(await page.inputValue('#view'), 'tv');
  assert.equal(await page.isVisible('.panel'), false);
  await page.waitForFunction(() => /MHz \(max\)/.test(window.superboard.shadowRoot.getElementById('status-mhz').textContent));
  await page.waitForFunction(() => !window.superboard.typing);
  await page.close();
});
