// The screen and the first minute: display options (phosphor, CRT look, margin, pixel shape,
// full view size) checked on the canvas's pixels; PNG export size and content; Copy screen as
// Unicode; the first-visit hint shown once; a program from the shelf runs; "max" while a
// turbo load runs; stale errors clear; a file that is neither tape nor ROM says so.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, statSync } from 'node:fs';
import { launch, openPage, waitForText, typeAndWait } from './harness.mjs';

const PROMPT = 'C/W/M ?';
const PHOSPHOR_RGB = { white: [255, 255, 255], green: [0x41, 0xff, 0x6e], amber: [0xff, 0xb0, 0x1c] };
let env;
let context;

before(async () => {
  env = await launch();
  context = await env.browser.newContext();
});
after(async () => env?.close());

const nextFrames = (page) =>
  page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(() => requestAnimationFrame(r)))));

// Where `text` starts in the current view: { row, column }.
async function find(page, text) {
  const lines = (await page.evaluate(() => window.superboard.screenText())).split('\n');
  const row = lines.findIndex((l) => l.includes(text));
  assert.ok(row >= 0, `${text} on screen`);
  return { row, column: [...lines[row]].indexOf(text[0]) };
}

async function glyph(page, code) {
  return page.evaluate((c) => Array.from(window.superboard.machine.chargen().slice(c * 8, c * 8 + 8)), code);
}

// Samples the canvas at the middle of each emulated pixel of cell (row, column) of the view:
// 64 [r, g, b] triples, row by row. The canvas holds whole device pixels per emulated pixel
// (one in the plain look); the sample avoids the last device row of each pixel (the scanline).
function cellSamples(page, row, column) {
  return page.evaluate(([r, c]) => {
    const element = document.querySelector('superboard-ii');
    const canvas = element.shadowRoot.getElementById('screen');
    const { width, height } = element.screen.display;
    const kx = canvas.width / width;
    const ky = canvas.height / height;
    const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
    const samples = [];
    for (let y = 0; y < 8; y++) {
      for (let x = 0; x < 8; x++) {
        const px = Math.floor((c * 8 + x) * kx + kx / 2);
        const py = Math.floor((r * 8 + y) * ky + Math.max(0, ky / 2 - 1));
        const at = (py * canvas.width + px) * 4;
        samples.push([data[at], data[at + 1], data[at + 2]]);
      }
    }
    return { samples, kx, ky };
  }, [row, column]);
}

function bitsFromSamples(samples, lit) {
  const bits = [];
  for (let y = 0; y < 8; y++) {
    let byte = 0;
    for (let x = 0; x < 8; x++) if (lit(samples[y * 8 + x])) byte |= 1 << x;
    bits.push(byte);
  }
  return bits;
}

// Close to the phosphor's colour: each channel within `tolerance` of it (the glow may lift
// dark channels a little).
const near = (rgb, target, tolerance) => rgb.every((v, i) => Math.abs(v - target[i]) <= tolerance);

test('every phosphor, with and without the CRT look, draws the glyphs in its colour', async () => {
  const page = await openPage(context, env.url);
  const { row, column } = await find(page, PROMPT);
  for (const crt of [false, true]) {
    for (const phosphor of Object.keys(PHOSPHOR_RGB)) {
      await page.evaluate(([p, c]) => {
        const element = window.superboard;
        element.setAttribute('phosphor', p);
        if (c) element.setAttribute('crt', '');
        else element.removeAttribute('crt');
      }, [phosphor, crt]);
      await nextFrames(page);
      const colour = PHOSPHOR_RGB[phosphor];
      for (const [offset, ch] of [[0, 'C'], [1, '/'], [6, '?']]) {
        const { samples, ky } = await cellSamples(page, row, column + offset);
        const expected = await glyph(page, ch.charCodeAt(0));
        const label = `${phosphor}${crt ? ' CRT' : ''}: ${ch}`;
        assert.deepEqual(bitsFromSamples(samples, (rgb) => near(rgb, colour, crt ? 90 : 0)), expected, `${label} lit in the phosphor colour`);
        assert.deepEqual(bitsFromSamples(samples, (rgb) => Math.max(...rgb) > (crt ? 130 : 0)), expected, `${label} dark elsewhere`);
        if (crt) assert.ok(ky >= 2, `CRT look at ${ky} device rows per pixel`);
        else assert.equal(ky, 1, 'plain look: one canvas pixel per emulated pixel');
      }
    }
  }
  // Scanlines: in the CRT look the last device row of a lit pixel is darker than its middle.
  const dimmer = await page.evaluate(([r, c]) => {
    const element = window.superboard;
    const canvas = element.shadowRoot.getElementById('screen');
    const ky = canvas.height / element.screen.display.height;
    const kx = canvas.width / element.screen.display.width;
    const context2d = canvas.getContext('2d');
    // The top row of 'C' ($43) is lit in columns 2-4 of our glyph: sample column 3.
    const x = Math.floor(((c * 8) + 3) * kx + kx / 2);
    const mid = context2d.getImageData(x, Math.floor(r * 8 * ky + ky / 2 - 1), 1, 1).data[1];
    const last = context2d.getImageData(x, Math.floor(r * 8 * ky + ky - 1), 1, 1).data[1];
    return [mid, last];
  }, [row, column]);
  assert.ok(dimmer[1] < dimmer[0] * 0.85, `scanline row dimmer: ${dimmer}`);
  await page.close();
});

test('margin, pixel shape and the full view keep the picture in the tube at the TV size', async () => {
  const page = await openPage(context, env.url);
  const box = () => page.evaluate(() => {
    const element = window.superboard;
    const canvas = element.shadowRoot.getElementById('screen').getBoundingClientRect();
    const tube = element.shadowRoot.querySelector('.tube').getBoundingClientRect();
    return { width: canvas.width, height: canvas.height, inset: Math.min(canvas.left - tube.left, tube.right - canvas.right, canvas.top - tube.top, tube.bottom - canvas.bottom) };
  });
  const tv = await box();
  assert.ok(tv.inset >= 8, `a margin inside the tube: ${tv.inset}px`);
  assert.ok(Math.abs(tv.width / tv.height - 4 / 3) < 0.01, `4:3 TV pixels: ${tv.width}×${tv.height}`);
  await page.evaluate(() => window.superboard.setAttribute('aspect', 'square'));
  await nextFrames(page);
  const square = await box();
  assert.equal(square.width, square.height, 'square pixels: a square 24×24 view');
  await page.evaluate(() => window.superboard.setAttribute('view', 'full'));
  await nextFrames(page);
  const full = await box();
  assert.ok(Math.abs(full.height - square.height) <= 1, `the full view as tall as the TV view: ${full.height} vs ${square.height}`);
  await page.evaluate(() => window.superboard.setAttribute('margin', 'off'));
  await nextFrames(page);
  const bare = await box();
  assert.ok(bare.inset < tv.inset, 'margin="off" lets the picture reach further');
  await page.close();
});

test('the PNG export has the screen\'s size and content, with and without the bezel', async () => {
  const page = await openPage(context, env.url);
  await page.evaluate(() => window.superboard.setAttribute('phosphor', 'amber'));
  const { row, column } = await find(page, PROMPT);
  const result = await page.evaluate(async ([r, c]) => {
    const element = window.superboard;
    const read = async (blob) => {
      const bitmap = await createImageBitmap(blob);
      const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
      const ctx = canvas.getContext('2d');
      ctx.drawImage(bitmap, 0, 0);
      return { type: blob.type, width: bitmap.width, height: bitmap.height, ctx };
    };
    const plain = await read(await element.screenshot());
    // Bits of the 'C' at 4×3 canvas pixels per emulated pixel (4:3 TV shape).
    const bits = [];
    for (let y = 0; y < 8; y++) {
      let byte = 0;
      for (let x = 0; x < 8; x++) {
        const px = plain.ctx.getImageData((c * 8 + x) * 4 + 2, (r * 8 + y) * 3 + 1, 1, 1).data;
        if (px[0] === 0xff && px[1] === 0xb0 && px[2] === 0x1c) byte |= 1 << x;
      }
      bits.push(byte);
    }
    const bezel = await read(await element.screenshot({ bezel: true }));
    return { plain: [plain.type, plain.width, plain.height], bits, bezel: [bezel.width, bezel.height] };
  }, [row, column]);
  assert.deepEqual(result.plain, ['image/png', 768, 576], 'the 24×24 TV window at 4×3 pixels per pixel');
  assert.deepEqual(result.bits, await glyph(page, 'C'.charCodeAt(0)), 'the exported picture shows the C');
  assert.ok(result.bezel[0] > 768 && result.bezel[1] > 576, `the bezel frames the picture: ${result.bezel}`);
  // The Export PNG button offers a download named after the machine.
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#export-png')]);
  assert.match(download.suggestedFilename(), /^superboard-.*\.png$/);
  await page.close();
});

test('Copy screen gives the graphics characters as Unicode', async () => {
  const ctx = await env.browser.newContext({ permissions: ['clipboard-read', 'clipboard-write'] });
  const page = await openPage(ctx, env.url);
  // A small box with a heart in it, poked into the TV window's second row ($D0A5).
  await page.evaluate(() => {
    const m = window.superboard.machine;
    [0xcb, 0x84, 0x84, 0xcc].forEach((code, i) => m.poke(0xd0a5 + i, code));
    [0x8b, 0xea, 0xa0, 0x8b].forEach((code, i) => m.poke(0xd0c5 + i, code));
    [0xcd, 0x84, 0x84, 0xce].forEach((code, i) => m.poke(0xd0e5 + i, code));
  });
  await nextFrames(page);
  await page.click('#copy-screen');
  await page.waitForFunction(() => /copied/i.test(window.superboard.shadowRoot.getElementById('status-message').textContent));
  const text = await page.evaluate(() => navigator.clipboard.readText());
  const lines = text.split('\n');
  assert.equal(lines[1], '┌──┐');
  assert.equal(lines[2], '│♥█│');
  assert.equal(lines[3], '└──┘');
  assert.ok(text.includes(PROMPT), 'ASCII stays ASCII');
  await page.close();
  await ctx.close();
});

test('a short WebM recording of the screen', async () => {
  const page = await openPage(context, env.url);
  await page.click('#record');
  await page.waitForTimeout(700);
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#record')]);
  assert.match(download.suggestedFilename(), /^superboard-.*\.webm$/);
  const path = await download.path();
  assert.ok(statSync(path).size > 200, `a WebM with frames (${statSync(path).size} bytes)`);
  assert.deepEqual([...readFileSync(path).subarray(0, 4)], [0x1a, 0x45, 0xdf, 0xa3], 'an EBML (WebM) header');
  await page.close();
});

test('the first-visit hint appears once, with the help open; the next visit starts quietly', async () => {
  const ctx = await env.browser.newContext();
  const page = await openPage(ctx, env.url);
  const state = () => page.evaluate(() => ({
    hint: !document.getElementById('first-hint').hidden && document.getElementById('first-hint').textContent,
    help: document.querySelector('details.help').open,
  }));
  const first = await state();
  assert.match(first.hint, /Press C, then RETURN twice/);
  assert.equal(first.help, true);
  await page.keyboard.press('c');
  await page.waitForFunction(() => document.getElementById('first-hint').hidden);
  await page.reload();
  await page.waitForFunction(() => window.superboard !== undefined);
  await waitForText(page, PROMPT);
  assert.deepEqual(await state(), { hint: false, help: false });
  await page.close();
  await ctx.close();
});

test('a program from the shelf loads from tape and runs, with "max" while it loads', async () => {
  const page = await openPage(context, env.url);
  const sawMax = page.evaluate(() => new Promise((resolve) => {
    const status = window.superboard.shadowRoot.getElementById('status-mhz');
    const seen = () => status.textContent.includes('max');
    if (seen()) resolve(true);
    new MutationObserver(() => seen() && resolve(true)).observe(status, { childList: true, characterData: true, subtree: true });
    setTimeout(() => resolve(false), 20_000);
  }));
  await page.click('button.shelf-run[data-file="lesson.bas"]');
  await waitForText(page, 'YOUR NAME?', 30_000);
  assert.equal(await sawMax, true, 'the status said max during the turbo load');
  await typeAndWait(page, 'ADA\r');
  await waitForText(page, 'HELLO, ADA');
  // A second program while the first waits for INPUT: BREAK, then load and run.
  await page.click('button.shelf-run[data-file="pictures.bas"]');
  await waitForText(page, 'SUPERBOARD II', 30_000);
  await page.close();
});

test('errors clear when the user carries on; a file that is neither tape nor ROM says so', async () => {
  const page = await openPage(context, env.url);
  const message = () => page.evaluate(() => window.superboard.shadowRoot.getElementById('status-message').textContent);
  await page.setInputFiles('#rom-file', { name: 'notes.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4 not a rom') });
  await page.waitForFunction(() => /neither a tape/.test(window.superboard.shadowRoot.getElementById('status-message').textContent));
  assert.match(await message(), /notes\.pdf is neither a tape .* nor a ROM image/);
  await page.keyboard.press('c');
  await page.waitForFunction(() => window.superboard.shadowRoot.getElementById('status-message').textContent === '');
  await page.close();
});
