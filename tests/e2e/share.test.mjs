// Share: a program typed in, Copy link, opened in a new page, LISTs identically; Copy program,
// Download .bas (named), Copy embed code; a program too long for a link says so; no program
// says so.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { openPage, shared, typeAndWait, waitForText } from './harness.mjs';

const b = shared({ acceptDownloads: true, permissions: ['clipboard-read', 'clipboard-write'] });

const PROGRAM = '10 REM SHARED\n20 FOR I=1 TO 3:PRINT "SHARE";I*I:NEXT\n30 IF I>2 THEN PRINT "BIG"\n';

// The rows LIST printed last (from the row after "LIST" to the OK), as on the screen.
function lastListing(screen) {
  const rows = screen.split('\n').map((r) => r.trimEnd());
  const start = rows.lastIndexOf('LIST');
  const end = rows.indexOf('OK', start);
  return rows.slice(start + 1, end).filter(Boolean);
}

// Waits until a LIST has finished: BASIC's OK and the cursor after a LIST row.
function listed(page) {
  return page.waitForFunction(() => {
    const rows = window.superboard.screenText().split('\n').map((r) => r.trim()).filter(Boolean);
    return rows.includes('LIST') && rows.at(-2) === 'OK' && rows.at(-1) === '_';
  });
}

async function basicPage(query = '?speed=max') {
  const page = await openPage(b.context, b.url, query);
  await typeAndWait(page, 'C\r\r');
  await waitForText(page, 'OK');
  return page;
}

test('Copy link → open it → the same program, listed identically', async () => {
  const page = await basicPage();
  await typeAndWait(page, PROGRAM);
  await typeAndWait(page, 'LIST\r');
  await listed(page);
  const listedHere = lastListing(await page.evaluate(() => window.superboard.screenText()));
  await page.click('#share-link');
  await page.waitForFunction(() => document.getElementById('share-message').textContent.includes('copied'));
  const link = await page.inputValue('#share-output');
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), link);
  const url = new URL(link);
  assert.equal(url.search, '');
  assert.match(url.hash, /^#speed=max&program=z[A-Za-z0-9_-]+$/);

  const opened = await openPage(b.context, link, '', 'LIST');
  await listed(opened);
  assert.equal(await opened.evaluate(() => window.superboard.program()), PROGRAM);
  assert.deepEqual(lastListing(await opened.evaluate(() => window.superboard.screenText())), listedHere);
  await opened.close();

  // Copy program: the text; Download .bas: named as asked.
  await page.click('#share-program');
  assert.equal(await page.inputValue('#share-output'), PROGRAM);
  await page.fill('#share-name', 'squares');
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#share-download')]);
  assert.equal(download.suggestedFilename(), 'squares.bas');
  assert.equal(await readFile(await download.path(), 'utf8'), PROGRAM);

  // Copy embed code: an iframe of this page in embed mode and the element, both with the program.
  await page.click('#share-embed');
  const code = await page.inputValue('#share-output');
  assert.match(code, /<iframe src="http[^"]*\/\?embed#speed=max&amp;program=z[A-Za-z0-9_-]+"/);
  assert.match(code, /<script type="module" src="http[^"]*\/www\/superboard-ii\.js"><\/script>/);
  assert.match(code, /<superboard-ii speed="max" program="z[A-Za-z0-9_-]+"/);
  assert.deepEqual(page.errors, []);
  await page.close();
});

test('a damaged link says so and the machine still starts', async () => {
  const page = await openPage(b.context, b.url, '#program=zAAAA-not-deflate');
  await page.waitForFunction(() => window.superboard.shadowRoot.querySelector('.note'));
  assert.match(await page.evaluate(() => window.superboard.shadowRoot.querySelector('.note').textContent), /program: .*damaged/);
  await page.close();
});

test('no program, or one too long for a link, is said in words', async () => {
  const page = await openPage(b.context, b.url, '?ram=32');
  await page.click('#share-link');
  assert.match(await page.textContent('#share-message'), /No program to share: BASIC has not been started/);
  await typeAndWait(page, 'C\r\r');
  await waitForText(page, 'OK');
  await page.click('#share-link');
  assert.match(await page.textContent('#share-message'), /no program in memory yet/);
  // 24 KB of pseudo-random REM lines, stored straight into RAM as BASIC would store them.
  await page.evaluate(() => {
    const m = window.superboard.machine;
    let seed = 12345;
    let at = 0x0301;
    for (let line = 1; line <= 300; line++) {
      const text = [0x8e]; // REM
      for (let i = 0; i < 72; i++) {
        seed = (seed * 1103515245 + 12345) & 0x7fffffff;
        text.push(65 + (seed >> 16) % 26);
      }
      const next = at + 4 + text.length + 1;
      const bytes = [next & 255, next >> 8, line & 255, line >> 8, ...text, 0];
      bytes.forEach((b, i) => m.poke(at + i, b));
      at = next;
    }
    m.poke(at, 0);
    m.poke(at + 1, 0);
  });
  await page.click('#share-link');
  // The message above is an error too: wait for this one's words, not just its kind.
  await page.waitForFunction(() => document.getElementById('share-message').textContent.includes('too long for a link'));
  assert.equal(await page.evaluate(() => document.getElementById('share-message').dataset.kind), 'error');
  assert.match(await page.textContent('#share-message'), /KB compressed, too long for a link .*Download \.bas/);
  await page.close();
});
