// Line-in: Chromium's fake capture device plays a WAV of a program (made here with the KCS
// tones: 2400 Hz mark, 1200 Hz space, 300 baud) into getUserMedia, over and over; the page
// records it from "line-in" and decodes it as it comes onto a growing tape, which a machine in
// LOAD receives before Stop is pressed; once stopped it is an ordinary tape that loads.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { launch, openPage, waitForText, typeAndWait } from './harness.mjs';

const RATE = 48_000;
const PROGRAM = '10 PRINT "FROM LINE IN"\n';

// The program as a listing tape (CR + ten NULs per line) in KCS tones, as a 16-bit mono WAV.
function kcsWav(text) {
  const bytes = [];
  for (const line of text.trimEnd().split('\n')) {
    for (const ch of line) bytes.push(ch.charCodeAt(0));
    bytes.push(13, ...new Array(10).fill(0));
  }
  const bits = [];
  const leader = new Array(300).fill(1); // one second of carrier
  bits.push(...leader);
  for (const b of bytes) {
    bits.push(0);
    for (let k = 0; k < 8; k++) bits.push((b >> k) & 1);
    bits.push(1, 1);
  }
  bits.push(...leader);
  const perBit = RATE / 300;
  const samples = new Int16Array(bits.length * perBit);
  bits.forEach((bit, i) => {
    const freq = bit ? 2400 : 1200;
    for (let n = 0; n < perBit; n++) {
      const t = i * perBit + n;
      samples[t] = Math.round(12_000 * Math.sin((2 * Math.PI * freq * t) / RATE));
    }
  });
  const data = Buffer.from(samples.buffer);
  const header = Buffer.alloc(44);
  header.write('RIFF', 0);
  header.writeUInt32LE(36 + data.length, 4);
  header.write('WAVEfmt ', 8);
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20);
  header.writeUInt16LE(1, 22);
  header.writeUInt32LE(RATE, 24);
  header.writeUInt32LE(RATE * 2, 28);
  header.writeUInt16LE(2, 32);
  header.writeUInt16LE(16, 34);
  header.write('data', 36);
  header.writeUInt32LE(data.length, 40);
  return { wav: Buffer.concat([header, data]), seconds: bits.length / 300 };
}

let env;
let context;
let seconds;

before(async () => {
  const made = kcsWav(PROGRAM);
  seconds = made.seconds;
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'superboard-linein-')), 'program.wav');
  writeFileSync(file, made.wav);
  env = await launch([
    '--use-fake-device-for-media-stream',
    '--use-fake-ui-for-media-stream',
    `--use-file-for-fake-audio-capture=${file}`,
  ]);
  context = await env.browser.newContext({ permissions: ['microphone'] });
});
after(async () => env?.close());

test('Record from line-in decodes a real machine\'s SAVE into a tape that loads', async () => {
  const page = await openPage(context, env.url, '?speed=max');
  await page.click('#line-in');
  await page.waitForFunction(() => window.superboard.tape.lineIn.recording);
  // The fake device loops the file: record it through about twice.
  await page.waitForFunction((s) => window.superboard.tape.lineIn.seconds > s, 2 * seconds + 0.5,
    { timeout: 60_000 });
  assert.ok(await page.evaluate(() => window.superboard.tape.lineIn.peak > 0.1), 'a level on the meter');
  await page.click('#line-in');
  await page.waitForFunction(() => document.getElementById('tape-name').textContent === 'line-in');
  const listing = await page.evaluate(() => window.superboard.tape.m.tape_listing());
  assert.match(listing, /10 PRINT "FROM LINE IN"/);
  await page.click('#tape-loadrun');
  await waitForText(page, 'FROM LINE IN', 60_000);
  await page.close();
});

test('Line-in decodes live: the text shows and a machine in LOAD gets the program before Stop', async () => {
  const page = await openPage(context, env.url);
  await typeAndWait(page, 'C\r\rNEW\rLOAD\r');
  await page.click('#line-in');
  await page.waitForFunction(() => window.superboard.tape.lineIn.recording);
  assert.equal(await page.isVisible('#line-in-live'), true);
  // The panel shows the line as it arrives, while the recording goes on.
  await page.waitForFunction(() => document.getElementById('line-in-text').textContent.includes('FROM LINE IN'),
    null, { timeout: 60_000 });
  assert.ok(await page.evaluate(() => window.superboard.tape.lineIn.recording), 'still recording');
  assert.match(await page.textContent('#line-in-count'), /^[1-9]\d* bytes, \d+ lines?, 300 baud/);
  // BASIC in LOAD echoes each line it takes from the tape.
  await waitForText(page, '10 PRINT "FROM LINE IN"', 60_000);
  assert.ok(await page.evaluate(() => window.superboard.tape.lineIn.recording), 'loaded before Stop');
  await page.click('#line-in');
  await page.waitForFunction(() => !window.superboard.tape.lineIn.recording);
  assert.equal(await page.isVisible('#line-in-live'), false);
  assert.equal(await page.textContent('#tape-name'), 'line-in');
  const { listing, report } = await page.evaluate(() => ({
    listing: window.superboard.tape.m.tape_listing(),
    report: document.getElementById('tape-report').textContent,
  }));
  assert.match(listing, /^10 PRINT "FROM LINE IN"$/m);
  assert.match(report, /300 baud \(detected\)/);
  // SPACE ends the LOAD; LIST shows the program, RUN runs it.
  await typeAndWait(page, ' \rLIST\rRUN\r');
  await page.waitForFunction(() => /^ *FROM LINE IN *$/m.test(window.superboard.screenText('full')),
    null, { timeout: 30_000 });
  assert.deepEqual(page.errors, []);
  await page.close();
});
