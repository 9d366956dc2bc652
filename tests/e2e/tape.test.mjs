// The cassette deck: dropping tape files, the 65V monitor loading machine code from tape,
// errors in words.

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

export async function dropFiles(page, files) {
  const transfer = await page.evaluateHandle((list) => {
    const dt = new DataTransfer();
    for (const { name, text, bytes } of list) {
      dt.items.add(new File([text ?? new Uint8Array(bytes)], name));
    }
    return dt;
  }, files);
  await page.dispatchEvent('body', 'drop', { dataTransfer: transfer });
}

// 65V monitor keystrokes: address mode at $D1A6 (row 13, column 6: inside every view, away
// from the monitor's own address/data display at row 6), data
// mode, then one byte per RETURN. "HELLO" straight into video RAM.
const HELLO_65V = '.D1A6/48\r45\r4C\r4C\r4F\r';

test('a dropped .65v tape loads through the monitor (L), turbo', async () => {
  const page = await openPage(context, env.url, '?speed=max');
  await page.evaluate(() => {
    window.tapeEvents = [];
    document.addEventListener('tapeloaded', (e) => window.tapeEvents.push(e.detail));
  });
  await dropFiles(page, [{ name: 'hello.65v', text: HELLO_65V }]);
  await page.waitForFunction(() => window.tapeEvents.length === 1);
  const detail = await page.evaluate(() => window.tapeEvents[0]);
  assert.equal(detail.name, 'hello.65v');
  assert.equal(detail.kind, 'machine code');
  assert.equal(await page.textContent('#tape-name'), 'hello.65v');
  assert.match(await page.textContent('#tape-report'), /hello\.65v: 21 bytes → machine code/);
  // C/W/M ? → M (monitor) → L (load from tape); auto-play starts the deck.
  await typeAndWait(page, 'ML');
  await waitForText(page, 'HELLO');
  await page.waitForFunction(() => window.superboard.machine.tape_position() === window.superboard.machine.tape_len());
  assert.equal(await page.evaluate(() => window.superboard.machine.tape_progress()), 1);
  await page.close();
});

test('an odd listing loads as the machine reads it, with warnings in words', async () => {
  const page = await openPage(context, env.url);
  const long = `10 REM ${'X'.repeat(80)}`;
  await dropFiles(page, [{ name: 'odd.bas', text: `${long}\n20 PRINT "~"\n` }]);
  await page.waitForFunction(() => document.getElementById('tape-report').dataset.kind === 'warning');
  const report = await page.textContent('#tape-report');
  assert.match(report, /2 warnings/);
  assert.match(report, /line 1 is 87 characters long: BASIC keeps the first 71/);
  assert.match(report, /line 2, column 11: '~' \(\$7E\) is ignored by BASIC/);
  assert.equal(await page.textContent('#tape-name'), 'odd.bas');
  await page.close();
});

test('a file that is not a tape at all is refused in words', async () => {
  const page = await openPage(context, env.url);
  await dropFiles(page, [{ name: 'empty.bas', text: '' }]);
  await page.waitForFunction(() => document.getElementById('tape-report').dataset.kind === 'error');
  assert.match(await page.textContent('#tape-report'), /empty\.bas: not a tape: the file is empty/);
  assert.equal(await page.textContent('#tape-name'), 'no tape');
  const c0 = await page.evaluate(() => window.superboard.machine.cycles());
  await page.waitForFunction((c) => window.superboard.machine.cycles() > c + 100000, c0);
  await page.close();
});

test('a WAV that is not a WAV is refused in words', async () => {
  const page = await openPage(context, env.url);
  await dropFiles(page, [{ name: 'noise.wav', bytes: Array.from({ length: 5000 }, (_, i) => (i * 7) & 255) }]);
  await page.waitForFunction(() => document.getElementById('tape-report').dataset.kind === 'error');
  assert.match(await page.textContent('#tape-report'), /noise\.wav/);
  await page.close();
});

// Pretend the tab went to the background: the page sees document.hidden and the
// visibilitychange event exactly as when the user switches tabs.
async function setHidden(page, hidden) {
  await page.evaluate((h) => {
    Object.defineProperty(document, 'hidden', { configurable: true, get: () => h });
    document.dispatchEvent(new Event('visibilitychange'));
  }, hidden);
}

test('a hidden tab pauses the machine, except while a tape runs', async () => {
  const page = await openPage(context, env.url);
  await setHidden(page, true);
  const c0 = await page.evaluate(() => window.superboard.machine.cycles());
  await page.waitForTimeout(500);
  assert.equal(await page.evaluate(() => window.superboard.machine.cycles()), c0, 'paused while hidden');

  await page.evaluate(() => {
    window.superboard.loadTape('.D1A6/48\r45\r4C\r4C\r4F\r', 'hello.65v');
    window.superboard.machine.play_tape();
  });
  await page.waitForFunction((c) => window.superboard.machine.cycles() > c, c0);
  await setHidden(page, false);
  await page.close();
});

test('URL parameters: ?tape= fetches a tape relative to the page, ?type= types', async () => {
  const page = await openPage(context, env.url, '?tape=tests/e2e/fixtures/hello.65v&type=ML&speed=max', 'HELLO');
  assert.equal(await page.textContent('#tape-name'), 'hello.65v');
  await page.close();
});

test('?tape= with a missing file says so', async () => {
  const page = await openPage(context, env.url, '?tape=tests/e2e/fixtures/nope.bas');
  await page.waitForFunction(() => /Could not fetch tape/.test(window.superboard.shadowRoot.getElementById('status-message').textContent));
  await page.close();
});

test('tape sound: a suspended AudioContext resumes on a click, then the tones reach the worklet', async () => {
  const page = await openPage(context, env.url);
  // Whether a fresh page starts suspended depends on Chromium's autoplay heuristics (and
  // page.evaluate counts as a gesture), so suspend it explicitly and check the resume path.
  await page.evaluate(() => window.superboard.tape.audio.context.suspend());
  assert.equal(await page.evaluate(() => window.superboard.tape.audio.state), 'suspended');
  await page.click('#tape-turbo'); // a real click: turbo off (real 300 baud, audible)
  await page.waitForFunction(() => window.superboard.tape.audio.state === 'running');
  await page.evaluate(() => {
    window.superboard.loadTape('.D1A6/48\r45\r4C\r4C\r4F\r', 'hello.65v');
    window.superboard.machine.play_tape();
  });
  await page.waitForFunction(() => window.superboard.tape.audio.pushedSamples > 20000);
  const rate = await page.evaluate(() => window.superboard.tape.audio.sampleRate);
  assert.ok(rate >= 8000, `sample rate ${rate}`);
  await page.click('#tape-mute');
  assert.equal(await page.evaluate(() => window.superboard.tape.audio.level()), 0);
  await page.close();
});

test('any tape downloads as a WAV that decodes back to it, and as a listing', async () => {
  const page = await openPage(context, env.url);
  const program = '10 PRINT "DOWNLOADED"\n20 GOTO 10\n';
  await dropFiles(page, [{ name: 'loop.bas', text: program }]);
  await page.waitForSelector('#tape-downloads:not([hidden])');
  const [wavDownload] = await Promise.all([page.waitForEvent('download'), page.click('#tape-download-wav')]);
  assert.equal(wavDownload.suggestedFilename(), 'loop.wav');
  const wav = await readFile(await wavDownload.path());
  assert.equal(wav.subarray(0, 4).toString(), 'RIFF');
  assert.equal(wav.subarray(8, 12).toString(), 'WAVE');
  // Decoded by the page's own wasm (sent as base64: a few MB as a JSON array would be slow).
  const decoded = await page.evaluate(async (base64) => {
    const { tape_file_listing: listing } = await import('./www/pkg/superboard.js');
    return listing('loop.wav', Uint8Array.from(atob(base64), (c) => c.charCodeAt(0)));
  }, wav.toString('base64'));
  assert.equal(decoded, program);
  const [basDownload] = await Promise.all([page.waitForEvent('download'), page.click('#tape-download-bas')]);
  assert.equal(basDownload.suggestedFilename(), 'loop.bas');
  assert.equal(await readFile(await basDownload.path(), 'utf8'), program);
  await page.close();
});

test('a WAV with an odd-sized LIST chunk loads (the browser decodes what the core reader refuses)', async () => {
  const page = await openPage(context, env.url);
  const program = '10 PRINT "ODD CHUNK"\n20 GOTO 10\n';
  await dropFiles(page, [{ name: 'loop.bas', text: program }]);
  await page.waitForSelector('#tape-downloads:not([hidden])');
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#tape-download-wav')]);
  const wav = await readFile(await download.path());
  // RIFF header and fmt chunk (36 bytes, as hound writes them), then a LIST chunk of odd length
  // with its pad byte, as some recorders write, then the data chunk.
  const list = Buffer.concat([Buffer.from('LIST'), Buffer.from([13, 0, 0, 0]), Buffer.from('INFOICMT'),
    Buffer.from([1, 0, 0, 0]), Buffer.from('x'), Buffer.from([0])]);
  const odd = Buffer.concat([wav.subarray(0, 36), list, wav.subarray(36)]);
  odd.writeUInt32LE(odd.length - 8, 4);
  await page.evaluate(() => {
    window.tapeEvents = [];
    document.addEventListener('tapeloaded', (e) => window.tapeEvents.push(e.detail));
  });
  await dropFiles(page, [{ name: 'odd-list.wav', bytes: Array.from(odd) }]);
  await page.waitForFunction(() => window.tapeEvents.some((d) => d.name === 'odd-list.wav'));
  assert.equal(await page.evaluate(() => window.superboard.machine.tape_listing()), program);
  await page.close();
});
