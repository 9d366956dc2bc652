// BASIC through the page: cold start, a program's output in the text mirror and in canvas
// pixels, a pasted 40-line program arriving intact, LOAD & RUN of a dropped .bas file, and SAVE
// to a WAV download that decodes back to the program.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { launch, openPage, typeAndWait, waitForText } from './harness.mjs';

let env;
let context;

before(async () => {
  env = await launch();
  context = await env.browser.newContext({ acceptDownloads: true });
});
after(async () => env?.close());

// A page in BASIC, at the OK prompt, running at maximum speed.
async function basicPage() {
  const page = await openPage(context, env.url, '?speed=max');
  await typeAndWait(page, 'C');
  await waitForText(page, 'MEMORY SIZE?');
  await typeAndWait(page, '\r');
  await waitForText(page, 'TERMINAL WIDTH?');
  await typeAndWait(page, '\r');
  await waitForText(page, 'BYTES FREE');
  await waitForText(page, 'OK');
  return page;
}

async function dropFiles(page, files) {
  const transfer = await page.evaluateHandle((list) => {
    const dt = new DataTransfer();
    for (const { name, text } of list) dt.items.add(new File([text], name));
    return dt;
  }, files);
  await page.dispatchEvent('body', 'drop', { dataTransfer: transfer });
}

function lastLines(text, n) {
  return text.trimEnd().split('\n').slice(-n).map((l) => l.trimEnd());
}

test('C and two RETURNs reach BASIC; a program prints in the mirror and in pixels', async () => {
  const page = await basicPage();
  await typeAndWait(page, '10 FOR I=1 TO 3\r20 PRINT "ROW";I\r30 NEXT\rRUN\r');
  await page.waitForFunction(() => /ROW 3\s*\n\s*\nOK/.test(window.superboard.shadowRoot.getElementById('mirror').textContent));
  const mirror = await page.textContent('#mirror');
  assert.deepEqual(lastLines(mirror, 6), ['ROW 1', 'ROW 2', 'ROW 3', '', 'OK', '_']);
  // The same text in canvas pixels: the 'R' of "ROW 3" (view row of that line, column 0),
  // compared with the character generator's glyph for 'R'.
  const lines = mirror.split('\n');
  const row = lines.findLastIndex((l) => l.startsWith('ROW 3'));
  const [onCanvas, glyph] = await page.evaluate((r) => {
    const data = window.superboard.shadowRoot.getElementById('screen').getContext('2d').getImageData(0, r * 8, 8, 8).data;
    const bits = [];
    for (let y = 0; y < 8; y++) {
      let byte = 0;
      for (let x = 0; x < 8; x++) if (data[(y * 8 + x) * 4] > 127) byte |= 1 << x;
      bits.push(byte);
    }
    const code = 'R'.charCodeAt(0);
    return [bits, Array.from(window.superboard.machine.chargen().slice(code * 8, code * 8 + 8))];
  }, row);
  assert.deepEqual(onCanvas, glyph);
  assert.ok(glyph.some((b) => b !== 0), 'the glyph has pixels');
  await page.close();
});

// 40 lines; each adds its own line number, so the sum proves every line arrived, and the
// listing saved to tape proves every character did.
const PROGRAM_LINES = Array.from({ length: 39 }, (_, i) => `${(i + 1) * 10} S=S+${(i + 1) * 10}:REM LINE ${i + 1}`);
PROGRAM_LINES.push('400 PRINT "SUM";S');
const PROGRAM = `${PROGRAM_LINES.join('\n')}\n`;
const SUM = PROGRAM_LINES.slice(0, 39).reduce((s, _, i) => s + (i + 1) * 10, 0);

test('a pasted 40-line program arrives intact; SAVE gives a WAV that decodes to it', async () => {
  const page = await basicPage();
  await page.evaluate((text) => {
    const data = new DataTransfer();
    data.setData('text/plain', text);
    document.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true }));
  }, `NEW\n${PROGRAM}RUN\n`);
  await page.waitForFunction((sum) => window.superboard.screenText().includes(`SUM ${sum}`),
    SUM, { timeout: 120_000 });

  await page.evaluate(() => {
    window.saved = null;
    document.addEventListener('tapesaved', (e) => { window.saved = e.detail; }, { once: true });
  });
  await page.click('#tape-record');
  await page.waitForFunction(() => window.saved !== null, null, { timeout: 120_000 });
  const saved = await page.evaluate(() => window.saved);
  assert.equal(saved.listing, PROGRAM);
  assert.equal(await page.isVisible('#tape-download-wav'), true);

  // No REM line to name it: the downloads are called "program" until the user says otherwise.
  assert.equal(await page.inputValue('#tape-download-name'), 'program');
  await page.fill('#tape-download-name', 'my sums');
  const [wavDownload] = await Promise.all([page.waitForEvent('download'), page.click('#tape-download-wav')]);
  assert.equal(wavDownload.suggestedFilename(), 'my sums.wav');
  const wav = await readFile(await wavDownload.path());
  assert.equal(wav.subarray(0, 4).toString(), 'RIFF');
  // Decoded by the page's own wasm (sent as base64: a few MB as a JSON array would be slow).
  const decoded = await page.evaluate(async (base64) => {
    const { tape_file_listing: listing } = await import('./www/pkg/superboard.js');
    return listing('download.wav', Uint8Array.from(atob(base64), (c) => c.charCodeAt(0)));
  }, wav.toString('base64'));
  assert.equal(decoded, PROGRAM);

  const [basDownload] = await Promise.all([page.waitForEvent('download'), page.click('#tape-download-bas')]);
  assert.equal(await readFile(await basDownload.path(), 'utf8'), PROGRAM);
  await page.close();
});

test('a turbo SAVE is named after the program\'s first REM', async () => {
  const page = await basicPage();
  await typeAndWait(page, '10 REM STAR TREK\r20 PRINT "KLINGONS"\r');
  await page.evaluate(() => {
    window.saved = null;
    document.addEventListener('tapesaved', (e) => { window.saved = e.detail; }, { once: true });
  });
  await page.click('#tape-record');
  await page.waitForFunction(() => window.saved !== null, null, { timeout: 60_000 });
  assert.equal(await page.inputValue('#tape-download-name'), 'star-trek');
  const [basDownload] = await Promise.all([page.waitForEvent('download'), page.click('#tape-download-bas')]);
  assert.equal(basDownload.suggestedFilename(), 'star-trek.bas');
  assert.equal(await readFile(await basDownload.path(), 'utf8'), '10 REM STAR TREK\n20 PRINT "KLINGONS"\n');
  await page.close();
});

test('a dropped .bas file: LOAD & RUN loads it (turbo) and runs it', async () => {
  const page = await basicPage();
  await dropFiles(page, [{ name: 'greet.bas', text: '10 PRINT "LOADED";\n20 PRINT " AND RUN"\n' }]);
  await page.waitForFunction(() => !document.getElementById('tape-loadrun').disabled);
  await page.click('#tape-loadrun');
  await waitForText(page, 'LOADED AND RUN', 60_000);
  assert.equal(await page.evaluate(() => window.superboard.machine.tape_progress()), 1);
  await page.close();
});

test('LOAD & RUN from the monitor prompt cold-starts BASIC first', async () => {
  const page = await openPage(context, env.url, '?speed=max');
  await dropFiles(page, [{ name: 'two.bas', text: '10 PRINT 1+1\n' }]);
  await page.waitForFunction(() => !document.getElementById('tape-loadrun').disabled);
  await page.click('#tape-loadrun');
  await page.waitForFunction(() => /\n 2\s*\nOK/.test(window.superboard.screenText()), null, { timeout: 60_000 });
  await page.close();
});
