// The tape shelf (www/tape-shelf.js, drawn in the Cassette card): tapes the user inserts or SAVEs
// are kept in IndexedDB across visits; from the shelf they go back into the deck (wound to a
// recording if asked), download under their name, are renamed and deleted (with undo). A shelf
// that cannot be used says so in words and the deck works as before.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { openPage, shared, typeAndWait, waitForText } from './harness.mjs';

const b = shared({ acceptDownloads: true });

async function dropFiles(page, files) {
  const transfer = await page.evaluateHandle((list) => {
    const dt = new DataTransfer();
    for (const { name, text } of list) dt.items.add(new File([text], name));
    return dt;
  }, files);
  await page.dispatchEvent('body', 'drop', { dataTransfer: transfer });
}

// The page again with the shelf kept (a reload; the machine starts from power-on).
const reopen = (page, query = '?speed=max') =>
  page.close().then(() => openPage(b.context, b.url, query, 'C/W/M ?', { keepTapes: true }));

const shelfItems = (page) => page.$$eval('#tape-shelf-list > li', (items) => items.map((li) => ({
  name: li.querySelector('.tape-shelf-name')?.value ?? null,
  meta: li.querySelector('.tape-shelf-meta').textContent,
  inDeck: li.classList.contains('in-deck'),
  recordings: [...li.querySelectorAll('.tape-shelf-wind')].map((w) => w.textContent),
})));

const waitForCount = (page, count) => page.waitForFunction(
  (n) => document.querySelectorAll('#tape-shelf-list > li').length === n, count, { timeout: 60_000 });

async function toBasic(page) {
  await typeAndWait(page, 'C');
  await waitForText(page, 'MEMORY SIZE?');
  await typeAndWait(page, '\r\r');
  await waitForText(page, 'BYTES FREE');
}

// Types a program and SAVEs it with the deck's button; resolves once the deck has the recording.
async function save(page, program) {
  await typeAndWait(page, `NEW\r${program}`);
  await page.evaluate(() => {
    window.saved = null;
    document.addEventListener('tapesaved', (e) => { window.saved = e.detail; }, { once: true });
  });
  await page.click('#tape-record');
  await page.waitForFunction(() => window.saved !== null, null, { timeout: 60_000 });
}

test('a dropped listing is kept on the shelf, is there after a reload and loads from it', async () => {
  let page = await openPage(b.context, b.url, '?speed=max');
  assert.equal(await page.isVisible('#tape-shelf-empty'), true);
  await dropFiles(page, [{ name: 'greet.bas', text: '10 PRINT "FROM THE SHELF"\n' }]);
  await waitForCount(page, 1);
  let [item] = await shelfItems(page);
  assert.equal(item.name, 'greet');
  assert.match(item.meta, /^listing · 26 bytes · 1 recording · added /);
  assert.equal(item.inDeck, true);
  assert.match(await page.textContent('#tape-shelf-message'), /Kept on the tape shelf: greet\./);
  // The same file again is the entry already there, not a second one (the shelf keeps files in
  // the order they came: once the next file is on it, the repeat has been seen).
  await dropFiles(page, [{ name: 'greet.bas', text: '10 PRINT "FROM THE SHELF"\n' }]);
  await dropFiles(page, [{ name: 'other.bas', text: '10 PRINT "OTHER"\n' }]);
  await waitForCount(page, 2);
  assert.deepEqual((await shelfItems(page)).map((i) => i.name), ['other', 'greet']);

  page = await reopen(page);
  await waitForCount(page, 2);
  const items = await shelfItems(page);
  assert.deepEqual(items.map((i) => [i.name, i.inDeck]), [['other', false], ['greet', false]]);
  assert.equal(await page.textContent('#tape-name'), 'no tape');
  await page.click('#tape-shelf-list > li:nth-child(2) .tape-shelf-insert');
  await page.waitForFunction(() => document.getElementById('tape-name').textContent === 'greet.bas');
  await page.waitForSelector('#tape-shelf-list > li.in-deck');
  await page.click('#tape-loadrun');
  await waitForText(page, 'FROM THE SHELF', 60_000);
  assert.equal(await page.evaluate(() => window.superboard.program()), '10 PRINT "FROM THE SHELF"\n');
  assert.deepEqual(page.errors, []);
  await page.close();
});

test('a SAVE is kept; a second SAVE updates it; rename, wind, download and delete (with undo)', async () => {
  let page = await openPage(b.context, b.url, '?speed=max');
  await toBasic(page);
  await save(page, '10 REM FIRST ONE\r20 PRINT "ONE"\r');
  await waitForCount(page, 1);
  let [item] = await shelfItems(page);
  assert.equal(item.name, 'first-one');
  // The deck's WAV is tones from a table: gzipped on the shelf, far smaller.
  assert.match(item.meta, /^SAVE · [\d.]+ (KB|MB) \([\d.]+ KB on the shelf\) · 1 recording: FIRST ONE · added /i);
  // The SAVE goes after the first recording on the same tape: the entry grows, no duplicate.
  await save(page, '10 REM SECOND ONE\r20 PRINT "TWO"\r');
  await page.waitForFunction(() => document.querySelectorAll('.tape-shelf-wind').length === 2, null, { timeout: 60_000 });
  const items = await shelfItems(page);
  assert.equal(items.length, 1);
  [item] = items;
  assert.equal(item.name, 'first-one');
  assert.match(item.meta, /2 recordings/);
  assert.deepEqual(item.recordings.map((r) => r.toUpperCase()), ['FIRST ONE', 'SECOND ONE']);

  // Rename: kept across a reload.
  await page.fill('.tape-shelf-name', 'my tape');
  await page.press('.tape-shelf-name', 'Enter');
  await page.waitForFunction(() => document.getElementById('tape-shelf-message').textContent === 'Renamed first-one to my tape.');
  page = await reopen(page);
  await waitForCount(page, 1);
  [item] = await shelfItems(page);
  assert.equal(item.name, 'my tape');

  // Insert wound to the second recording: LOAD & RUN loads that one.
  await page.click('.tape-shelf-tape li:nth-child(2) .tape-shelf-wind');
  await page.waitForFunction(() => window.superboard.machine.tape_recording() === 1);
  assert.equal(await page.inputValue('#tape-recordings'), '1');
  await page.click('#tape-loadrun');
  await page.waitForFunction(() => /\nTWO\s*\n/.test(window.superboard.screenText()), null, { timeout: 60_000 });

  // Download: the WAV under the tape's name, decoding back to both programs.
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('.tape-shelf-download')]);
  assert.equal(download.suggestedFilename(), 'my tape.wav');
  const wav = await readFile(await download.path());
  assert.equal(wav.subarray(0, 4).toString(), 'RIFF');
  const size = wav.length < 1024 * 1024 ? `${(wav.length / 1024).toFixed(1)} KB` : `${(wav.length / (1024 * 1024)).toFixed(1)} MB`;
  assert.ok(item.meta.startsWith(`SAVE · ${size} (`) && item.meta.includes(' on the shelf) · 2 recordings · added '), item.meta);

  // Delete, undo, delete: gone after a reload.
  await page.click('.tape-shelf-delete');
  await waitForCount(page, 0);
  assert.match(await page.textContent('#tape-shelf-message'), /Deleted my tape from the shelf\./);
  await page.click('.tape-shelf-undo');
  await waitForCount(page, 1);
  assert.equal((await shelfItems(page))[0].name, 'my tape');
  await page.click('.tape-shelf-delete');
  await waitForCount(page, 0);
  page = await reopen(page);
  await page.waitForFunction(() => document.getElementById('tape-shelf-list').dataset.count === '0');
  assert.equal(await page.isVisible('#tape-shelf-empty'), true);
  assert.deepEqual(page.errors, []);
  await page.close();
});

test('a damaged entry is shown and can be deleted; a full shelf refuses in words; the deck works', async () => {
  let page = await openPage(b.context, b.url, '?speed=max');
  await page.waitForFunction(() => document.getElementById('tape-shelf-list').dataset.count === '0');
  // Another program's idea of a record, and an entry that says it holds the whole 50 MB.
  await page.evaluate(() => new Promise((resolve, reject) => {
    const req = indexedDB.open('superboard-tapes');
    req.onsuccess = () => {
      const tx = req.result.transaction('tapes', 'readwrite');
      tx.objectStore('tapes').put({ id: 7, name: 42 });
      tx.objectStore('tapes').put({
        id: 8, name: 'huge', file: 'huge.wav', kind: 'recording', source: 'saved', size: 50 * 1024 * 1024,
        recordings: [{ name: 'huge', bytes: 1 }], addedAt: 1, updatedAt: 1,
      });
      tx.oncomplete = () => { req.result.close(); resolve(); };
      tx.onerror = () => reject(tx.error);
    };
    req.onerror = () => reject(req.error);
  }));
  page = await reopen(page);
  await waitForCount(page, 2);
  const damaged = await page.textContent('#tape-shelf-list > li.damaged');
  assert.match(damaged, /A damaged entry \(it has no name\): it cannot be used\./);
  // Its bytes are missing: inserting says so, the deck stays empty.
  await page.click('#tape-shelf-list > li:not(.damaged) .tape-shelf-insert');
  await page.waitForFunction(() => /Not inserted: the shelf's entry is damaged \(its bytes are missing\); delete it\./
    .test(document.getElementById('tape-shelf-message').textContent));
  assert.equal(await page.textContent('#tape-name'), 'no tape');

  await dropFiles(page, [{ name: 'small.bas', text: '10 PRINT "STILL LOADS"\n' }]);
  await page.waitForFunction(() => document.getElementById('tape-shelf-message').dataset.kind === 'error' &&
    /small\.bas is in the deck but not kept on the shelf: the shelf holds 50\.0 MB and this tape takes 23 bytes/.test(document.getElementById('tape-shelf-message').textContent));
  assert.equal(await page.textContent('#tape-name'), 'small.bas');
  await page.click('#tape-loadrun');
  await waitForText(page, 'STILL LOADS', 60_000);

  await page.click('#tape-shelf-list > li.damaged .tape-shelf-delete');
  await waitForCount(page, 1);
  assert.deepEqual(page.errors, []);
  await page.close();
});

test('two tabs share the shelf: a tape kept in one shows in the other', async () => {
  const first = await openPage(b.context, b.url, '?speed=max');
  // Nothing deleted on the second tab's load: the first has both databases open.
  const second = await openPage(b.context, b.url, '?speed=max', 'C/W/M ?', { keepStates: true, keepTapes: true });
  await waitForCount(second, 0);
  await dropFiles(first, [{ name: 'shared.bas', text: '10 PRINT "BOTH"\n' }]);
  await waitForCount(second, 1);
  assert.equal((await shelfItems(second))[0].name, 'shared');
  await second.click('.tape-shelf-delete');
  await waitForCount(first, 0);
  await second.close();
  await first.close();
});

test('an embedded page (cards hidden) keeps nothing on the shelf', async () => {
  let page = await openPage(b.context, b.url, '?speed=max&embed');
  await dropFiles(page, [{ name: 'embedded.bas', text: '10 PRINT "EMBEDDED"\n' }]);
  await page.waitForFunction(() => window.superboard.deck.file?.name === 'embedded.bas');
  page = await reopen(page);
  await page.waitForFunction(() => document.getElementById('tape-shelf-list').dataset.count === '0');
  await page.close();
});

test('without storage the shelf says so and tapes still load', async () => {
  const context = await b.env.browser.newContext();
  await context.addInitScript(() => {
    const open = IDBFactory.prototype.open;
    IDBFactory.prototype.open = function (name, ...rest) {
      if (name === 'superboard-tapes') throw new DOMException('The user denied permission.', 'SecurityError');
      return open.call(this, name, ...rest);
    };
  });
  const page = await openPage(context, b.url, '?speed=max');
  await page.waitForFunction(() => /not available: this browser keeps no storage/.test(document.getElementById('tape-shelf-empty').textContent));
  await dropFiles(page, [{ name: 'plain.bas', text: '10 PRINT "NO SHELF"\n' }]);
  await page.waitForFunction(() => document.getElementById('tape-name').textContent === 'plain.bas');
  await page.click('#tape-loadrun');
  await waitForText(page, 'NO SHELF', 60_000);
  assert.equal(await page.$$eval('#tape-shelf-list > li', (items) => items.length), 0);
  assert.deepEqual(page.errors, []);
  await context.close();
});
