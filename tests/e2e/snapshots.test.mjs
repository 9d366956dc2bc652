// Nothing lost: a program typed in survives a reload; a state downloaded and loaded back from
// the file gives the same screen and memory; rewind goes back to an earlier screen; a corrupt
// state dropped on the page is refused in words; `state=` starts from a prepared state.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { launch, openPage, waitForText, typeAndWait } from './harness.mjs';

let env;

before(async () => {
  env = await launch();
});
after(async () => env?.close());

const PROGRAM = '10 PRINT "NOTHING LOST"\r20 GOTO 10\r';

// Cold-starts BASIC and types PROGRAM.
async function bootAndType(page) {
  await typeAndWait(page, 'C\r\r\r');
  await waitForText(page, 'OK');
  await typeAndWait(page, PROGRAM);
  await waitForText(page, '20 GOTO 10');
}

const screen = (page) => page.evaluate(() => window.superboard.screenText('full'));
const memory = (page) => page.evaluate(() => {
  const m = window.superboard.machine;
  return Array.from({ length: 0x2000 }, (_, addr) => m.peek(addr));
});

// Resolves once the state kept for resume-after-reload shows the machine's screen as it is now
// (Playwright's usual timeout if it never does). It is saved every few seconds while something
// changes, so a save taken just before the last change (its `statesaved` may come after that
// change) is followed by another one.
const resumeSaveShowsScreen = async (page) => {
  await page.evaluate(() => { window.resumeSaveMatches = false; });
  page.evaluate(watchResumeSave).catch(() => {}); // a failure shows as the wait's timeout
  await page.waitForFunction(() => window.resumeSaveMatches);
};
async function watchResumeSave() {
  const sb = window.superboard;
  const { snapshotSection } = await import('./www/snapshots.js');
  const vram = (bytes) => snapshotSection(bytes, 'VRAM').join();
  // The stored bytes, or undefined; a database not made yet by the page is left to it.
  const stored = () => new Promise((resolve, reject) => {
    const open = indexedDB.open('superboard-states', 1);
    open.onupgradeneeded = () => open.transaction.abort();
    open.onerror = () => (open.error?.name === 'AbortError' ? resolve(undefined) : reject(open.error));
    open.onsuccess = () => {
      const get = open.result.transaction('resume').objectStore('resume').get(sb.snapshots.resumeKey);
      get.onsuccess = () => resolve(get.result?.bytes);
      get.onerror = () => reject(get.error);
      get.transaction.oncomplete = () => open.result.close();
    };
  });
  for (;;) {
    const next = new Promise((resolve) => sb.addEventListener('statesaved', resolve, { once: true }));
    const bytes = await stored();
    if (bytes && vram(bytes) === vram(sb.saveState())) break;
    await next;
  }
  window.resumeSaveMatches = true;
}

// Drops files ({ name, bytes }) on the page.
async function dropFiles(page, files) {
  const transfer = await page.evaluateHandle((list) => {
    const dt = new DataTransfer();
    for (const { name, bytes } of list) dt.items.add(new File([new Uint8Array(bytes)], name));
    return dt;
  }, files);
  await page.dispatchEvent('body', 'drop', { dataTransfer: transfer });
}

test('a typed program survives a reload, and "Start fresh" starts afresh', async () => {
  const context = await env.browser.newContext();
  const page = await openPage(context, env.url, '?speed=max', 'C/W/M ?', { keepStates: true });
  await bootAndType(page);
  // Saved every few seconds while something changes: wait for a save that holds the screen
  // after the typing (the first save after it may have been taken before its last echo).
  await page.evaluate(() => window.superboard.setSpeed(1));
  await typeAndWait(page, ' ');
  const before = await screen(page);
  await resumeSaveShowsScreen(page);
  assert.equal(await screen(page), before, 'the prompt stays as it was');

  await page.reload();
  await page.waitForFunction(() => window.superboard?.machine);
  await page.evaluate(() => window.superboard.ready);
  assert.equal(await screen(page), before, 'the screen is as it was');
  const notes = () => page.evaluate(() => window.superboard.shadowRoot.getElementById('notes').textContent);
  assert.match(await notes(), /Resumed where you left off/);
  await typeAndWait(page, '\rLIST\r');
  await waitForText(page, '10 PRINT "NOTHING LOST"');

  // The resumed screen still shows the first C/W/M ?: wait for the power cycle itself (it comes
  // after the saved state is forgotten, an IndexedDB round trip), then for the new prompt.
  await page.evaluate(() => {
    const sb = window.superboard;
    window.freshMachine = false;
    sb.addEventListener('machinechange', () => { window.freshMachine = true; }, { once: true });
    sb.shadowRoot.querySelector('#notes button.fresh').click();
  });
  await page.waitForFunction(() => window.freshMachine);
  await waitForText(page, 'C/W/M ?');
  assert.doesNotMatch(await screen(page), /NOTHING LOST/);
  assert.equal(await notes(), '');
  await page.reload();
  await page.waitForFunction(() => window.superboard?.machine);
  await page.evaluate(() => window.superboard.ready);
  assert.doesNotMatch(await screen(page), /NOTHING LOST/);
  assert.deepEqual(page.errors, []);
  await context.close();
});

test('a downloaded state loads back from the file: same screen and memory', async () => {
  const context = await env.browser.newContext({ acceptDownloads: true });
  const page = await openPage(context, env.url, '?speed=max');
  await bootAndType(page);
  await page.evaluate(() => window.superboard.pause('test'));
  const screenBefore = await screen(page);
  const memoryBefore = await memory(page);
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#state-download')]);
  assert.match(download.suggestedFilename(), /^superboard-.*\.sbstate$/);
  const path = await download.path();
  const bytes = await readFile(path);
  await page.evaluate(() => window.superboard.resume('test'));

  await page.click('#power');
  await waitForText(page, 'C/W/M ?');
  // Paused, so the restored machine is compared before it runs on.
  await page.evaluate(() => window.superboard.pause('test'));
  await page.setInputFiles('#state-file', path);
  await page.waitForFunction(() => document.getElementById('state-report').dataset.kind === 'ok');
  assert.equal(await screen(page), screenBefore);
  assert.deepEqual(await memory(page), memoryBefore);
  await page.evaluate(() => window.superboard.resume('test'));

  // Dropping the file works the same; a damaged copy is refused in words, machine untouched.
  await page.click('#power');
  await waitForText(page, 'C/W/M ?');
  await dropFiles(page, [{ name: 'lesson.sbstate', bytes: [...bytes] }]);
  await waitForText(page, '20 GOTO 10');
  const damaged = [...bytes];
  damaged[200] ^= 0x10;
  const running = await screen(page);
  await dropFiles(page, [{ name: 'broken.sbstate', bytes: damaged }]);
  await page.waitForFunction(() => document.getElementById('state-report').dataset.kind === 'error');
  assert.match(await page.textContent('#state-report'),
    /broken\.sbstate not loaded: corrupted snapshot: checksum mismatch/);
  assert.match(await page.evaluate(() => window.superboard.shadowRoot.getElementById('status-message').textContent),
    /broken\.sbstate not loaded/);
  assert.equal(await screen(page), running, 'the machine is untouched');
  await dropFiles(page, [{ name: 'notes.sbstate', bytes: [...Buffer.from('10 PRINT 1\n')] }]);
  await page.waitForFunction(() => /notes\.sbstate not loaded: not a Superboard snapshot/.test(document.getElementById('state-report').textContent));
  assert.deepEqual(page.errors, []);
  await context.close();
});

test('named slots save and load', async () => {
  const context = await env.browser.newContext();
  const page = await openPage(context, env.url, '?speed=max');
  await bootAndType(page);
  await page.fill('#slot-name', 'my program');
  await page.click('#slot-save');
  await page.waitForFunction(() => document.getElementById('slot-list').textContent.includes('my program'));
  await page.click('#power');
  await waitForText(page, 'C/W/M ?');
  await page.click('#slot-list button:has-text("Load")');
  await waitForText(page, '20 GOTO 10');
  assert.match(await page.textContent('#state-report'), /Loaded "my program"/);
  await page.click('#slot-list button[aria-label="Delete my program"]');
  await page.waitForFunction(() => document.getElementById('slot-list').children.length === 0);
  await context.close();
});

test('rewind goes back to an earlier screen and the machine continues from there', async () => {
  const context = await env.browser.newContext();
  const page = await openPage(context, env.url, '?speed=max');
  await typeAndWait(page, 'C\r\r\r');
  await waitForText(page, 'OK');
  // The ring takes a state once a second of wall time, and its first is from power-on: wait
  // for one taken at this prompt (the screen then is the state's), …
  await page.evaluate(() => {
    const sb = window.superboard;
    window.promptState = null;
    sb.addEventListener('rewindchange', () => {
      window.promptState = { index: sb.snapshots.ring.length - 1, earlier: sb.screenText('full') };
    }, { once: true });
  });
  await page.waitForFunction(() => window.promptState);
  const { index, earlier } = await page.evaluate(() => window.promptState);
  assert.match(earlier, /OK/);
  // … and for it to be one Rewind step (F8) old in emulated time, so F8 reaches it and not an
  // older one.
  const step = await page.evaluate(async () => (await import('./www/snapshots.js')).REWIND_STEP_S);
  await page.waitForFunction(([i, s]) => window.superboard.snapshots.ageOf(i) >= s, [index, step]);
  // Typed at 1x, and paused on the frame that shows the answer: whatever the ring takes while
  // typing is then at most that typing's emulated time old (well under a step, whatever the
  // wall clock did), so F8 lands on a state from before it.
  await page.evaluate(() => {
    const sb = window.superboard;
    sb.setSpeed(1);
    const stop = sb.onFrame(() => {
      if (!sb.screenText('full').includes(' 42')) return;
      sb.pause('test');
      stop();
    });
    sb.type('PRINT 6*7\r');
  });
  await page.waitForFunction(() => window.superboard.paused);
  await page.evaluate(() => {
    window.rewound = null;
    window.superboard.addEventListener('statechange', (e) => { window.rewound = e.detail.reason; }, { once: true });
  });
  await page.keyboard.press('F8');
  await page.waitForFunction(() => window.rewound !== null);
  assert.equal(await page.evaluate(() => window.rewound), 'rewind');
  assert.equal(await screen(page), earlier);
  assert.match(await page.evaluate(() => window.superboard.shadowRoot.getElementById('status-message').textContent), /Rewound/);
  // It continues from there: typing works.
  await page.evaluate(() => window.superboard.resume('test'));
  await typeAndWait(page, 'PRINT 5*5\r');
  await waitForText(page, ' 25');
  assert.deepEqual(page.errors, []);
  await context.close();
});

test('state= starts from a prepared state; a bad one is named in a note', async () => {
  const context = await env.browser.newContext();
  const page = await openPage(context, env.url, '?speed=max');
  await bootAndType(page);
  const base64 = await page.evaluate(() => {
    const bytes = window.superboard.saveState();
    let text = '';
    for (const b of bytes) text += String.fromCharCode(b);
    return btoa(text);
  });
  const expected = await screen(page);
  await page.close();
  const url = `?state=${encodeURIComponent(`data:application/octet-stream;base64,${base64}`)}`;
  const lesson = await openPage(context, env.url, url, '20 GOTO 10');
  assert.equal(await screen(lesson), expected);
  await lesson.close();
  const bad = await openPage(context, env.url, '?state=missing.sbstate');
  await bad.waitForFunction(() => /state=missing\.sbstate: 404/.test(window.superboard.shadowRoot.getElementById('notes').textContent));
  await context.close();
});
